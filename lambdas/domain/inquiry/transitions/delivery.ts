/** What the responder reports back about a delivery: VK refused an operator's words for good. */
import { isOutboxIdFor } from '../../outbox/outbox-message.js';
import { answerSupersedes, type Inquiry, isOpen, refusedWordsGaveFirstResponse } from '../inquiry.js';
import { type Change, type ClockContext, entry, type Refusal } from './change.js';
import type { DeliveryFailure } from './events.js';

/** The cause a refused delivery is recorded under: one per outbox message. */
export const deliveryFailedCause = (outboxId: string) => `undelivered:${outboxId}`;

/**
 * Whether the refused words gave the cycle's first response: the message of the cause that gave it, or, of one
 * recorded before the inquiry kept that (an upgrade's), the words queued with it.
 */
const gaveFirstResponse = (inquiry: Inquiry, event: DeliveryFailure): boolean => {
  if (inquiry.firstRespondedAt === undefined) return false;
  if (inquiry.firstResponseCause === undefined) return refusedWordsGaveFirstResponse(event, inquiry);
  return isOutboxIdFor(event.outboxId, inquiry.id, event.purpose, inquiry.firstResponseCause);
};

/** An operator's words did not reach the citizen: the inquiry owes them its answer still. */
export function onDeliveryFailed(change: Change<ClockContext>, event: DeliveryFailure): Refusal | undefined {
  const { inquiry, next, to } = change;
  // The answer that followed is what the citizen is owed; its own delivery speaks for itself.
  if (event.purpose === 'intermediate_answer' && answerSupersedes(inquiry))
    return {
      outcome: 'refused',
      reason: 'an intermediate answer does not matter once the inquiry has been answered',
    };
  // Closed without an answer, after words that reached the citizen: these further words change nothing. Had
  // they given the first response, the close stood on nothing, and the inquiry goes back into work below.
  if (
    event.purpose === 'intermediate_answer' &&
    !isOpen(inquiry.status) &&
    !gaveFirstResponse(inquiry, event)
  )
    return {
      outcome: 'refused',
      reason: 'the inquiry was closed after an earlier response reached the citizen',
    };
  // A further word after the answer, or an older answer retried late: the inquiry's answer stands, and the
  // refusal stays in the history of deliveries.
  if (
    event.purpose === 'answer' &&
    inquiry.answerCause !== undefined &&
    !isOutboxIdFor(event.outboxId, inquiry.id, 'answer', inquiry.answerCause)
  )
    return {
      outcome: 'refused',
      reason: 'not the answer the inquiry was answered with: that one stands',
    };
  // The citizen got nothing, so the department owes them an answer still: an answered (or closed) inquiry
  // goes back into its open work, flagged, instead of counting as answered. No clock starts, nor does an
  // intermediate answer after it start one (answers.ts): the answer stays owed by the deadline it had. What
  // the department owes now is to reach the citizen another way (a comment, a call), after which it may close
  // the inquiry, or to answer again.
  const { outboxId, purpose, reason, at } = event;
  next.undelivered = { outboxId, purpose, reason, at };
  // Words the citizen never got are no response: if they gave the first response, it is owed again, by its
  // deadline, and the next words (or the closing, the citizen reached another way) give it at their time.
  if (gaveFirstResponse(inquiry, event)) {
    next.firstRespondedAt = undefined;
    next.firstResponseLate = undefined;
    next.firstResponseCause = undefined;
    // Counted when given, before the flag was kept too.
    next.firstResponseCounted = true;
  }
  if (to !== inquiry.status) {
    next.answeredAt = undefined;
    next.closedAt = undefined;
  }
  entry(change, at, 1, 'undelivered', 'responder', {
    reason: `the ${purpose === 'answer' ? 'answer' : 'intermediate answer'} did not reach the citizen: ${reason}`,
    detail: { outboxId, purpose },
  });
}
