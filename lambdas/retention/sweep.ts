import { atMostAtOnce } from '../domain/concurrency.js';
import type { AppConfig } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { deletionCutoff, dueForDeletion, erasureOf, unopenedCutoff } from '../domain/inquiry/retention.js';
import { censusToGoOn, departmentsToSweep } from '../domain/inquiry/swept-departments.js';
import type { Clock, Erasure, Opening, ProductMetrics, RetentionStore } from '../domain/ports.js';

interface RetentionDeps {
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
  /** Inquiries read and deleted at once (ERASURES_AT_ONCE unless given). */
  atOnce?: number;
  /** Index items the census reads per Scan (what fits in 1 MB unless given). */
  censusPageSize?: number;
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
  /**
   * New inquiries never stored whole (a router's try stopped between their history and their item, and their
   * message was never routed again), past UNOPENED_DAYS: what their tries left deleted, its items counted in
   * `items`.
   */
  unopened: number;
  /** Inquiries whose deletion failed: the next run tries again. */
  failed: number;
  /**
   * False when the run's time ran out before it had looked at everything due: the next run goes on (counted,
   * RetentionRunsIncomplete, and ops are told when it keeps happening).
   */
  complete: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Inquiries deleted side by side. Each deletion is about eleven calls one after another (its read, the mark,
 * the inquiry item, the items that name it, its history, the mark again), so one at a time a night's run
 * deleted a few thousand. A few at once: each is its own partitions, bar the conversation pointer two
 * inquiries of one conversation share, which each deletes only while it names its own inquiry.
 */
export const ERASURES_AT_ONCE = 4;

/**
 * Where a night's run starts in the departments' list: one further each night (the night counted in days,
 * so no state is kept), so that a run that has not the time for everything due does not leave the same
 * departments, late in the list, to starve night after night. Days counted from noon UTC: the schedule runs
 * at midnight UTC (03:00 in Moscow), half a day from either edge, so a run a little early or late is still
 * its own night's.
 */
export function firstDepartmentOfNight(now: Date, departments: number): number {
  if (departments === 0) return 0;
  return Math.floor((now.getTime() + DAY_MS / 2) / DAY_MS) % departments;
}

/**
 * One run of the retention sweep: the finished inquiries whose period has passed are deleted, each with its
 * history and every item of another partition that names it. First it finishes the erasures a stopped run
 * left (their marks), and deletes what tries that never stored their new inquiry left, then it goes through
 * each department's inquiries by opening, oldest first, up to the cutoff (a Query of the index), deciding on a
 * consistent read of each, a few at once, starting one department further each night: the configured ones
 * and those the configuration no longer names that it knows inquiries were listed under (from its nights
 * before, and from its census, a Scan of the index every CENSUS_DAYS). It stops while it still has time
 * (`hasTime`); whatever is left is due tomorrow as today.
 */
export function createRetentionSweep(deps: RetentionDeps) {
  const { config, store } = deps;
  const pageSize = deps.pageSize ?? 100;
  const atOnce = deps.atOnce ?? ERASURES_AT_ONCE;
  const policy = config.retention;
  // A notice of an inquiry under a department not named here is sent by no one: it holds no deletion.
  const named = new Set(config.departments.map((department) => department.id));

  return async function sweep(hasTime: () => boolean): Promise<RetentionRun> {
    const run: RetentionRun = { deleted: 0, items: 0, kept: 0, unopened: 0, failed: 0, complete: true };
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
        // Awaited first: `run.items += await …` would add to the count read before the wait, and lose the
        // items of the erasures finished meanwhile.
        const items = await store.finishErasure(erasure);
        run.items += items;
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
      if (dueForDeletion(inquiry, now, policy, named)) return erase(erasureOf(inquiry), false);
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

    /**
     * What a try that never stored its new inquiry left (ports/retention.ts, Opening), unless it is stored
     * after all.
     */
    async function discard(opening: Opening): Promise<void> {
      try {
        const items = await store.discardOpening(opening);
        // Stored after all, or stopped before its history: only its mark went.
        if (items === 'opened' || items === 0) return;
        run.items += items;
        run.unopened++;
      } catch (error) {
        run.failed++;
        deps.logError?.('retention: an unopened inquiry could not be deleted', {
          inquiryId: opening.inquiryId,
          error: errorSummary(error),
        });
      }
    }

    /** Takes up the items a few at a time while the run has time; false if it had not the time for all. */
    const eachInTime = async <T>(items: readonly T[], each: (item: T) => Promise<void>) =>
      (await atMostAtOnce(items, atOnce, each, hasTime)) === items.length;

    /** The run as it stands, cut short: counted, for the alarm on runs that keep falling behind. */
    const incomplete = (): RetentionRun => {
      deps.metrics?.count('RetentionRunsIncomplete');
      return { ...run, complete: false };
    };

    if (!(await eachInTime(await store.unfinishedErasures(pageSize), resume))) return incomplete();

    // Openings old enough that no dead letter can finish them: each discarded goes, so the next page starts
    // at the oldest left; one that failed stays, and the next night tries it again.
    for (;;) {
      if (!hasTime()) return incomplete();
      const failed = run.failed;
      const openings = await store.openingsBefore(unopenedCutoff(now), pageSize);
      if (!(await eachInTime(openings, discard))) return incomplete();
      if (openings.length < pageSize || run.failed > failed) break;
    }

    const configured = config.departments.map((department) => department.id);

    /**
     * The department's inquiries by opening, up to the cutoff, each decided on a consistent read (the index may
     * lag behind the item); false if the run's time ran out first. One the configuration no longer names is
     * forgotten once the index lists nothing under it (its last inquiry deleted, or moved).
     */
    async function sweepDepartment(department: string, cutoff: Date): Promise<boolean> {
      let after: string | undefined;
      do {
        if (!hasTime()) return false;
        const page = await store.finishedBefore(department, cutoff, {
          limit: pageSize,
          ...(after !== undefined && { after }),
        });
        const inTime = await eachInTime(page.inquiryIds, async (id) => {
          const inquiry = await read(id);
          if (inquiry && dueForDeletion(inquiry, now, policy, named)) await erase(erasureOf(inquiry), false);
        });
        if (!inTime) return false;
        after = page.after;
      } while (after !== undefined);
      if (!named.has(department) && (await store.holdsNothing(department))) {
        await store.forgetDepartment(department);
      }
      return true;
    }

    // The configured departments, noted, and those noted once that the configuration no longer names: their
    // finished inquiries, left where no list shows them, are the citizens' words all the same.
    const known = await store.knownDepartments();
    const unnoted = configured.filter((department) => !known.includes(department));
    if (unnoted.length > 0) await store.noteDepartments(unnoted);
    const all = departmentsToSweep(configured, known);
    const first = firstDepartmentOfNight(now, all.length);
    const cutoff = deletionCutoff(now, policy);
    for (const department of [...all.slice(first), ...all.slice(0, first)]) {
      if (!(await sweepDepartment(department, cutoff))) return incomplete();
    }

    // The census: a Scan of the index, a page at a time, noting the departments it lists inquiries under that
    // the sweep never saw configured, swept as soon as found. Once done, not again for CENSUS_DAYS.
    let census = censusToGoOn(await store.census(), now);
    const noted = new Set(all);
    while (census !== undefined && census.doneAt === undefined) {
      if (!hasTime()) return incomplete();
      const page = await store.censusPage(census.after, deps.censusPageSize);
      const found = page.departments.filter((department) => !noted.has(department));
      if (found.length > 0) await store.noteDepartments(found);
      for (const department of found) {
        noted.add(department);
        if (!(await sweepDepartment(department, cutoff))) return incomplete();
      }
      census =
        page.after !== undefined
          ? { startedAt: census.startedAt, after: page.after }
          : { startedAt: census.startedAt, doneAt: now.toISOString() };
      await store.saveCensus(census);
    }
    return run;
  };
}
