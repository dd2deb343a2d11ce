/**
 * Hand-checked deadlines. Every expected value was worked out on paper from the weekly hours in calendars.ts
 * and the 2026-2027 production calendar; the reasoning is in each case's comment.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingMinutes,
  instantAtFraction,
  uncoveredYears,
  workingCalendarSchema,
  workingMinutesBetween,
} from '../../../lambdas/domain/sla/index.js';
import { moscow, perm } from './calendars.js';

const at = (iso: string) => new Date(iso);

describe('addWorkingHours on the Perm calendar (UTC+5)', () => {
  const cases: { name: string; start: string; hours: number; due: string }[] = [
    {
      // Fri 19:30 is after hours; Mon 30 Nov gives 8 h (09-13, 14-18); the 9th hour is Tue 09:00-10:00.
      name: 'a Friday evening message, 9 h',
      start: '2026-11-27T19:30:00+05:00',
      hours: 9,
      due: '2026-12-01T10:00:00+05:00',
    },
    {
      // Wed 30 Dec 15:00-18:00 = 3 h; 31 Dec is a moved day off, 1-8 Jan holidays, 9-10 Jan a weekend;
      // Mon 11 Jan 2027: 09-13 = 4 h (7 h), then 14:00 + 2 h.
      name: 'a message just before the New Year holidays, 9 h',
      start: '2026-12-30T15:00:00+05:00',
      hours: 9,
      due: '2027-01-11T16:00:00+05:00',
    },
    {
      // Sat 20 Feb 2027 is worked with Monday's hours, shortened by an hour: 09-13, 14-17.
      // From 10:00: 3 h to 13:00, then 14:00 + 1 h.
      name: 'a message on the moved working Saturday, 4 h',
      start: '2027-02-20T10:00:00+05:00',
      hours: 4,
      due: '2027-02-20T15:00:00+05:00',
    },
    {
      // The same Saturday gives 6 h (3 + 3 to 17:00); 21 Sun, 22 Mon (moved day off), 23 Tue (holiday) are off;
      // Wed 24 Feb 09:00 + 3 h.
      name: 'a message on the moved working Saturday, 9 h',
      start: '2027-02-20T10:00:00+05:00',
      hours: 9,
      due: '2027-02-24T12:00:00+05:00',
    },
    {
      // Thu 11 Jun 2026 ends at 17:00, not 18:00: 15:30-17:00 = 1.5 h; 12 Jun holiday, 13-14 weekend;
      // Mon 15 Jun 09:00 + 2.5 h.
      name: 'a message on a shortened pre-holiday Thursday, 4 h',
      start: '2026-06-11T15:30:00+05:00',
      hours: 4,
      due: '2026-06-15T11:30:00+05:00',
    },
    {
      // Fri 8 May 2026 ends at 15:45, not 16:45: 12-13 = 1 h, 14:00-15:45 = 1.75 h; 9-10 May weekend,
      // 11 May a moved day off; Tue 12 May 09:00 + 1.25 h.
      name: 'a message on a shortened pre-holiday Friday, 4 h',
      start: '2026-05-08T12:00:00+05:00',
      hours: 4,
      due: '2026-05-12T10:15:00+05:00',
    },
    {
      // Thu 3 Dec 11:20-13:00 = 1 h 40, 14-18 = 4 h (5 h 40); Fri 09:00 + 3 h 20.
      name: 'a 9-hour first response on an ordinary Thursday',
      start: '2026-12-03T11:20:00+05:00',
      hours: 9,
      due: '2026-12-04T12:20:00+05:00',
    },
    {
      // Thu 3 Dec 16:30-18:00 = 1.5 h; Fri 09:00 + 2.5 h.
      name: 'a 4-hour first response for an important message',
      start: '2026-12-03T16:30:00+05:00',
      hours: 4,
      due: '2026-12-04T11:30:00+05:00',
    },
    {
      // Arrives at lunch: counting starts at 14:00, and 4 h end exactly at the end of the day.
      name: 'a message during the lunch break, ending exactly at closing time',
      start: '2026-12-01T13:20:00+05:00',
      hours: 4,
      due: '2026-12-01T18:00:00+05:00',
    },
  ];

  for (const { name, start, hours, due } of cases) {
    it(name, () => {
      expect(addWorkingHours(at(start), hours, perm).toISOString()).toBe(at(due).toISOString());
      expect(workingMinutesBetween(at(start), at(due), perm)).toBe(hours * 60);
    });
  }
});

describe('a 7-working-day resolution', () => {
  it('as 56 working hours in Moscow: a week of 4 × 8 h + 6.75 h, then 8 + 8 + 1.25 h', () => {
    const due = addWorkingMinutes(at('2026-11-30T09:00:00+03:00'), 7 * 8 * 60, moscow);
    expect(due.toISOString()).toBe(at('2026-12-09T10:15:00+03:00').toISOString());
  });

  it('as 7 working days: 25, 28, 29, 30 Dec, then 11, 12, 13 Jan after the holidays, to closing time', () => {
    const due = addWorkingDays(at('2026-12-24T11:00:00+05:00'), 7, perm);
    expect(due.toISOString()).toBe(at('2027-01-13T18:00:00+05:00').toISOString());
  });

  it('as working days ending on a Friday, at Friday closing time', () => {
    const due = addWorkingDays(at('2026-11-30T10:00:00+05:00'), 4, perm);
    expect(due.toISOString()).toBe(at('2026-12-04T16:45:00+05:00').toISOString());
  });
});

describe('a shortened pre-holiday day', () => {
  it('takes its hour across lunch when the afternoon is shorter than that: 09:00-13:00, 13:30-14:00 ends at 12:30', () => {
    // 30 April 2026, a Thursday before 1 May: the 30 minutes after lunch go, then 30 before it.
    const calendar = workingCalendarSchema.parse({
      timeZone: 'Asia/Yekaterinburg',
      weeklyHours: { thu: ['09:00-13:00', '13:30-14:00'], fri: ['09:00-13:00'] },
      holidays: [{ date: '2026-05-01' }],
      shortenedDays: [{ date: '2026-04-30' }],
    });
    const morning = at('2026-04-30T09:00:00+05:00');
    expect(workingMinutesBetween(morning, at('2026-05-01T00:00:00+05:00'), calendar)).toBe(210);
    expect(addWorkingMinutes(morning, 210, calendar).toISOString()).toBe(
      at('2026-04-30T12:30:00+05:00').toISOString(),
    );
  });
});

describe('elapsed working time and warnings', () => {
  it('counts nothing after Friday closing and the first hour on Monday', () => {
    expect(
      workingMinutesBetween(at('2026-11-27T17:00:00+05:00'), at('2026-11-30T10:00:00+05:00'), perm),
    ).toBe(60);
  });

  it('finds 80 % of a 9 h budget: 432 min from Mon 09:00 is 13:00 + lunch + 3 h 12 min', () => {
    const start = at('2026-11-27T19:30:00+05:00');
    const due = at('2026-12-01T10:00:00+05:00');
    expect(instantAtFraction(start, due, 0.8, perm).toISOString()).toBe(
      at('2026-11-30T17:12:00+05:00').toISOString(),
    );
  });

  it('knows which years the calendar lists', () => {
    const day = (iso: string) => uncoveredYears(at(iso), at(iso), perm);
    expect(day('2027-12-31T12:00:00+05:00')).toEqual([]);
    expect(day('2028-01-03T12:00:00+05:00')).toEqual([2028]);
  });
});

describe('zones with DST', () => {
  // A calendar that works only on Sunday nights across the clock change.
  const sundayNights = (timeZone: string) =>
    workingCalendarSchema.parse({ timeZone, weeklyHours: { sun: ['01:00-04:00'] } });

  it('Berlin springs forward at 02:00 on 29 Mar 2026: 01:00 CET to 04:00 CEST is 2 real hours', () => {
    const berlin = sundayNights('Europe/Berlin');
    expect(workingMinutesBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), berlin)).toBe(120);
    // 01:00 CET is 00:00Z; 90 minutes later is 01:30Z, i.e. 03:30 CEST.
    expect(addWorkingMinutes(at('2026-03-28T12:00:00Z'), 90, berlin).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('Berlin falls back at 03:00 on 25 Oct 2026: 01:00 CEST to 04:00 CET is 4 real hours', () => {
    const berlin = sundayNights('Europe/Berlin');
    expect(workingMinutesBetween(at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'), berlin)).toBe(240);
    // 01:00 CEST is 23:00Z on the 24th; the interval ends at 04:00 CET = 03:00Z.
    expect(addWorkingMinutes(at('2026-10-24T12:00:00Z'), 240, berlin).toISOString()).toBe(
      '2026-10-25T03:00:00.000Z',
    );
  });

  it('New York springs forward at 02:00 on 8 Mar 2026: 01:00 EST (06:00Z) to 04:00 EDT (08:00Z)', () => {
    const newYork = sundayNights('America/New_York');
    expect(addWorkingMinutes(at('2026-03-07T12:00:00Z'), 0, newYork).toISOString()).toBe(
      '2026-03-08T06:00:00.000Z',
    );
    expect(addWorkingMinutes(at('2026-03-07T12:00:00Z'), 120, newYork).toISOString()).toBe(
      '2026-03-08T08:00:00.000Z',
    );
  });
});
