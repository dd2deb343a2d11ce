/**
 * An operator's words to the citizen: an intermediate answer ("we are working on it"), the answer, or a reply
 * that changes no status. The first answer of either kind in a cycle is its first response.
 */

import { startClock, startClockDueBy } from '../deadline.js';
import type { Inquiry } from '../inquiry.js';
import {
  byOperator,
  type Change,
  type ClockContext,
  clearUndelivered,
  entry,
  finish,
  type Refusal,
} from './change.js';
import { owedFirstResponseClock } from './clock-checks.js';
import type { InquiryEvent } from './events.js';

type Words = Extract<InquiryEvent, { type: 'intermediate_answer' | 'final_answer' | 'reply_noted' }>;

/**
 * Words from the console to an inquiry another operator holds are refused unless sent on purpose (`force`), as
 * taking it is: no one answers a colleague's inquiry over their head by accident, and the citizen gets no
 * second answer from a colleague who did not know. Words typed in VK by hand were sent already: recorded.
 */
function wordsRefusal(inquiry: Inquiry, event: Words): Refusal | undefined {
  const holder = inquiry.assignee;
  if (event.via !== 'console' || holder === undefined || holder.id === event.operatorId || event.force)
    return undefined;
  return {
    outcome: 'refused',
    reason: `the inquiry is taken by ${holder.name}: send with force to answer it`,
  };
}

/**
 * An operator answering from the console an inquiry no one took, or taking it over on purpose (`force`): it is
 * theirs from now on, so that `assignee` names who answered.
 */
const answererTakes = ({ inquiry, next }: Change, event: Words) => {
  if (typeof event.operatorId !== 'string' || event.operatorName === undefined) return {};
  const holder = inquiry.assignee;
  if (holder !== undefined && (holder.id === event.operatorId || !event.force)) return {};
  next.assignee = { id: event.operatorId, name: event.operatorName };
  next.assignedAt = event.at;
  return { assignee: next.assignee, ...(holder && { fromAssignee: holder }) };
};

/** The outbox id of the words, which links the entry to the `delivery` entries of their message. */
const outboxIdOf = (event: { outboxId?: string }) =>
  event.outboxId === undefined ? {} : { outboxId: event.outboxId };

/**
 * Records the first response of the current cycle, on time or late, and the cause of the words that gave it:
 * the first words of the cycle, or the first since VK refused the words that had given it (delivery.ts). It
 * is counted once a cycle: one given again after a refusal is not a second first response on the dashboard.
 */
export const firstResponse = ({ next, effects, cause }: Change<ClockContext>, at: string) => {
  if (next.firstRespondedAt !== undefined || next.firstResponseDueAt === undefined) return;
  // Kept, should VK refuse these words: the first response is owed again by this clock (clock-checks.ts).
  if (next.clock?.kind === 'first_response') next.firstResponseClock = next.clock;
  next.firstRespondedAt = at;
  next.firstResponseLate = at > next.firstResponseDueAt;
  next.firstResponseCause = cause;
  if (next.firstResponseCounted) return;
  next.firstResponseCounted = true;
  effects.push({ type: 'first_response', late: next.firstResponseLate, department: next.department });
};

/**
 * Open work left with no clock running and no flag, once words reached the citizen (an intermediate answer
 * VK refused after a close, delivery.ts, given again or delivered late): the answer is owed still, by the
 * resolution deadline it had if one was set, and a resolution clock watches it. Else nothing would: listed, but
 * never overdue, never escalated.
 */
export const watchOwedAnswer = ({ inquiry, next, context }: Change, at: string) => {
  if (next.clock || next.undelivered || owedFirstResponseClock(next) !== undefined || !inquiry.terms) return;
  next.clockCount = (inquiry.clockCount ?? 0) + 1;
  const start = new Date(at);
  const owedBy = inquiry.resolutionDueAt;
  next.clock =
    owedBy === undefined
      ? startClock('resolution', next.clockCount, start, inquiry.terms, context)
      : startClockDueBy('resolution', next.clockCount, start, inquiry.terms, context, owedBy);
  next.resolutionDueAt = next.clock.dueAt;
};

