/**
 * A critical inquiry (a threat to life, health or property now: taxonomy.ts) is told to its department on
 * the escalator's next run, not first at its warning point: when it is put into work critical (opened, routed
 * from triage's rejected messages, edited into an inquiry, reopened critical), and when a change raises it to critical (a
 * citizen's more urgent follow-up or edit, an operator's priority set by hand). A raise tells the department even when
 * the clock it raises was warned or escalated already under the old terms, which told of another deadline.
 */
import type { Priority } from '../../taxonomy.js';
import type { DeadlineClock } from '../deadline.js';
import { type HistoryEntry, historyKey, type Inquiry, isOpen, type PendingNotification } from '../inquiry.js';
import { owedFirstResponseClock } from './clock-checks.js';

/**
 * What of the inquiry before the change tells whether it became critical, and the clock it ran on then: none
 * for one being opened.
 */
type Before =
  | (Pick<Inquiry, 'status' | 'priority'> & Partial<Pick<Inquiry, 'reopenCount' | 'clock' | 'escalated'>>)
  | undefined;

const sameClock = (a: DeadlineClock | undefined, b: DeadlineClock | undefined) =>
  a !== undefined && b !== undefined && a.kind === b.kind && a.cycle === b.cycle;

/**
 * A raise to critical undone before its notice went out (an operator sets the priority back: a false alarm):
 * the inquiry goes back to the clock it ran on before the raise (`clockBeforeRaise`), to be timed anew on the
 * terms set (retimeClock), and to the escalation it had then. An escalation the raise made at once was told to
 * no one, its notice dropped unsent with the raise (markCritical): it goes with the raise, and the inquiry is
 * judged by the terms it had; an escalation since of the first response owed again stays. One told stays:
 * once the notice is sent, nothing is kept to go back to; nor is the raise undone while the escalator is
 * sending it (`sending`: its e-mail may be on its way), and the set back is then one after the notice
 * (retimeClock).
 * Returns whether an escalation was undone.
 */
export function undoRaise(next: Inquiry): { escalationUndone: boolean } | undefined {
  const before = next.clockBeforeRaise;
  const pending = next.pendingNotification;
  if (next.priority === 'critical' || before === undefined) return undefined;
  if (pending?.kind !== 'critical' || pending.sending || !sameClock(before.clock, next.clock))
    return undefined;
  const wasEscalated = next.escalated;
  next.clock = before.clock;
  if (before.clock.kind === 'first_response') next.firstResponseDueAt = before.clock.dueAt;
  else next.resolutionDueAt = before.clock.dueAt;
  // Only what the raise made goes, on the clock it raised. The first-response deadline, owed again once VK
  // refused the words that gave it and escalated since, is another clock's: the cycle missed it, given again
  // since or not, and stays escalated (as replaceEscalated keeps it).
  next.escalated = before.escalated || next.firstResponseClock?.breached === true;
  delete next.clockBeforeRaise;
  return { escalationUndone: wasEscalated && !next.escalated };
}

/**
 * The priority the inquiry was raised from (`raised`), or that it was put into work critical (`new`);
 * undefined when it did not become critical, or is not in open work in a department. A critical one reopened
 * (its citizen wrote again after the answer, an operator reopened it) is put into work critical again: the
 * notice of its last cycle may never have gone, its answer having come before the escalator's run.
 */
function becameCritical(before: Before, next: Inquiry): { raisedFrom?: Priority } | undefined {
  if (next.priority !== 'critical' || !isOpen(next.status)) return undefined;
  if (next.department === undefined) return undefined;
  if (before === undefined || before.status === 'rejected') return {};
  if (before.priority !== 'critical') return { raisedFrom: before.priority };
  return next.reopenCount > (before.reopenCount ?? next.reopenCount) ? {} : undefined;
}

