import type { AppConfig } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { deletionCutoff, dueForDeletion, erasureOf } from '../domain/inquiry/retention.js';
import type { Clock, Erasure, ProductMetrics, RetentionStore } from '../domain/ports.js';

export interface RetentionDeps {
  config: AppConfig;
  store: RetentionStore;
  clock: Clock;
  metrics?: ProductMetrics;
  /**
   * Told of an inquiry that could not be read or deleted: its id and the error's summary (name and message,
   * errorSummary), never its contents.
   */
  logError?: (message: string, fields: Record<string, unknown>) => void;
  /** Index items read per Query, and erasures taken up per run. */
  pageSize?: number;
}

export interface RetentionRun {
  /** Inquiries deleted, with every item that named them. */
  deleted: number;
  /** Items deleted with them: history, message lookups, delivery records, case lookups, pointers. */
  items: number;
  /**
   * Found due, then changed before they were deleted (an operator reopened one), or marked by a stopped run
   * and no longer due under today's period: kept.
   */
  kept: number;
  /** Inquiries whose deletion failed: the next run tries again. */
  failed: number;
  /** False when the run's time ran out before it had looked at everything due: the next run goes on. */
  complete: boolean;
}

/**
 * One run of the retention sweep: the finished inquiries whose period has passed are deleted, each with its
 * history and every item of another partition that names it. First it finishes the erasures a stopped run
 * left (their marks), then it goes through each department's inquiries by opening, oldest first, up to the
 * cutoff (a Query of the index, never a scan), deciding on a consistent read of each. It stops while it still
 * has time (`hasTime`); whatever is left is due tomorrow as today.
 */
export function createRetentionSweep(deps: RetentionDeps) {
  const { config, store } = deps;
  const pageSize = deps.pageSize ?? 100;
  const policy = config.retention;

  return async function sweep(hasTime: () => boolean): Promise<RetentionRun> {
    const run: RetentionRun = { deleted: 0, items: 0, kept: 0, failed: 0, complete: true };
    const now = deps.clock.now();

    /** Begins (or begins again) and finishes one erasure; `resumed`: a stopped run's, found by its mark. */
    async function erase(erasure: Erasure, resumed: boolean): Promise<void> {
      try {
        const begun = await store.beginErasure(erasure);
        if (begun === 'changed') {
          run.kept++;
          return;
        }
        // Gone since it was read: another run is erasing it, and counts it.
        if (begun === 'gone' && !resumed) return;
        run.items += await store.finishErasure(erasure);
        run.deleted++;
        deps.metrics?.count(
          'InquiriesDeleted',
          erasure.department !== undefined ? { department: erasure.department } : {},
        );
      } catch (error) {
        run.failed++;
        deps.logError?.('retention: an inquiry could not be deleted', {
          inquiryId: erasure.inquiryId,
          error: errorSummary(error),
        });
      }
    }

    /** The inquiry, read consistently; undefined if it is gone, null if it could not be read (counted). */
    async function read(id: string): Promise<Inquiry | undefined | null> {
      try {
        return await store.getInquiry(id);
      } catch (error) {
        run.failed++;
        deps.logError?.('retention: an inquiry could not be read', {
          inquiryId: id,
          error: errorSummary(error),
        });
        return null;
      }
    }

    /**
     * A stopped run's erasure: finished if its inquiry item is gone already (the rest of it is past saving),
     * but decided again under today's policy while the item is there, since ops may have lengthened the period
     * since that run: not due now, the mark goes and everything stays.
     */
    async function resume(erasure: Erasure): Promise<void> {
      const inquiry = await read(erasure.inquiryId);
      if (inquiry === null) return;
      if (inquiry === undefined) return erase(erasure, true);
      if (dueForDeletion(inquiry, now, policy)) return erase(erasureOf(inquiry), false);
      try {
        await store.dropErasure(erasure);
        run.kept++;
      } catch (error) {
        run.failed++;
        deps.logError?.('retention: an inquiry could not be deleted', {
          inquiryId: erasure.inquiryId,
          error: errorSummary(error),
        });
      }
    }

    for (const erasure of await store.unfinishedErasures(pageSize)) {
      if (!hasTime()) return { ...run, complete: false };
      await resume(erasure);
    }

    const cutoff = deletionCutoff(now, policy);
    for (const department of config.departments) {
      let after: string | undefined;
      do {
        if (!hasTime()) return { ...run, complete: false };
        const page = await store.finishedBefore(department.id, cutoff, {
          limit: pageSize,
          ...(after !== undefined && { after }),
        });
        for (const id of page.inquiryIds) {
          if (!hasTime()) return { ...run, complete: false };
          // The index may lag behind the item: decide on a consistent read.
          const inquiry = await read(id);
          if (inquiry && dueForDeletion(inquiry, now, policy)) await erase(erasureOf(inquiry), false);
        }
        after = page.after;
      } while (after !== undefined);
    }
    return run;
  };
}
