/**
 * How long a calendar still serves the deadlines counted from today: a term counted now ends days or weeks
 * later, so a calendar that lists this year but not the next fails the deadlines set in late December before
 * the year is out (a deadline set then falls in January, whose first week is holidays).
 */
import type { WorkingCalendar } from './calendar-schema.js';
import { localDayNumber } from './time-zone.js';
import { workingSpansOn } from './working-day.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The first year a deadline can reach that the calendar does not list, and the days left before one can. */
export interface UnlistedYearAhead {
  year: number;
  /**
   * Whole local days from today until the first date from which a term of the given working hours, counted
   * from any moment of that date, may end in `year`; 0 when a term counted today already may.
   */
  daysLeft: number;
}

/**
 * The first year from today's (local) on that the calendar does not list, and the days before a term of
 * `termHours` working hours counted from then may end in it. Walks back from 1 January of that year one local
 * day at a time, adding up the working time of the days after each, until they hold the whole term: a term
 * counted on that day ends before the year. Undefined for a calendar that lists no year at all: it runs on
 * weekly hours alone by choice, and no year is missing.
 */
export function unlistedYearAhead(
  today: Date | number,
  termHours: number,
  calendar: WorkingCalendar,
): UnlistedYearAhead | undefined {
  if (calendar.coveredYears.size === 0) return undefined;
  const todayNumber = localDayNumber(typeof today === 'number' ? today : today.getTime(), calendar.timeZone);
  let year = new Date(todayNumber * DAY_MS).getUTCFullYear();
  while (calendar.coveredYears.has(year)) year++;
  const firstOfYear = Date.UTC(year, 0, 1) / DAY_MS;
  const term = termHours * HOUR_MS;
  let after = 0;
  for (let day = firstOfYear - 1; day >= todayNumber; day--) {
    if (after >= term) return { year, daysLeft: day + 1 - todayNumber };
    for (const span of workingSpansOn(calendar, day)) after += span.end - span.start;
  }
  return { year, daysLeft: 0 };
}
