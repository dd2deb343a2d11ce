/** What a claim on a VK event found. */
export type ClaimResult =
  /** First to take the event (or an earlier attempt stalled past its lease): hand it on. */
  | 'claimed'
  /** The event was handed on already: a retry or a redelivery, to drop. */
  | 'done'
  /** Another attempt is handing it on right now: try again later. */
  | 'busy';

/**
 * Remembers which VK events were handed on, across VK's retry window and SQS redeliveries: one VK event
 * gives one message on the routing queue, whatever arrives twice.
 */
export interface VkEventLedger {
  claim(groupId: number, eventKey: string): Promise<ClaimResult>;
  /** The event was handed on: later claims find it done. */
  complete(groupId: number, eventKey: string): Promise<void>;
  /** Handing on failed: let the next attempt claim it at once. */
  release(groupId: number, eventKey: string): Promise<void>;
}
