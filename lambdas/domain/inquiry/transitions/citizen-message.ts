/**
 * A citizen's next message in the inquiry's conversation: a follow-up, a reason to reopen the inquiry after
 * its answer, a more urgent word that raises its priority, or a message of its burst that reached us late.
 */
import { moreUrgent } from '../../taxonomy.js';
import { BURST_WINDOW_MS, burstChange, placeOf, withinWindow } from '../burst.js';
import { citizenSettles } from '../citizen-settles.js';
import { startClockDueBy } from '../deadline.js';
import { burstOfFollowedReason } from '../followed-case.js';
import { historyKey, type Inquiry, isOpen, messageDetail } from '../inquiry.js';
import { commentsWith } from '../reply-target.js';
import { replyTargetAfter, settledAtOf } from '../threading.js';
import { type Change, reopen, retimeClock } from './change.js';
import type { EditRouting, InquiryEvent } from './events.js';
import { noteRaise, raisedTerms, recordRaise } from './raise.js';

/**
 * A message of the inquiry's burst that reached us after a later one (burst.ts): it becomes the opening
 * message (`opens`: its words, and the first-response clock from when it reached us), and/or it routes the
 * inquiry as it would have, had it come first (`route`). The running clock is never due later than before:
 * the citizen's acknowledgement named its due time, and the department counted on it.
 */
const rearrange = (
  { inquiry, next, context, history, effects }: Change,
  event: Extract<InquiryEvent, { type: 'citizen_message' }>,
  opens: boolean,
  route: EditRouting | undefined,
) => {
  const { message, classification } = event;
  const clock = next.clock;
  if (opens) {
    next.text = message.text;
    next.attachments = message.attachments.length > 0 ? message.attachments : undefined;
    next.quoted = message.quoted;
    next.quotedLeftOut = message.quotedLeftOut;
    next.cropped = message.cropped;
    // The place pinned to the opening message goes with it, or none if it pins none (as openInquiry keeps it).
    next.location = message.location;
    if (inquiry.withdrawn !== undefined) next.withdrawn = false;
    // On the wall the answer goes to the citizen's newest comment (replyTargetAfter); elsewhere to the
    // opening message (a group chat's reply quotes it).
    const onTheWall = inquiry.channel === 'wall_post' || inquiry.channel === 'wall_comment';
    if (!onTheWall) next.replyTo = message.replyTo;
    next.openingMessage = placeOf(message);
  }
  if (route) {
    next.category = classification.category;
    next.priority = moreUrgent(inquiry.priority, classification.priority);
    next.confidence = classification.confidence;
    next.triage = classification.triage;
    next.department = route.department;
    next.terms = route.terms;
    next.routingMessage = { ...placeOf(message), rule: route.rule };
  }
  if (clock && next.terms) {
    const startedAt =
      opens && event.receivedAt < clock.startedAt ? new Date(event.receivedAt) : new Date(clock.startedAt);
    next.clock = startClockDueBy('first_response', clock.cycle, startedAt, next.terms, context, clock.dueAt);
    next.firstResponseStartedAt = next.clock.startedAt;
    next.firstResponseDueAt = next.clock.dueAt;
    // The citizen's wait, which the statistics time, starts with the clock.
    if (next.clock.startedAt !== clock.startedAt) next.firstResponseStartedAt = next.clock.startedAt;
  }
  const why = opens
    ? 'the citizen sent this message before the one the inquiry was opened by, which reached us first: it is the opening message now'
    : 'the citizen said what the inquiry is about in a message sent minutes after the opening one';
  const outside =
    opens && inquiry.routingMessage !== undefined && !withinWindow(placeOf(message), inquiry.routingMessage);
  const where = !route
    ? 'the routing stays that of a later message, which a routing rule routes'
    : outside && route.rule === null
      ? `the message that routed it was sent more than ${BURST_WINDOW_MS / 60_000} minutes after this one: ${
          classification.triage ? 'the classifier was not sure: triage' : 'no rule matched: triage'
        }`
      : route.rule !== null
        ? `routing rule ${route.rule}`
        : classification.triage
          ? 'the classifier was not sure: triage'
          : 'no rule matched: triage';
  // Keyed after every entry the inquiry has (its last change came after them), to read after the routing it
  // changes, though the message reached us first; from the inquiry read, so that two deliveries of the
  // event that apply it to the same version write one entry (a retry on a newer one discards its own).
  const keyAt = [event.receivedAt, inquiry.updatedAt].sort().at(-1) ?? event.receivedAt;
  history.push({
    inquiryId: inquiry.id,
    key: historyKey(keyAt, event.cause, 3),
    at: context.now.toISOString(),
    kind: 'routed',
    actor: 'router',
    reason: `${why}; ${where}`,
    detail: {
      messageRef: message.messageRef,
      opening: opens,
      fromDepartment: inquiry.department,
      toDepartment: next.department,
      fromCategory: inquiry.category,
      toCategory: next.category,
      ...(route &&
        next.priority !== inquiry.priority && {
          fromPriority: inquiry.priority,
          toPriority: next.priority,
        }),
      ...(route && { rule: route.rule }),
      terms: next.terms,
      firstResponseDueAt: next.firstResponseDueAt,
    },
  });
  if (route && next.department !== inquiry.department)
    effects.push({ type: 'rerouted', from: inquiry.department, department: route.department });
  // (Without a route, a more urgent message raised the priority before, and said so.)
  if (route && next.priority !== inquiry.priority)
    effects.push({ type: 'priority_raised', from: inquiry.priority, to: next.priority });
};

