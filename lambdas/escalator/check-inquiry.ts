/**
 * Checking one inquiry: marking the warning, breach or critical notice that is due on it, with the conditional
 * write on its version, and counting what was marked or dropped. Which notice is due, and whom it is told to,
 * is the domain's (addressing.ts); this file is the write and its counts.
 */
import { changeInquiryWithRetries, type Decision } from '../application/inquiry-writes.js';
import type { Department } from '../domain/config/schema.js';
import { type AddressedNotice, checkNotice } from '../domain/escalation/addressing.js';
import type { Inquiry, PendingNotification } from '../domain/inquiry/inquiry.js';
import type { ClearPending } from './clear-notice.js';
import { type EscalationRun, type EscalatorDeps, MAX_ATTEMPTS } from './run-deps.js';

/** What a check finds: the inquiry's pending notice, one gone moot (cleared unsent), or nothing. */
type Checked = AddressedNotice | { moot: AddressedNotice } | undefined;

/** `now`: the run's time, which the index was read by and the digest tells (the check is one of a run's). */
export type CheckInquiry = (
  id: string,
  department: Department,
  now: Date,
  run: EscalationRun,
) => Promise<AddressedNotice | undefined>;

export function createCheckInquiry(deps: EscalatorDeps, clearPending: ClearPending): CheckInquiry {
  const { config, inquiries } = deps;

  /**
   * A deadline warning that will never be told: held back (its digest refused, or its run cut off), then
   * moot or taken over by another deadline's breach. Counted, with no alarm, and logged by ids.
   */
  function warningDropped(
    inquiryId: string,
    notice: PendingNotification,
    department: string,
    reason: 'moot' | 'breach_of_another_deadline',
  ) {
    deps.metrics?.count('DeadlineWarningsDropped');
    deps.logWarning?.('escalator: a deadline warning was dropped unsent', {
      inquiryId,
      department,
      clock: notice.clock,
      dueAt: notice.dueAt,
      reason,
    });
  }

  /** What a check of the inquiry, as read, writes on it; the count of what it marked once written. */
  function decideCheck(
    inquiry: Inquiry | undefined,
    department: Department,
    now: Date,
    run: EscalationRun,
  ): Decision<Checked> {
    const checked = checkNotice(inquiry, department, config.departments, now);
    switch (checked.kind) {
      case 'none':
        return { done: () => undefined };
      case 'moot':
        return { done: () => ({ moot: checked.addressed }) };
      case 'pending':
        return { done: () => checked.addressed };
      case 'marked': {
        const done = () => {
          const dimensions = { department: department.id };
          if (checked.action === 'breach') {
            run.breached++;
            deps.metrics?.count('DeadlineBreaches', dimensions);
          } else {
            run.warned++;
            deps.metrics?.count('DeadlineWarnings', dimensions);
          }
          if (checked.dropped)
            warningDropped(
              checked.addressed.inquiry.id,
              checked.dropped,
              department.id,
              'breach_of_another_deadline',
            );
          return checked.addressed;
        };
        return { write: checked.addressed.inquiry, history: checked.history, done };
      }
    }
  }

  /**
   * Marks what is due at the run's time on the inquiry listed under `department` and returns its pending
   * notice, addressed, if it has one (checkNotice says what is due and whom it is told to). The entries of a mark that lost the race to
   * another writer (an operator's answer) go, unless another run made it (unsavedHistory).
   */
  return async function check(id, department, now, run) {
    const checked = await changeInquiryWithRetries<Checked>(
      inquiries,
      id,
      (inquiry) => decideCheck(inquiry, department, now, run),
      { maxAttempts: MAX_ATTEMPTS },
    );
    if (!checked || !('moot' in checked)) return checked;
    const { inquiry, notice, addressee } = checked.moot;
    // (Critical news moot is the inquiry answered or closed before the run: nothing was left untold.)
    if ((await clearPending(checked.moot)) && notice.kind === 'warning')
      warningDropped(inquiry.id, notice, addressee.id, 'moot');
    return undefined;
  };
}
