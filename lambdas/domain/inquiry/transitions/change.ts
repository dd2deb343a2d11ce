/**
 * One event's change to an inquiry while it is made, and what every kind of event records with it: the
 * history entry, the reopening, the clock timed anew, the operator named. The events' own rules are in the
 * modules beside this one.
 */
import { moreUrgent, type Priority } from '../../taxonomy.js';
import {
  type DeadlineClock,
  type DeadlineContext,
  type SlaTerms,
  startClock,
  startClockDueBy,
} from '../deadline.js';
import {
  currentCycleOf,
  type EndedCycle,
  type HistoryActor,
  type HistoryEntry,
  historyKey,
  type Inquiry,
  type InquiryStatus,
} from '../inquiry.js';
import type { OperatorId, OperatorName } from './events.js';

/** What every event is applied with: the processing time, the inquiry's `updatedAt`. Never part of a history key. */
export interface ClockContext {
  now: Date;
}

/** What an event that may start or time a clock is applied with: the community's calendar too. */
export interface TransitionContext extends DeadlineContext, ClockContext {}

export type Effect =
  | { type: 'first_response'; late: boolean; department?: string }
  | { type: 'warned'; clock: 'first_response' | 'resolution'; dueAt: string }
  | { type: 'breached'; clock: 'first_response' | 'resolution'; dueAt: string }
  | { type: 'reopened' }
  /**
   * Put into work: opened routed (openInquiry), or, rejected as not an inquiry, edited into one or taken for one
   * by an operator, and routed.
   */
  | { type: 'routed'; department: string }
  /** A message of its burst sent earlier, or routed by a rule, re-routed an untouched inquiry (burst.ts). */
  | { type: 'rerouted'; from: string | undefined; department: string }
  | { type: 'priority_raised'; from: Priority; to: Priority };

export type TransitionResult =
  | { outcome: 'changed'; inquiry: Inquiry; history: HistoryEntry[]; effects: Effect[] }
  /** The cause was applied before: nothing to do. */
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; reason: string };

export type Refusal = Extract<TransitionResult, { outcome: 'refused' }>;

/**
 * An event's change under way: the inquiry read, the next one it becomes, and what the change records. A clock
 * check or a refused delivery starts no clock, and is applied without a calendar: its change is a
 * `Change<ClockContext>`, whose transition cannot read one.
 */
export interface Change<Context extends ClockContext = TransitionContext> {
  readonly inquiry: Inquiry;
  /** The inquiry after the event (version + 1), which the event's transition fills in. */
  readonly next: Inquiry;
  /** Where TRANSITIONS moves the inquiry. */
  readonly to: InquiryStatus;
  /** The event's cause, which keys its history entries. */
  readonly cause: string;
  readonly context: Context;
  readonly history: HistoryEntry[];
  readonly effects: Effect[];
}

/** A history entry of the change, the `n`th under its cause; it names the status move, if any. */
export const entry = (
  { inquiry, cause, to, history }: Change<ClockContext>,
  at: string,
  n: number,
  kind: HistoryEntry['kind'],
  actor: HistoryActor,
  fields: Partial<HistoryEntry> = {},
) => {
  history.push({
    inquiryId: inquiry.id,
    key: historyKey(at, cause, n),
    at,
    kind,
    actor,
    ...(to !== inquiry.status && { from: inquiry.status, to }),
    detail: {},
    ...fields,
  });
};

/**
 * The flag of words that did not reach the citizen goes (answered again, closed, the words delivered late), and
 * with it the follow-up that answer never saw: the words now given, or the closing, came after it.
 */
export const clearUndelivered = (next: Inquiry) => {
  next.undelivered = undefined;
  next.unseenFollowUp = undefined;
};

/**
 * The inquiry is finished (answered, closed, rejected) by this change: its retention period counts from now,
 * the change's own time, as its `updatedAt`. Going back into work clears it (applyEvent).
 */
export const finish = ({ next }: Change<ClockContext>) => {
  next.finishedAt = next.updatedAt;
};

