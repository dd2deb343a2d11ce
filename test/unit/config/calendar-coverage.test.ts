import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { productionCalendars } from '../../../config/calendars/index.js';
import {
  calendarWarnings,
  operatorConsoleWarnings,
  readConfigFile,
} from '../../../lambdas/adapters/config.js';
import {
  calendarYearsDue,
  communityCalendarSchema,
  uncoveredYears,
} from '../../../lambdas/domain/sla/index.js';
import { buildApp } from '../../../lib/app.js';
import { unbundledApp } from '../../support/cdk-app.js';
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

  it("counts a year covered only if the national calendar lists it, whatever the community's own years", () => {
    // A regional holiday in 2028 needs the community's own `years` to be listed, but the national calendar
    // still lacks 2028: 1-8 January 2028 are not working days, and deadlines across them must be told of.
    const regional = communityCalendarSchema(productionCalendars).parse({
      timeZone: 'Asia/Yekaterinburg',
      weeklyHours: OFFICE_HOURS,
      calendar: 'ru-production-calendar',
      holidays: [{ date: '2028-06-21', note: 'a regional holiday' }],
      years: [2028],
    });
    expect(regional.holidays.has('2028-06-21')).toBe(true);
    expect([...regional.coveredYears].sort()).toEqual([2026, 2027]);
    expect(
      uncoveredYears(new Date('2027-12-30T05:00:00Z'), new Date('2028-01-10T12:00:00Z'), regional),
    ).toEqual([2028]);
    expect(calendarYearsDue(new Date('2027-12-01T12:00:00Z'), regional)).toEqual([2028]);
    // Its own years still only let its own dates be listed.
    expect(() =>
      communityCalendarSchema(productionCalendars).parse({
        timeZone: 'Asia/Yekaterinburg',
        weeklyHours: OFFICE_HOURS,
        calendar: 'ru-production-calendar',
        holidays: [{ date: '2029-06-21' }],
        years: [2028],
      }),
    ).toThrow(/2029-06-21 lies outside the years this calendar covers/);
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

describe('the warnings of synth and npm start', () => {
  it('warn of a stage that keeps data with no console address for the deadline e-mails to link', () => {
    const config = readConfigFile('config/prod.json');
    expect(operatorConsoleWarnings(config)).toEqual([
      expect.stringMatching(/^operatorConsoleUrl is not set: .*First deploy of a stage/u),
    ]);
    const linked = { ...config, operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}' };
    expect(operatorConsoleWarnings(linked)).toEqual([]);
    expect(operatorConsoleWarnings({ ...config, disposable: true })).toEqual([]);
  });

  it('warn in December when the production calendar does not list the next year', () => {
    const config = readConfigFile('config/prod.json');
    expect(calendarWarnings(config, new Date('2026-12-04T12:00:00Z'))).toEqual([]);
    expect(calendarWarnings(config, new Date('2027-12-01T12:00:00Z'))).toEqual([
      expect.stringMatching(/no holidays for 2028 \(it lists 2026, 2027\).*Yearly update/),
    ]);
  });

  it('reach synth as a warning on the stack, never a refusal', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2028-02-01T12:00:00Z'));
    const app = buildApp(unbundledApp({ stage: 'prod' }));
    const stateless = app.node.findChild('VkInquiries-prod-Stateless') as Stack;
    Annotations.fromStack(stateless).hasWarning('*', Match.stringLikeRegexp('no holidays for 2028'));
  }, 120_000); // synthesizes both stacks with cdk-nag: slow when the machine is busy
});

describe('the shipped configurations, today', () => {
  // The one test read against the real date, on purpose: it turns red two months before the production calendar
  // runs out, whoever runs the tests and whether or not anyone deploys (synth warns from 1 December only, on a
  // deploy). The decree on the next year's days off is out by then (24.09.2025, 17.09.2026), and deadlines counted
  // from late December run into January, whose first week is holidays that the clock would take for working days.
  const LEAD_DAYS = 61;

  it.each(['config/prod.json', 'config/dev.json', 'config/local.json'])(
    '%s lists the holidays of every year from today to two months ahead',
    (file) => {
      const today = new Date();
      const ahead = new Date(today.getTime() + LEAD_DAYS * 86_400_000);
      const missing = readConfigFile(file).communities.flatMap((community) =>
        uncoveredYears(today, ahead, community.calendar).map((year) => `${community.groupId}: ${year}`),
      );
      expect(
        missing,
        'add the year to config/calendars (config/calendars/README.md, "Yearly update")',
      ).toEqual([]);
    },
  );
});
