/** Each kind of bad calendar is refused with a message that names the problem. */
import { describe, expect, it } from 'vitest';
import { productionCalendars } from '../../../config/calendars/index.js';
import {
  communityCalendarSchema,
  productionCalendarSchema,
  workingCalendarSchema,
} from '../../../lambdas/domain/sla/index.js';

const good = {
  timeZone: 'Asia/Yekaterinburg',
  weeklyHours: { mon: ['09:00-13:00', '14:00-18:00'], fri: ['09:00-16:45'] },
};

/** All messages of a failed parse, with their paths, one per line. */
function problems(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
}

describe('workingCalendarSchema', () => {
  it('accepts a good calendar and joins touching intervals', () => {
    const calendar = workingCalendarSchema.parse({
      ...good,
      weeklyHours: { ...good.weeklyHours, tue: ['13:00-18:00', '09:00-13:00'] },
    });
    expect(calendar.weeklyHours.tue).toEqual([{ start: 540, end: 1080 }]);
    expect(calendar.weeklyHours.sat).toEqual([]);
  });

  it.each([
    ['a bad time zone', { ...good, timeZone: 'Europe/Perm' }, /"Europe\/Perm" is not an IANA time zone/],
    [
      'an interval ending before it starts',
      { ...good, weeklyHours: { mon: ['18:00-09:00'] } },
      /ends before it starts/,
    ],
    [
      'an empty interval',
      { ...good, weeklyHours: { mon: ['09:00-09:00'] } },
      /interval 09:00-09:00 is empty/,
    ],
    ['a malformed interval', { ...good, weeklyHours: { mon: ['9-18'] } }, /"9-18" is not a working interval/],
    ['an hour past 24', { ...good, weeklyHours: { mon: ['09:00-25:00'] } }, /not a working interval/],
    ['minutes past 24:00', { ...good, weeklyHours: { mon: ['09:00-24:30'] } }, /not a working interval/],
    [
      'overlapping intervals in a day',
      { ...good, weeklyHours: { mon: ['09:00-13:00', '12:00-18:00'] } },
      /weeklyHours\.mon: intervals 09:00-13:00 and 12:00-18:00 overlap/,
    ],
    ['an unknown weekday', { ...good, weeklyHours: { monday: ['09:00-18:00'] } }, /unknown weekday monday/],
    ['a week with no working time', { ...good, weeklyHours: {} }, /no working time on any day/],
    [
      'a date that is not a real date',
      { ...good, holidays: [{ date: '2026-02-30' }] },
      /"2026-02-30" is not a real date/,
    ],
    [
      'a date in another format',
      { ...good, holidays: [{ date: '30.12.2026' }] },
      /"30.12.2026" is not a real date/,
    ],
    [
      'a date listed twice',
      { ...good, holidays: [{ date: '2026-01-01' }, { date: '2026-01-01' }] },
      /holidays\.1\.date: 2026-01-01 is listed twice in holidays/,
    ],
    [
      'a holiday that is also a moved working day',
      { ...good, holidays: [{ date: '2027-02-20' }], workingDays: [{ date: '2027-02-20', hours: 'mon' }] },
      /overlapping calendar: 2027-02-20 is both a holiday and a moved working day/,
    ],
    [
      'a holiday that is also a shortened day',
      { ...good, holidays: [{ date: '2026-04-30' }], shortenedDays: [{ date: '2026-04-30' }] },
      /overlapping calendar: 2026-04-30 is both a holiday and a shortened day/,
    ],
    [
      'a shortened day that is not worked',
      { ...good, shortenedDays: [{ date: '2026-04-25' }] },
      /shortened day 2026-04-25 is not a working day \(a sat/,
    ],
    [
      'a moved working day taking the hours of a day off',
      { ...good, workingDays: [{ date: '2027-02-20', hours: 'sun' }] },
      /moved working day 2027-02-20 takes the hours of sun, which has no working hours/,
    ],
    [
      'a moved working day with hours of the wrong kind',
      { ...good, workingDays: [{ date: '2027-02-20', hours: 'monday' }] },
      /hours must be a weekday/,
    ],
    [
      'a date outside the covered years',
      { ...good, years: [2026], holidays: [{ date: '2028-01-01' }] },
      /2028-01-01 lies outside the years this calendar covers \(2026\)/,
    ],
  ])('refuses %s', (_kind, input, message) => {
    expect(problems(workingCalendarSchema.safeParse(input))).toMatch(message);
  });
});

describe('communityCalendarSchema', () => {
  const schema = communityCalendarSchema(productionCalendars);

  it('merges the named production calendar into the community hours', () => {
    const calendar = schema.parse({ ...good, calendar: 'ru-production-calendar' });
    expect(calendar.holidays.has('2026-12-31')).toBe(true);
    expect(calendar.shortenedDays.has('2027-02-20')).toBe(true);
    // The moved Saturday takes this community's Monday hours.
    expect(calendar.workingDays.get('2027-02-20')).toEqual([
      { start: 540, end: 780 },
      { start: 840, end: 1080 },
    ]);
    expect([...calendar.coveredYears]).toEqual([2026, 2027]);
  });

  it('leaves out national shortened and moved days on which the community does not work', () => {
    const mondaysOnly = {
      ...good,
      weeklyHours: { mon: ['09:00-18:00'] },
      calendar: 'ru-production-calendar',
    };
    const calendar = schema.parse(mondaysOnly);
    expect(calendar.shortenedDays.has('2026-04-30')).toBe(false); // a Thursday
    expect(calendar.workingDays.get('2027-02-20')).toEqual([{ start: 540, end: 1080 }]);
    const fridaysOnly = {
      ...good,
      weeklyHours: { fri: ['09:00-16:45'] },
      calendar: 'ru-production-calendar',
    };
    expect(schema.parse(fridaysOnly).workingDays.has('2027-02-20')).toBe(false);
    expect(schema.parse(fridaysOnly).shortenedDays.has('2026-05-08')).toBe(true); // a Friday
  });

  it('refuses an unknown calendar name, naming the known ones', () => {
    expect(problems(schema.safeParse({ ...good, calendar: 'ru-2026' }))).toMatch(
      /calendar: unknown calendar "ru-2026" \(known: ru-production-calendar\)/,
    );
  });

  it('reports a local date that clashes with the production calendar as an overlapping calendar', () => {
    const clash = { ...good, calendar: 'ru-production-calendar', holidays: [{ date: '2027-02-20' }] };
    expect(problems(schema.safeParse(clash))).toMatch(/overlapping calendar: 2027-02-20 is both a holiday/);
  });

  it('accepts a regional holiday on top of the national ones', () => {
    const tatarstan = { ...good, calendar: 'ru-production-calendar', holidays: [{ date: '2026-08-31' }] };
    expect(schema.parse(tatarstan).holidays.has('2026-08-31')).toBe(true);
  });
});

describe('productionCalendarSchema', () => {
  const minimal = { name: 'x', source: ['decree'], years: [2026] };

  it('accepts the shipped Russian production calendar', () => {
    expect(productionCalendarSchema.safeParse(productionCalendars['ru-production-calendar']).success).toBe(
      true,
    );
  });

  it('refuses a calendar that does not name its source', () => {
    expect(problems(productionCalendarSchema.safeParse({ ...minimal, source: [] }))).toMatch(
      /source must name at least one document/,
    );
  });

  it('refuses a date listed twice', () => {
    const twice = { ...minimal, shortenedDays: [{ date: '2026-11-03' }, { date: '2026-11-03' }] };
    expect(problems(productionCalendarSchema.safeParse(twice))).toMatch(
      /2026-11-03 is listed twice in shortenedDays/,
    );
  });
});
