import {
  currentCycleOf,
  type EndedCycle,
  type Inquiry,
  isOpen,
  refusalTookFirstResponse,
} from '../inquiry/inquiry.js';
import { type WorkingCalendar, workingMinutesBetween } from '../sla/index.js';

/**
 * One of the two things an inquiry owes in each of its cycles, over a group's inquiries: the first response
 * (an intermediate answer or the answer, whichever came first), or the resolution (the answer).
 */
export interface AnswerFigures {
  /** How many were given (and not refused by VK). */
  count: number;
  /** From the start of the cycle to when it was given, calendar minutes: what the citizen waited. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /**
   * The same in working minutes of the community's calendar, as the deadlines count: every minute for terms
   * round the clock. Null without a calendar.
   */
  medianWorkingMinutes: number | null;
  p90WorkingMinutes: number | null;
  /** Given by its deadline. */
  inTime: number;
  /** Given after its deadline, or not given and its deadline passed. */
  late: number;
  /** inTime / (inTime + late), to three places; null when nothing was due. */
  inTimeShare: number | null;
}

export interface StatisticsGroup {
  department: string;
  community: number;
  total: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  firstResponse: AnswerFigures;
  resolution: AnswerFigures;
  /** Of `total`, the inquiries whose citizen wrote, in any of their cycles, that the matter is settled. */
  citizenSettled: number;
  /** `firstResponse.inTimeShare`, under the name the first version of the API gave it. */
  answeredInTimeShare: number | null;
}

/**
 * What the statistics and the operators' figures read of an inquiry, and all they read: the adapter asks the
 * table for these alone.
 */
export const STATISTICS_FIELDS = [
  'department',
  'groupId',
  'status',
  'category',
  'createdAt',
  'reopenCount',
  'firstResponseStartedAt',
  'firstResponseDueAt',
  'firstRespondedAt',
  'firstResponseLate',
  'firstResponseCause',
  'resolutionDueAt',
  'answeredAt',
  'closedAt',
  'undelivered',
  'earlierCycles',
  'terms',
  'citizenSettledAt',
  // Who holds it, since when, and whose the answer is: the operators' figures (operator-statistics.ts); the
  // statistics read none of them.
  'assignee',
  'assignedAt',
  'answerCause',
] as const satisfies readonly (keyof Inquiry)[];

export type CountedInquiry = Pick<Inquiry, (typeof STATISTICS_FIELDS)[number]>;

/** A page of a department's inquiries opened in a period, as read, and whether another follows. */
export interface CountedPage {
  inquiries: CountedInquiry[];
  more: boolean;
}

/** The longest period one request counts: a year, a leap year's included. */
export const MAX_STATISTICS_DAYS = 366;

/**
 * A bound of a period, given with `Z` or an offset, as the inquiries' opening times are written
 * (`toISOString`: always milliseconds, UTC), so that the table compares like with like: as text,
 * "…T00:00:00Z" sorts after "…T00:00:00.000Z" and would leave out the first second, and "…+05:00" is no
 * UTC time at all. Finer than milliseconds, it rounds up: an inquiry opened at .123 ms is before .1234 ms,
 * at both ends of a period [from, to).
 */
export function periodBound(text: string): string {
  const milliseconds = Date.parse(text);
  const finer = /\.\d{3}(\d+)/.exec(text)?.[1] ?? '';
  return new Date(milliseconds + (/[1-9]/.test(finer) ? 1 : 0)).toISOString();
}

/** The nearest-rank percentile of sorted values (p in 0…1). */
function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** What became of one thing owed: when it was given, and whether in time (undefined: not due yet). */
interface Outcome {
  givenAt?: string;
  inTime?: boolean;
}

/** One cycle of an inquiry: since when the citizen waits, and what became of the two things owed. */
export interface Cycle {
  /** Undefined for a cycle that began with a reopening before the start was kept: counted, not timed. */
  startedAt?: string;
  /** Its deadlines counted every minute (terms round the clock): so do its working minutes. */
  roundTheClock: boolean;
  firstResponse: Outcome;
  resolution: Outcome;
}

/**
 * The current cycle of an inquiry at `at` (an ISO time): since its opening, or since it was last reopened
 * or routed back into work (`cycleOf` says what it counts). Stored before the start was kept, an inquiry
 * never reopened waited from its opening.
 */
export function currentCycle(inquiry: CountedInquiry, at: string): Cycle {
  return cycleOf(currentCycleOf(inquiry), at);
}

