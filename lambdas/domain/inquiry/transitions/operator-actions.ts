/**
 * An operator's decisions about an inquiry: taking it into work or letting go of it, closing, reopening or
 * rejecting it, moving it to another department, category or priority, and routing a rejected message into work.
 */
import { currentCycleOf, type Inquiry, type InquiryStatus } from '../inquiry.js';
import { firstResponse } from './answers.js';
import {
  byOperator,
  type Change,
  type ClockContext,
  clearUndelivered,
  entry,
  finish,
  type Refusal,
  reopen,
  retimeClock,
  startCycle,
  type TransitionContext,
} from './change.js';
import { noticeOnMove } from './clock-checks.js';
import { undoRaise } from './critical-notice.js';
import type { InquiryEvent } from './events.js';
import { heldByColleague, holdRefusal } from './holder.js';

/**
 * Whether an operator may take the inquiry: not while another holds it, unless they take it over on purpose;
 * nor when it is theirs already and taking it would change nothing.
 */
function takeRefusal(
  inquiry: Inquiry,
  event: Extract<InquiryEvent, { type: 'take' }>,
  to: InquiryStatus,
): string | undefined {
  const holder = inquiry.assignee;
  if (holder === undefined) return undefined;
  if (holder.id === event.operatorId)
    return to === inquiry.status ? 'the inquiry is already taken by you' : undefined;
  return event.force ? undefined : `the inquiry is taken by ${holder.name}: take it over with force`;
}

/**
 * The inquiry goes to `department` (an operator's or ops' move, a rejected message routed into work): the
 * new department decides who handles it, so the assignee goes with a change of department and stays within
 * one. Returns whom it was taken from, for the history.
 */
const handOver = ({ inquiry, next }: Change<ClockContext>, department: string) => {
  next.department = department;
  if (department === inquiry.department || inquiry.assignee === undefined) return {};
  next.assignee = undefined;
  next.assignedAt = undefined;
  return { fromAssignee: inquiry.assignee };
};

export function onTake(change: Change, event: Extract<InquiryEvent, { type: 'take' }>): Refusal | undefined {
  const { inquiry, next, to } = change;
  const refusal = takeRefusal(inquiry, event, to);
  if (refusal !== undefined) return { outcome: 'refused', reason: refusal };
  const holder = inquiry.assignee?.id === event.operatorId ? undefined : inquiry.assignee;
  next.assignee = { id: event.operatorId, name: event.operatorName };
  next.assignedAt = event.at;
  entry(change, event.at, 1, 'status', 'operator', {
    ...byOperator(event),
    reason: holder ? `taken over from ${holder.name}` : 'taken into work',
    detail: { assignee: next.assignee, ...(holder && { fromAssignee: holder }) },
  });
}

/**
 * The holder lets go of the inquiry, or an admin does of anybody's (an operator moved to another department, or
 * whose account is disabled, who can no longer reach it): no one's, its status kept, so that an open one is back
 * in the work to take. A colleague is refused: taking it over (`force`) is how they work on it, and says so.
 * One that no one holds is not released again: the API answers it unchanged before it comes here.
 */
export function onRelease(
  change: Change,
  event: Extract<InquiryEvent, { type: 'release' }>,
): Refusal | undefined {
  const { inquiry, next } = change;
  const holder = inquiry.assignee;
  if (holder === undefined) return { outcome: 'refused', reason: 'no one holds the inquiry' };
  if (holder.id !== event.operatorId && event.admin !== true)
    return {
      outcome: 'refused',
      reason: `the inquiry is taken by ${holder.name}: only they or an admin release it; take it over with force`,
    };
  next.assignee = undefined;
  next.assignedAt = undefined;
  entry(change, event.at, 1, 'status', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    detail: { fromAssignee: holder },
  });
}

/**
 * Open work that may be closed: its answer refused (also the answer a reopened inquiry was reopened after,
 * refused since: delivery.ts), or its first response given and not refused.
 */
