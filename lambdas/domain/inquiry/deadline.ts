import type { SlaPolicy } from '../config/schema.js';
import { addWorkingHours, instantAtFraction, type WorkingCalendar } from '../sla/index.js';
import type { Category, Priority } from '../taxonomy.js';

/**
 * How a term's hours are counted: in working time of the community's calendar (the default: a message on
 * Friday evening is counted from Monday morning), or round the clock, every hour of every day, for what cannot
 * wait for the office to open (a `critical` gas smell on a Saturday night).
 */
export const SLA_CLOCKS = ['working_hours', 'round_the_clock'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

/** Hours an inquiry has, by its category and priority, and how they are counted. */
export interface SlaTerms {
  firstResponseHours: number;
  resolutionHours: number;
  /** Absent on inquiries stored before terms said it: working hours, as all terms were counted then. */
  clock?: SlaClock;
  /**
   * The share of the term after which the department is warned, where the policy sets one for the priority
   * (`sla.defaults.<priority>.warnAtFraction`); absent: the policy's (`DeadlineContext.warnAtFraction`).
   */
  warnAtFraction?: number;
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
    ...(defaults.warnAtFraction !== undefined && { warnAtFraction: defaults.warnAtFraction }),
    firstResponseHours:
      matches.find((override) => override.firstResponseHours !== undefined)?.firstResponseHours ??
      defaults.firstResponseHours,
    resolutionHours:
      matches.find((override) => override.resolutionHours !== undefined)?.resolutionHours ??
      defaults.resolutionHours,
    clock: matches.find((override) => override.clock !== undefined)?.clock ?? defaults.clock,
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
  /**
   * A raise of the priority (`from` the priority before, to `to`, `at` when) that timed this clock anew to a
   * due time already past then: the deadline came due with the raise, which its escalation tells
   * (digest/timing.ts), not how long overdue. Absent otherwise, and once the clock is put back.
   */
  raisedPastDue?: { from: Priority; to: Priority; at: string };
}

/** What the clock needs from the community and the policy. */
export interface DeadlineContext {
  calendar: WorkingCalendar;
  warnAtFraction: number;
}

const HOUR_MS = 3_600_000;

/** The hours the terms give the clock of this kind. */
const hoursOf = (terms: SlaTerms, kind: ClockKind) =>
  kind === 'first_response' ? terms.firstResponseHours : terms.resolutionHours;

/** When `hours` have passed since `start`, counted as the terms count them. */
function dueAfter(start: Date, hours: number, terms: SlaTerms, calendar: WorkingCalendar): Date {
  return terms.clock === 'round_the_clock'
    ? new Date(start.getTime() + Math.round(hours * HOUR_MS))
    : addWorkingHours(start, hours, calendar);
}

/** When the terms' share (else the policy's) of the time from `start` to `due` has passed, counted as the terms count it. */
function warnBefore(start: Date, due: Date, terms: SlaTerms, context: DeadlineContext): Date {
  const fraction = terms.warnAtFraction ?? context.warnAtFraction;
  if (terms.clock !== 'round_the_clock') return instantAtFraction(start, due, fraction, context.calendar);
  return new Date(start.getTime() + Math.round((due.getTime() - start.getTime()) * fraction));
}

/**
 * Starts the clock of `kind` at `start`, on the terms' hours for it: due when that much time has passed,
 * counted in working time of the community's calendar (a message on Friday evening starts counting on Monday
 * morning) or, for terms counted round the clock, in every hour; warned at the terms' (else the policy's)
 * fraction of it.
 */
export function startClock(
  kind: ClockKind,
  cycle: number,
  start: Date,
  terms: SlaTerms,
  context: DeadlineContext,
): DeadlineClock {
  const due = dueAfter(start, hoursOf(terms, kind), terms, context.calendar);
  const warn = warnBefore(start, due, terms, context);
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
  terms: SlaTerms,
  context: DeadlineContext,
  notAfter: string,
): DeadlineClock {
  const clock = startClock(kind, cycle, start, terms, context);
  if (clock.dueAt <= notAfter) return clock;
  const warn = warnBefore(start, new Date(notAfter), terms, context);
  return { ...clock, dueAt: notAfter, warnAt: warn.toISOString() };
}

/** The next moment the escalator must look at a clock, or undefined once it has been escalated. */
export function nextCheckAt(clock: DeadlineClock | undefined): string | undefined {
  if (!clock || clock.breached) return undefined;
  return clock.warned ? clock.dueAt : clock.warnAt;
}
