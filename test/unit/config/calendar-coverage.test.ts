import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { calendarWarnings, readConfigFile } from '../../../lambdas/adapters/config.js';
import {
  calendarYearsDue,
  communityCalendarSchema,
  uncoveredYears,
} from '../../../lambdas/domain/sla/index.js';
import { buildApp } from '../../../lib/app.js';
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

describe('the warnings of synth and npm start', () => {
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
    const app = buildApp(new App({ context: { stage: 'prod' } }));
    const stateless = app.node.findChild('VkInquiries-prod-Stateless') as Stack;
    Annotations.fromStack(stateless).hasWarning('*', Match.stringLikeRegexp('no holidays for 2028'));
  }, 120_000); // bundles every function with esbuild: slow when the machine is busy
});