/**
 * Words given from the time of the follow-up the flagged answer never saw (citizen-message.ts): had the answer
 * gone in time, that follow-up would have reopened the inquiry and these words been the new cycle's first
 * response. The first such words are kept with it, for the late delivery to count them so (delivered-late.ts).
 */
const noteResponseAfterUnseen = ({ inquiry, next, cause }: Change, at: string) => {
  const unseen = inquiry.unseenFollowUp;
  if (!unseen || unseen.respondedAfter || Date.parse(at) < Date.parse(unseen.at)) return;
  next.unseenFollowUp = { ...unseen, respondedAfter: { at, cause } };
};

export function onIntermediateAnswer(
  change: Change,
  event: Extract<InquiryEvent, { type: 'intermediate_answer' }>,
): Refusal | undefined {
  const { inquiry, next, context } = change;
  const refusal = wordsRefusal(inquiry, event);
  if (refusal) return refusal;
  firstResponse(change, event.at);
  // The first clock stops; the resolution clock starts (once: a second intermediate answer moves nothing).
  // Only a running first-response clock moves on: after an answer VK refused no clock runs, and the answer
  // stays owed by the deadline it had (delivery.ts), however late; a new one would make a late answer in time.
  if (inquiry.clock?.kind === 'first_response' && inquiry.terms) {
    next.clockCount = (inquiry.clockCount ?? 0) + 1;
    next.clock = startClock('resolution', next.clockCount, new Date(event.at), inquiry.terms, context);
    next.resolutionDueAt = next.clock.dueAt;
  }
  // "We are working on it" is no answer: a flag for the answer stays until an answer, a closing or the answer
  // delivered late clears it (its replay then still goes: send-time.ts). Else the inquiry, whose answer's
  // refusal stopped its clock, would be left in work with neither a clock nor a flag: never overdue.
  if (inquiry.undelivered?.purpose !== 'answer') next.undelivered = undefined;
  noteResponseAfterUnseen(change, event.at);
  watchOwedAnswer(change, event.at);
  entry(change, event.at, 1, 'reply', 'operator', {
    ...byOperator(event),
    reason: event.via === 'vk' ? 'an operator answered by hand in VK' : 'an intermediate answer',
    detail: {
      text: event.text,
      via: event.via,
      intermediate: true,
      firstResponse: inquiry.firstRespondedAt === undefined,
      resolutionDueAt: next.resolutionDueAt,
      ...outboxIdOf(event),
      ...answererTakes(change, event),
    },
  });
}

export function onFinalAnswer(
  change: Change,
  event: Extract<InquiryEvent, { type: 'final_answer' }>,
): Refusal | undefined {
  const { inquiry, next, cause } = change;
  const refusal = wordsRefusal(inquiry, event);
  if (refusal) return refusal;
  firstResponse(change, event.at);
  next.clock = undefined;
  next.answeredAt = event.at;
  next.answerCause = cause;
  clearUndelivered(next);
  finish(change);
  entry(change, event.at, 1, 'reply', 'operator', {
    ...byOperator(event),
    reason: 'the answer',
    detail: {
      text: event.text,
      via: event.via,
      intermediate: false,
      ...outboxIdOf(event),
      ...answererTakes(change, event),
    },
  });
}

/** A further word keeps the inquiry whose it is (the answer's), even sent on purpose to a colleague's. */
export function onReplyNoted(
  change: Change,
  event: Extract<InquiryEvent, { type: 'reply_noted' }>,
): Refusal | undefined {
  const { inquiry } = change;
  const refusal = wordsRefusal(inquiry, event);
  if (refusal) return refusal;
  entry(change, event.at, 1, 'reply', 'operator', {
    ...byOperator(event),
    reason: `a reply while the inquiry is ${inquiry.status}`,
    detail: { text: event.text, via: event.via, ...outboxIdOf(event) },
  });
}
