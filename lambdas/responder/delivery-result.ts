import type { TransitionResult } from '../domain/inquiry/state-machine.js';
import type { DeliveryOutcome, OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';

/**
 * What the handler does with the queue message: done (delete it), or give it back after a delay. `inquiry`:
 * what recording a refused answer on the inquiry came to. `inquiry_gone`: its inquiry was deleted (retention,
 * a citizen's erasure), before or while the message was handled: nothing of it is left in the table, whether
 * or not VK had the words by then, and the message is not tried again.
 */
export type DeliveryResult =
  | {
      done: true;
      outcome: DeliveryOutcome | { kind: 'duplicate' } | { kind: 'inquiry_gone' };
      inquiry?: TransitionResult['outcome'];
    }
  | {
      done: false;
      /** `claimed`: another responder is sending the same message (a copy SQS handed out twice) right now. */
      outcome: DeliveryOutcome | { kind: 'busy' } | { kind: 'claimed' };
      retryAfterSeconds: number;
      /**
       * Given back on its last receive: SQS keeps it in the dead-letter queue next. What recording that on
       * its inquiry came to (`changed` puts an operator's words in the department's list), if it was.
       */
      lastReceive?: { inquiry?: TransitionResult['outcome'] };
    };

/** Another delivery recorded the message first: it alone counts it and keeps its history entry. */
export const DUPLICATE: DeliveryResult = { done: true, outcome: { kind: 'duplicate' } };

/** The message's inquiry was deleted: nothing of the message is left in the table. */
export const GONE: DeliveryResult = { done: true, outcome: { kind: 'inquiry_gone' } };

/** What one delivery of the message tells as it goes, and how it records a refused answer on the inquiry. */
export interface DeliveryTrack {
  /** Told before each write that names the inquiry. */
  wrote: () => void;
  /**
   * Records a refused answer on the inquiry (`replayed`: words flagged before, when they went to the dead
   * letters).
   */
  recorded: (
    record: OutboxRecord,
    replayed: boolean,
  ) => Promise<TransitionResult['outcome'] | 'absent' | undefined>;
  deliveredLate: (at: string) => Promise<TransitionResult['outcome'] | 'absent' | undefined>;
  /** What became of the words is known (VK took them, refused them, or they were not to go). */
  decided: (status: OutboxRecord['status']) => void;
}

/** Records the message's final state after `attempt`, the last of `attempts` (finish-delivery.ts). */
export type Finish = (
  message: OutboxMessage,
  outcome: DeliveryOutcome,
  attempt: string,
  attempts: number,
) => Promise<DeliveryResult>;
