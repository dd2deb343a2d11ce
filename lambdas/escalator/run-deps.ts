/**
 * What an escalator run is given (its ports and loggers) and what it reports: shared by every part of the run
 * (escalate.ts and the files it is made of), so that none of them imports another for these alone.
 */
import type { AppConfig, Department } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import type {
  Clock,
  EscalationNotifier,
  InquiryRepository,
  ProductMetrics,
  RunLease,
} from '../domain/ports.js';

export interface EscalatorDeps {
  config: AppConfig;
  inquiries: InquiryRepository;
  clock: Clock;
  notifier: EscalationNotifier;
  metrics?: ProductMetrics;
  /** Told of an inquiry that could not be checked; the fields hold ids, never the citizen's words. */
  logError?: (message: string, fields: Record<string, unknown>) => void;
  /** Told of what the run did in place of what could not be done; ids only, as `logError`. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
  /** Told of each digest published, by the configuration's ids, its inquiries' and the channel's message id. */
  logInfo?: (message: string, fields: Record<string, unknown>) => void;
  /** Index items read per Query: a department's due inquiries are read page by page while the run has time. */
  pageSize?: number;
  /**
   * One run at a time: two at once (the schedule's or Lambda's delivery twice, a run invoked by hand) would
   * each send the notices the other is about to send. Omitted: no lease is taken.
   */
  lease?: RunLease;
}

export interface EscalationRun {
  checked: number;
  warned: number;
  breached: number;
  /** Inquiries whose notice went out in a digest, and was cleared. */
  notified: number;
  /** Digests published: one per department with notices, more only if one would not fit a message. */
  digests: number;
  /**
   * Inquiries whose check failed, or whose notice could not be read again for its digest, or whose digest was
   * not published: the run went on to the next, and they are checked (their notices sent) again next run.
   */
  failed: number;
  /**
   * Departments the run did not get to, or did not finish, for want of time: the next run takes them up, and
   * starts one department further.
   */
  departmentsLeft: number;
  /**
   * Inquiries due in those departments by the run's time, counted once it had sent its notices: the next run's
   * to check.
   */
  checksLeft: number;
  /**
   * Open inquiries found under a department no longer configured and handed to their community's triage
   * department (unconfigured-departments.ts).
   */
  movedToTriage: number;
  /** Set when another run held the lease: this one did nothing, and left the work to it. */
  alreadyRunning?: true;
}

/** Tries of an inquiry's conditional write (a check, a claim, a clear) while other writers get there first. */
export const MAX_ATTEMPTS = 5;

/**
 * Conditional writes of notices made at once: the claims on critical notices, the clears of sent ones and the
 * claims given back. A Monday's backlog is thousands of notices, and their writes, one after another, would
 * take as long as the checks that marked them and overrun the time a run keeps for them
 * (ESCALATOR.stopBeforeTimeoutSeconds): when it stops, every department in hand sends what it holds.
 */
export const WRITES_AT_ONCE = 20;

/**
 * Inquiries a run could not check, tell or clear: failed in the run's count and in `EscalationErrors`, as many
 * as they are, and logged with their department, their ids and the error. The next run takes them up again.
 */
export function inquiriesFailed(
  deps: EscalatorDeps,
  run: EscalationRun,
  department: Department,
  failure: { message: string; ids: { inquiryId: string } | { inquiryIds: string[] }; error: unknown },
): void {
  const count = 'inquiryIds' in failure.ids ? failure.ids.inquiryIds.length : 1;
  run.failed += count;
  deps.metrics?.count('EscalationErrors', { department: department.id }, count);
  deps.logError?.(failure.message, {
    ...failure.ids,
    department: department.id,
    error: errorSummary(failure.error),
  });
}
