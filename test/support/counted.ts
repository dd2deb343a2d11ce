import type { recordingMetrics } from '../../lambdas/adapters/metrics.js';

type Counts = ReturnType<typeof recordingMetrics>['counts'];

/*
 * A test on the system clock, run in late December or in a year the production calendar does not list yet
 * (config/calendars), sets deadlines outside the calendar: the service counts and logs them so
 * (calendar-check.ts). These leave that out of what such a test asks about; the tests of that check set their
 * own clocks.
 */

/** The counts, without DeadlinesOutsideCalendar. */
export const countsBesidesCalendar = (counts: Counts): Counts =>
  counts.filter(({ name }) => name !== 'DeadlinesOutsideCalendar');

/** The warnings logged, without the one of a deadline outside the calendar. */
export const warningsBesidesCalendar = (warnings: readonly string[]): string[] =>
  warnings.filter((warning) => !warning.startsWith('a deadline falls in a year the calendar does not list'));
