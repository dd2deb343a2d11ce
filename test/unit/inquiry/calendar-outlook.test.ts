import { describe, expect, it } from 'vitest';
import { productionCalendars } from '../../../config/calendars/index.js';
import { readConfigFile } from '../../../lambdas/adapters/config.js';
import {
  calendarsRunningOut,
  longestWorkingTermHours,
} from '../../../lambdas/domain/inquiry/calendar-outlook.js';
import { communityCalendarSchema } from '../../../lambdas/domain/sla/index.js';
import { OFFICE_HOURS } from '../sla/calendars.js';

const local = readConfigFile('config/local.json');

describe('the furthest a deadline counted now reaches into the calendar', () => {
  it('is the longest term counted in working hours: 56 in the shipped files, critical’s round-the-clock 24 left out', () => {
    for (const file of ['config/prod.json', 'config/dev.json', 'config/local.json'])
      expect(longestWorkingTermHours(readConfigFile(file).sla), file).toBe(56);
  });

  it('takes a category’s own term, and a priority moved to working hours', () => {
    const sla = readConfigFile('config/prod.json').sla;
    expect(
      longestWorkingTermHours({
        ...sla,
        overrides: [...sla.overrides, { category: 'housing', priority: 'normal', resolutionHours: 240 }],
      }),
    ).toBe(240);
    expect(
      longestWorkingTermHours({
        ...sla,
        defaults: { ...sla.defaults, critical: { ...sla.defaults.critical, resolutionHours: 100 } },
      }),
    ).toBe(56);
    expect(
      longestWorkingTermHours({
        ...sla,
        overrides: [{ priority: 'critical', clock: 'working_hours', resolutionHours: 100 }],
      }),
    ).toBe(100);
  });
});

describe('the communities whose calendar runs out', () => {
  // A community on a calendar of its own, which lists 2026 only, beside one on the shared calendar.
  const ownCalendar = communityCalendarSchema(productionCalendars).parse({
    timeZone: 'Europe/Moscow',
    weeklyHours: OFFICE_HOURS,
    holidays: [{ date: '2026-12-31', note: 'a day off of its own' }],
    years: [2026],
  });
  const shared = local.communities[0];
  if (!shared) throw new Error('config/local.json has no community');
  const own = { ...shared, groupId: 555_001, calendar: ownCalendar };

  it('names each with its year and its days, fewest first', () => {
    expect(calendarsRunningOut([shared, own], 56, new Date('2026-11-20T06:00:00Z'))).toEqual([
      // 21 December 2026 is the first date a term of 56 hours may end in 2027 on its own calendar.
      { groupId: 555_001, year: 2027, daysLeft: 31 },
      { groupId: shared.groupId, year: 2028, daysLeft: 396 },
    ]);
    expect(calendarsRunningOut([shared], 56, new Date('2027-11-20T06:00:00Z'))).toEqual([
      { groupId: shared.groupId, year: 2028, daysLeft: 31 },
    ]);
  });

  it('counts a year covered only if the shared calendar lists it, whatever the community’s own years', () => {
    const regional = {
      ...shared,
      groupId: 555_002,
      calendar: communityCalendarSchema(productionCalendars).parse({
        timeZone: 'Asia/Yekaterinburg',
        weeklyHours: OFFICE_HOURS,
        calendar: 'ru-production-calendar',
        holidays: [{ date: '2028-06-21', note: 'a regional holiday' }],
        years: [2028],
      }),
    };
    expect(calendarsRunningOut([regional], 56, new Date('2027-11-20T06:00:00Z'))).toEqual([
      { groupId: 555_002, year: 2028, daysLeft: 31 },
    ]);
  });

  it('leaves out a community whose calendar lists no year', () => {
    const weeklyOnly = {
      ...shared,
      calendar: communityCalendarSchema({}).parse({ timeZone: 'Europe/Moscow', weeklyHours: OFFICE_HOURS }),
    };
    expect(calendarsRunningOut([weeklyOnly], 56, new Date('2027-12-30T06:00:00Z'))).toEqual([]);
  });
});
