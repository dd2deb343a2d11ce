/**
 * Counting what a run cut short by its time left: the inquiries due in the departments it did not finish,
 * for the run's report and the EscalationChecksLeft metric, which tell how far behind the escalator is.
 */
import type { Department } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import type { EscalationRun, EscalatorDeps } from './run-deps.js';

export function createCountLeft(deps: EscalatorDeps) {
  /**
   * Counts what the departments a run left have due, once its notices are sent: how far behind the escalator
   * is. Due by `now`, the run's time, which it read the index by: what the run was to check and did not, not
   * what came due while it ran. A count that fails loses nothing (the next run finds them all the same), so it
   * fails no run.
   */
  return async function countLeft(left: Department[], now: Date, run: EscalationRun): Promise<void> {
    for (const department of left) {
      try {
        const count = await deps.inquiries.countDueForEscalation(department.id, now);
        run.checksLeft += count;
        if (count > 0) deps.metrics?.count('EscalationChecksLeft', { department: department.id }, count);
      } catch (error) {
        deps.logError?.('escalator: the inquiries left to the next run could not be counted', {
          department: department.id,
          error: errorSummary(error),
        });
      }
    }
  };
}
