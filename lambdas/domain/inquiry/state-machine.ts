/**
 * The inquiry's life, as DESIGN.md draws it: `new` → `routed` → `in_progress` → `answered` → `closed`, plus
 * `rejected` (not an inquiry), `reopened` (the citizen wrote again after the answer) and the `escalated` flag.
 * Pure: every change is a new inquiry (version + 1) and the history entries that say who did what, when and
 * why. A refused change says why and changes nothing; a cause already applied changes nothing either.
 */
import { moreUrgent, PRIORITIES } from '../taxonomy.js';
import { BURST_WINDOW_MS, burstChange, placeOf, withinWindow } from './burst.js';
import { type SlaTerms, startClock, startClockDueBy } from './deadline.js';
import { historyKey, type Inquiry, type InquiryStatus, messageDetail, REMEMBERED_CAUSES } from './inquiry.js';
import { replyTargetAfter } from './threading.js';
import { onFinalAnswer, onIntermediateAnswer, onReplyNoted } from './transitions/answers.js';
import {
  type Change,
  entry,
  type Refusal,
  reopen,
  retimeClock,
  type TransitionContext,
  type TransitionResult,
} from './transitions/change.js';
import { clockCause, onClockCheck } from './transitions/clock-checks.js';
import { onDeliveryFailed } from './transitions/delivery.js';
import type {
  ClockCheck,
  DeliveryFailure,
  EditRouting,
  InquiryEvent,
  InquiryEventType,
} from './transitions/events.js';
import { onClose, onMove, onReject, onReopen, onRoute, onTake } from './transitions/operator-actions.js';

export type { Effect, TransitionContext, TransitionResult } from './transitions/change.js';
export { clockCause, escalationDue } from './transitions/clock-checks.js';
export { deliveryFailedCause } from './transitions/delivery.js';
export type {
  ClockCheck,
  DeliveryFailure,
  EditRouting,
  InquiryEvent,
  InquiryEventType,
  OperatorId,
  OperatorName,
} from './transitions/events.js';

/**
 * Whether an edit of the opening message may route the inquiry: it was rejected as not an inquiry when it
 * arrived and never routed since (no clock ever started; it may be listed under triage). One an operator
 * rejected, or routed before, is left alone: operators may have acted.
 */
export const routableByEdit = (inquiry: Inquiry): boolean =>
  inquiry.status === 'rejected' && (inquiry.clockCount ?? 0) === 0;

/** Which event may move an inquiry from which status, and where to. Anything not listed is refused. */
export const TRANSITIONS: Readonly<
  Record<InquiryStatus, Partial<Record<InquiryEventType, InquiryStatus | 'same'>>>
> = {
  new: { citizen_message: 'same', reject: 'rejected', message_changed: 'same', reply_noted: 'same' },
  routed: {
    citizen_message: 'same',
    take: 'in_progress',
    intermediate_answer: 'in_progress',
    final_answer: 'answered',
    reply_noted: 'same',
    reject: 'rejected',
    message_changed: 'same',
    warn: 'same',
    breach: 'same',
    move: 'same',
    delivery_failed: 'same',
  },
  in_progress: {
    citizen_message: 'same',
    // By someone when no one took it (it was answered in between), or taken over from another (`force`).
    take: 'same',
    intermediate_answer: 'in_progress',
    final_answer: 'answered',
    reply_noted: 'same',
    message_changed: 'same',
    warn: 'same',
    breach: 'same',
    move: 'same',
    delivery_failed: 'same',
    // Only with `undelivered`: the answer did not reach the citizen, and the department reached them otherwise.
    close: 'closed',
  },
  reopened: {
    citizen_message: 'same',
    take: 'in_progress',
    intermediate_answer: 'in_progress',
    final_answer: 'answered',
    reply_noted: 'same',
    message_changed: 'same',
    warn: 'same',
    breach: 'same',
    move: 'same',
    delivery_failed: 'same',
  },
  // An answer that did not reach the citizen puts the inquiry back into open work (transitions/delivery.ts).
  answered: {
    citizen_message: 'reopened',
    close: 'closed',
    reply_noted: 'same',
    message_changed: 'same',
    reopen: 'reopened',
    move: 'same',
    delivery_failed: 'in_progress',
  },
  closed: {
    citizen_message: 'reopened',
    reply_noted: 'same',
    message_changed: 'same',
    reopen: 'reopened',
    move: 'same',
    delivery_failed: 'in_progress',
  },
  // Listed under triage for review, in no one's open work. An edit may route one rejected as not an inquiry
  // (`routableByEdit`: message_changed says so itself), an operator may route it, or answer it (a polite word
  // to a "thank you") without making it an inquiry.
  rejected: { message_changed: 'same', route: 'routed', reply_noted: 'same', move: 'same' },
};

