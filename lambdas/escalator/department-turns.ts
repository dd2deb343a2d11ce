/**
 * The order of a run's work: the department it starts with, every department's critical work before any
 * backlog, then the departments' backlogs a page each in turn, and when a department sends what it holds.
 * Reading a page is department-pages.ts's; sending, send-digests.ts's.
 */
import { ESCALATOR } from '../../lib/resources.js';
import type { Department } from '../domain/config/schema.js';
import { isCriticalWork } from '../domain/escalation/critical-work.js';
import { type CheckPage, type DepartmentInHand, inHand, type PageRead } from './department-pages.js';
import type { EscalationRun } from './run-deps.js';
import type { SendHeld } from './send-digests.js';

/**
 * The notices a run holds, of all departments, before a department sends its own without waiting for the
 * rest of its backlog: what the departments in hand hold when the run's time runs out is sent, and cleared,
 * within the time the run keeps for it (ESCALATOR.stopBeforeTimeoutSeconds: e-mails of SNS's 256 KB, about
 * 380 notices each, five a second; clears twenty at a time). Below it, a department's notices of a run are one
 * e-mail, as many as SNS needs.
 */
const NOTICES_HELD_AT_MOST = 5000;

const heldIn = (hands: DepartmentInHand[]) => hands.reduce((sum, hand) => sum + hand.held.length, 0);

const holdsCriticalWork = (hand: DepartmentInHand) =>
  hand.held.some(({ inquiry, notice }) => notice.kind === 'critical' || isCriticalWork(inquiry));

/**
 * Where a run starts in the departments' list: one further on each run (its time counted in the schedule's
 * intervals, so no state is kept), so that runs cut short by their time do not leave the same departments
 * last, and so late, every time.
 */
export function firstDepartmentOf(now: Date, departments: number): number {
  if (departments === 0) return 0;
  return Math.floor(now.getTime() / (ESCALATOR.intervalMinutes * 60_000)) % departments;
}

/** The run's departments in hand, from the run's first on (firstDepartmentOf). */
export function departmentsInHand(departments: Department[], now: Date): DepartmentInHand[] {
  const first = firstDepartmentOf(now, departments.length);
  return [...departments.slice(first), ...departments.slice(0, first)].map(inHand);
}

/**
 * Checks the departments' due inquiries while the run has time: first the critical work of every department
 * (isCriticalWork), then the rest a page of each department in turn, so that one department's backlog (a
 * weekend's inquiries share their warning and due times, the clock standing still out of working hours)
 * neither holds back the critical inquiry routed behind it nor takes the run's time from the others. A
 * department's notices go out as one e-mail once its due inquiries are checked; sooner when it holds critical
 * work (its departments are the first of the turns, so that the news goes after one page of their backlog,
 * not at the end of the run), or when the run holds many (NOTICES_HELD_AT_MOST). True when time ran out
 * first.
 */
export function createCheckDepartments(checkPage: CheckPage, send: SendHeld) {
  return async function checkDepartments(
    hands: DepartmentInHand[],
    now: Date,
    hasTime: () => boolean,
    runId: string,
    run: EscalationRun,
  ): Promise<boolean> {
    for (const hand of hands) {
      let read: PageRead;
      do read = await checkPage(hand, 'critical', now, hasTime, run);
      while (read === 'more');
      if (read === 'cut') return true;
    }
    const turns = [...hands.filter(holdsCriticalWork), ...hands.filter((hand) => !holdsCriticalWork(hand))];
    for (let left = turns; left.length > 0; left = left.filter((hand) => !hand.done)) {
      for (const hand of left) {
        const read = await checkPage(hand, 'rest', now, hasTime, run);
        if (read === 'cut') return true;
        hand.done = read === 'done';
        if (hand.done || holdsCriticalWork(hand) || heldIn(hands) >= NOTICES_HELD_AT_MOST)
          await send(hand.held.splice(0), now, runId, run);
      }
    }
    return false;
  };
}
