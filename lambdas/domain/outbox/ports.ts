import type { HistoryEntry } from '../inquiry/inquiry.js';
import type { OutboxRecord } from './delivery-outcome.js';
import type { TokenKind, VkCallParams } from './delivery-plan.js';
import type { OutboxMessage } from './outbox-message.js';

/** Where the outbox keeps what became of each message, and the inquiry's history of attempts. */
export interface OutboxLedger {
  /** The final state of a message, read consistently, if it reached one. */
  getRecord(id: string): Promise<OutboxRecord | undefined>;
  /**
   * Claims the message for this responder before it calls VK, for a lease longer than the responder may run:
   * `held` while another responder holds a live claim (for `heldForMs` more at most), `recorded` once a
   * delivery has recorded its final state. An expired claim (its responder crashed) is taken over.
   */
  claim(message: { id: string; inquiryId: string }): Promise<OutboxClaim>;
  /** Gives up this responder's claim (`claimId`) on a message it gives back to the queue unsent. */
  release(id: string, claimId: string): Promise<void>;
  /**
   * Records the message's final state, unless a delivery has already recorded one: then nothing is written,
   * and that record is returned (the first to record is the only one that counts the message).
   */
  putRecord(record: OutboxRecord): Promise<OutboxRecord | undefined>;
  /** Adds entries to an inquiry's history (idempotent puts: keys come from causes). */
  appendHistory(entries: HistoryEntry[]): Promise<void>;
  /**
   * Deletes what deliveries of the message wrote for its inquiry, found deleted after they wrote it: the
   * message's record and every history entry of the inquiry that names the message.
   */
  discard(message: { id: string; inquiryId: string }): Promise<void>;
}

export type OutboxClaim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'held'; heldForMs: number }
  | { kind: 'recorded' };

/** Hands messages to the outbox queue; rejects when the queue cannot take one. */
export interface Outbox {
  send(message: OutboxMessage): Promise<void>;
}

/** The community's VK tokens, read from the secret store by the references in its configuration. */
export interface CommunityTokens {
  tokenFor(groupId: number, kind: TokenKind): Promise<string | undefined>;
  /**
   * VK refused the token `tokenFor` gave: a copy kept in the function is not used again, so that a new token
   * stored reaches the next reply as soon as the secret store has it.
   */
  refused?(groupId: number, kind: TokenKind): void;
}

/** Calls one VK API method with one token; rejects with VkApiError when VK answers an error. */
export type VkCaller = (token: string, method: string, params: VkCallParams) => Promise<unknown>;

/**
 * A limit of calls per second per token shared by every responder running at once: `acquire` resolves when
 * the caller may call, or rejects with RateLimitBusy when the wait would be too long for this invocation.
 */
export interface VkRateLimiter {
  acquire(key: string, callsPerSecond: number): Promise<void>;
}

export class RateLimitBusy extends Error {
  override name = 'RateLimitBusy';
}

/**
 * Counters the responder adds to: `VkTokenErrors` is what the token alarm watches; `MessagesDeferred`, by
 * reason, what it gave back to the queue unsent; `MessagesDelivered` by purpose; `MessagesUndeliverable` by
 * community and purpose, and alone for its alarm.
 */
export interface OutboxMetrics {
  count(
    name: 'VkTokenErrors' | 'MessagesDelivered' | 'MessagesUndeliverable' | 'MessagesDeferred',
    dimensions: Record<string, string>,
  ): void;
}