/**
 * Whether a follow-up reached us before the inquiry's first-response clock started (a dead letter replayed
 * after a later message of the citizen opened the inquiry, a routing retried for hours), while that clock is
 * still the first one and runs: had it been routed in time it would have opened the inquiry, its clock
 * started by it. Only words that are an inquiry: a greeting routed alone opens no clock.
 */
function reachedUsFirst(
  inquiry: Inquiry,
  event: Extract<InquiryEvent, { type: 'citizen_message' }>,
): boolean {
  const clock = inquiry.clock;
  return (
    event.classification.inquiry &&
    clock?.kind === 'first_response' &&
    clock.cycle === 1 &&
    inquiry.firstRespondedAt === undefined &&
    Date.parse(event.receivedAt) < Date.parse(clock.startedAt)
  );
}

/**
 * The first-response clock counted from `at`, as it would have been had the message of that time come first
 * (reachedUsFirst), and never due later than before: the acknowledgement named that time. A warning sent, or
 * a deadline passed, stays so: the new clock is due no later.
 */
function countFirstResponseFrom({ next, context }: Change, at: string): void {
  const clock = next.clock;
  if (!clock || !next.terms) return;
  const from = startClockDueBy('first_response', clock.cycle, new Date(at), next.terms, context, clock.dueAt);
  next.clock = { ...from, warned: clock.warned, breached: clock.breached };
  next.firstResponseStartedAt = from.startedAt;
  next.firstResponseDueAt = from.dueAt;
}

/**
 * When a message that reopens its inquiry reached it: when it reached us, unless that was before the answer (or
 * the closing) it reopens, which a router that took a second or two (SQS, the classifier) handed it after: the
 * operator answered without these words. Its entries (`at`) then come just after the inquiry's last change, so
 * that they read after the answer in the history, and the new cycle starts (`startsAt`) just after the answer
 * it ends: a change since (a move, a reply noted) moves neither its start nor its deadline later. From the
 * inquiry read, as the routing entry of a late message of a burst (rearrange): deliveries of the event that
 * apply it to the same version write the same keys.
 */
function reopeningAt(
  inquiry: Inquiry,
  receivedAt: string,
): { at: string; startsAt: string; writtenBefore?: string } {
  const settledAt = settledAtOf(inquiry);
  if (settledAt === undefined || Date.parse(receivedAt) > Date.parse(settledAt))
    return { at: receivedAt, startsAt: receivedAt };
  // A millisecond later: an entry of the same instant would be ordered by its cause.
  const after = (...times: string[]) => new Date(Math.max(...times.map(Date.parse)) + 1).toISOString();
  return {
    at: after(receivedAt, settledAt, inquiry.updatedAt),
    startsAt: after(receivedAt, settledAt),
    writtenBefore: inquiry.status === 'closed' ? 'the inquiry was closed' : 'the answer',
  };
}

