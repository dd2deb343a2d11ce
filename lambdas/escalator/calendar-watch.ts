import { ESCALATOR } from '../../lib/resources.js';
import { calendarsRunningOut, longestWorkingTermHours } from '../domain/inquiry/calendar-outlook.js';
import type { EscalatorDeps } from './run-deps.js';

const { alarmBelowDays, writtenBelowDays } = ESCALATOR.calendar;

/**
 * The production calendar a stage was bundled with runs out at the end of its last year, and a stage nobody
 * deploys would count every deadline across the new year without its holidays. So each run reads, from the
 * calendars it holds and the run's time, how many days are left before a deadline may end in a year some
 * community's calendar does not list, and writes the fewest as `CalendarDaysLeft` once it is under
 * `writtenBelowDays` (its alarm reads it); under `alarmBelowDays` it also logs which communities and years.
 * Configuration and ids only: nothing of any citizen.
 */
export function createCalendarWatch(deps: EscalatorDeps) {
  const termHours = longestWorkingTermHours(deps.config.sla);
  return function watchCalendar(now: Date): void {
    const running = calendarsRunningOut(deps.config.communities, termHours, now);
    const fewest = running[0];
    if (!fewest || fewest.daysLeft >= writtenBelowDays) return;
    deps.metrics?.count('CalendarDaysLeft', {}, fewest.daysLeft);
    const due = running.filter((community) => community.daysLeft < alarmBelowDays);
    if (due.length === 0) return;
    deps.logWarning?.(
      'escalator: the production calendar runs out: add the next year (config/calendars/README.md, "Yearly update") and deploy',
      {
        daysLeft: fewest.daysLeft,
        years: [...new Set(due.map((community) => community.year))].sort(),
        communities: due.map(({ groupId, year, daysLeft }) => ({ groupId, year, daysLeft })),
        termHours,
      },
    );
  };
}
