import { describe, expect, it } from 'vitest';
import { communityCalendarSchema, unlistedYearAhead } from '../../../lambdas/domain/sla/index.js';
import { OFFICE_HOURS, perm } from './calendars.js';

/** The shipped first-response and resolution terms of `normal` and `high`: 56 working hours at most. */
const TERM_HOURS = 56;

// The shared calendar lists 2026 and 2027. Counted back from 1 January 2028 in Perm's office hours (8 h Monday
// to Thursday, 6 h 45 min on Friday, 31 December a holiday): 27-30 December hold 32 h, 22-24 December 22 h 45
// min more (54 h 45 min), 21 December 8 h more. A term of 56 h counted late on 21 December ends in 2028;
// counted on 20 December, any time, it ends in 2027. So 21 December 2027 is the first date that fails it.
describe('the days left before deadlines reach a year the calendar does not list', () => {
  // The last: 7 December 2026, a year ahead, the calendar listing this year and the next.
  it.each([
    ['2027-10-01T06:00:00Z', 81],
    ['2027-11-20T06:00:00Z', 31],
    ['2027-12-20T06:00:00Z', 1],
    ['2026-12-07T06:00:00Z', 379],
  ])(
    'counts them down to the first date from which a term may end in the next year: on %s, %i',
    (at, daysLeft) => {
      expect(unlistedYearAhead(new Date(at), TERM_HOURS, perm)).toEqual({ year: 2028, daysLeft });
    },
  );

  it('says none are left from that date on, and in the year itself', () => {
    for (const at of ['2027-12-21T04:00:00Z', '2027-12-30T12:00:00Z', '2028-03-01T12:00:00Z'])
      expect(unlistedYearAhead(new Date(at), TERM_HOURS, perm), at).toEqual({ year: 2028, daysLeft: 0 });
  });

  it("reads the dates in the community's time zone", () => {
    // 19:30 UTC on 20 December is 00:30 on 21 December in Perm.
    expect(unlistedYearAhead(new Date('2027-12-20T18:59:00Z'), TERM_HOURS, perm)?.daysLeft).toBe(1);
    expect(unlistedYearAhead(new Date('2027-12-20T19:30:00Z'), TERM_HOURS, perm)?.daysLeft).toBe(0);
  });

  it('leaves less time for a longer term: 240 working hours reach back into November', () => {
    // From 18 November 2027: 48 days after 1 October, where 56 hours leave 81.
    expect(unlistedYearAhead(new Date('2027-10-01T06:00:00Z'), 240, perm)).toEqual({
      year: 2028,
      daysLeft: 48,
    });
    // A term counted round the clock only, none in working hours: the year's first day itself.
    expect(unlistedYearAhead(new Date('2027-10-01T06:00:00Z'), 0, perm)?.daysLeft).toBe(92);
  });

  it('finds the first year missing, even one between listed years', () => {
    const gap = communityCalendarSchema({}).parse({
      timeZone: 'Asia/Yekaterinburg',
      weeklyHours: OFFICE_HOURS,
      years: [2026, 2028],
    });
    expect(unlistedYearAhead(new Date('2026-11-20T06:00:00Z'), TERM_HOURS, gap)?.year).toBe(2027);
    expect(unlistedYearAhead(new Date('2027-03-01T06:00:00Z'), TERM_HOURS, gap)).toEqual({
      year: 2027,
      daysLeft: 0,
    });
  });

  it('asks nothing of a calendar that lists no year: weekly hours alone, by choice', () => {
    const plain = communityCalendarSchema({}).parse({
      timeZone: 'Asia/Yekaterinburg',
      weeklyHours: OFFICE_HOURS,
    });
    expect(unlistedYearAhead(new Date('2027-12-30T06:00:00Z'), TERM_HOURS, plain)).toBeUndefined();
  });
});
