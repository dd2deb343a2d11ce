import type { recordingMetrics } from '../../lambdas/adapters/metrics.js';

type Counts = ReturnType<typeof recordingMetrics>['counts'];

/**
 * The counts a test on the system clock asks about, without DeadlinesOutsideCalendar: run in late December or
 * in a year the production calendar does not list yet (config/calendars), its deadlines are outside the
 * calendar and counted so too. The tests of that count set their own clocks.
 */
export const countsBesidesCalendar = (counts: Counts): Counts =>
  counts.filter(({ name }) => name !== 'DeadlinesOutsideCalendar');
