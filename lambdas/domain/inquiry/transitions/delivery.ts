/**
 * What the responder reports back about a delivery: VK refused an operator's words for good (or they failed
 * every try and went to the dead-letter queue). That, so recorded, they reached the citizen after all is
 * delivered-late.ts's.
 */
import { droppedFromDeadLettersCause } from '../../outbox/dropped-dead-letter.js';
import { isOutboxIdFor } from '../../outbox/outbox-message.js';
import {
  answerSupersedes,
  type Inquiry,
  isOpen,
  REMEMBERED_UNDELIVERED,
  refusedWordsGaveFirstResponse,
} from '../inquiry.js';
import { type Change, type ClockContext, entry, type Refusal } from './change.js';
import {
  endedCycleAnswerCause,
  gaveEndedCycleFirstResponse,
  onEndedCycleAnswerRefused,
  onEndedCycleFirstResponseRefused,
} from './ended-cycle-refusals.js';
import type { DeliveryFailure } from './events.js';

/** The cause a refused delivery is recorded under: one per outbox message. */
export const deliveryFailedCause = (outboxId: string) => `undelivered:${outboxId}`;

/**
 * The cause VK's refusal for good of words already flagged is recorded under: words recorded undelivered when
 * they went to the dead-letter queue (under `deliveryFailedCause`), replayed by ops and refused (901…). Its own,
 * so that the refusal is not taken for the dead-letter recording again: it tells the flag VK's reason.
 */
export const refusedOnReplayCause = (outboxId: string) => `refused-on-replay:${outboxId}`;

/** The cause words recorded as undelivered, then delivered from the dead letters, are recorded under. */
export const deliveredLateCause = (outboxId: string) => `delivered-late:${outboxId}`;

/**
 * Whether the refused words gave the cycle's first response: the message of the cause that gave it, or, of one
 * recorded before the inquiry kept that (an upgrade's), the words queued with it.
 */
const gaveFirstResponse = (inquiry: Inquiry, event: DeliveryFailure): boolean => {
  if (inquiry.firstRespondedAt === undefined) return false;
  if (inquiry.firstResponseCause === undefined) return refusedWordsGaveFirstResponse(event, inquiry);
  return isOutboxIdFor(event.outboxId, inquiry.id, event.purpose, inquiry.firstResponseCause);
};

/**
 * Whether the refused answer is the one the current cycle was answered with (`answerCause`). An inquiry that
 * kept none, answered before it was kept and never reopened since, takes any for it.
 */
const isTheCycleAnswer = (inquiry: Inquiry, event: DeliveryFailure): boolean =>
  inquiry.answerCause === undefined
    ? inquiry.earlierCycles === undefined
    : isOutboxIdFor(event.outboxId, inquiry.id, 'answer', inquiry.answerCause);

/**
 * Whether words queued at `requestedAt` were written in the cycle the inquiry ended last, or one before: before
 * that cycle ended (`endedAt`; of a cycle ended before that was kept, its closing or answer), as
 * supersededSince (send-time.ts) judges a replay. Words whose queueing time is not known are not judged so.
 */
const writtenBeforeLastCycleEnded = (inquiry: Inquiry, requestedAt: string | undefined): boolean => {
  const last = inquiry.earlierCycles?.at(-1);
  const endedAt = last?.endedAt ?? last?.closedAt ?? last?.answeredAt;
  return requestedAt !== undefined && endedAt !== undefined && Date.parse(requestedAt) <= Date.parse(endedAt);
};

/**
 * Words the inquiry is flagged for already were refused again: those kept in the dead-letter queue, replayed
 * by ops and refused by VK for good (the citizen forbade messages meanwhile…). Nothing else changes, but the
 * flag's reason: no longer "kept in the dead-letter queue", which tells ops to replay them (docs/alarms.md).
 * The flag keeps its time, when the words were flagged: what the department wrote after it is its response
 * while they waited (answerSupersedes, send-time.ts), and an answer counts as given then (edit-after-answer.ts).
 * The refusal's own time is its entry's.
 */