const causeOf = (event: InquiryEvent): string =>
  event.type === 'warn' || event.type === 'breach' ? '' : event.cause;

/**
 * The terms a follow-up brings when it raises its inquiry: an inquiry, not a reaction, more urgent than the
 * routed inquiry it joins. Undefined when it raises nothing.
 */
function raisedTerms(
  inquiry: Inquiry,
  event: Extract<InquiryEvent, { type: 'citizen_message' }>,
): SlaTerms | undefined {
  const { classification, terms } = event;
  const moreUrgent = PRIORITIES.indexOf(classification.priority) < PRIORITIES.indexOf(inquiry.priority);
  return classification.inquiry && inquiry.department !== undefined && moreUrgent ? terms : undefined;
}

/** Applies one event to an inquiry: the new inquiry and its history, or why not. */
export function applyEvent(
  inquiry: Inquiry,
  event: ClockCheck | DeliveryFailure,
  context: { now: Date },
): TransitionResult;
export function applyEvent(
  inquiry: Inquiry,
  event: InquiryEvent,
  context: TransitionContext,
): TransitionResult;
export function applyEvent(
  inquiry: Inquiry,
  event: InquiryEvent,
  // Only a clock check or a refused delivery comes without a calendar (the overloads above): no clock starts.
  transition: TransitionContext | { now: Date },
): TransitionResult {
  const context = transition as TransitionContext;
  const cause =
    event.type === 'warn' || event.type === 'breach' ? clockCause(event.type, inquiry) : causeOf(event);
  if (inquiry.causes.includes(cause)) return { outcome: 'duplicate' };
  const target = TRANSITIONS[inquiry.status][event.type];
  if (target === undefined)
    return {
      outcome: 'refused',
      reason: `${event.type} is not allowed when the inquiry is ${inquiry.status}`,
    };
  const to: InquiryStatus = target === 'same' ? inquiry.status : target;
  const next: Inquiry = {
    ...inquiry,
    status: to,
    version: inquiry.version + 1,
    updatedAt: context.now.toISOString(),
    causes: [...inquiry.causes, cause].slice(-REMEMBERED_CAUSES),
  };
  // A person acted on it: from now on the router never re-routes it (burst.ts).
  if ('operatorId' in event && event.operatorId !== undefined) next.operatorActedAt = event.at;
  const change: Change = { inquiry, next, to, cause, context, history: [], effects: [] };
  const refusal = dispatch(change, event);
  return refusal ?? { outcome: 'changed', inquiry: next, history: change.history, effects: change.effects };
}

