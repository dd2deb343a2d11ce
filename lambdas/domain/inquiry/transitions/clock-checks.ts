/**
 * The escalator's checks of an inquiry's clocks: each warned at its warning point, escalated past its due
 * time, once. The running clock is watched, and beside it, while a first response VK's refusal took back is
 * owed again, the first-response clock it is owed by.
 */
import { type DeadlineClock, nextCheckAt } from '../deadline.js';
import { type Inquiry, isOpen, type PendingNotification } from '../inquiry.js';
import { type Change, type ClockContext, entry, type Refusal } from './change.js';
import type { ClockCheck } from './events.js';

/**
 * What of an inquiry tells its clocks, and all the functions below read of it: a projection that reads these
 * (the workload's) gets the same deadlines as the whole item. One read here and not named would be missing from
 * such a projection, and change its figures without a word: the type keeps the two together.
 */
export const CLOCK_FIELDS = [
  'clock',
  'firstResponseClock',
  'firstRespondedAt',
  'firstResponseDueAt',
] as const;
export type InquiryClocks = Pick<Inquiry, (typeof CLOCK_FIELDS)[number]>;

/**
 * The first-response clock the inquiry owes again after VK refused the words that gave its first response
 * (delivery.ts), while another clock (the resolution) or none runs; undefined while it is not owed.
 */
export function owedFirstResponseClock(inquiry: InquiryClocks): DeadlineClock | undefined {
  const kept = inquiry.firstResponseClock;
  if (inquiry.firstRespondedAt !== undefined || inquiry.firstResponseDueAt === undefined) return undefined;
  if (inquiry.clock?.kind === 'first_response' || kept?.dueAt !== inquiry.firstResponseDueAt)
    return undefined;
  return kept;
}

/** The clocks the escalator watches: the owed first response's (due first) and the running one. */
export const watchedClocks = (inquiry: InquiryClocks): DeadlineClock[] =>
  [owedFirstResponseClock(inquiry), inquiry.clock].filter((clock) => clock !== undefined);

/** The next moment the escalator must look at the inquiry: the earliest of its clocks' next checks. */
export const nextCheckOf = (inquiry: InquiryClocks): string | undefined =>
  earliest(watchedClocks(inquiry).map(nextCheckAt));

/** The deadline the inquiry is listed by (overdue or not): the earliest of what it owes. */
export const deadlineOf = (inquiry: InquiryClocks): string | undefined =>
  earliest(watchedClocks(inquiry).map((clock) => clock.dueAt));

const earliest = (times: (string | undefined)[]): string | undefined =>
  times.filter((time) => time !== undefined).sort()[0];

/** What a clock is owed at `at`: escalation past its due time, a warning past its warning point, or nothing. */
const dueOf = (clock: DeadlineClock, at: string): 'warn' | 'breach' | undefined => {
  if (clock.breached) return undefined;
  if (at >= clock.dueAt) return 'breach';
  if (!clock.warned && at >= clock.warnAt) return 'warn';
  return undefined;
};

/** The clock a check of `kind` at `now` is for: the one named, else the first the check is due on. */
const checkedClock = (inquiry: Inquiry, event: ClockCheck): DeadlineClock | undefined => {
  const clocks = watchedClocks(inquiry);
  if (event.clock !== undefined) return clocks.find((clock) => clock.kind === event.clock);
  return clocks.find((clock) => dueOf(clock, event.now) === event.type) ?? inquiry.clock;
};

/**
 * The cause an escalator check records, from the clock it checks and its deadline: the same deadline is
 * warned/escalated once. Another deadline of the same clock (its priority put back by an operator: change.ts,
 * critical-notice.ts) is warned or escalated on its own; the clock's flags keep a deadline from being told twice.
 */
export const clockCause = (inquiry: Inquiry, event: ClockCheck): string => {
  const clock = checkedClock(inquiry, event);
  return `${event.type}:${clock?.kind}:${clock?.cycle}:${clock?.dueAt}`;
};

/** The clock is at its warning point (`warn`) or past its due time (`breach`). */
export function onClockCheck(change: Change<ClockContext>, event: ClockCheck): Refusal | undefined {
  const { inquiry, next, effects } = change;
  const clock = checkedClock(inquiry, event);
  if (!clock) return { outcome: 'refused', reason: 'no deadline is running' };
  const breach = event.type === 'breach';
  if (breach ? clock.breached : clock.warned)
    return {
      outcome: 'refused',
      reason: `the ${clock.kind} deadline was already ${breach ? 'escalated' : 'warned'}`,
    };
  const point = breach ? clock.dueAt : clock.warnAt;
  if (event.now < point) return { outcome: 'refused', reason: `not yet: ${point}` };
  const checked = { ...clock, warned: true, breached: breach };
  if (clock === inquiry.clock) next.clock = checked;
  else next.firstResponseClock = checked;
  if (breach) next.escalated = true;
  entry(change, point, 1, breach ? 'escalated' : 'warning', 'escalator', {
    reason: breach
      ? `the ${clock.kind.replace('_', ' ')} deadline ${clock.dueAt} has passed`
      : `${clock.kind.replace('_', ' ')} deadline ${clock.dueAt} is near: its warning point ${clock.warnAt} has passed`,
    detail: { clock: clock.kind, cycle: clock.cycle, dueAt: clock.dueAt, department: inquiry.department },
  });
  effects.push({ type: breach ? 'breached' : 'warned', clock: clock.kind, dueAt: clock.dueAt });
}

/**
 * What the escalator owes the inquiry at `now`: the clock and whether to escalate its passed deadline or warn
 * of its near one (the earliest due first), or nothing.
 */
