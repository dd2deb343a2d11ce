/**
 * A run's claims on the critical notices it is about to e-mail (notice-claim.ts), taken before the e-mail and
 * given back if it was refused: what keeps an operator's set back from undoing a raise the department is being
 * told of. Warnings and breaches are never claimed.
 */
import { ESCALATOR } from '../../lib/resources.js';
import { changeInquiryWithRetries } from '../application/inquiry-writes.js';
import { atMostAtOnce } from '../domain/concurrency.js';
import type { Department } from '../domain/config/schema.js';
import type { AddressedNotice } from '../domain/escalation/addressing.js';
import { claimNotice, releaseNotice } from '../domain/escalation/notice-claim.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import {
  type EscalationRun,
  type EscalatorDeps,
  inquiriesFailed,
  MAX_ATTEMPTS,
  WRITES_AT_ONCE,
} from './run-deps.js';

/**
 * How long a run's claim on a notice it is sending holds (notice-claim.ts): as long as a run can last, as the
 * run lease. A claim older than that is of a run that ended without clearing the notice, and the next run
 * sends it (at worst twice, never lost).
 */
const CLAIM_LAPSE_MS = ESCALATOR.timeoutSeconds * 1000;

export interface CriticalClaims {
  claimCritical(
    department: Department,
    pending: AddressedNotice[],
    runId: string,
    run: EscalationRun,
  ): Promise<AddressedNotice[]>;
  releaseClaims(
    department: Department,
    told: AddressedNotice[],
    runId: string,
    run: EscalationRun,
  ): Promise<void>;
}

export function createCriticalClaims(deps: EscalatorDeps): CriticalClaims {
  const { inquiries } = deps;

  /** Another writer's change, or another run's, of one inquiry: the notice is left pending, as read. */
  function claimFailed(id: string, department: Department, run: EscalationRun, error: unknown, what: string) {
    inquiriesFailed(deps, run, department, {
      message: `escalator: a critical notice could not be ${what}`,
      ids: { inquiryId: id },
      error,
    });
  }

  return {
    /**
     * Claims the critical notices among `pending` for the run (notice-claim.ts) before any e-mail tells of
     * them: a raise to critical that an operator sets back from then on is not undone (critical-notice.ts), as
     * its e-mail may be on its way. One its inquiry holds no more (the raise undone before the claim, the
     * inquiry moved meanwhile), gone moot (the inquiry answered or closed meanwhile: the next run's check
     * clears it), another run's, or one whose claim could not be written (sent by a later run) is left out;
     * each claimed is told as its inquiry stands then. Warnings and breaches are told as read again before the
     * e-mail (send-digests.ts): nothing undoes them, and a claim each would double a Monday morning's writes.
     */
    async claimCritical(department, pending, runId, run) {
      const claimed = new Map<string, AddressedNotice>();
      const critical = pending.filter((addressed) => addressed.notice.kind === 'critical');
      await atMostAtOnce(critical, WRITES_AT_ONCE, async (addressed) => {
        const { inquiry, notice: sent } = addressed;
        try {
          const mine = await changeInquiryWithRetries<Inquiry | undefined>(
            inquiries,
            inquiry.id,
            (current) => {
              const write = claimNotice(current, sent, runId, deps.clock.now(), CLAIM_LAPSE_MS);
              return write ? { write, history: [], done: () => write } : { done: () => undefined };
            },
            { maxAttempts: MAX_ATTEMPTS, first: inquiry },
          );
          if (mine?.pendingNotification)
            claimed.set(inquiry.id, { ...addressed, inquiry: mine, notice: mine.pendingNotification });
        } catch (error) {
          claimFailed(inquiry.id, department, run, error, 'claimed for its e-mail');
        }
      });
      return pending.flatMap((addressed) =>
        addressed.notice.kind === 'critical' ? (claimed.get(addressed.inquiry.id) ?? []) : [addressed],
      );
    },

    /**
     * The run's claims on the critical notices of a digest that was not published, given back
     * (notice-claim.ts): the next run sends them. One that could not be given back lapses (CLAIM_LAPSE_MS, less
     * than the schedule's interval), and the next run sends it all the same.
     */
    async releaseClaims(department, told, runId, run) {
      const critical = told.filter((addressed) => addressed.notice.sending?.run === runId);
      await atMostAtOnce(critical, WRITES_AT_ONCE, async ({ inquiry, notice }) => {
        try {
          await changeInquiryWithRetries(
            inquiries,
            inquiry.id,
            (current) => {
              const write = releaseNotice(current, notice, runId);
              return write ? { write, history: [], done: () => true } : { done: () => false };
            },
            { maxAttempts: MAX_ATTEMPTS, first: inquiry },
          );
        } catch (error) {
          claimFailed(inquiry.id, department, run, error, 'given back after its e-mail was refused');
        }
      });
    },
  };
}
