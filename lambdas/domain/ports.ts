import type { DeadlineDigest } from './escalation/digest.js';

export type { DeadlineDigest } from './escalation/digest.js';
export type { ErasedCitizens } from './ports/erased-citizens.js';
export {
  type ConversationPointer,
  type DuePart,
  type HistoryPage,
  type InquiryRepository,
  type MessageLookup,
  VersionConflictError,
} from './ports/inquiry-repository.js';
export type { MetricName, ProductMetrics } from './ports/metrics.js';
export type {
  DepartmentCensus,
  Erasure,
  ErasureMarks,
  Opening,
  RetentionStore,
} from './ports/retention.js';

/** The durable hand-off of one message to a queue. Rejects when the queue cannot take it. */
export interface MessageQueue<T> {
  /** `budget`: how long the caller can wait; a queue that tries again does so only within it. */
  send(message: T, budget?: TimeBudget): Promise<void>;
}

/** The time a caller has left for a call, in milliseconds, read when needed (Lambda's remaining time, less). */
export interface TimeBudget {
  remainingMs: () => number;
}

/**
 * One run at a time: a run holds the lease until it releases it, or until the time it took it for has passed
 * (a run that crashed). `take` answers the holder's token, or undefined while another run holds it.
 */
export interface RunLease {
  take(now: Date, until: Date): Promise<string | undefined>;
  release(token: string): Promise<void>;
}

/**
 * Tells a department of its inquiries near or past their deadline: one digest per department and escalator
 * run. Rejects when the digest was not taken; the escalator then keeps its notices pending.
 */
export interface EscalationNotifier {
  /** Publishes the digest; resolves to the channel's id of the message (SNS's MessageId), if it gives one. */
  notify(digest: DeadlineDigest): Promise<string | undefined>;
  /** Whether the digest fits one message of the channel; omitted, any does. */
  fits?(digest: DeadlineDigest): boolean;
}

/** Reads values kept in a secret store by their reference. */
export interface SecretStore {
  get(parameter: string): Promise<string | undefined>;
  /** Drops the value kept in this process, if any: the next `get` asks the store again. */
  forget?(parameter: string): void;
}

export interface Clock {
  now(): Date;
}
