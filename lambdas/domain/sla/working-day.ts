/** Which hours of a given local date are working time, by the community's calendar. */
import type { WorkingCalendar } from './calendar-schema.js';
import { isoDateFromDayNumber, weekdayOfDayNumber } from './local-date.js';
import { instantOfWallClock } from './time-zone.js';
import { shortenDay, type WorkingInterval } from './working-interval.js';

/** Labour Code art. 95: the working day before a non-working holiday is one hour shorter. */
const PRE_HOLIDAY_SHORTENING_MINUTES = 60;

/** A stretch of working time between two instants (epoch milliseconds), [start, end). */
interface WorkingSpan {
  readonly start: number;
  readonly end: number;
}

/** The wall-clock working intervals of a local date (days since 1970-01-01). */
function workingIntervalsOn(calendar: WorkingCalendar, dayNumber: number): readonly WorkingInterval[] {
  const date = isoDateFromDayNumber(dayNumber);
  if (calendar.holidays.has(date)) return [];
  const intervals =
    calendar.workingDays.get(date) ?? calendar.weeklyHours[weekdayOfDayNumber(dayNumber)] ?? [];
  return calendar.shortenedDays.has(date) ? shortenDay(intervals, PRE_HOLIDAY_SHORTENING_MINUTES) : intervals;
}

/** Day spans cost a few Intl calls each; a warm Lambda asks for the same weeks again and again. */
const spanCache = new WeakMap<WorkingCalendar, Map<number, readonly WorkingSpan[]>>();
const SPAN_CACHE_DAYS = 4000;

/** The same intervals as instants; spans of zero length (swallowed by a DST gap) are dropped. */
export function workingSpansOn(calendar: WorkingCalendar, dayNumber: number): readonly WorkingSpan[] {
  let days = spanCache.get(calendar);
  if (!days) {
    days = new Map();
    spanCache.set(calendar, days);
  }
  let spans = days.get(dayNumber);
  if (!spans) {
    if (days.size >= SPAN_CACHE_DAYS) days.clear();
    spans = computeSpans(calendar, dayNumber);
    days.set(dayNumber, spans);
  }
  return spans;
}

function computeSpans(calendar: WorkingCalendar, dayNumber: number): WorkingSpan[] {
  const spans: WorkingSpan[] = [];
  for (const interval of workingIntervalsOn(calendar, dayNumber)) {
    const start = instantOfWallClock(dayNumber, interval.start, calendar.timeZone);
    const end = instantOfWallClock(dayNumber, interval.end, calendar.timeZone);
    if (end > start) spans.push({ start, end });
  }
  return spans;
}
