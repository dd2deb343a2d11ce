/**
 * Words the inquiry is flagged for as not reaching the citizen reached them after all, replayed from the
 * dead-letter queue: what the responder reports back, so recorded (delivery.ts records the refusals).
 */
import { isOutboxIdFor } from '../../outbox/outbox-message.js';
import { startClock } from '../deadline.js';
import { type Inquiry, isOpen } from '../inquiry.js';
import { firstResponse, watchOwedAnswer } from './answers.js';
import {
  type Change,
  type ClockContext,
  clearUndelivered,
  entry,
  finish,
  type Refusal,
  reopen,
  type TransitionContext,
} from './change.js';
import type { LateDelivery } from './events.js';

/**
 * Whether the words delivered late are the answer of the cycle the inquiry ended last, refused after it was
 * reopened (onEndedCycleAnswerRefused): told by the words themselves, not by the status, which an operator who
 * takes the reopened inquiry moves on to `in_progress`.
 */
const endedCycleAnswer = (inquiry: Inquiry, event: LateDelivery): boolean => {
  const last = inquiry.earlierCycles?.at(-1);
  return (
    event.purpose === 'answer' &&
    last?.refused === 'answer' &&
    last.answerCause !== undefined &&
    isOutboxIdFor(event.outboxId, inquiry.id, 'answer', last.answerCause)
  );
};

/**
 * Words the inquiry is flagged for (`undelivered`), recorded when they failed every try and went to the
 * dead-letter queue, reached the citizen after all, replayed from there: the department no longer owes them.
 * An answer answers the inquiry now, when the citizen got it (late, if its deadline passed meanwhile); an
 * intermediate answer gives the first response again, if it had given it. An answer given before the inquiry
 * was reopened only clears the flag: the reopened cycle is still owed its answer, and the ended one stays
 * counted as refused. Words the department has dealt with since (answered again, closed) change nothing.
 * An answer the citizen wrote to again while it waited (`unseenFollowUp`) answers the inquiry, which that
 * message then reopens, as it would have had the answer gone in time: applied with the community's calendar
 * (`TransitionContext`), for the reopening's clock.
 */
