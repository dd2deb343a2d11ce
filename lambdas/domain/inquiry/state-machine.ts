/**
 * The inquiry's life, as DESIGN.md draws it: `new` → `routed` → `in_progress` → `answered` → `closed`, plus
 * `rejected` (not an inquiry), `reopened` (the citizen wrote again after the answer) and the `escalated` flag.
 * Pure: every change is a new inquiry (version + 1) and the history entries that say who did what, when and
 * why. A refused change says why and changes nothing; a cause already applied changes nothing either.
 *
 * This module says which event may move an inquiry from which status, and hands each event to its transition
 * in transitions/: the citizen's messages and their edits, the operators' answers and actions, the
 * escalator's clock checks and the deliveries VK refused.
 */
import {
  historyKeyParts,
  type Inquiry,
  type InquiryStatus,
  isFinished,
  REMEMBERED_CAUSES,
} from './inquiry.js';
import { onFinalAnswer, onIntermediateAnswer, onReplyNoted } from './transitions/answers.js';
import type {
  Change,
  ClockContext,
  Refusal,
  TransitionContext,
  TransitionResult,
} from './transitions/change.js';
import { onCitizenMessage } from './transitions/citizen-message.js';
import { clockCause, onClockCheck } from './transitions/clock-checks.js';
import { markCritical } from './transitions/critical-notice.js';
import { onDeliveredLate } from './transitions/delivered-late.js';
import { onDeliveryFailed } from './transitions/delivery.js';
import type {
  ClockCheck,
  DeliveryFailure,
  DepartmentMove,
  InquiryEvent,
  InquiryEventType,
  LateDelivery,
  Note,
} from './transitions/events.js';
import { onMessageChanged } from './transitions/message-changed.js';
import { onNote } from './transitions/note.js';
import {
  onClose,
  onMove,
  onReject,
  onRelease,
  onReopen,
  onRoute,
  onTake,
} from './transitions/operator-actions.js';

export type { ClockContext, Effect, TransitionContext, TransitionResult } from './transitions/change.js';
export {
  deadlineOf,
  dueCheck,
  followingNotice,
  nextCheckOf,
  noticeStanding,
  raiseOf,
} from './transitions/clock-checks.js';
export { deliveredLateCause, deliveryFailedCause, refusedOnReplayCause } from './transitions/delivery.js';
export type {
  DeliveryFailure,
  DepartmentMove,
  EditRaise,
  EditRouting,
  InquiryEvent,
  LateDelivery,
} from './transitions/events.js';
export { heldByColleague } from './transitions/holder.js';
export { routableByEdit } from './transitions/message-changed.js';

/** Which event may move an inquiry from which status, and where to. Anything not listed is refused. */
export const TRANSITIONS: Readonly<
  Record<InquiryStatus, Partial<Record<InquiryEventType, InquiryStatus | 'same'>>>
> = {
  // An operator's note may be written in every status: it changes nothing but the history (transitions/note.ts).
  new: {
    citizen_message: 'same',
    reject: 'rejected',
    message_changed: 'same',
    reply_noted: 'same',
    note: 'same',
  },
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
    // Its holder lets go of it, or an admin does (transitions/operator-actions.ts): whoever may hold it.
    release: 'same',
    note: 'same',
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
    // Words flagged as not reaching the citizen reached them, replayed from the dead letters: an answer
    // answers it (transitions/delivered-late.ts).
    delivered_late: 'same',
    // Only once the answer did not reach the citizen, or after a first response, the department having
    // resolved it otherwise (by phone, by hand in VK): transitions/operator-actions.ts.
    close: 'closed',
    // Taken, then found to be none (spam): unless its answer was written (transitions/operator-actions.ts).
    reject: 'rejected',
    // Its holder, or an admin, lets go of it: it stays in work, for a colleague to take.
    release: 'same',
    note: 'same',
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
    delivered_late: 'same',
    reject: 'rejected',
    // Only when the answer it was reopened after did not reach the citizen, who was reached another way:
    // transitions/operator-actions.ts.
    close: 'closed',
    release: 'same',
    note: 'same',
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
    // Its answerer's: released, a follow-up that reopens it is no one's, not theirs (an operator gone).
    release: 'same',
    note: 'same',
  },
  closed: {
    citizen_message: 'reopened',
    reply_noted: 'same',
    message_changed: 'same',
    reopen: 'reopened',
    move: 'same',
    delivery_failed: 'in_progress',
    release: 'same',
    note: 'same',
  },
  // Listed under triage for review, in no one's open work. An edit may route one rejected as not an inquiry
  // (`routableByEdit`: message_changed says so itself), an operator may route it, or answer it (a polite word
  // to a "thank you") without making it an inquiry.
  rejected: { message_changed: 'same', route: 'routed', reply_noted: 'same', move: 'same', note: 'same' },
};

