import * as z from 'zod';
import { replyTargetSchema } from '../vk/citizen-message.js';
import { fnv1a32 } from './vk-ids.js';

/**
 * What travels on the outbox queue: one message to a citizen, answered in the place they wrote. The router
 * (acknowledgements) and the operator API (answers) put it there; the responder delivers it through the VK
 * API, so that VK's limits and failures never hold up routing or an operator.
 */

export const OUTBOX_PURPOSES = ['acknowledgement', 'intermediate_answer', 'answer', 'reply'] as const;
export type OutboxPurpose = (typeof OUTBOX_PURPOSES)[number];

/**
 * The longest message VK accepts (messages.send: 9000 characters; error 914 past it).
 * https://dev.vk.com/ru/method/messages.send
 */
export const MAX_MESSAGE_LENGTH = 9000;

/** The longest outbox id. */
export const MAX_OUTBOX_ID_LENGTH = 200;

export const outboxMessageSchema = z.object({
  kind: z.literal('message_to_citizen'),
  /**
   * The message's identity, derived from the inquiry and what caused it (`<inquiry>:<purpose>:<cause>`):
   * the same request always makes the same id, so the same `random_id` / `guid`, so VK sends it once.
   */
  id: z.string().min(1).max(MAX_OUTBOX_ID_LENGTH),
  inquiryId: z.string().min(1),
  groupId: z.number().int().positive(),
  purpose: z.enum(OUTBOX_PURPOSES),
  /** Where the citizen wrote: the inquiry's reply target. */
  replyTo: replyTargetSchema,
  citizenId: z.number().int(),
  text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
  /**
   * The first-response deadline an acknowledgement's text promises: once it has passed, the responder sends
   * `textOnceDue` instead (the text without it), or nothing when there is none (send-time.ts).
   */
  dueAt: z.iso.datetime().optional(),
  textOnceDue: z.string().min(1).max(MAX_MESSAGE_LENGTH).optional(),
  requestedAt: z.iso.datetime(),
  /** Who asked for it: an operator's id, or the router for an acknowledgement. */
  requestedBy: z.string().min(1),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

/**
 * What a cut id keeps of its end: an operator's request's cause ends with the fingerprint of its body (16
 * characters, lambdas/operator-api/dispatch.ts), which tells two requests with the same Idempotency-Key apart.
 */
const KEPT_END = 32;

/**
 * The outbox id of a message about an inquiry, for a purpose, caused by `cause` (a request, an event):
 * `<inquiry>:<purpose>:<cause>`. One longer than the limit (a long Idempotency-Key) keeps its beginning and
 * its end, and, in place of the middle, a hash of the middle: two requests that differ anywhere make two ids.
 */
export const outboxIdFor = (inquiryId: string, purpose: OutboxPurpose, cause: string): string => {
  const whole = `${inquiryId}:${purpose}:${cause}`;
  if (whole.length <= MAX_OUTBOX_ID_LENGTH) return whole;
  const end = whole.slice(-KEPT_END);
  const middleStart = MAX_OUTBOX_ID_LENGTH - KEPT_END - 10;
  const middle = whole.slice(middleStart, -KEPT_END);
  return `${whole.slice(0, middleStart)}~${fnv1a32(middle).toString(16).padStart(8, '0')}~${end}`;
};

/**
 * Whether `outboxId` is the id of the message for the inquiry, purpose and cause: as outboxIdFor makes it, or,
 * for one longer than the limit, as a release before it cut it (its first 200 characters), which a message
 * queued then and refused by VK since still carries.
 */
export const isOutboxIdFor = (
  outboxId: string,
  inquiryId: string,
  purpose: OutboxPurpose,
  cause: string,
): boolean =>
  outboxId === outboxIdFor(inquiryId, purpose, cause) ||
  outboxId === `${inquiryId}:${purpose}:${cause}`.slice(0, MAX_OUTBOX_ID_LENGTH);

/**
 * Whom a message is for: one citizen, in one community. The responder sends the messages of a batch for one
 * of them one after the other, in the batch's order, and those for different ones at the same time.
 */
export const readerOf = (message: Pick<OutboxMessage, 'groupId' | 'citizenId'>): string =>
  `${message.groupId}:${message.citizenId}`;