export function onCitizenMessage(
  change: Change,
  event: Extract<InquiryEvent, { type: 'citizen_message' }>,
): undefined {
  const { inquiry, next, to, cause, context, history } = change;
  const { message, classification } = event;
  // Reopened already, it stays in the cycle its reopening started: a second message is a follow-up.
  const reopens = to === 'reopened' && inquiry.status !== 'reopened';
  // "Вопрос снят": the citizen's word that the matter is settled, which neither reopens nor raises it.
  const settles = citizenSettles(message.text, classification);
  // A "thank you" after the answer is kept, but does not reopen the case; nor does "вопрос решён".
  if (reopens && (!classification.inquiry || settles)) next.status = inquiry.status;
  next.messageCount = inquiry.messageCount + 1;
  next.replyTo = replyTargetAfter(inquiry, message);
  const comments = commentsWith(inquiry.comments, message);
  if (comments) next.comments = comments;
  next.lastMessageAt = [message.sentAt, inquiry.lastMessageAt].sort().at(-1) ?? message.sentAt;
  // Words that settle the matter say nothing of what it is: they neither open nor route its burst.
  const burst = settles
    ? { opens: false, routes: false }
    : burstChange(inquiry, message, classification, event.route?.rule);
  const route = burst.routes ? event.route : undefined;
  // (A message of the burst that opens the inquiry moves its clock as it rearranges it.)
  const first = !reopens && !burst.opens && reachedUsFirst(inquiry, event);
  // A message that routes the inquiry brings its terms at the more urgent priority itself.
  const raised = route || settles ? undefined : raisedTerms(inquiry, event);
  if (raised) {
    next.priority = classification.priority;
    next.terms = raised;
  }
  const status = next.status;
  const reopening = reopens && status === 'reopened';
  // Open work the citizen calls settled is for an operator to close; their next words of the matter undo it.
  if (settles && isOpen(status)) next.citizenSettledAt = message.sentAt;
  else if (classification.inquiry && inquiry.citizenSettledAt !== undefined)
    next.citizenSettledAt = undefined;
  // Where the message's entries go (its `at` stays when the citizen wrote it), and when a new cycle starts.
  const reached = reopening
    ? reopeningAt(inquiry, event.receivedAt)
    : { at: event.receivedAt, startsAt: event.receivedAt };
  history.push({
    inquiryId: inquiry.id,
    key: historyKey(reached.at, cause, 1),
    at: message.sentAt,
    kind: 'message',
    actor: 'citizen',
    actorId: message.authorId,
    ...(status !== inquiry.status && { from: inquiry.status, to: status }),
    reason: reached.writtenBefore
      ? `the citizen wrote before ${reached.writtenBefore}, and the message reached the inquiry after it`
      : reopening
        ? `the citizen wrote again after the inquiry was ${inquiry.status}`
        : burst.opens
          ? 'sent before the message the inquiry was opened by, which reached us first'
          : burst.ofFollowedCase && inquiry.follows
            ? burstOfFollowedReason(inquiry.follows)
            : first
              ? 'a follow-up that reached us before the message the inquiry was opened by, and was routed after it: the first response is counted from it'
              : settles
                ? `the citizen writes that the matter is settled or withdrawn: ${
                    isOpen(status) ? 'for an operator to close' : `it stays ${status}`
                  }`
                : 'a follow-up in the same conversation',
    detail: { ...messageDetail(message, event.cause, event.receivedAt), classification },
  });
  if (reopening) {
    reopen(change, reached.startsAt);
    // Acknowledged under this cause (acknowledgement.ts, decideAcknowledgementOf asked `reopened`): the time it tells
    // the citizen stands, as a routing's does.
    next.reopenCause = cause;
    if (next.terms) next.firstResponsePromisedBy = next.firstResponseDueAt;
  } else if (raised) retimeClock(next, context, true, inquiry.priority);
  if (raised)
    recordRaise(
      change,
      reached.at,
      `a follow-up is ${classification.priority}: the priority was ${inquiry.priority}`,
    );
  if (burst.opens || route) rearrange(change, event, burst.opens, route);
  if (first) countFirstResponseFrom(change, event.receivedAt);
  const raisedNow =
    next.priority !== inquiry.priority && moreUrgent(next.priority, inquiry.priority) === next.priority;
  if (!reopening && raisedNow) noteRaise(change);
  if (!reopening) noteUnseenFollowUp(change, event);
}

/**
 * A follow-up while the inquiry is back in work because its answer failed every try (or VK refused it): the
 * answer, should it reach the citizen after all from the dead letters, did not see these words, which would
 * have reopened the inquiry had it gone in time. The first of them is kept with the flag, for the late
 * delivery to reopen the inquiry from it (delivered-late.ts). A "спасибо" reopens nothing, here as after an answer.
 */
function noteUnseenFollowUp(
  { inquiry, next }: Change,
  event: Extract<InquiryEvent, { type: 'citizen_message' }>,
): void {
  const flagged = inquiry.undelivered;
  if (flagged?.purpose !== 'answer' || !event.classification.inquiry) return;
  if (citizenSettles(event.message.text, event.classification)) return;
  if (inquiry.unseenFollowUp?.outboxId === flagged.outboxId) return;
  next.unseenFollowUp = { outboxId: flagged.outboxId, at: event.receivedAt };
}
