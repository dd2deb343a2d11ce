/**
 * A citizen's words more urgent than their routed inquiry (a danger reported later, in a follow-up or in an
 * edit of a message) raise its priority: the terms of the new priority, the running clock brought forward,
 * the history saying why, and the citizen told of a sooner time. Never lowered: an operator may have set it.
 * An edit raises only on words more urgent than the words it replaced (moreUrgentThanBefore).
 */
import { type Classification, PRIORITIES, type Priority } from '../../taxonomy.js';
import { citizenSettles } from '../citizen-settles.js';
import type { SlaTerms } from '../deadline.js';
import { historyKey, type Inquiry } from '../inquiry.js';
import type { Change } from './change.js';
import type { EditRaise } from './events.js';

/**
 * The priority words were read at, for an edit of them to be weighed against: theirs when they are an
 * inquiry's, the least urgent when they are not (a reaction), or say the matter is settled (`text`,
 * citizen-settles.ts): such words raised nothing, and an edit of them into a report must raise as it would.
 */
export const wordsPriority = (classification: Classification, text: string | undefined): Priority =>
  classification.inquiry && (text === undefined || !citizenSettles(text, classification))
    ? classification.priority
    : (PRIORITIES.at(-1) as Priority);

/**
 * Whether an edit's words are more urgent than the words it replaced were read: only then is the edit a danger
 * reported later. Words as urgent as before (a typo fixed) were judged already, by the raise they made or by an
 * operator who set the priority back since, and raise nothing. Words before it of unknown priority (a message
 * stored before it was kept) count as raising nothing, so that no danger an edit reports is missed.
 */
export const moreUrgentThanBefore = ({ classification, before }: EditRaise): boolean =>
  before === undefined || PRIORITIES.indexOf(classification.priority) < PRIORITIES.indexOf(before);

/**
 * The terms the citizen's words bring when they raise the inquiry: an inquiry, not a reaction, more urgent
 * than the routed inquiry. Undefined when they raise nothing.
 */
export function raisedTerms(
  inquiry: Inquiry,
  words: { classification: Classification; terms?: SlaTerms },
): SlaTerms | undefined {
  const { classification, terms } = words;
  const moreUrgent = PRIORITIES.indexOf(classification.priority) < PRIORITIES.indexOf(inquiry.priority);
  return classification.inquiry && inquiry.department !== undefined && moreUrgent ? terms : undefined;
}

/**
 * The raise recorded (`next` holds the new priority, its terms and its clock already): the classifier's entry,
 * keyed `at` under the change's cause, and the effect.
 */
export function recordRaise(
  { inquiry, next, cause, context, history, effects }: Change,
  at: string,
  reason: string,
) {
  history.push({
    inquiryId: inquiry.id,
    key: historyKey(at, cause, 2),
    at: context.now.toISOString(),
    kind: 'classified',
    actor: 'classifier',
    reason,
    detail: {
      fromPriority: inquiry.priority,
      toPriority: next.priority,
      terms: next.terms,
      dueAt: next.clock?.dueAt,
    },
  });
  effects.push({ type: 'priority_raised', from: inquiry.priority, to: next.priority });
}

/**
 * The citizen's words raised the priority of the open inquiry (a danger reported later). When that made its due
 * time sooner, it is acknowledged under its cause (acknowledgement.ts, decideAcknowledgementOf asked `raised`),
 * and the sooner time it tells the citizen, while the first response is owed, stands as a routing's does. Only
 * a time still ahead is told (raised.ts, `templateOnceDue` otherwise): one the new terms put before the raise
 * was told to no one, and the time the citizen was told before stands, so that an operator who sets the
 * priority back (misclassified words) puts the deadline back to it. A raise that left the deadline as it was
 * (the shipped terms give `safety` the same 2 hours at normal and high; a deadline an operator set sooner) is
 * not acknowledged as one, "we will answer you sooner" being untrue: as any follow-up, it is not acknowledged,
 * unless it is to critical, whose acknowledgement tells where to call, without a time (`raiseKeptDueAt`).
 * One by an edit (`byEdit`) is told in the words for that (`raisedByEdit`).
 */
export function noteRaise({ inquiry, next, cause, context }: Change, byEdit = false): void {
  const before = inquiry.clock?.dueAt;
  const after = next.clock?.dueAt;
  const sooner = before !== undefined && after !== undefined && after < before;
  if (!sooner && next.priority !== 'critical') return;
  next.raiseCause = cause;
  next.raisedByEdit = byEdit || undefined;
  if (!sooner) {
    next.raiseKeptDueAt = true;
    return;
  }
  next.raiseKeptDueAt = undefined;
  const dueAt = next.firstResponseDueAt;
  const told = dueAt !== undefined && dueAt > context.now.toISOString();
  if (told && next.firstRespondedAt === undefined && next.clock?.kind === 'first_response')
    next.firstResponsePromisedBy = dueAt;
}
