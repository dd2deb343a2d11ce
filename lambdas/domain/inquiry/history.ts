/** An inquiry's history: its entries, who makes them, and the keys that order them and name their causes. */
import type { InquiryStatus } from './status.js';

export type HistoryKind =
  | 'message'
  | 'classified'
  | 'routed'
  | 'rejected'
  | 'status'
  | 'reply'
  | 'message_changed'
  | 'warning'
  | 'escalated'
  /** An attempt to deliver a message to the citizen through the VK API, and its result. */
  | 'delivery'
  /** An operator moved the inquiry to another department or category. */
  | 'moved'
  /** An operator's words did not reach the citizen: VK refused them for good. */
  | 'undelivered'
  /**
   * An operator's internal note (a call made, a request passed on, a visit booked): never sent to the citizen,
   * it changes nothing of the inquiry but its history.
   */
  | 'note';
/**
 * Who made a history entry. `community`: the community itself in VK, not the citizen nor an operator through
 * the console (an admin who deleted the citizen's comment, `actorId` their VK id).
 */
export const HISTORY_ACTORS = [
  'citizen',
  'community',
  'classifier',
  'router',
  'operator',
  'escalator',
  'responder',
] as const;
export type HistoryActor = (typeof HISTORY_ACTORS)[number];

/** One entry of an inquiry's history: who did what, when and why. */
export interface HistoryEntry {
  inquiryId: string;
  /**
   * Orders the entry in the history and names it uniquely: built from what caused it (the VK event, the
   * clock it checked), never from the time of processing, so that processing the same cause again
   * rewrites the same entry instead of adding a twin.
   */
  key: string;
  /** When it happened: the time of the message, the reply, the deadline. */
  at: string;
  kind: HistoryKind;
  actor: HistoryActor;
  /** The VK id of the citizen or operator, or the operator's account id in the operator API. */
  actorId?: number | string;
  /** Whom colleagues know the operator as (their name or e-mail in the user pool), beside `actorId`. */
  actorName?: string;
  /** Why: the rule, the reason given, the deadline passed. */
  reason?: string;
  /** The status change it made, if any. */
  from?: InquiryStatus;
  to?: InquiryStatus;
  detail: Record<string, unknown>;
}

/** The history key of the `n`-th entry caused by `cause` at `at`: sortable by time, unique by cause. */
export const historyKey = (at: string, cause: string, n: number) => `${at}#${cause}#${n}`;

/** The time and the cause a history key was made of (historyKey): a time holds no '#', a cause may. */
export const historyKeyParts = (key: string): { at: string; cause: string } => ({
  at: key.slice(0, key.indexOf('#')),
  cause: key.slice(key.indexOf('#') + 1, key.lastIndexOf('#')),
});
