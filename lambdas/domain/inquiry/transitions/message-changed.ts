/**
 * The citizen edited, deleted or restored one of the inquiry's messages in VK: the inquiry keeps the opening
 * message's words, and an edit may make an inquiry of a message rejected as not one (or, when the conversation
 * has a newer inquiry those words would join, a follow-up of that one: threading.ts, editThreadingDecision).
 * An edit of words an operator answered is told as such, and may reopen the inquiry (edit-after-answer.ts); a
 * comment deleted or restored moves where the answer goes (reply-target.ts), whoever deleted it; a deletion by a
 * community admin is theirs in the history, and does not withdraw the inquiry. An edit of a routed inquiry's
 * message keeps its routing, but words more urgent than the inquiry raise its priority (raise.ts).
 */
import type { Priority } from '../../taxonomy.js';
import { editSettles, editUnsettles } from '../citizen-settles.js';
import { type SlaTerms, startClock } from '../deadline.js';
import { historyKey, type Inquiry, isOpen } from '../inquiry.js';
import { replyTargetAfterChange } from '../reply-target.js';
import { wordsJoinedReason } from '../words-joined.js';
import { type Change, entry, reopen, retimeClock } from './change.js';
import type { EditRouting, InquiryEvent } from './events.js';
import { moreUrgentThanBefore, noteRaise, raisedTerms, recordRaise } from './raise.js';

/**
 * Whether an edit of the opening message may route the inquiry: it was rejected as not an inquiry when it
 * arrived and never routed since (no clock ever started; it may be listed under triage). One an operator
 * rejected, or routed before, is left alone: operators may have acted. Whether it routes this inquiry or joins
 * the conversation's newer one is threading's word (editThreadingDecision).
 */
export const routableByEdit = (inquiry: Inquiry): boolean =>
  inquiry.status === 'rejected' && (inquiry.clockCount ?? 0) === 0;

/** An opening message edited into an inquiry: routed as `openInquiry` routes a new one, its clock from now. */
const routeEdited = (
  { inquiry, next, cause, context, history, effects }: Change,
  { classification, department, rule, terms }: EditRouting,
  at: string,
) => {
  next.status = 'routed';
  next.category = classification.category;
  next.priority = classification.priority;
  next.confidence = classification.confidence;
  next.triage = classification.triage;
  next.department = department;
  next.terms = terms;
  if (inquiry.openingMessage) next.routingMessage = { ...inquiry.openingMessage, rule };
  next.clockCount = inquiry.clockCount + 1;
  next.clock = startClock('first_response', next.clockCount, new Date(at), terms, context);
  next.firstResponseStartedAt = next.clock.startedAt;
  next.firstResponseDueAt = next.clock.dueAt;
  next.firstResponsePromisedBy = next.clock.dueAt;
  const now = context.now.toISOString();
  history.push(
    {
      inquiryId: inquiry.id,
      key: historyKey(at, cause, 2),
      at: now,
      kind: 'classified',
      actor: 'classifier',
      reason: 'the opening message was edited',
      detail: { ...classification },
    },
    {
      inquiryId: inquiry.id,
      key: historyKey(at, cause, 3),
      at: now,
      kind: 'routed',
      actor: 'router',
      from: inquiry.status,
      to: 'routed',
      reason: `edited into an inquiry: ${
        rule !== null
          ? `routing rule ${rule}`
          : classification.triage
            ? 'the classifier was not sure: triage'
            : 'no rule matched: triage'
      }`,
      detail: { department, rule, terms, firstResponseDueAt: next.clock.dueAt },
    },
  );
  effects.push({ type: 'routed', department });
};

/**
 * Whether a community admin, not the citizen, deleted the message: VK names who deleted a comment
 * (`deleter_id`), the author or an admin (https://dev.vk.com/ru/api/community-events/json-schema). The
 * inquiry's messages are its citizen's own. A deletion that names no one (`board_post_delete` may not) is
 * recorded as the citizen's, as before.
 */
const deletedByCommunity = (
  inquiry: Pick<Inquiry, 'authorId'>,
  event: Pick<Extract<InquiryEvent, { type: 'message_changed' }>, 'change' | 'actorId'>,
): boolean => event.change === 'deleted' && event.actorId !== undefined && event.actorId !== inquiry.authorId;

/** Why the entry of a change that is no edit after an answer, nor joins a newer inquiry, was made. */
const changeReason = (event: Extract<InquiryEvent, { type: 'message_changed' }>, byCommunity: boolean) =>
  byCommunity
    ? 'the message was deleted in VK by the community (an admin), not by the citizen: the inquiry is not withdrawn'
    : `the message was ${event.change} in VK`;