export function dueCheck(
  inquiry: Inquiry,
  now: Date,
): { action: 'warn' | 'breach'; clock: DeadlineClock } | undefined {
  if (!isOpen(inquiry.status)) return undefined;
  const at = now.toISOString();
  const byCheck = watchedClocks(inquiry).sort((a, b) =>
    (nextCheckAt(a) ?? '').localeCompare(nextCheckAt(b) ?? ''),
  );
  for (const clock of byCheck) {
    const action = dueOf(clock, at);
    if (action) return { action, clock };
  }
  return undefined;
}

/**
 * What a notice of the clock's breach says of a raise that made it due at once (DeadlineClock.raisedPastDue):
 * the department could act only from the raise, and is told so, not how long it is overdue.
 */
export const raiseOf = (
  clock: DeadlineClock,
): Pick<PendingNotification, 'raisedFrom' | 'raisedTo' | 'raisedAt'> => {
  const raise = clock.raisedPastDue;
  if (raise === undefined || clock.dueAt > raise.at) return {};
  return { raisedFrom: raise.from, raisedTo: raise.to, raisedAt: raise.at };
};

/**
 * What a pending notice is worth when the escalator comes to send it: `stands` while the inquiry is open and
 * the clock it tells of is still watched (the same kind and cycle), or, news that it became critical with no
 * clock running, while it is still in work unanswered (no `clock` then); else the clock was stopped after the notice
 * was marked (answered, closed, rejected, a new cycle started): a breach still `settled` happened and is told
 * as such, a warning of a deadline no longer owed is `moot`, and so is the news that the inquiry became
 * critical, once what it asked for was done.
 */
export function noticeStanding(
  inquiry: Inquiry,
  notice: PendingNotification,
):
  | { standing: 'stands'; clock?: DeadlineClock }
  | { standing: 'settled'; settled: Settled }
  | { standing: 'moot' } {
  const clock = isOpen(inquiry.status)
    ? watchedClocks(inquiry).find(
        (candidate) =>
          candidate.kind === notice.clock && (notice.cycle === undefined || candidate.cycle === notice.cycle),
      )
    : undefined;
  if (clock) return { standing: 'stands', clock };
  // Became critical while in work with no clock running (its answer VK refused), and nothing answered since:
  // told as due now, or by the deadline it named.
  if (
    notice.kind === 'critical' &&
    isOpen(inquiry.status) &&
    watchedClocks(inquiry).length === 0 &&
    notice.at >= (inquiry.answeredAt ?? '')
  )
    return { standing: 'stands' };
  // A breach is told even once its clock stopped; so is news of a raise that escalated the clock at once.
  if (notice.kind !== 'breach' && !(notice.kind === 'critical' && notice.escalated))
    return { standing: 'moot' };
  return { standing: 'settled', settled: settledBy(inquiry, notice) };
}

/**
 * What stopped a missed deadline's clock before its escalation was told: a first response or the answer
 * given, the inquiry closed or rejected as not one, or a new cycle started (reopened, or routed back into
 * work). Each came after the deadline: a clock stopped in time is never escalated.
 */
export type Settled = 'responded' | 'answered' | 'closed' | 'rejected' | 'restarted';

function settledBy(inquiry: Inquiry, notice: PendingNotification): Settled {
  if (inquiry.status === 'rejected' || inquiry.status === 'closed' || inquiry.status === 'answered')
    return inquiry.status;
  return notice.clock === 'first_response' && inquiry.firstRespondedAt !== undefined
    ? 'responded'
    : 'restarted';
}

/**
 * The notice the inquiry holds once moved to another department. One still pending stays with the department
 * it was marked for (where the deadline passed or neared), addressed to it by name; the department the inquiry
 * now sits in hears of it once that is sent (followingNotice). One of a warning no longer owed is dropped. With
 * none pending, the department it left was told and the new one hears of it on the escalator's next run. The
 * news that it became critical goes with it: the department that now holds it is to act.
 */
export function noticeOnMove(inquiry: Inquiry, moved: Inquiry, at: string): PendingNotification | undefined {
  // As the move left it: a breach of a deadline the move replaced is gone (change.ts, replaceEscalated).
  const pending = moved.pendingNotification;
  if (moved.department === inquiry.department) return pending;
  if (pending?.kind === 'critical' && moved.department !== undefined && isOpen(moved.status))
    return {
      ...pending,
      department: moved.department,
      movedFrom: pending.movedFrom ?? pending.department ?? inquiry.department,
    };
  if (pending && noticeStanding(moved, pending).standing !== 'moot')
    return { ...pending, department: pending.department ?? inquiry.department };
  return followingNotice(moved, inquiry.department, at);
}

/**
 * The notice an open inquiry owes the department it now sits in, which `told` was told instead of: of its
 * escalation, else of its warning (the earliest deadline of each), marked as moved from `told`. Undefined when
 * it sits where it was told, or no watched clock was warned or escalated.
 */
export function followingNotice(
  inquiry: Inquiry,
  told: string | undefined,
  at: string,
): PendingNotification | undefined {
  if (!isOpen(inquiry.status) || inquiry.department === undefined || inquiry.department === told)
    return undefined;
  const byDue = watchedClocks(inquiry).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const clock = byDue.find((one) => one.breached) ?? byDue.find((one) => one.warned);
  if (!clock) return undefined;
  return {
    kind: clock.breached ? 'breach' : 'warning',
    clock: clock.kind,
    cycle: clock.cycle,
    dueAt: clock.dueAt,
    at,
    department: inquiry.department,
    ...(told !== undefined && { movedFrom: told }),
    ...(clock.breached && raiseOf(clock)),
  };
}