/**
 * A new cycle: a first-response clock from `at` (none without `terms`: an inquiry with no terms), and what
 * the last cycle gave undone (its first response, resolution clock, answer and closing, its escalation), so
 * that the escalator, the first-response metric and the `escalated` flag all go by the new clock alone. The
 * last cycle is kept in `earlierCycles`, which the statistics count too, and its escalation in the history.
 */
export const startCycle = ({ inquiry, next, context }: Change, at: string, terms: SlaTerms | undefined) => {
  // A message rejected at its arrival had no cycle to keep.
  if ((inquiry.clockCount ?? 0) > 0 || inquiry.firstResponseDueAt !== undefined)
    next.earlierCycles = [...(inquiry.earlierCycles ?? []), endedCycle(inquiry)];
  if (terms !== undefined) {
    next.clockCount = (inquiry.clockCount ?? 0) + 1;
    next.clock = startClock('first_response', next.clockCount, new Date(at), terms, context);
    next.firstResponseStartedAt = next.clock.startedAt;
    next.firstResponseDueAt = next.clock.dueAt;
  }
  // Nothing is promised of this cycle yet: the routing, or the citizen's reopening, that acknowledges it sets
  // it anew; an operator's reopening is acknowledged by no one.
  next.firstResponsePromisedBy = undefined;
  next.reopenCause = undefined;
  next.reopenedByEdit = undefined;
  next.raiseCause = undefined;
  next.raisedByEdit = undefined;
  next.raiseKeptDueAt = undefined;
  next.firstRespondedAt = undefined;
  next.firstResponseLate = undefined;
  next.firstResponseCause = undefined;
  next.firstResponseCounted = undefined;
  next.firstResponseClock = undefined;
  next.resolutionDueAt = undefined;
  next.answeredAt = undefined;
  // The ended cycle keeps the cause of its answer (endedCycle), for VK's refusal of it to find that cycle.
  next.answerCause = undefined;
  next.closedAt = undefined;
  next.escalated = false;
  next.citizenSettledAt = undefined;
};

/**
 * The cycle the inquiry is in, as it ends: what the statistics read of it, when it ended, whether it was
 * escalated, and the cause of the answer it was answered with, should VK refuse that answer later
 * (delivery.ts).
 */
const endedCycle = (inquiry: Inquiry): EndedCycle => ({
  ...currentCycleOf(inquiry),
  ...(inquiry.finishedAt !== undefined && { endedAt: inquiry.finishedAt }),
  ...(inquiry.answeredAt !== undefined &&
    inquiry.answerCause !== undefined && { answerCause: inquiry.answerCause }),
  ...(inquiry.escalated && { escalated: true as const }),
});

/** Reopening, by the citizen or an operator: a new first-response clock, the answer and closing undone. */
export const reopen = (change: Change, at: string) => {
  const { inquiry, next, effects } = change;
  startCycle(change, at, next.terms);
  next.reopenCount = inquiry.reopenCount + 1;
  effects.push({ type: 'reopened' });
};

/**
 * The running clock under the inquiry's new terms, counted from when it started. A follow-up only brings it
 * forward (`soonerOnly`); an operator who sets the priority by hand may also put it back. A clock already
 * escalated is brought forward only when the inquiry is made critical, for the critical notice to tell the
 * deadline of the terms it now runs on (critical-notice.ts, which also decides its warning); it stays escalated.
 * One whose new due time has passed is escalated on the escalator's next run, or, made critical, at once.
 * A warning already sent is not sent again for the same clock, unless the clock is put back (due later) and its
 * new warning point is still ahead: the warning told of a sooner deadline (or a raise to critical counted it as
 * given, critical-notice.ts) that no longer holds, and the department is warned again, of the deadline that
 * does. A clock escalated and put back is timed anew as well (replaceEscalated). A first-response clock is
 * never due later than the time the acknowledgement told the citizen (`firstResponsePromisedBy`): a
 * department that needs longer sends an intermediate answer by then.
 * A raise from `from` (the priority before the change) whose new due time has passed already is recorded on
 * the clock (`raisedPastDue`): the department could act only from the raise, and its escalation says so.
 * Returns the escalated deadline a put back replaced, if it did.
 */