export function onMessageChanged(
  change: Change,
  event: Extract<InquiryEvent, { type: 'message_changed' }>,
): undefined {
  const { inquiry, next } = change;
  const afterAnswer = event.change === 'edited' && !event.joined ? event.afterAnswer : undefined;
  const byCommunity = deletedByCommunity(inquiry, event);
  if (event.opening) {
    if (event.change === 'deleted') {
      // An admin's deletion (abuse, personal data shown) is no withdrawal: the body still owes the answer.
      if (!byCommunity) next.withdrawn = true;
    } else if (event.joined) {
      // The words are the newer inquiry's follow-up: this one keeps its own, so that triage does not list a
      // danger among the rejected at its old priority, nor route it into a second case without them.
      next.withdrawn = false;
      next.wordsJoined = event.joined;
    } else {
      next.withdrawn = false;
      if (event.change === 'edited') next.wordsJoined = undefined;
      if (event.text !== undefined) next.text = event.text;
      // A photo added or taken away by the edit goes with the words; a change that names none keeps them.
      if (event.attachments !== undefined)
        next.attachments = event.attachments.length > 0 ? event.attachments : undefined;
      // The text shown is not what the operator answered: the history's `message` entry keeps that.
      if (afterAnswer) next.editedAfterAnswerAt = event.at;
    }
  }
  if (!event.stale && event.change !== 'edited') {
    const moved = replyTargetAfterChange(inquiry, event.messageRef, event.change);
    next.replyTo = moved.replyTo;
    if (moved.comments) next.comments = moved.comments;
  }
  const reopening =
    afterAnswer === 'reopens' && (inquiry.status === 'answered' || inquiry.status === 'closed');
  if (reopening) next.status = 'reopened';
  const settles =
    event.change === 'edited' &&
    !event.stale &&
    !event.joined &&
    !event.route &&
    editSettles(event.previousText, event.text, event.raise?.classification);
  // Open work the citizen now calls settled is for an operator to close (as a follow-up saying so).
  if (settles && isOpen(next.status)) next.citizenSettledAt = event.at;
  // Their settled word edited into more of the matter undoes the mark, as their later words of it would.
  else if (
    inquiry.citizenSettledAt !== undefined &&
    event.change === 'edited' &&
    !event.stale &&
    editUnsettles(event.previousText, event.text, event.raise?.classification)
  )
    next.citizenSettledAt = undefined;
  const raised = settles ? undefined : raisedByEdit(change, event);
  if (raised) {
    next.priority = raised.priority;
    next.terms = raised.terms;
  }
  entry(change, event.at, 1, 'message_changed', byCommunity ? 'community' : 'citizen', {
    ...(event.actorId !== undefined && { actorId: event.actorId }),
    ...(reopening && { from: inquiry.status, to: 'reopened' as const }),
    reason: event.joined
      ? wordsJoinedReason(event.joined)
      : reopening
        ? `the message was edited in VK after the inquiry was ${inquiry.status}, adding to the words the answer covered: reopened by the edit`
        : afterAnswer
          ? 'the message was edited in VK after the answer: the message keeps the words the answer covered'
          : settles && isOpen(next.status)
            ? 'the message was edited in VK: the citizen writes that the matter is settled or withdrawn: for an operator to close'
            : changeReason(event, byCommunity),
    // Joined, the words are kept by the newer inquiry's follow-up entry alone, not copied here.
    detail: {
      messageRef: event.messageRef,
      change: event.change,
      ...(event.joined && { joined: event.joined }),
      ...(!event.joined && event.text !== undefined && { text: event.text }),
      ...(!event.joined &&
        event.attachments &&
        event.attachments.length > 0 && { attachments: event.attachments }),
      ...(event.previousText !== undefined && { previousText: event.previousText }),
      ...(afterAnswer && { afterAnswer: reopening ? 'reopened' : 'recorded' }),
    },
  });
  // Reopened, the new cycle runs on the raised terms, and the reopening's acknowledgement tells its time.
  if (reopening) reopenByEdit(change, event.at);
  else if (raised) retimeClock(next, change.context, true, inquiry.priority);
  if (raised) {
    const edited = event.opening ? 'the opening message' : 'a message';
    recordRaise(
      change,
      event.at,
      `${edited} was edited: it is ${raised.priority}, the priority was ${inquiry.priority}`,
    );
    if (!reopening) noteRaise(change, true);
  }
  if (afterAnswer === 'reopens_on_delivery') noteUnseenEdit(change, event.at);
  if (event.route && event.opening && event.change === 'edited' && routableByEdit(inquiry))
    routeEdited(change, event.route, event.at);
}

/**
 * The priority and terms an edit's words raise the inquiry to: words more urgent than a routed inquiry that is
 * open after the edit (in work, or reopened by it), as the same words sent as a follow-up would raise it
 * (citizen-message.ts). An edit that routes the inquiry takes its priority with its routing; one whose words
 * joined a newer inquiry raises that one; a stale one's words were edited away since; an answered inquiry the
 * edit did not reopen is settled; words no more urgent than the message's words before the edit were judged
 * already (an operator may have set the priority back since). Never lowered: an operator may have set it.
 */
function raisedByEdit(
  { inquiry, next }: Change,
  event: Extract<InquiryEvent, { type: 'message_changed' }>,
): { priority: Priority; terms: SlaTerms } | undefined {
  const words = event.raise;
  if (!words || event.change !== 'edited' || event.stale || event.route || event.joined) return undefined;
  if (!isOpen(next.status) || !moreUrgentThanBefore(words)) return undefined;
  const terms = raisedTerms(inquiry, words);
  return terms && { priority: words.classification.priority, terms };
}

/**
 * An edit adding to the matter while the answer that covered it waits in the dead letters: the answer never saw
 * it, as it never saw a message written then (citizen-message.ts). The first of them is kept with the flag, for
 * the late delivery to reopen the inquiry from it (delivered-late.ts).
 */
function noteUnseenEdit({ inquiry, next }: Change, at: string): void {
  const flagged = inquiry.undelivered;
  if (flagged?.purpose !== 'answer' || inquiry.unseenFollowUp?.outboxId === flagged.outboxId) return;
  next.unseenFollowUp = { outboxId: flagged.outboxId, at };
}

/**
 * Reopened by an edit, as by a follow-up (citizen-message.ts): a new first-response clock from the edit, and
 * the reopening acknowledged under the edit's event, the time it tells standing as a routing's does.
 */
function reopenByEdit(change: Change, at: string): void {
  const { next, cause } = change;
  reopen(change, at);
  next.reopenCause = cause;
  next.reopenedByEdit = true;
  if (next.terms) next.firstResponsePromisedBy = next.firstResponseDueAt;
}