/** The event's own change to the inquiry, or why not. */
function dispatch(change: Change, event: InquiryEvent): Refusal | undefined {
  const { inquiry, next, to, cause, context, history, effects } = change;

  /** An opening message edited into an inquiry: routed as `openInquiry` routes a new one, its clock from now. */
  const routeEdited = ({ classification, department, rule, terms }: EditRouting, at: string) => {
    next.status = 'routed';
    next.category = classification.category;
    next.priority = classification.priority;
    next.confidence = classification.confidence;
    next.triage = classification.triage;
    next.department = department;
    next.terms = terms;
    if (inquiry.openingMessage) next.routingMessage = { ...inquiry.openingMessage, rule };
    next.clockCount = inquiry.clockCount + 1;
    next.clock = startClock(
      'first_response',
      next.clockCount,
      new Date(at),
      terms.firstResponseHours,
      context,
    );
    next.firstResponseStartedAt = next.clock.startedAt;
    next.firstResponseDueAt = next.clock.dueAt;
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
   * A message of the inquiry's burst that reached us after a later one (burst.ts): it becomes the opening
   * message (`opens`: its words, and the first-response clock from when it reached us), and/or it routes the
   * inquiry as it would have, had it come first (`route`). The running clock is never due later than before:
   * the citizen's acknowledgement named its due time, and the department counted on it.
   */
  const rearrange = (
    event: Extract<InquiryEvent, { type: 'citizen_message' }>,
    opens: boolean,
    route: EditRouting | undefined,
  ) => {
    const { message, classification } = event;
    const clock = next.clock;
    if (opens) {
      next.text = message.text;
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
      next.clock = startClockDueBy(
        'first_response',
        clock.cycle,
        startedAt,
        next.terms.firstResponseHours,
        context,
        clock.dueAt,
      );
      next.firstResponseDueAt = next.clock.dueAt;
    }
    const why = opens
      ? 'the citizen sent this message before the one the inquiry was opened by, which reached us first: it is the opening message now'
      : 'the citizen said what the inquiry is about in a message sent minutes after the opening one';
    const outside =
      opens &&
      inquiry.routingMessage !== undefined &&
      !withinWindow(placeOf(message), inquiry.routingMessage);
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

  switch (event.type) {
    case 'citizen_message': {
      const { message, classification } = event;
      const reopens = to === 'reopened';
      // A "thank you" after the answer is kept, but does not reopen the case.
      if (reopens && !classification.inquiry) next.status = inquiry.status;
      next.messageCount = inquiry.messageCount + 1;
      next.replyTo = replyTargetAfter(inquiry, message);
      next.lastMessageAt = [message.sentAt, inquiry.lastMessageAt].sort().at(-1) ?? message.sentAt;
      const burst = burstChange(inquiry, message, classification, event.route?.rule);
      const route = burst.routes ? event.route : undefined;
      // A message that routes the inquiry brings its terms at the more urgent priority itself.
      const raised = route ? undefined : raisedTerms(inquiry, event);
      if (raised) {
        next.priority = classification.priority;
        next.terms = raised;
      }
      const status = next.status;
      history.push({
        inquiryId: inquiry.id,
        key: historyKey(event.receivedAt, cause, 1),
        at: message.sentAt,
        kind: 'message',
        actor: 'citizen',
        actorId: message.authorId,
        ...(status !== inquiry.status && { from: inquiry.status, to: status }),
        reason:
          status === 'reopened'
            ? `the citizen wrote again after the inquiry was ${inquiry.status}`
            : burst.opens
              ? 'sent before the message the inquiry was opened by, which reached us first'
              : 'a follow-up in the same conversation',
        detail: { ...messageDetail(message, event.cause), classification },
      });
      if (status === 'reopened') reopen(change, event.receivedAt);
      else if (raised) retimeClock(next, context, true);
      if (raised) {
        history.push({
          inquiryId: inquiry.id,
          key: historyKey(event.receivedAt, cause, 2),
          at: context.now.toISOString(),
          kind: 'classified',
          actor: 'classifier',
          reason: `a follow-up is ${classification.priority}: the priority was ${inquiry.priority}`,
          detail: {
            fromPriority: inquiry.priority,
            toPriority: next.priority,
            terms: next.terms,
            dueAt: next.clock?.dueAt,
          },
        });
        effects.push({ type: 'priority_raised', from: inquiry.priority, to: next.priority });
      }
      if (burst.opens || route) rearrange(event, burst.opens, route);
      break;
    }
    case 'take':
      return onTake(change, event);
    case 'intermediate_answer':
      return onIntermediateAnswer(change, event);
    case 'final_answer':
      return onFinalAnswer(change, event);
    case 'reply_noted':
      return onReplyNoted(change, event);
    case 'close':
      return onClose(change, event);
    case 'reopen':
      return onReopen(change, event);
    case 'move':
      return onMove(change, event);
    case 'route':
      return onRoute(change, event);
    case 'reject':
      return onReject(change, event);
    case 'message_changed': {
      if (event.opening) {
        if (event.change === 'deleted') {
          next.withdrawn = true;
        } else {
          next.withdrawn = false;
          if (event.text !== undefined) next.text = event.text;
        }
      }
      entry(change, event.at, 1, 'message_changed', 'citizen', {
        ...(event.actorId !== undefined && { actorId: event.actorId }),
        reason: `the message was ${event.change} in VK`,
        detail: {
          messageRef: event.messageRef,
          change: event.change,
          ...(event.text !== undefined && { text: event.text }),
          ...(event.previousText !== undefined && { previousText: event.previousText }),
        },
      });
      if (event.route && event.opening && event.change === 'edited' && routableByEdit(inquiry))
        routeEdited(event.route, event.at);
      break;
    }
    case 'delivery_failed':
      return onDeliveryFailed(change, event);
    case 'warn':
    case 'breach':
      return onClockCheck(change, event);
  }
}