export function retimeClock(
  next: Inquiry,
  context: TransitionContext,
  soonerOnly: boolean,
  from: Priority,
): { escalatedDueAt: string } | undefined {
  const clock = next.clock;
  if (!clock || !next.terms) return undefined;
  const promised = clock.kind === 'first_response' ? next.firstResponsePromisedBy : undefined;
  const start = new Date(clock.startedAt);
  const retimed =
    promised === undefined
      ? startClock(clock.kind, clock.cycle, start, next.terms, context)
      : startClockDueBy(clock.kind, clock.cycle, start, next.terms, context, promised);
  if (retimed.dueAt === clock.dueAt) return undefined;
  const putBack = retimed.dueAt > clock.dueAt;
  if (putBack ? soonerOnly : clock.breached && next.priority !== 'critical') return undefined;
  const now = context.now.toISOString();
  if (putBack && clock.breached) return replaceEscalated(next, retimed, now);
  const warned = putBack ? clock.warned && retimed.warnAt <= now : clock.warned;
  const raised = next.priority !== from && moreUrgent(next.priority, from) === next.priority;
  const raisedPastDue =
    raised && retimed.dueAt <= now
      ? { from, to: next.priority, at: now }
      : putBack
        ? undefined
        : clock.raisedPastDue;
  next.clock = {
    ...retimed,
    warned,
    breached: clock.breached,
    ...(raisedPastDue && { raisedPastDue }),
  };
  setDueAt(next, next.clock);
  return undefined;
}

const setDueAt = (next: Inquiry, clock: DeadlineClock) => {
  if (clock.kind === 'first_response') next.firstResponseDueAt = clock.dueAt;
  else next.resolutionDueAt = clock.dueAt;
};

/**
 * An escalated clock put back by an operator (the priority set back after the department was told of a raise
 * to critical, a category with longer terms): the deadline it was escalated for came of terms that no longer
 * hold, so it is timed anew on the terms set, and judged as of `now` by the deadline that does: escalated still
 * if that has passed too, else warned if its warning point has passed, and escalated (the inquiry, and its
 * department told, by the escalator, whose checks are of a deadline: a new one) only if it passes. The cycle
 * stays escalated for a first-response deadline missed before this resolution clock. A notice of the deadline
 * replaced still to be sent goes: a breach, or the escalation a raise made, told to no one; one the escalator
 * is sending (`sending`) is told as it is.
 */
function replaceEscalated(
  next: Inquiry,
  retimed: DeadlineClock,
  now: string,
): { escalatedDueAt: string } | undefined {
  const replaced = next.clock;
  if (!replaced) return undefined;
  const breached = retimed.dueAt <= now;
  next.clock = { ...retimed, warned: breached || retimed.warnAt <= now, breached };
  setDueAt(next, next.clock);
  const earlier = replaced.kind === 'resolution' && next.firstResponseClock?.breached === true;
  next.escalated = breached || earlier;
  const pending = next.pendingNotification;
  const ofIt = pending?.clock === replaced.kind && (pending.cycle ?? replaced.cycle) === replaced.cycle;
  if (pending && ofIt && !pending.sending && !breached) {
    if (pending.kind === 'breach') delete next.pendingNotification;
    else if (pending.escalated) {
      const { escalated: _replaced, ...notice } = pending;
      next.pendingNotification = notice;
    }
  }
  return { escalatedDueAt: replaced.dueAt };
}

/** Who did it, as a history entry names an operator: the id, and beside it the readable name if known. */
export const byOperator = (event: { operatorId?: OperatorId; operatorName?: OperatorName }) => ({
  ...(event.operatorId !== undefined && { actorId: event.operatorId }),
  ...(event.operatorName !== undefined && { actorName: event.operatorName }),
});