/**
 * One cycle at `at`: one the inquiry ended (`earlierCycles`), or its current one as `currentCycle` gives its
 * fields. The first response is the first intermediate answer or answer of the cycle that VK did not refuse
 * (or, after a refused answer, the closing); the resolution is the answer (or, for one closed after VK
 * refused its answer, the closing: the department reached the citizen another way). Each is due by its
 * deadline: the first response by `firstResponseDueAt`, the resolution by `resolutionDueAt`, which an
 * intermediate answer sets, or else by the first response's (an answer given without one was owed by the
 * only deadline running). Both are timed from the start of the cycle: what the citizen waited. Words VK
 * refused (`refused`) are not given: a cycle that keeps which words gave its first response
 * (`firstResponseCause`) had that first response taken back when VK refused them (delivery.ts), and of one
 * recorded before it kept that, `refusalTookFirstResponse` judges.
 *
 * Not given, either is late once its deadline has passed while it was owed: at `at` while the cycle is open;
 * until it ended (`endedAt`) for an ended one, rejected and routed back into work, or answered with words VK
 * refused after the next cycle began. A rejection that stands (the current cycle, rejected) owes nothing.
 */
export function cycleOf(cycle: EndedCycle, at: string): Cycle {
  const { refused } = cycle;
  const owedUntil = isOpen(cycle.status) ? at : cycle.endedAt;
  const firstResponseRefused =
    cycle.firstResponseCause === undefined &&
    refused !== undefined &&
    refusalTookFirstResponse(refused, cycle.resolutionDueAt);
  const resolvedAt =
    refused === 'answer'
      ? undefined
      : (cycle.answeredAt ?? (cycle.status === 'closed' ? cycle.closedAt : undefined));
  return {
    startedAt: cycle.startedAt,
    roundTheClock: cycle.terms?.clock === 'round_the_clock',
    firstResponse: firstResponseRefused
      ? outcome(undefined, cycle.firstResponseDueAt, undefined, owedUntil)
      : outcome(cycle.firstRespondedAt, cycle.firstResponseDueAt, cycle.firstResponseLate, owedUntil),
    resolution: outcome(resolvedAt, cycle.resolutionDueAt ?? cycle.firstResponseDueAt, undefined, owedUntil),
  };
}

/** Given (late as recorded, or as its time says), or not given and late if due before `owedUntil`. */
function outcome(
  givenAt: string | undefined,
  dueAt: string | undefined,
  late: boolean | undefined,
  owedUntil: string | undefined,
): Outcome {
  if (givenAt !== undefined)
    return dueAt === undefined ? { givenAt } : { givenAt, inTime: !(late ?? givenAt > dueAt) };
  return owedUntil !== undefined && dueAt !== undefined && dueAt < owedUntil ? { inTime: false } : {};
}

/** One thing owed, over a group's inquiries so far. */
export interface AnswerTally {
  count: number;
  /** One number per answer given whose cycle start is known: the percentiles need all. */
  minutes: number[];
  workingMinutes: number[];
  inTime: number;
  late: number;
}

/** One department and community's figures so far. */
interface Tally {
  department: string;
  community: number;
  calendar: WorkingCalendar | undefined;
  total: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  citizenSettled: number;
  firstResponse: AnswerTally;
  resolution: AnswerTally;
}

export const answerTally = (): AnswerTally => ({
  count: 0,
  minutes: [],
  workingMinutes: [],
  inTime: 0,
  late: 0,
});

const tenths = (value: number) => Math.round(value * 10) / 10;

/** How long the citizen waited for what was given at `givenAt`: calendar minutes, and working ones. */
interface Waited {
  givenAt: string;
  minutes: number;
  workingMinutes?: number;
}

/**
 * Counts one thing owed; gives how long it was waited for, which the answer reuses when it was the first
 * response too (an answer with no intermediate answer before it): counting working time is the dear part.
 * Working time is counted as the cycle's deadlines were: by the calendar, or every minute round the clock.
 */
export function count(
  tally: AnswerTally,
  outcome: Outcome,
  start: number | undefined,
  calendar: WorkingCalendar | undefined,
  roundTheClock: boolean,
  before?: Waited,
): Waited | undefined {
  if (outcome.inTime === true) tally.inTime++;
  else if (outcome.inTime === false) tally.late++;
  const { givenAt } = outcome;
  if (givenAt === undefined) return undefined;
  tally.count++;
  if (start === undefined) return undefined;
  let waited = before;
  if (waited?.givenAt !== givenAt) {
    const given = Date.parse(givenAt);
    const minutes = tenths(Math.max(0, given - start) / 60_000);
    waited = {
      givenAt,
      minutes,
      ...(calendar && {
        workingMinutes: roundTheClock ? minutes : tenths(workingMinutesBetween(start, given, calendar)),
      }),
    };
  }
  tally.minutes.push(waited.minutes);
  if (waited.workingMinutes !== undefined) tally.workingMinutes.push(waited.workingMinutes);
  return waited;
}

