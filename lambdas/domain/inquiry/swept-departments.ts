import type { DepartmentCensus } from '../ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How often the retention sweep reads the whole index of inquiries by department (its census), to learn of
 * departments it never saw configured: those removed before it kept a list, or configured for less than a
 * day between two of its nights. A Scan reads every inquiry, so not nightly; an inquiry of such a department
 * is deleted at most this many days (and the census's own nights) after its period ends.
 */
export const CENSUS_DAYS = 30;

/**
 * The departments a night's sweep goes through: the configured ones, then those it knows inquiries were
 * listed under and the configuration no longer names (removed, renamed or merged before their finished
 * inquiries were moved: nothing else reaches those), in the order of their ids.
 */
export function departmentsToSweep(configured: readonly string[], known: readonly string[]): string[] {
  const named = new Set(configured);
  return [...configured, ...[...new Set(known)].filter((department) => !named.has(department)).sort()];
}

/** The census to go on with at `now`: one under way, or a new one when none was done in CENSUS_DAYS. */
export function censusToGoOn(census: DepartmentCensus | undefined, now: Date): DepartmentCensus | undefined {
  if (census !== undefined) {
    if (census.doneAt === undefined) return census;
    if (now.getTime() - Date.parse(census.doneAt) < CENSUS_DAYS * DAY_MS) return undefined;
  }
  return { startedAt: now.toISOString() };
}
