/**
 * Properties of the working-time clock, on the real production calendar and on random calendars in zones
 * with and without DST. Whether an instant is working time is judged here independently of the code under
 * test: from the wall clock Intl shows and the calendar's raw (JSON) rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ruCalendar from '../../../config/calendars/ru-production-calendar.json' with { type: 'json' };
import {
  addWorkingMinutes,
  instantAtFraction,
  type WorkingCalendar,
  type WorkingCalendarInput,
  workingCalendarSchema,
  workingMinutesBetween,
} from '../../../lambdas/domain/sla/index.js';
import { FRIDAY_MINUTES, MON_TO_THU_MINUTES, OFFICE_HOURS, perm } from './calendars.js';

const DAY_MS = 86_400_000;
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2027-12-20T00:00:00Z');
const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ZONES = [
  'Asia/Yekaterinburg',
  'Europe/Moscow',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  // The farthest from UTC, either way: a local day lies furthest from its UTC day.
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

/** The oracle's view of a calendar: the raw rules, read the plain way. */
interface RawCalendar {
  timeZone: string;
  weeklyHours: Partial<Record<(typeof WEEKDAY_KEYS)[number], string[]>>;
  holidays: string[];
  workingDays: { date: string; hours: string[] }[];
  shortenedDays: string[];
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function oracleIntervals(raw: RawCalendar, date: string): [number, number][] {
  if (raw.holidays.includes(date)) return [];
  const weekday = WEEKDAY_KEYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'sun';
  const texts = raw.workingDays.find((d) => d.date === date)?.hours ?? raw.weeklyHours[weekday] ?? [];
  const intervals = texts.map((t): [number, number] => [minutesOf(t.slice(0, 5)), minutesOf(t.slice(6, 11))]);
  if (!raw.shortenedDays.includes(date)) return intervals;
  let cut = 60;
  const shortened = [...intervals].sort((a, b) => a[0] - b[0]);
  while (cut > 0 && shortened.length > 0) {
    const [start, end] = shortened.pop() as [number, number];
    if (end - start > cut) shortened.push([start, end - cut]);
    cut -= Math.min(cut, end - start);
  }
  return shortened;
}

/** Local date, minute of day (with seconds) and UTC offset that Intl shows for an instant. */
function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute) + Number(parts.second) / 60,
    offset: String(parts.timeZoneName),
  };
}

const previousDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** Is the instant inside a working interval, or exactly at the end of one (start < t <= end)? */
function isWorkingOrClosingTime(raw: RawCalendar, instant: number): boolean {
  const { date, minute } = wallClock(instant, raw.timeZone);
  if (minute === 0 && oracleIntervals(raw, previousDate(date)).some(([, end]) => end === 1440)) return true;
  return oracleIntervals(raw, date).some(([start, end]) => start < minute && minute <= end);
}

/** Near a DST change wall-clock intervals and real time part ways, so the wall-clock oracle stands aside. */
function nearClockChange(instant: number, timeZone: string): boolean {
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((d) => wallClock(instant + d, timeZone).offset));
  return offsets.size > 1;
}

