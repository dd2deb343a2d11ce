/**
 * One escalator run: the lease that keeps it the only one, its report, and its time budget (what it does once
 * `hasTime` says no). The run's parts are files of their own: checking an inquiry (check-inquiry.ts), reading
 * a department's pages (department-pages.ts), the order of the work (department-turns.ts), claiming critical
 * notices (critical-claims.ts), sending digests (send-digests.ts) and clearing their notices
 * (clear-notice.ts), counting what a cut run left (count-left.ts), watching the production calendar's years
 * (calendar-watch.ts).
 */
import { randomUUID } from 'node:crypto';
import { ESCALATOR } from '../../lib/resources.js';
import { errorSummary } from '../domain/error-summary.js';
import { createCalendarWatch } from './calendar-watch.js';
import { createCheckInquiry } from './check-inquiry.js';
import { createClearPending } from './clear-notice.js';
import { createCountLeft } from './count-left.js';
import { createCriticalClaims } from './critical-claims.js';
import { createCheckPage } from './department-pages.js';
import { createCheckDepartments, departmentsInHand } from './department-turns.js';
import type { EscalationRun, EscalatorDeps } from './run-deps.js';
import { createSendHeld } from './send-digests.js';
import { createMoveUnconfigured } from './unconfigured-departments.js';

// createEscalator's own types, and where its runs start (the benchmark and tests name it): named from here.
export { firstDepartmentOf } from './department-turns.js';
export type { EscalationRun } from './run-deps.js';

/**
 * One run of the escalator: for each department, the open inquiries whose warning point (80 % of the time,
 * or the share the priority's terms set), whose critical news is pending (critical-notice.ts),
 * or due time has come, through the sparse escalation index (Queries of the department's part, never a
 * scan): every department's critical work first, then the rest in turns (checkDepartments). Each clock is
 * warned once and escalated once: the mark is a conditional write on the inquiry's version, with its history
 * entry and the notice, pending on the inquiry until it is sent. Once the department's inquiries are checked,
 * its pending notices, read again as they stand then, go out as one digest (a department's weekend of
 * inquiries is one e-mail, not a hundred), and each is cleared after the digest that carries it is published:
 * a crash or a refused publish leaves them pending, and the next run sends them again. A critical notice is
 * claimed for the run before its e-mail goes (claimCritical), so that an operator's set back does not undo a
 * raise the department is being told of. The run marks and tells by one time, its start: the time the index is
 * read by and the digests name.
 */
export function createEscalator(deps: EscalatorDeps) {
  const clearPending = createClearPending(deps);
  const send = createSendHeld(deps, clearPending, createCriticalClaims(deps));
  const checkPage = createCheckPage(deps, createCheckInquiry(deps, clearPending));
  const checkDepartments = createCheckDepartments(checkPage, send);
  const countLeft = createCountLeft(deps);
  const moveUnconfigured = createMoveUnconfigured(deps);
  const watchCalendar = createCalendarWatch(deps);

  /** The run's departments, from the run's first on, while it has time. */
  async function runDepartments(now: Date, hasTime: () => boolean, run: EscalationRun) {
    // The run's own id, which its claims on notices bear (notice-claim.ts).
    const runId = randomUUID();
    // First, so that what it hands to triage is checked there on this run.
    await moveUnconfigured(now, hasTime, run);
    const hands = departmentsInHand(deps.config.departments, now);
    if (await checkDepartments(hands, now, hasTime, runId, run)) {
      // What the departments in hand hold goes out before the run stops: the time it keeps is for that.
      for (const hand of hands) if (hand.held.length > 0) await send(hand.held.splice(0), now, runId, run);
      const left = hands.filter((hand) => !hand.done);
      run.departmentsLeft = left.length;
      // One a run cut short, of the whole service: runs cut short one after another (a backlog, a slow table)
      // make every deadline notice late, and only this count's alarm tells, as no invocation fails for it.
      deps.metrics?.count('EscalatorRunsStoppedForTime');
      await countLeft(
        left.map((hand) => hand.department),
        now,
        run,
      );
    }
    return run;
  }

  /**
   * `hasTime`: whether the run may take up another department, page or inquiry. Once it says no, the run sends
   * the notices of the departments in hand, counts what the departments it left have due, and stops; the rest
   * waits for the next run.
   */
  return async function escalate(hasTime: () => boolean = () => true): Promise<EscalationRun> {
    const run: EscalationRun = {
      checked: 0,
      warned: 0,
      breached: 0,
      notified: 0,
      digests: 0,
      failed: 0,
      departmentsLeft: 0,
      checksLeft: 0,
      movedToTriage: 0,
    };
    const now = deps.clock.now();
    // Held for as long as a run can last: one that crashed keeps the next from running only until then.
    const token = await deps.lease?.take(now, new Date(now.getTime() + ESCALATOR.timeoutSeconds * 1000));
    if (deps.lease && token === undefined) return { ...run, alreadyRunning: true };
    try {
      // First, and never in the way of the deadlines: a fault of its own is logged, and the run goes on.
      try {
        watchCalendar(now);
      } catch (error) {
        deps.logError?.("escalator: the production calendar's years could not be checked", {
          error: errorSummary(error),
        });
      }
      return await runDepartments(now, hasTime, run);
    } finally {
      // Not given back, it lapses at its time: the next run, minutes later, takes it all the same.
      if (token !== undefined)
        await deps.lease?.release(token).catch((error: unknown) =>
          deps.logError?.('escalator: the run lease could not be given back', {
            error: errorSummary(error),
          }),
        );
    }
  };
}