export function onDeliveredLate(
  change: Change<ClockContext | TransitionContext>,
  event: LateDelivery,
): Refusal | undefined {
  const { inquiry, next } = change;
  if (inquiry.undelivered?.outboxId !== event.outboxId)
    return { outcome: 'refused', reason: 'the inquiry is not flagged for these words any more' };
  const unseen = endedCycleAnswer(inquiry, event) ? undefined : unseenFollowUpOf(inquiry, event);
  if (unseen && !withCalendar(change))
    return {
      outcome: 'refused',
      reason: `the citizen wrote after the answer, which would reopen the inquiry: its community ${inquiry.groupId} is no longer configured to time that`,
    };
  clearUndelivered(next);
  const { outboxId, purpose, at } = event;
  const words = purpose === 'answer' ? 'answer' : 'intermediate answer';
  if (endedCycleAnswer(inquiry, event)) {
    entry(change, at, 1, 'status', 'responder', {
      reason: `the ${words} given before the inquiry was reopened reached the citizen after all, from the dead-letter queue`,
      detail: { outboxId },
    });
    return undefined;
  }
  // Words given after the follow-up are the reopened cycle's (respondedAfterUnseen): the answer's cycle was
  // first responded to by earlier words, or by the answer itself, now.
  const respondedAfter = unseen?.respondedAfter;
  if (respondedAfter && next.firstResponseCause === respondedAfter.cause) {
    next.firstRespondedAt = undefined;
    next.firstResponseLate = undefined;
    next.firstResponseCause = undefined;
  }
  // They give back the first response VK's refusal took from the cycle (which had one: firstResponseCounted).
  // Words of an earlier cycle give the cycle since none, its clock still running for the citizen's newer
  // message: refused when they failed (recordDeliveryFailed), they are flagged so only on an inquiry that a
  // release before that flagged.
  if (inquiry.firstResponseCounted) firstResponse(change, at);
  const to = purpose === 'answer' ? 'answered' : inquiry.status;
  if (purpose === 'answer') {
    next.status = to;
    next.clock = undefined;
    next.answeredAt = at;
    finish(change);
  }
  // The citizen edited the message while the words waited (edit-after-answer.ts counts them as given then):
  // recorded, not reopening, the operators having the words before them; the answer did not see the edit.
  const flagged = inquiry.undelivered;
  const editedMeanwhile =
    purpose === 'answer' &&
    inquiry.editedAfterAnswerAt !== undefined &&
    inquiry.editedAfterAnswerAt >= flagged.at;
  // An intermediate answer that had come back into work with no clock (refused after a close): watched again.
  if (purpose === 'intermediate_answer' && isOpen(next.status) && withCalendar(change))
    watchOwedAnswer(change, at);
  if (unseen && withCalendar(change)) {
    // The answer's cycle ends answered, and the follow-up starts the next one from when it reached the
    // inquiry, as it would have reopened the answered inquiry then (citizen-message.ts): the department has
    // had it in its open work since, and a critical one was told to it (critical-notice.ts tells it anew).
    reopen({ ...change, inquiry: { ...next } }, unseen.at);
    next.status = 'reopened';
    if (respondedAfter) respondedAfterUnseen(change, respondedAfter);
  }
  entry({ ...change, to: next.status }, at, 1, 'status', 'responder', {
    reason: `the ${words} reached the citizen after all, from the dead-letter queue${
      editedMeanwhile ? '; the citizen edited the message meanwhile: the answer did not see the edit' : ''
    }${unseen ? `; the citizen wrote again meanwhile (${unseen.at}), which the answer did not see: reopened` : ''}${
      respondedAfter ? `, and responded to by the words given after it (${respondedAfter.at})` : ''
    }`,
    detail: {
      outboxId,
      ...(unseen && { reopenedFrom: unseen.at }),
      ...(respondedAfter && { firstRespondedAt: respondedAfter.at }),
    },
  });
  return undefined;
}

/**
 * The reopened cycle's first response: the operator's words given after the follow-up while the answer waited
 * (answers.ts keeps them with it), as they would have been had the answer gone in time and the follow-up
 * reopened the inquiry then. Late or not by the new cycle's deadline; counted once for it; and, as an
 * intermediate answer does, the first-response clock stops and the resolution clock starts from them.
 */
function respondedAfterUnseen(change: Change<TransitionContext>, words: { at: string; cause: string }): void {
  const { next, effects, context } = change;
  if (next.firstResponseDueAt === undefined) return;
  if (next.clock?.kind === 'first_response') next.firstResponseClock = next.clock;
  next.firstRespondedAt = words.at;
  next.firstResponseLate = words.at > next.firstResponseDueAt;
  next.firstResponseCause = words.cause;
  next.firstResponseCounted = true;
  effects.push({ type: 'first_response', late: next.firstResponseLate, department: next.department });
  next.status = 'in_progress';
  if (next.clock?.kind === 'first_response' && next.terms) {
    next.clockCount = (next.clockCount ?? 0) + 1;
    next.clock = startClock('resolution', next.clockCount, new Date(words.at), next.terms, context);
    next.resolutionDueAt = next.clock.dueAt;
  }
}

/** The follow-up the flagged answer never saw (citizen-message.ts), if the late words are that answer. */
const unseenFollowUpOf = (inquiry: Inquiry, event: LateDelivery) =>
  event.purpose === 'answer' && inquiry.unseenFollowUp?.outboxId === event.outboxId
    ? inquiry.unseenFollowUp
    : undefined;

const withCalendar = (
  change: Change<ClockContext | TransitionContext>,
): change is Change<TransitionContext> => 'calendar' in change.context;
