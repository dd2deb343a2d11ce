/**
 * The working calendar as ops write it (JSON), checked with messages that name the problem, and turned into
 * the `WorkingCalendar` the clock reads. See config/calendars/README.md for the format.
 */
import * as z from 'zod';
import { type IsoDate, isRealIsoDate, parseIsoDate, type Weekday, weekdayOfDayNumber } from './local-date.js';
import { isKnownTimeZone } from './time-zone.js';
import {
  findOverlap,
  formatWorkingInterval,
  normaliseIntervals,
  parseWorkingInterval,
  type WorkingInterval,
} from './working-interval.js';

/** What the clock runs on: one community's working time, in its own time zone. */
export interface WorkingCalendar {
  readonly timeZone: string;
  readonly weeklyHours: Readonly<Record<Weekday, readonly WorkingInterval[]>>;
  /** Non-working dates: public holidays and days off moved onto weekdays. */
  readonly holidays: ReadonlySet<IsoDate>;
  /** Dates worked by decree (usually a Saturday), with that day's hours. */
  readonly workingDays: ReadonlyMap<IsoDate, readonly WorkingInterval[]>;
  /** Pre-holiday days, one hour shorter. */
  readonly shortenedDays: ReadonlySet<IsoDate>;
  /** Years whose holidays are listed; outside them only the weekly hours apply. */
  readonly coveredYears: ReadonlySet<number>;
}

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const isoDateSchema = z.string().refine(isRealIsoDate, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a real date: write YYYY-MM-DD, e.g. "2026-01-09"`,
});

const intervalSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseWorkingInterval(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const dayIntervalsSchema = z.array(intervalSchema).superRefine((texts, ctx) => {
  const intervals = texts
    .map(parseWorkingInterval)
    .filter((i): i is WorkingInterval => typeof i !== 'string');
  const overlap = findOverlap(intervals);
  if (overlap) {
    const [a, b] = overlap.map(formatWorkingInterval);
    ctx.addIssue({ code: 'custom', message: `intervals ${a} and ${b} overlap` });
  }
});

const weeklyHoursSchema = z
  .strictObject(
    {
      mon: dayIntervalsSchema.optional(),
      tue: dayIntervalsSchema.optional(),
      wed: dayIntervalsSchema.optional(),
      thu: dayIntervalsSchema.optional(),
      fri: dayIntervalsSchema.optional(),
      sat: dayIntervalsSchema.optional(),
      sun: dayIntervalsSchema.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown weekday ${issue.keys.join(', ')}: use ${WEEKDAY_KEYS.join(', ')}`
          : 'weeklyHours must be an object such as { "mon": ["09:00-18:00"] }',
    },
  )
  .refine((week) => Object.values(week).some((day) => (day?.length ?? 0) > 0), {
    error: 'weeklyHours has no working time on any day',
  });

const noteSchema = z.string().optional();
const dayOffSchema = z.strictObject({ date: isoDateSchema, note: noteSchema });
const workingDaySchema = z.strictObject({
  date: isoDateSchema,
  note: noteSchema,
  /** The weekday whose hours it takes (the decree swaps it with that weekday's day off), or its own hours. */
  hours: z.union([z.enum(WEEKDAY_KEYS), dayIntervalsSchema], {
    error: `hours must be a weekday (${WEEKDAY_KEYS.join(', ')}) or a list of intervals such as ["09:00-17:00"]`,
  }),
});

const dayListsShape = {
  holidays: z.array(dayOffSchema).default([]),
  workingDays: z.array(workingDaySchema).default([]),
  shortenedDays: z.array(dayOffSchema).default([]),
};

type DayLists = {
  holidays: { date: string }[];
  workingDays: { date: string }[];
  shortenedDays: { date: string }[];
};

const LIST_NAMES = {
  holidays: 'a holiday',
  workingDays: 'a moved working day',
  shortenedDays: 'a shortened day',
};

/** A date listed twice, or as both a day off and a working day, makes an overlapping calendar. */
function checkDayLists(lists: DayLists, ctx: z.RefinementCtx, years?: readonly number[]): void {
  const seen = new Map<string, keyof DayLists>();
  for (const list of ['holidays', 'workingDays', 'shortenedDays'] as const) {
    lists[list].forEach(({ date }, index) => {
      const path = [list, index, 'date'];
      const earlier = seen.get(date);
      if (earlier === list) {
        ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice in ${list}` });
      } else if (earlier === 'holidays') {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `overlapping calendar: ${date} is both a holiday and ${LIST_NAMES[list]}`,
        });
      }
      if (earlier === undefined || list === 'workingDays') seen.set(date, list);
      const year = Number(date.slice(0, 4));
      if (years && isRealIsoDate(date) && !years.includes(year)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${date} lies outside the years this calendar covers (${years.join(', ')})`,
        });
      }
    });
  }
}