const causeOf = (event: InquiryEvent): string =>
  event.type === 'warn' || event.type === 'breach' ? '' : event.cause;

/**
 * Applies one event to an inquiry: the new inquiry and its history, or why not. Only a clock check, a
 * refused delivery, a move of department alone or a note comes without a calendar (`{now}`): it starts no
 * clock. A late delivery comes with one where its community is configured: a follow-up its answer never saw
 * reopens the inquiry (delivered-late.ts).
 */
export function applyEvent(
  inquiry: Inquiry,
  event: ClockCheck | DeliveryFailure | LateDelivery | DepartmentMove | Note,
  context: ClockContext,
): TransitionResult;
export function applyEvent(
  inquiry: Inquiry,
  event: InquiryEvent,
  context: TransitionContext,
): TransitionResult;
export function applyEvent(
  inquiry: Inquiry,
  event: InquiryEvent,
  context: TransitionContext | ClockContext,
): TransitionResult {
  switch (event.type) {
    case 'warn':
    case 'breach':
      return applyChange(inquiry, event, context, (change) => onClockCheck(change, event));
    case 'delivery_failed':
      return applyChange(inquiry, event, context, (change) => onDeliveryFailed(change, event));
    case 'delivered_late':
      return applyChange(inquiry, event, context, (change) => onDeliveredLate(change, event));
    case 'move':
      // A move of department alone times no clock, so it may come without a calendar (removed-community.ts).
      return applyChange(inquiry, event, context, (change) => onMove(change, event));
    case 'note':
      // Nor does a note, which changes nothing but the history.
      return applyChange(inquiry, event, context, (change) => onNote(change, event));
    default:
      // Every other event may time a clock: it takes the calendar, below.
      break;
  }
  // The overloads let no other event come without a calendar.
  if (!('calendar' in context)) throw new Error(`${event.type} applied without the community's calendar`);
  return applyChange(inquiry, event, context, (change) => dispatch(change, event));
}

/** The change `transition` makes of the inquiry for the event, once TRANSITIONS allows it. */
function applyChange<Context extends ClockContext>(
  inquiry: Inquiry,
  event: InquiryEvent,
  context: Context,
  transition: (change: Change<Context>) => Refusal | undefined,
): TransitionResult {
  const cause =
    event.type === 'warn' || event.type === 'breach' ? clockCause(inquiry, event) : causeOf(event);
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
  const change: Change<Context> = { inquiry, next, to, cause, context, history: [], effects: [] };
  const refusal = transition(change);
  // Whatever made it critical (a follow-up, a burst's routing, an operator's priority, a routing into work),
  // its department hears of it on the escalator's next run.
  if (refusal === undefined) {
    const entryAt = change.history[0] ? historyKeyParts(change.history[0].key).at : next.updatedAt;
    const escalated = markCritical(inquiry, next, context.now, entryAt, cause);
    if (escalated) change.history.push(escalated);
  }
  // Back in work (reopened, a refused answer, a rejected message routed): no longer finished, so its retention
  // period starts anew at its next finish.
  if (!isFinished(next.status) && next.finishedAt !== undefined) next.finishedAt = undefined;
  return refusal ?? { outcome: 'changed', inquiry: next, history: change.history, effects: change.effects };
}

/** The event's own change to the inquiry, or why not: each family of events has its module. */
function dispatch(
  change: Change,
  event: Exclude<InquiryEvent, ClockCheck | DeliveryFailure | LateDelivery | { type: 'move' } | Note>,
): Refusal | undefined {
  switch (event.type) {
    case 'citizen_message':
      return onCitizenMessage(change, event);
    case 'message_changed':
      return onMessageChanged(change, event);
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
    case 'route':
      return onRoute(change, event);
    case 'reject':
      return onReject(change, event);
    case 'release':
      return onRelease(change, event);
  }
}
