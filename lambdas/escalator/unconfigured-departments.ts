/**
 * Open inquiries left under a department the configuration no longer names (renamed, merged or removed
 * before `departments:move` moved them all): no list shows them, and the escalator reads only the configured
 * departments' parts of its index, so no one would be warned of their deadlines, nor told they passed. Each
 * run hands them to their community's triage department first (unconfigured-department.ts), where its
 * operators see them and this same run checks them: a duty officer wants the overdue case in someone's
 * list and its head told, not a warning about a department no one reads. Each move is counted, and alarmed:
 * ops have the old department's finished inquiries still to move, and a configuration to look at.
 */
import { changeInquiryWithRetries, type Decision } from '../application/inquiry-writes.js';
import { atMostAtOnce } from '../domain/concurrency.js';
import { communityOf } from '../domain/config/community-of.js';
import { errorSummary } from '../domain/error-summary.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { toTriageIfUnconfigured } from '../domain/inquiry/unconfigured-department.js';
import { type EscalationRun, type EscalatorDeps, MAX_ATTEMPTS, WRITES_AT_ONCE } from './run-deps.js';

/** What became of one such inquiry: moved from `from`, left (its community is not configured), or nothing. */
type Outcome = { moved: string } | { left: 'community_not_configured'; department: string } | undefined;

export function createMoveUnconfigured(deps: EscalatorDeps) {
  const { config, inquiries } = deps;
  const configured = new Set(config.departments.map((department) => department.id));

  /** The move of the inquiry as read, if its department is still not configured. */
  function decideMove(inquiry: Inquiry | undefined, now: Date): Decision<Outcome> {
    const department = inquiry?.department;
    if (!inquiry || department === undefined || configured.has(department)) return { done: () => undefined };
    const community = communityOf(config, inquiry.groupId);
    // An open inquiry of a removed community has no calendar and no triage department to go to: ops move it
    // by hand (docs/runbook.md, "Removing a community").
    if (!community) return { done: () => ({ left: 'community_not_configured', department }) };
    // One cause per version found: a run that lost the race reads it again, and finds it moved or changed.
    const moved = toTriageIfUnconfigured(
      inquiry,
      configured,
      community.triageDepartment,
      `escalator:unconfigured-department:${inquiry.version}`,
      { now },
    );
    if (!moved) return { done: () => undefined };
    return { write: moved.inquiry, history: moved.history, done: () => ({ moved: department }) };
  }

  /** Moves one, and says what it did; a failure is the run's, which goes on. */
  async function moveOne(inquiryId: string, now: Date, run: EscalationRun) {
    try {
      const outcome = await changeInquiryWithRetries(
        inquiries,
        inquiryId,
        (inquiry) => decideMove(inquiry, now),
        {
          maxAttempts: MAX_ATTEMPTS,
        },
      );
      if (outcome && 'moved' in outcome) {
        run.movedToTriage++;
        deps.metrics?.count('InquiriesMovedFromUnconfiguredDepartments');
        deps.logWarning?.(
          'escalator: an open inquiry under a department no longer configured was moved to triage',
          {
            inquiryId,
            fromDepartment: outcome.moved,
          },
        );
      } else if (outcome)
        deps.logWarning?.(
          'escalator: an open inquiry under a department no longer configured was left there: its community is not configured',
          { inquiryId, department: outcome.department },
        );
    } catch (error) {
      run.failed++;
      deps.logError?.(
        'escalator: an open inquiry under a department no longer configured could not be moved',
        {
          inquiryId,
          error: errorSummary(error),
        },
      );
    }
  }

  /**
   * Moves them all, several at once while the run has time, before it checks the departments; one that fails
   * is counted in the run's failures (the invocation then fails, and its error alarm tells).
   */
  return async function moveUnconfigured(now: Date, hasTime: () => boolean, run: EscalationRun) {
    let ids: string[];
    try {
      ids = await inquiries.openUnderUnconfiguredDepartments(configured);
    } catch (error) {
      run.failed++;
      deps.logError?.('escalator: the open inquiries of departments no longer configured could not be read', {
        error: errorSummary(error),
      });
      return;
    }
    await atMostAtOnce(ids, WRITES_AT_ONCE, (inquiryId) => moveOne(inquiryId, now, run), hasTime);
  };
}