const closable = (inquiry: Inquiry) =>
  inquiry.undelivered === undefined
    ? inquiry.firstRespondedAt !== undefined
    : inquiry.undelivered.purpose === 'answer';

export function onClose(
  change: Change,
  event: Extract<InquiryEvent, { type: 'close' }>,
): Refusal | undefined {
  const { inquiry, next } = change;
  const held = holdRefusal(inquiry, event);
  if (held) return held;
  // Work in progress is closed by hand once its answer was refused (the department reached the citizen
  // otherwise), or once it was responded to and then resolved outside the product (by phone, in VK by hand),
  // the reason saying how. Never before a first response: that would drop an inquiry no one answered. An
  // intermediate answer refused leaves the inquiry owing its answer, its resolution clock running. A reopened
  // inquiry has had no response in its cycle: it is closed only once the answer it was reopened after did
  // not reach the citizen either, who was reached another way (else a second answer would be its way out).
  if ((inquiry.status === 'in_progress' || inquiry.status === 'reopened') && !closable(inquiry))
    return {
      outcome: 'refused',
      reason:
        inquiry.status === 'reopened'
          ? 'a reopened inquiry is closed only when the answer before it did not reach the citizen: answer it'
          : 'an inquiry in progress is closed only after its first response reached the citizen, or when ' +
            'its answer did not',
    };
  // Its answer refused, the department reached the citizen another way: that is its response, if no words
  // before reached them (delivery.ts took back a first response VK refused).
  if (inquiry.undelivered?.purpose === 'answer') firstResponse(change, event.at);
  next.clock = undefined;
  next.closedAt = event.at;
  clearUndelivered(next);
  const takenOver = actorTakes(change, event);
  finish(change);
  entry(change, event.at, 1, 'status', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    ...(takenOver && { detail: takenOver }),
  });
}

/**
 * Closed or reopened on purpose over a colleague's hold: it is the actor's from now on, as an answer sent with
 * `force` makes it the answerer's (answers.ts), so that `assignee` names who closed it, or who owes the reopened
 * inquiry its new response (not the colleague who never asked for it), and the history whose it was.
 */
function actorTakes({ inquiry, next }: Change, event: Extract<InquiryEvent, { type: 'close' | 'reopen' }>) {
  const holder = heldByColleague(inquiry, event);
  if (holder === undefined || typeof event.operatorId !== 'string' || event.operatorName === undefined)
    return undefined;
  next.assignee = { id: event.operatorId, name: event.operatorName };
  next.assignedAt = event.at;
  return { assignee: next.assignee, fromAssignee: holder };
}

export function onReopen(
  change: Change,
  event: Extract<InquiryEvent, { type: 'reopen' }>,
): Refusal | undefined {
  const { inquiry, next } = change;
  const held = holdRefusal(inquiry, event);
  if (held) return held;
  const takenOver = actorTakes(change, event);
  reopen(change, event.at);
  entry(change, event.at, 1, 'status', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    detail: { firstResponseDueAt: next.firstResponseDueAt, ...takenOver },
  });
}

/** A move of department alone needs no calendar (removed-community.ts); new terms are timed by it. */
export function onMove(
  change: Change<ClockContext | TransitionContext>,
  event: Extract<InquiryEvent, { type: 'move' }>,
): Refusal | undefined {
  const { inquiry, next, context } = change;
  const held = holdRefusal(inquiry, event);
  if (held) return held;
  if (
    inquiry.status === 'rejected' &&
    [event.category, event.priority, event.terms].some((field) => field !== undefined)
  )
    return {
      outcome: 'refused',
      reason: 'a rejected message moves only to another department: route it to put it into work',
    };
  const handedOver = event.department !== undefined ? handOver(change, event.department) : {};
  let undone: ReturnType<typeof undoRaise>;
  let replaced: ReturnType<typeof retimeClock>;
  if (event.category !== undefined) next.category = event.category;
  if (event.priority !== undefined) next.priority = event.priority;
  if (event.terms !== undefined) {
    if (!('calendar' in context))
      throw new Error("a move with new terms applied without the community's calendar");
    next.terms = event.terms;
    // A raise to critical set back before it was told goes back to the clock before it (critical-notice.ts).
    undone = undoRaise(next);
    replaced = retimeClock(next, context, false, inquiry.priority);
  }
  // Its warning or escalation was told (or is still to be told) to the department it left: the new one hears
  // of it too.
  const notice = noticeOnMove(inquiry, next, event.at);
  if (notice) next.pendingNotification = notice;
  else delete next.pendingNotification;
  entry(change, event.at, 1, 'moved', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    detail: {
      fromDepartment: inquiry.department,
      toDepartment: next.department,
      fromCategory: inquiry.category,
      toCategory: next.category,
      ...(event.priority !== undefined && { fromPriority: inquiry.priority, toPriority: next.priority }),
      ...(event.terms !== undefined && { terms: next.terms, dueAt: next.clock?.dueAt }),
      ...(undone?.escalationUndone && { escalationUndone: true }),
      ...(replaced && { escalatedDueAt: replaced.escalatedDueAt }),
      ...handedOver,
    },
  });
}

