/**
 * The SLA clock: deadlines in working time of a community's calendar (time zone, weekly hours, holidays,
 * moved working days and shortened pre-holiday days of the Russian production calendar).
 *
 * - `communityCalendarSchema(productionCalendars)` checks a community's calendar config and gives the
 *   `WorkingCalendar` the clock runs on; `workingCalendarSchema` does the same for a self-contained one, and
 *   `productionCalendarSchema` checks a shared calendar file such as config/calendars/ru-production-calendar.json.
 * - `addWorkingMinutes` / `addWorkingHours(start, duration, calendar)`: the due instant of a budget.
 * - `addWorkingDays(start, days, calendar)`: the end of the n-th working day after the start's date.
 * - `workingMinutesBetween(from, to, calendar)`: working time elapsed, the inverse of `addWorkingMinutes`.
 * - `instantAtFraction(start, due, fraction, calendar)`: when e.g. 80 % of the budget is used.
 * - `uncoveredYears(from, to, calendar)`: the years between that the calendar does not list (a deadline
 *   counted across them ignores their holidays); `calendarYearsDue(today, calendar)`: the years it must list
 *   by today (this one, and from December the next) and does not; `unlistedYearAhead(today, termHours,
 *   calendar)`: the first year it does not list, and the days left before a term counted from then may end in it.
 *
 * Pure: instants come in as Date or epoch milliseconds; nothing reads the clock or does I/O.
 */
export {
  communityCalendarSchema,
  type ProductionCalendar,
  productionCalendarSchema,
  type WorkingCalendar,
  type WorkingCalendarInput,
  workingCalendarSchema,
} from './calendar-schema.js';
export {
  addWorkingDays,
  addWorkingHours,
  addWorkingMinutes,
  calendarYearsDue,
  instantAtFraction,
  uncoveredYears,
  workingMinutesBetween,
} from './clock.js';
export { type UnlistedYearAhead, unlistedYearAhead } from './unlisted-year.js';
