import type { SlaPolicy } from '../config/schema.js';
import { addWorkingHours, instantAtFraction, type WorkingCalendar } from '../sla/index.js';
import type { Category, Priority } from '../taxonomy.js';

/** Working hours an inquiry has, by its category and priority. */
export interface SlaTerms {
  firstResponseHours: number;
  resolutionHours: number;
}

/**
 * The terms of the SLA policy for a category and priority: the priority's defaults, each field overridden by
 * the first override that matches (category and/or priority) and sets it.
 */
export function slaTermsFor(sla: SlaPolicy, category: Category, priority: Priority): SlaTerms {
  const matches = sla.overrides.filter(
    (override) =>
      (override.category === undefined || override.category === category) &&
      (override.priority === undefined || override.priority === priority),
  );
  const defaults = sla.defaults[priority];
  return {
    firstResponseHours:
      matches.find((override) => override.firstResponseHours !== undefined)?.firstResponseHours ??
      defaults.firstResponseHours,
    resolutionHours:
      matches.find((override) => override.resolutionHours !== undefined)?.resolutionHours ??
      defaults.resolutionHours,
  };
}

export type ClockKind = 'first_response' | 'resolution';

/**
 * The running deadline of an inquiry: what is owed (a first response, or the resolution), since when, by when,
 * and when the department is warned. `cycle` counts the clocks the inquiry has had, so that a reopened
 * inquiry's new clock is warned and escalated on its own, once.
 */
export interface DeadlineClock {
  kind: ClockKind;
  cycle: number;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  warned: boolean;
  breached: boolean;
}

/** What the clock needs from the community and the policy. */
export interface DeadlineContext {
  calendar: WorkingCalendar;
  warnAtFraction: number;
}

/**
 * Starts a clock of `hours` working hours at `start`: due when that much working time of the community's
 * calendar has passed (a message on Friday evening starts counting on Monday morning), warned at the policy's
 * fraction of it.
 */
export function startClock(
  kind: ClockKind,
  cycle: number,
  start: Date,
  hours: number,
  context: DeadlineContext,
): DeadlineClock {
  const due = addWorkingHours(start, hours, context.calendar);
  const warn = instantAtFraction(start, due, context.warnAtFraction, context.calendar);
  return {
    kind,
    cycle,
    startedAt: start.toISOString(),
    dueAt: due.toISOString(),
    warnAt: warn.toISOString(),
    warned: false,
    breached: false,
  };
}

/**
 * A clock started at `start` as `startClock` starts it, but due no later than `notAfter`, its warning point
 * at the policy's fraction of the shorter time.
 */
export function startClockDueBy(
  kind: ClockKind,
  cycle: number,
  start: Date,
  hours: number,
  context: DeadlineContext,
  notAfter: string,
): DeadlineClock {
  const clock = startClock(kind, cycle, start, hours, context);
  if (clock.dueAt <= notAfter) return clock;
  const warn = instantAtFraction(start, new Date(notAfter), context.warnAtFraction, context.calendar);
  return { ...clock, dueAt: notAfter, warnAt: warn.toISOString() };
}

/** The next moment the escalator must look at a clock, or undefined once it has been escalated. */
export function nextCheckAt(clock: DeadlineClock | undefined): string | undefined {
  if (!clock || clock.breached) return undefined;
  return clock.warned ? clock.dueAt : clock.warnAt;
}