/** Counts both things a cycle owes: the answer reuses the first response's wait when it was that too. */
function countCycle(tally: Tally, cycle: Cycle): void {
  const start = cycle.startedAt === undefined ? undefined : Date.parse(cycle.startedAt);
  const { roundTheClock } = cycle;
  const waited = count(tally.firstResponse, cycle.firstResponse, start, tally.calendar, roundTheClock);
  count(tally.resolution, cycle.resolution, start, tally.calendar, roundTheClock, waited);
}

export function figures(tally: AnswerTally): AnswerFigures {
  const minutes = Float64Array.from(tally.minutes).sort();
  const working = Float64Array.from(tally.workingMinutes).sort();
  const due = tally.inTime + tally.late;
  return {
    count: tally.count,
    medianMinutes: percentile(minutes, 0.5),
    p90Minutes: percentile(minutes, 0.9),
    medianWorkingMinutes: percentile(working, 0.5),
    p90WorkingMinutes: percentile(working, 0.9),
    inTime: tally.inTime,
    late: tally.late,
    inTimeShare: due === 0 ? null : Math.round((tally.inTime / due) * 1000) / 1000,
  };
}

/**
 * Per department (the one the inquiry is in now, for all its cycles: the index is read by it) and community:
 * counts by status and category (each inquiry once), and for the first response and the resolution of each
 * cycle of each inquiry (the ones it ended, kept in `earlierCycles`, and
 * the current one): how many were given, the time from the start of the cycle to each (median and 90th
 * percentile, in calendar minutes and, where `calendarOf` knows the community's calendar, in its working
 * minutes, or every minute for terms round the clock), and the share given by the deadline, of those given
 * or past their deadline while owed (`cycleOf`: at `now` for an open cycle).
 *
 * Fed page by page as the inquiries are read (`add`), it keeps counts and a few numbers per answer, never
 * the inquiries: a period of a busy department fits in memory and is counted in time linear in its size.
 */
export function statisticsAccumulator(
  now: Date,
  calendarOf: (community: number) => WorkingCalendar | undefined = () => undefined,
) {
  const at = now.toISOString();
  const tallies = new Map<string, Tally>();
  return {
    add(inquiries: Iterable<CountedInquiry>): void {
      for (const inquiry of inquiries) {
        if (!inquiry.department) continue;
        const key = `${inquiry.department}\n${inquiry.groupId}`;
        let tally = tallies.get(key);
        if (!tally) {
          tally = {
            department: inquiry.department,
            community: inquiry.groupId,
            calendar: calendarOf(inquiry.groupId),
            total: 0,
            byStatus: {},
            byCategory: {},
            citizenSettled: 0,
            firstResponse: answerTally(),
            resolution: answerTally(),
          };
          tallies.set(key, tally);
        }
        tally.total++;
        tally.byStatus[inquiry.status] = (tally.byStatus[inquiry.status] ?? 0) + 1;
        tally.byCategory[inquiry.category] = (tally.byCategory[inquiry.category] ?? 0) + 1;
        // Once an inquiry, however many of its cycles the citizen settled: a cycle keeps its mark as it ended
        // (`earlierCycles`), the current one as it stands, as its first responses and answers are counted.
        if (
          inquiry.citizenSettledAt !== undefined ||
          inquiry.earlierCycles?.some((cycle) => cycle.citizenSettledAt !== undefined)
        )
          tally.citizenSettled++;
        // A cycle ended before it kept its terms ran on the inquiry's, as far as is known.
        for (const cycle of inquiry.earlierCycles ?? [])
          countCycle(tally, cycleOf({ terms: inquiry.terms, ...cycle }, at));
        countCycle(tally, currentCycle(inquiry, at));
      }
    },

    /** The groups in the order their first inquiries came. */
    groups(): StatisticsGroup[] {
      return [...tallies.values()].map((tally) => {
        const firstResponse = figures(tally.firstResponse);
        return {
          department: tally.department,
          community: tally.community,
          total: tally.total,
          byStatus: { ...tally.byStatus },
          byCategory: { ...tally.byCategory },
          citizenSettled: tally.citizenSettled,
          firstResponse,
          resolution: figures(tally.resolution),
          answeredInTimeShare: firstResponse.inTimeShare,
        };
      });
    },
  };
}

/** The statistics of inquiries all at hand. */
export function statisticsOf(
  inquiries: Iterable<CountedInquiry>,
  now: Date,
  calendarOf?: (community: number) => WorkingCalendar | undefined,
): StatisticsGroup[] {
  const accumulator = statisticsAccumulator(now, calendarOf);
  accumulator.add(inquiries);
  return accumulator.groups();
}
