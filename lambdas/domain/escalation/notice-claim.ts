import type { Inquiry, PendingNotification } from '../inquiry/inquiry.js';
import { noticeStanding } from '../inquiry/state-machine.js';

/**
 * The escalator's claim on a pending notice it is about to send (PendingNotification.sending): written on the
 * inquiry's version before the e-mail is published, so that no change reads the notice as unsent while its
 * e-mail may be on its way. An operator who sets back a raise to critical then does not undo it
 * (critical-notice.ts, undoRaise): the department may have heard of it.
 */

/** The same notice: marked at the same moment for the same department, of the same kind and clock. */
export const sameNotice = (a: PendingNotification, b: PendingNotification | undefined) =>
  b !== undefined &&
  a.at === b.at &&
  a.kind === b.kind &&
  a.clock === b.clock &&
  a.cycle === b.cycle &&
  a.department === b.department;

/**
 * Whether another run claimed the notice and may be sending it still: a claim older than `lapseMs` (longer than
 * a run lasts) is of a run that ended without clearing it (it crashed), and a later run takes it over.
 */
const claimedByAnother = (notice: PendingNotification, run: string, now: Date, lapseMs: number) =>
  notice.sending !== undefined &&
  notice.sending.run !== run &&
  Date.parse(notice.sending.at) + lapseMs > now.getTime();

/**
 * The inquiry as read (`current`) with the notice the run's check found (`sent`) claimed by `run` at `now`, to
 * write on its version; undefined when it holds that notice no more (changed, sent or dropped meanwhile), the
 * notice went moot (the inquiry answered or closed meanwhile: its digest would leave it out, and the next run's
 * check clears it unsent), or another run is sending it.
 */
export function claimNotice(
  current: Inquiry | undefined,
  sent: PendingNotification,
  run: string,
  now: Date,
  lapseMs: number,
): Inquiry | undefined {
  const notice = current?.pendingNotification;
  if (!current || !notice || !sameNotice(notice, sent) || claimedByAnother(notice, run, now, lapseMs))
    return undefined;
  if (noticeStanding(current, notice).standing === 'moot') return undefined;
  return {
    ...current,
    pendingNotification: { ...notice, sending: { run, at: now.toISOString() } },
    version: current.version + 1,
  };
}

/**
 * The claim given back, its e-mail refused: the notice stays pending, for the next run to send, and a raise it
 * tells of may be undone again. Set back meanwhile (taken as a set back after the notice: critical-notice.ts),
 * the news of the raise, told to no one, is dropped as a set back drops it; an escalation the raise made that
 * stands on the clock still (the deadline set back had passed too) is left for the escalator to mark again,
 * of the deadline as it is now, and so told. Undefined when the inquiry holds the run's claim no more.
 */
export function releaseNotice(
  current: Inquiry | undefined,
  sent: PendingNotification,
  run: string,
): Inquiry | undefined {
  const notice = current?.pendingNotification;
  if (!current || !notice || !sameNotice(notice, sent) || notice.sending?.run !== run) return undefined;
  const { sending: _given, ...released } = notice;
  const { pendingNotification: _claimed, ...rest } = current;
  if (notice.kind !== 'critical' || current.priority === 'critical')
    return { ...rest, pendingNotification: released, version: current.version + 1 };
  const clock = current.clock;
  const untold =
    notice.escalated && clock?.breached && clock.kind === notice.clock && clock.cycle === notice.cycle;
  return {
    ...rest,
    ...(untold && { clock: { ...clock, breached: false } }),
    version: current.version + 1,
  };
}