const workingCalendarShape = {
  timeZone: z.string().refine(isKnownTimeZone, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an IANA time zone known here: use e.g. "Europe/Moscow" or "Asia/Yekaterinburg"`,
  }),
  weeklyHours: weeklyHoursSchema,
  ...dayListsShape,
  years: z.array(z.int().min(2000).max(2100)).optional(),
};

function intervalsOf(texts: readonly string[]): WorkingInterval[] {
  return normaliseIntervals(texts.map(parseWorkingInterval) as WorkingInterval[]);
}

/** A self-contained working calendar: time zone, weekly hours and its own lists of special dates. */
export const workingCalendarSchema = z
  .strictObject(workingCalendarShape)
  .superRefine((calendar, ctx) => {
    checkDayLists(calendar, ctx, calendar.years);
    const hoursOf = (day: Weekday) => calendar.weeklyHours[day] ?? [];
    calendar.workingDays.forEach(({ date, hours }, index) => {
      if (typeof hours === 'string' && hoursOf(hours).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['workingDays', index, 'hours'],
          message: `moved working day ${date} takes the hours of ${hours}, which has no working hours`,
        });
      }
    });
    const worked = new Set(calendar.workingDays.map(({ date }) => date));
    calendar.shortenedDays.forEach(({ date }, index) => {
      const dayNumber = parseIsoDate(date);
      if (dayNumber === undefined || worked.has(date)) return;
      const weekday = weekdayOfDayNumber(dayNumber);
      if (hoursOf(weekday).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['shortenedDays', index, 'date'],
          message: `shortened day ${date} is not a working day (a ${weekday} with no hours, not a moved working day)`,
        });
      }
    });
  })
  .transform((calendar): WorkingCalendar => {
    const weeklyHours = Object.fromEntries(
      WEEKDAY_KEYS.map((day) => [day, intervalsOf(calendar.weeklyHours[day] ?? [])]),
    ) as Record<Weekday, WorkingInterval[]>;
    return {
      timeZone: calendar.timeZone,
      weeklyHours,
      holidays: new Set(calendar.holidays.map(({ date }) => date)),
      workingDays: new Map(
        calendar.workingDays.map(({ date, hours }) => [
          date,
          typeof hours === 'string' ? weeklyHours[hours] : intervalsOf(hours),
        ]),
      ),
      shortenedDays: new Set(calendar.shortenedDays.map(({ date }) => date)),
      coveredYears: new Set(calendar.years ?? []),
    };
  });

export type WorkingCalendarInput = z.input<typeof workingCalendarSchema>;

/**
 * A country-wide calendar of special dates, such as the Russian production calendar: no time zone and no
 * hours, since those belong to each community. `source` names the decrees it was copied from.
 */
export const productionCalendarSchema = z
  .strictObject({
    name: z.string().min(1),
    source: z.array(z.string().min(1)).min(1, { error: 'source must name at least one document' }),
    note: z.string().optional(),
    years: z.array(z.int().min(2000).max(2100)).min(1, { error: 'years must list the years covered' }),
    ...dayListsShape,
  })
  .superRefine((calendar, ctx) => checkDayLists(calendar, ctx, calendar.years));

export type ProductionCalendar = z.output<typeof productionCalendarSchema>;

/**
 * A community's calendar as its config says it: `{ timeZone, weeklyHours, calendar: "ru-production-calendar" }`,
 * optionally with its own extra holidays (a regional holiday), working days or shortened days. The named
 * production calendar's dates are merged in, and the whole is checked as one working calendar, so a local
 * date that clashes with a national one is reported as an overlapping calendar.
 */
export function communityCalendarSchema(productionCalendars: Readonly<Record<string, ProductionCalendar>>) {
  return z
    .strictObject({ ...workingCalendarShape, calendar: z.string().optional() })
    .superRefine(({ calendar }, ctx) => {
      if (calendar !== undefined && !Object.hasOwn(productionCalendars, calendar)) {
        const known = Object.keys(productionCalendars).join(', ') || 'none';
        ctx.addIssue({
          code: 'custom',
          path: ['calendar'],
          message: `unknown calendar "${calendar}" (known: ${known})`,
        });
      }
    })
    .transform(({ calendar, ...own }, ctx): WorkingCalendar => {
      const shared = calendar === undefined ? undefined : productionCalendars[calendar];
      if (!shared) return checked(own, ctx);
      // National dates on which this community does not work anyway do not concern it: a moved Saturday
      // worked with Monday's hours by an office closed on Mondays, a shortened day that is its day off.
      const worksOn = (hours: Weekday | readonly string[]) =>
        (typeof hours === 'string' ? (own.weeklyHours[hours] ?? []) : hours).length > 0;
      const workingDays = shared.workingDays.filter(({ hours }) => worksOn(hours));
      const worked = new Set(workingDays.map(({ date }) => date));
      const shortenedDays = shared.shortenedDays.filter(({ date }) => {
        const dayNumber = parseIsoDate(date);
        return worked.has(date) || (dayNumber !== undefined && worksOn(weekdayOfDayNumber(dayNumber)));
      });
      const merged = checked(
        {
          ...own,
          holidays: [...shared.holidays, ...own.holidays],
          workingDays: [...workingDays, ...own.workingDays],
          shortenedDays: [...shortenedDays, ...own.shortenedDays],
          // The community's own years only let its own dates be listed (a regional holiday of next year).
          years: [...shared.years, ...(own.years ?? [])],
        },
        ctx,
      );
      // A year is covered only if the national calendar lists it: a community's regional holiday in a year
      // it does not list says nothing of that year's national holidays, which its deadlines would ignore.
      return { ...merged, coveredYears: new Set(shared.years) };
    });
}

/** The merged calendar checked as one working calendar, its issues reported at the paths of the config. */
function checked(input: WorkingCalendarInput, ctx: z.RefinementCtx): WorkingCalendar {
  const result = workingCalendarSchema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: issue.input });
  return z.NEVER;
}