const intervalText = (start: number, end: number) => {
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(start)}-${hhmm(end)}`;
};

/** Sorted distinct quarter-hour marks, paired into non-overlapping intervals of one day. */
const dayHours = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((marks) => {
  const sorted = [...marks].sort((a, b) => a - b);
  const intervals: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) {
    intervals.push(intervalText((sorted[i] as number) * 15, (sorted[i + 1] as number) * 15));
  }
  return intervals;
});

const dateIn2026or2027 = fc
  .integer({ min: FROM / DAY_MS, max: TO / DAY_MS })
  .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));

const rawCalendar: fc.Arbitrary<RawCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(dateIn2026or2027, { maxLength: 40 }),
    workingDays: fc.uniqueArray(fc.record({ date: dateIn2026or2027, hours: dayHours }), {
      maxLength: 10,
      selector: (d) => d.date,
    }),
    shortened: fc.uniqueArray(dateIn2026or2027, { maxLength: 10 }),
  })
  .map(({ timeZone, week, holidays, workingDays, shortened }) => {
    const weeklyHours = Object.fromEntries(WEEKDAY_KEYS.map((day, i) => [day, week[i] ?? []]));
    if (Object.values(weeklyHours).every((day) => day.length === 0)) weeklyHours.mon = ['09:00-18:00'];
    const worked = workingDays.filter((d) => !holidays.includes(d.date) && d.hours.length > 0);
    const raw: RawCalendar = { timeZone, weeklyHours, holidays, workingDays: worked, shortenedDays: [] };
    // Only a working day may be shortened, as the schema demands.
    raw.shortenedDays = shortened.filter(
      (date) => !holidays.includes(date) && oracleIntervals(raw, date).length > 0,
    );
    return raw;
  });

function build(raw: RawCalendar): WorkingCalendar {
  const input: WorkingCalendarInput = {
    timeZone: raw.timeZone,
    weeklyHours: raw.weeklyHours,
    holidays: raw.holidays.map((date) => ({ date })),
    workingDays: raw.workingDays,
    shortenedDays: raw.shortenedDays.map((date) => ({ date })),
  };
  return workingCalendarSchema.parse(input);
}

const permRaw: RawCalendar = {
  timeZone: 'Asia/Yekaterinburg',
  weeklyHours: OFFICE_HOURS,
  holidays: ruCalendar.holidays.map((d) => d.date),
  // The only moved working day takes Monday's hours.
  workingDays: ruCalendar.workingDays.map((d) => ({ date: d.date, hours: OFFICE_HOURS.mon })),
  shortenedDays: ruCalendar.shortenedDays.map((d) => d.date),
};

const calendars = fc.oneof(
  fc.constant({ raw: permRaw, calendar: perm }),
  rawCalendar.map((raw) => ({ raw, calendar: build(raw) })),
);
/** Whole seconds, so the oracle's wall clock (which shows seconds) sees the exact instant. */
const instant = fc.integer({ min: FROM / 1000, max: TO / 1000 }).map((s) => s * 1000);
const budget = fc.integer({ min: 1, max: 7 * 8 * 60 });

describe('addWorkingMinutes', () => {
  it('ends inside working hours or exactly at closing time, never on a holiday', () => {
    fc.assert(
      fc.property(calendars, instant, budget, ({ raw, calendar }, start, minutes) => {
        const due = addWorkingMinutes(start, minutes, calendar).getTime();
        expect(due).toBeGreaterThan(start);
        if (nearClockChange(due, raw.timeZone)) return;
        expect(isWorkingOrClosingTime(raw, due)).toBe(true);
        const { date, minute } = wallClock(due, raw.timeZone);
        if (minute > 0) expect(raw.holidays).not.toContain(date);
      }),
    );
  });

  it('never goes backwards as the budget grows', () => {
    fc.assert(
      fc.property(calendars, instant, budget, budget, ({ calendar }, start, a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(addWorkingMinutes(start, shorter, calendar).getTime()).toBeLessThanOrEqual(
          addWorkingMinutes(start, longer, calendar).getTime(),
        );
      }),
    );
  });

  it('is undone by workingMinutesBetween: elapsed(start, due(start, d)) = d', () => {
    fc.assert(
      fc.property(
        calendars,
        instant,
        fc.integer({ min: 0, max: 20 * 8 * 60 }),
        ({ calendar }, start, minutes) => {
          const due = addWorkingMinutes(start, minutes, calendar);
          expect(workingMinutesBetween(start, due, calendar)).toBe(minutes);
        },
      ),
    );
  });

  it('a message outside working hours starts counting at the next working moment', () => {
    fc.assert(
      fc.property(calendars, instant, ({ raw, calendar }, start) => {
        const firstMoment = addWorkingMinutes(start, 0, calendar).getTime();
        expect(firstMoment).toBeGreaterThanOrEqual(start);
        // Nothing of working time lies between the arrival and the first working moment...
        expect(workingMinutesBetween(start, firstMoment, calendar)).toBe(0);
        // ...and the minute after it is working time.
        if (!nearClockChange(firstMoment, raw.timeZone)) {
          expect(isWorkingOrClosingTime(raw, firstMoment + 1000)).toBe(true);
        }
      }),
    );
  });
});

describe('workingMinutesBetween', () => {
  it('adds up over consecutive stretches and never exceeds the real time', () => {
    fc.assert(
      fc.property(calendars, instant, instant, instant, ({ calendar }, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const ab = workingMinutesBetween(a, b, calendar);
        const bc = workingMinutesBetween(b, c, calendar);
        expect(ab + bc).toBeCloseTo(workingMinutesBetween(a, c, calendar), 6);
        expect(ab).toBeLessThanOrEqual((b - a) / 60_000);
      }),
    );
  });
});

describe('instantAtFraction', () => {
  it('lies between start and due, with that share of the working time used', () => {
    fc.assert(
      fc.property(
        calendars,
        instant,
        budget,
        fc.integer({ min: 0, max: 100 }),
        ({ calendar }, start, minutes, pct) => {
          const due = addWorkingMinutes(start, minutes, calendar);
          const warning = instantAtFraction(start, due, pct / 100, calendar);
          expect(warning.getTime()).toBeLessThanOrEqual(due.getTime());
          expect(workingMinutesBetween(start, warning, calendar)).toBeCloseTo((minutes * pct) / 100, 3);
        },
      ),
    );
  });
});

describe('the production calendar in the clock', () => {
  const dayStart = (date: string) => Date.parse(`${date}T00:00:00+05:00`);
  const workedOn = (date: string) => workingMinutesBetween(dayStart(date), dayStart(date) + DAY_MS, perm);

  it('works no minute on any holiday', () => {
    for (const { date } of ruCalendar.holidays) expect(workedOn(date), date).toBe(0);
  });

  it('makes every shortened day one hour shorter than its weekday', () => {
    for (const { date } of ruCalendar.shortenedDays) {
      // 2027-02-20 is a Saturday worked with Monday's hours; Fridays are shorter than Monday to Thursday.
      const normal = new Date(`${date}T00:00:00Z`).getUTCDay() === 5 ? FRIDAY_MINUTES : MON_TO_THU_MINUTES;
      expect(workedOn(date), date).toBe(normal - 60);
    }
  });

  it('shortens the working day right before each public holiday, and no other (Labour Code art. 95)', () => {
    // The non-working public holidays of Labour Code art. 112: https://www.consultant.ru/document/cons_doc_LAW_34683/
    const PUBLIC_HOLIDAYS = [
      '01-01',
      '01-02',
      '01-03',
      '01-04',
      '01-05',
      '01-06',
      '01-07',
      '01-08',
      '02-23',
      '03-08',
      '05-01',
      '05-09',
      '06-12',
      '11-04',
    ];
    const isPublicHoliday = (date: string) => PUBLIC_HOLIDAYS.includes(date.slice(5));
    const nextDate = (date: string) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const shortened = new Set(ruCalendar.shortenedDays.map(({ date }) => date));
    for (let date = '2026-01-01'; date < '2028-01-01'; date = nextDate(date)) {
      if (workedOn(date) === 0) continue;
      // A working day followed at once by a public holiday is shorter.
      if (isPublicHoliday(nextDate(date))) expect(shortened.has(date), date).toBe(true);
      // A shorter day is the last working one before a public holiday (2027-02-20: a Saturday, a Sunday, a
      // day off moved from 20 February, then 23 February).
      if (shortened.has(date)) {
        let after = nextDate(date);
        while (workedOn(after) === 0 && !isPublicHoliday(after)) after = nextDate(after);
        expect(isPublicHoliday(after), date).toBe(true);
      }
    }
  });

  it('counts budgets that fit in the moved working Saturday on that Saturday', () => {
    // Fri 19 Feb 2027 after closing; Sat 20 Feb is worked 09-13, 14-17 (420 min).
    const fridayNight = Date.parse('2027-02-19T19:00:00+05:00');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 420 }), (minutes) => {
        const due = addWorkingMinutes(fridayNight, minutes, perm).getTime();
        expect(wallClock(due, 'Asia/Yekaterinburg').date).toBe('2027-02-20');
      }),
    );
  });
});
