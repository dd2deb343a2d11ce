import type { HistoryEntry, Inquiry } from './inquiry/inquiry.js';

/** The durable hand-off of one message to a queue. Rejects when the queue cannot take it. */
export interface MessageQueue<T> {
  send(message: T): Promise<void>;
}

export interface InquiryRepository {
  /** Creates the inquiry with its history; resolves `false` (and writes nothing new) if it already exists. */
  create(inquiry: Inquiry, history: HistoryEntry[]): Promise<boolean>;
}

/** Reads values kept in a secret store by their reference. */
export interface SecretStore {
  get(parameter: string): Promise<string | undefined>;
}

export interface Clock {
  now(): Date;
}