export function onRoute(change: Change, event: Extract<InquiryEvent, { type: 'route' }>): undefined {
  const { inquiry, next, cause, effects } = change;
  // The clock starts at the route, not at the message's arrival: until now the message was in no one's work,
  // so a deadline from its arrival would be due, or past, the moment it is routed, escalating at once a delay
  // that was the classifier's, and the acknowledgement would promise a time already gone.
  const { department, category, priority, terms } = event;
  const handedOver = handOver(change, department);
  next.category = category;
  next.priority = priority;
  next.terms = terms;
  // One an operator rejected while in work comes back for a new cycle, as a reopened one does: what its
  // last cycle gave (a first response, a resolution clock) is no answer to the clock that starts now.
  startCycle(change, event.at, terms);
  // The citizen has waited since they wrote, not since the route (docs/inquiries.md, "Rejected messages"): a message the
  // classifier rejected since it arrived, one an operator rejected since its cycle started (the statistics
  // count that cycle late if its deadline passed before the rejection). The statistics time the first
  // response and the answer from then; the deadline runs from the route.
  next.firstResponseStartedAt = currentCycleOf(inquiry).startedAt;
  // The time its acknowledgement tells the citizen (routed back after it was in work, none: toldAlready).
  next.firstResponsePromisedBy = next.firstResponseDueAt;
  next.routeCause = cause;
  entry(change, event.at, 1, 'routed', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    detail: {
      fromDepartment: inquiry.department,
      department,
      fromCategory: inquiry.category,
      category,
      fromPriority: inquiry.priority,
      priority,
      terms,
      firstResponseDueAt: next.firstResponseDueAt,
      ...handedOver,
    },
  });
  effects.push({ type: 'routed', department });
}

/**
 * An operator rejects the inquiry as none and lists it under triage (`event.department`) in one change: its
 * clock stops and it is handed over there as a move hands over. Rejected, it is in no one's work, so its
 * holder lets it go in triage too; the one entry says who, why, from which department and from whom.
 */
export function onReject(
  change: Change,
  event: Extract<InquiryEvent, { type: 'reject' }>,
): Refusal | undefined {
  const { inquiry, next } = change;
  const held = holdRefusal(inquiry, event);
  if (held) return held;
  // Its answer was written, so it was treated as an inquiry: it is closed once the citizen is reached.
  if (inquiry.undelivered?.purpose === 'answer')
    return {
      outcome: 'refused',
      reason: 'an inquiry whose answer did not reach the citizen is closed, not rejected',
    };
  const handedOver = handOver(change, event.department);
  const holder = next.assignee;
  next.assignee = undefined;
  next.assignedAt = undefined;
  next.clock = undefined;
  clearUndelivered(next);
  finish(change);
  entry(change, event.at, 1, 'rejected', 'operator', {
    ...byOperator(event),
    reason: event.reason,
    detail: {
      fromDepartment: inquiry.department,
      department: next.department,
      ...handedOver,
      ...(holder && { fromAssignee: holder }),
    },
  });
}