/**
 * Marks the `critical` notice on `next`, the inquiry after a change (or as opened, `before` undefined), at
 * `now`, and returns the history entry of an escalation it makes. Its clock, timed on the critical terms
 * already (retimeClock, startClock), is taken as it stands: a deadline that has passed by now (the new terms
 * counted from a start hours back) is escalated at once, in this change, and told by this notice alone (as
 * having come due at the raise, not as hours overdue; the notice, flagged `escalated`, is counted as a breach
 * once sent, and told as one settled if the clock stops before); a warning point passed is warned by it. A warning
 * point still ahead warns again, of this deadline. The notice takes the place of one pending for the same
 * department (it tells the deadline as it stands); one pending for another department (the inquiry moved
 * before it was sent) keeps its place, and the department now holding the inquiry hears of it once that
 * is sent (followingNotice), as of any inquiry moved. One still unsent when the priority is set back is dropped,
 * and the raise undone (undoRaise): the clock before it is kept on the inquiry until the notice is sent. One
 * the escalator is sending (`sending`) is kept, to be cleared once its e-mail is published.
 * `entryAt` and `cause` key the history entry, as the change's own entries are keyed.
 */
export function markCritical(
  before: Before,
  next: Inquiry,
  now: Date,
  entryAt: string,
  cause: string,
): HistoryEntry | undefined {
  // Set back by an operator before it was told (a false alarm): nothing to tell. Set back while the escalator
  // is sending it, it is told all the same, and the raise stays: nothing to go back to.
  const told = next.pendingNotification;
  if (next.priority !== 'critical' && told?.kind === 'critical') {
    if (told.sending) delete next.clockBeforeRaise;
    else delete next.pendingNotification;
  }
  // Nothing to go back to once the raise's news is gone (sent, dropped) or its clock stopped or moved on.
  const kept = next.clockBeforeRaise;
  if (kept && (next.pendingNotification?.kind !== 'critical' || !sameClock(kept.clock, next.clock)))
    delete next.clockBeforeRaise;
  const critical = becameCritical(before, next);
  if (!critical || next.department === undefined) return undefined;
  const pending = next.pendingNotification;
  if (pending && (pending.department ?? next.department) !== next.department) return undefined;
  const at = now.toISOString();
  const clock = next.clock;
  // In work with no clock running (its answer VK refused): the department hears of it all the same, of the
  // first response owed again if it is, else as due now; the escalator's checks mark that clock as they come.
  if (!clock) {
    const owed = owedFirstResponseClock(next);
    next.pendingNotification = {
      kind: 'critical',
      clock: owed?.kind ?? 'resolution',
      ...(owed && { cycle: owed.cycle }),
      dueAt: owed?.dueAt ?? at,
      at,
      department: next.department,
      ...(critical.raisedFrom !== undefined && { raisedFrom: critical.raisedFrom }),
    };
    return undefined;
  }
  const overdue = clock.breached || clock.dueAt <= at;
  next.clock = { ...clock, warned: overdue || clock.warnAt <= at, breached: overdue };
  const escalatesNow = overdue && !clock.breached;
  const notice: PendingNotification = {
    kind: 'critical',
    clock: clock.kind,
    cycle: clock.cycle,
    dueAt: clock.dueAt,
    at,
    department: next.department,
    ...(critical.raisedFrom !== undefined && { raisedFrom: critical.raisedFrom }),
    ...(escalatesNow && { escalated: true }),
  };
  next.pendingNotification = notice;
  // The clock before the raise, should the raise be undone before this notice goes out (undoRaise).
  if (critical.raisedFrom !== undefined && before?.clock && sameClock(before.clock, clock))
    next.clockBeforeRaise = { clock: before.clock, escalated: before.escalated ?? false };
  if (!escalatesNow) return undefined;
  next.escalated = true;
  return {
    inquiryId: next.id,
    key: historyKey(entryAt, cause, 9),
    at,
    kind: 'escalated',
    actor: 'escalator',
    reason: `the ${clock.kind.replace('_', ' ')} deadline ${clock.dueAt} under the critical terms had passed when the inquiry became critical: escalated at once`,
    detail: { clock: clock.kind, cycle: clock.cycle, dueAt: clock.dueAt, department: next.department },
  };
}
