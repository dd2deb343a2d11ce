import type { ProductMetrics } from '../ports.js';
import { uncoveredYears, type WorkingCalendar } from '../sla/index.js';
import type { Inquiry } from './inquiry.js';

/** Where a service tells of a deadline outside the calendar: its counts, and its log (ids and dates only). */
export interface CalendarCheckOutput {
  metrics?: ProductMetrics;
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * A deadline counted in a year the community's calendar does not list ignores that year's holidays: warned of
 * and counted by the service that saved it (the router, or the operator API: an intermediate answer's
 * resolution clock, a reopening, a priority or category set by hand, a rejected message moved into work), so
 * that the yearly update of the production calendar is not missed. Called after every saved change, with the
 * inquiry as it was read: a clock that did not move is not told of again, nor one counted round the clock.
 */
export function checkDeadlineCalendar(
  inquiry: Inquiry,
  before: Inquiry | undefined,
  calendar: WorkingCalendar,
  output: CalendarCheckOutput,
): void {
  const clock = inquiry.clock;
  if (!clock || (clock.startedAt === before?.clock?.startedAt && clock.dueAt === before.clock.dueAt)) return;
  // Counted round the clock, the deadline owes nothing to the calendar's holidays.
  if (inquiry.terms?.clock === 'round_the_clock') return;
  const years = uncoveredYears(new Date(clock.startedAt), new Date(clock.dueAt), calendar);
  if (years.length === 0) return;
  output.metrics?.count('DeadlinesOutsideCalendar', { community: String(inquiry.groupId) });
  output.logWarning?.(
    'a deadline falls in a year the calendar does not list: counted on weekly hours alone',
    {
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      clock: clock.kind,
      dueAt: clock.dueAt,
      years,
    },
  );
}
