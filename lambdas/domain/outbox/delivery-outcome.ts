import { type HistoryEntry, historyKey } from '../inquiry/inquiry.js';
import type { TokenKind } from './delivery-plan.js';
import type { OutboxMessage } from './outbox-message.js';

/** What one attempt to deliver a message came to, in the terms VK's error codes give. */
export type DeliveryOutcome =
  | { kind: 'delivered'; method: string; vkId?: number }
  /** Cannot be delivered here (901, closed comments, no token for the channel…): recorded, never retried. */
  | { kind: 'undeliverable'; reason: string; method?: string; code?: number }
  /** Not sent, and never will be: it came too late to mean anything (an acknowledgement after the answer). */
  | { kind: 'skipped'; reason: string; method?: undefined }
  /**
   * VK is busy, limiting us or failing (6, 9, 10, 29, 36, an unknown code…): tried again later. `limited`: VK
   * refuses calls of this kind for a while (9, 29), so not again in the same receive.
   */
  | { kind: 'retry'; method: string; code: number; reason: string; limited?: true }
  /**
   * A person must act on the token (5, 7, 14, 15, 17, 27, 28): ops are alerted; the message is held, not
   * retried at once. `token` says which of the community's tokens the call used.
   */
  | { kind: 'token'; method: string; code: number; reason: string; token: TokenKind };

/** The final state of an outbox message, kept so that a redelivered message is not sent again. */
export interface OutboxRecord {
  id: string;
  inquiryId: string;
  status: 'delivered' | 'undeliverable' | 'skipped';
  at: string;
  attempts: number;
  /** The `<receive count>.<try>` of its history entry, whose key it makes with `at` (deliveryHistoryKey). */
  attempt?: string;
  method?: string;
  reason?: string;
  vkId?: number;
}

const RESULT_REASON: Record<Exclude<DeliveryOutcome['kind'], 'token' | 'skipped'>, string> = {
  delivered: 'delivered through the VK API',
  undeliverable: 'cannot be delivered',
  retry: 'VK asked us to try again later',
};

/** Why the history says what it says: for a held message, which token VK refused. */
const reasonOf = (outcome: DeliveryOutcome): string =>
  outcome.kind === 'undeliverable' || outcome.kind === 'skipped'
    ? outcome.reason
    : outcome.kind === 'token'
      ? `VK refused the ${outcome.token} token (error ${outcome.code}): held, ops are alerted`
      : RESULT_REASON[outcome.kind];

/** The key of a delivery attempt's history entry. */
export const deliveryHistoryKey = (outboxId: string, attempt: string, at: string): string =>
  historyKey(at, `outbox:${outboxId}:${attempt}`, 1);

/** The history entry of one delivery attempt: every attempt and its result is part of the inquiry's story. */
export function deliveryHistoryEntry(
  message: OutboxMessage,
  outcome: DeliveryOutcome,
  /** `<receive count>.<try>`: the queue's delivery and the try within it. */
  attempt: string,
  at: string,
): HistoryEntry {
  return {
    inquiryId: message.inquiryId,
    key: deliveryHistoryKey(message.id, attempt, at),
    at,
    kind: 'delivery',
    actor: 'responder',
    reason: reasonOf(outcome),
    detail: {
      outboxId: message.id,
      purpose: message.purpose,
      attempt,
      result: outcome.kind,
      ...(outcome.method !== undefined && { method: outcome.method }),
      ...('code' in outcome && outcome.code !== undefined && { vkError: outcome.code }),
      ...(outcome.kind === 'delivered' && outcome.vkId !== undefined && { vkId: outcome.vkId }),
      ...((outcome.kind === 'retry' || outcome.kind === 'token') && { vkMessage: outcome.reason }),
      ...(outcome.kind === 'token' && { token: outcome.token }),
      // What the citizen was promised (the case number and due time), in the product's own words: an
      // operator's words are already in their `reply` entry. Kept in the history, never logged.
      ...(message.purpose === 'acknowledgement' && { text: message.text }),
    },
  };
}
