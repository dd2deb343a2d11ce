import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, readConfigFile } from '../../../lambdas/adapters/config.js';
import {
  calendarYearsDue,
  communityCalendarSchema,
  uncoveredYears,
} from '../../../lambdas/domain/sla/index.js';
import { OFFICE_HOURS, perm } from '../sla/calendars.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the years a calendar lists', () => {
  it('names the years a deadline crosses that the calendar does not list (it lists 2026 and 2027)', () => {
    expect(uncoveredYears(new Date('2027-12-20T05:00:00Z'), new Date('2027-12-31T12:00:00Z'), perm)).toEqual(
      [],
    );
    expect(uncoveredYears(new Date('2027-12-20T05:00:00Z'), new Date('2028-01-12T12:00:00Z'), perm)).toEqual([
      2028,
    ]);
    // Local dates: 31 December 20:00 UTC is already 1 January in Perm.
    expect(uncoveredYears(new Date('2027-12-31T20:00:00Z'), new Date('2027-12-31T20:00:00Z'), perm)).toEqual([
      2028,
    ]);
  });

  it('asks for this year, and in December for the next one too', () => {
    expect(calendarYearsDue(new Date('2026-12-04T12:00:00Z'), perm)).toEqual([]);
    expect(calendarYearsDue(new Date('2027-11-30T12:00:00Z'), perm)).toEqual([]);
    expect(calendarYearsDue(new Date('2027-11-30T20:00:00Z'), perm)).toEqual([2028]); // 1 December in Perm
    expect(calendarYearsDue(new Date('2029-03-01T12:00:00Z'), perm)).toEqual([2029]);
  });

  it('asks nothing of a calendar that lists no year: weekly hours alone, by choice', () => {
    const plain = communityCalendarSchema({}).parse({
      timeZone: 'Asia/Yekaterinburg',
      weeklyHours: OFFICE_HOURS,
    });
    expect(calendarYearsDue(new Date('2027-12-01T12:00:00Z'), plain)).toEqual([]);
    expect(uncoveredYears(new Date('2031-01-01T12:00:00Z'), new Date('2031-01-02T12:00:00Z'), plain)).toEqual(
      [],
    );
  });
});

describe('the configuration as synth reads it', () => {
  it('is refused in December when the production calendar does not list the next year', () => {
    expect(readConfigFile('config/prod.json', new Date('2026-12-04T12:00:00Z')).communities).not.toEqual([]);
    expect(() => readConfigFile('config/prod.json', new Date('2027-12-01T12:00:00Z'))).toThrow(
      /communities\[0\]\.calendar: the calendar lists no holidays for 2028 \(it lists 2026, 2027\).*Yearly update/,
    );
  });

  it('still starts a function whatever the date: its deadlines warn instead', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2028-02-01T12:00:00Z'));
    expect(() => readConfigFile('config/prod.json')).toThrow(/no holidays for 2028/);
    expect(loadConfig('config/prod.json').communities).not.toEqual([]);
  });
});
