/**
 * The working-time clock: deadlines counted in working time of a community's calendar.
 *
 * It walks the calendar one local day at a time and one working interval at a time, never minute by minute:
 * a 7-working-day budget touches about ten days and a couple of dozen intervals, including long holidays.
 * Time counts in real elapsed milliseconds inside working intervals, so `workingMinutesBetween` is the exact
 * inverse of `addWorkingMinutes`, also across DST changes.
 */
import type { WorkingCalendar } from './calendar-schema.js';
import { localDayNumber } from './time-zone.js';
import { workingSpansOn } from './working-day.js';

type Instant = Date | number;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const HOUR_MINUTES = 60;
/** A calendar with no working time at all would loop forever; ten years of searching is a safe bound. */
const MAX_DAYS_SEARCHED = 3660;

function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

function checkDuration(minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`a working duration must be a finite number of minutes ≥ 0, got ${minutes}`);
  }
}

/**
 * The instant at which `minutes` of working time have passed since `start`. Time before the next working
 * moment does not count: a message that arrives on Friday night starts its clock on Monday morning. The
 * result lies inside a working interval, or exactly at the end of one.
 */
export function addWorkingMinutes(start: Instant, minutes: number, calendar: WorkingCalendar): Date {
  checkDuration(minutes);
  const from = toMs(start);
  let remaining = Math.round(minutes * MINUTE_MS);
  // Start a day early: the instant may sit before midnight of its local date in some edge of a DST change.
  const firstDay = localDayNumber(from, calendar.timeZone) - 1;
  for (let day = firstDay; day < firstDay + MAX_DAYS_SEARCHED; day++) {
    for (const span of workingSpansOn(calendar, day)) {
      if (span.end <= from) continue;
      const begin = Math.max(span.start, from);
      if (remaining <= span.end - begin) return new Date(begin + remaining);
      remaining -= span.end - begin;
    }
  }
  throw new RangeError(
    `the calendar has no working time within ${MAX_DAYS_SEARCHED} days of ${new Date(from)}`,
  );
}

export function addWorkingHours(start: Instant, hours: number, calendar: WorkingCalendar): Date {
  return addWorkingMinutes(start, hours * HOUR_MINUTES, calendar);
}

/**
 * Working minutes between two instants (0 if `to` is not after `from`); fractional if they have seconds.
 * It sums the working spans of every local day that may hold part of [from, to): a zone is less than a day
 * off UTC, so the UTC days around them (with a day more for a DST edge) hold them all, and the days' spans
 * never overlap. Reading the zone's offset (an Intl call) costs far more than a day's cached spans: the
 * statistics count this for every answer of a period.
 */
export function workingMinutesBetween(from: Instant, to: Instant, calendar: WorkingCalendar): number {
  const fromMs = toMs(from);
  const toMsValue = toMs(to);
  if (toMsValue <= fromMs) return 0;
  let total = 0;
  const lastDay = Math.floor(toMsValue / DAY_MS) + 2;
  for (let day = Math.floor(fromMs / DAY_MS) - 2; day <= lastDay; day++) {
    for (const span of workingSpansOn(calendar, day)) {
      total += Math.max(0, Math.min(span.end, toMsValue) - Math.max(span.start, fromMs));
    }
  }
  return total / MINUTE_MS;
}

/**
 * The instant at which `fraction` (0..1) of the working time between `start` and `due` is used, e.g. 0.8
 * for a "80 % of the time used" warning. Works for budgets given in minutes and in working days alike.
 */
export function instantAtFraction(
  start: Instant,
  due: Instant,
  fraction: number,
  calendar: WorkingCalendar,
): Date {
  if (!(fraction >= 0 && fraction <= 1))
    throw new RangeError(`a fraction must be within 0..1, got ${fraction}`);
  const budget = workingMinutesBetween(start, due, calendar);
  return addWorkingMinutes(start, budget * fraction, calendar);
}

/**
 * The end of the `days`-th working day after the one on which `start` falls, as legal terms in days run:
 * the term starts on the next day (Civil Code art. 191), and ends when the organisation's working hours end
 * on its last day (art. 194), a non-working last day moving to the next working day (art. 193),
 * https://www.consultant.ru/document/cons_doc_LAW_5142/. Dates come from the community's time zone.
 */
export function addWorkingDays(start: Instant, days: number, calendar: WorkingCalendar): Date {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`working days must be a whole number ≥ 1, got ${days}`);
  const firstDay = localDayNumber(toMs(start), calendar.timeZone) + 1;
  let counted = 0;
  for (let day = firstDay; day < firstDay + MAX_DAYS_SEARCHED; day++) {
    const spans = workingSpansOn(calendar, day);
    const last = spans.at(-1);
    if (last && ++counted === days) return new Date(last.end);
  }
  throw new RangeError(`the calendar has no ${days} working days within ${MAX_DAYS_SEARCHED} days`);
}

/** The local date of an instant in the calendar's time zone, as a UTC midnight. */
const localDate = (instant: Instant, calendar: WorkingCalendar) =>
  new Date(localDayNumber(toMs(instant), calendar.timeZone) * DAY_MS);

/**
 * The years from `from` to `to` (local dates) whose special dates the calendar should list but does not: a
 * deadline counted across them ignores their holidays. None for a calendar that lists no year at all: it
 * runs on weekly hours alone by choice.
 */
export function uncoveredYears(from: Instant, to: Instant, calendar: WorkingCalendar): number[] {
  const first = localDate(from, calendar).getUTCFullYear();
  return yearsNotListed(first, localDate(to, calendar).getUTCFullYear(), calendar);
}

function yearsNotListed(first: number, last: number, calendar: WorkingCalendar): number[] {
  if (calendar.coveredYears.size === 0) return [];
  const missing: number[] = [];
  for (let year = first; year <= last; year++) if (!calendar.coveredYears.has(year)) missing.push(year);
  return missing;
}

/**
 * The years the calendar must list on `today` and does not: this year, and in December the next one too,
 * since deadlines counted then run into January and the decree on the next year is out by the autumn.
 */
export function calendarYearsDue(today: Instant, calendar: WorkingCalendar): number[] {
  const date = localDate(today, calendar);
  const year = date.getUTCFullYear();
  return yearsNotListed(year, date.getUTCMonth() === 11 ? year + 1 : year, calendar);
}