function onFlaggedWordsRefused(change: Change<ClockContext>, event: DeliveryFailure): undefined {
  const { inquiry, next } = change;
  const { outboxId, purpose, reason, at, cause } = event;
  next.undelivered = { outboxId, purpose, reason, at: inquiry.undelivered?.at ?? at };
  const words = purpose === 'answer' ? 'answer' : 'intermediate answer';
  // Dropped by ops (dlq:replay --drop) rather than sent again: never sent at all.
  const what =
    cause === droppedFromDeadLettersCause(outboxId)
      ? `the ${words} kept in the dead-letter queue was dropped from it, never sent`
      : `the ${words} kept in the dead-letter queue, sent again, did not reach the citizen`;
  entry(change, at, 1, 'undelivered', 'responder', {
    reason: `${what}: ${reason}`,
    detail: { outboxId, purpose },
  });
  next.status = inquiry.status;
}

/**
 * An operator's words did not reach the citizen: the inquiry owes them its answer still. Recorded so, they
 * are remembered by their outbox id (`undeliveredWords`).
 */
export function onDeliveryFailed(change: Change<ClockContext>, event: DeliveryFailure): Refusal | undefined {
  const refusal = recordDeliveryFailed(change, event);
  if (refusal !== undefined) return refusal;
  const { inquiry, next } = change;
  const kept = (inquiry.undeliveredWords ?? []).filter((id) => id !== event.outboxId);
  next.undeliveredWords = [...kept, event.outboxId].slice(-REMEMBERED_UNDELIVERED);
  // Words the citizen did not get respond to no follow-up: the next ones given may.
  const unseen = next.unseenFollowUp;
  const responded = unseen?.respondedAfter;
  if (
    unseen &&
    responded &&
    isOutboxIdFor(event.outboxId, inquiry.id, 'intermediate_answer', responded.cause)
  )
    next.unseenFollowUp = { outboxId: unseen.outboxId, at: unseen.at };
  return undefined;
}

function recordDeliveryFailed(change: Change<ClockContext>, event: DeliveryFailure): Refusal | undefined {
  const { inquiry, next, to } = change;
  if (inquiry.undelivered?.outboxId === event.outboxId) return onFlaggedWordsRefused(change, event);
  const endedAnswerCause = endedCycleAnswerCause(inquiry, event);
  if (endedAnswerCause !== undefined) return onEndedCycleAnswerRefused(change, event, endedAnswerCause);
  if (gaveEndedCycleFirstResponse(inquiry, event)) return onEndedCycleFirstResponseRefused(change, event);
  // Words flagged when their replay (or drop) began, no longer flagged: the department dealt with them while
  // VK was called (answered again, closed, gave other words), as it would have before a replay it then skips
  // (send-time.ts). Their refusal takes back nothing the citizen got since, nor flags them again.
  if (event.cause !== deliveryFailedCause(event.outboxId))
    return {
      outcome: 'refused',
      reason: 'the inquiry is not flagged for these words any more: the department dealt with them since',
    };
  // The answer that followed is what the citizen is owed; its own delivery speaks for itself.
  if (event.purpose === 'intermediate_answer' && answerSupersedes(inquiry, event.requestedAt))
    return {
      outcome: 'refused',
      reason: 'an intermediate answer does not matter once the inquiry has been answered',
    };
  // Written before the cycle the inquiry ended last was closed or rejected: the cycle since, begun by the
  // citizen's newer message (or an operator's reopening, a routing back into work), owes its own response, and
  // these words were none. Not so words that gave it its first response, given after a follow-up that an
  // answer kept in the dead letters never saw (answers.ts), which VK's refusal takes back.
  if (
    event.purpose === 'intermediate_answer' &&
    writtenBeforeLastCycleEnded(inquiry, event.requestedAt) &&
    !gaveFirstResponse(inquiry, event)
  )
    return {
      outcome: 'refused',
      reason:
        'an intermediate answer of an earlier cycle does not matter: the inquiry was closed or rejected after it',
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
  // refusal stays in the history of deliveries. So does the answer of a cycle before the last, refused in a
  // cycle that has none of its own yet.
  if (event.purpose === 'answer' && !isTheCycleAnswer(inquiry, event))
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
  // An intermediate answer written once the answer was flagged, refused too: the answer's flag stays, for it is
  // the answer the department owes (its replay from the dead letters still goes: send-time.ts).
  if (inquiry.undelivered?.purpose !== 'answer') next.undelivered = { outboxId, purpose, reason, at };
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
