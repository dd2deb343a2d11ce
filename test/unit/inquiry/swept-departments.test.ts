import { describe, expect, it } from 'vitest';
import {
  CENSUS_DAYS,
  censusToGoOn,
  departmentsToSweep,
} from '../../../lambdas/domain/inquiry/swept-departments.js';

describe('the departments the retention sweep goes through', () => {
  it('are the configured ones in their order, then those no longer configured, each once', () => {
    expect(departmentsToSweep(['triage', 'roads'], ['roads', 'parks', 'housing', 'triage', 'parks'])).toEqual(
      ['triage', 'roads', 'housing', 'parks'],
    );
  });
});

describe('the census of the departments inquiries are listed under', () => {
  const now = new Date('2031-07-01T00:00:00.000Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();

  it('begins when none was ever read, or the last was read whole CENSUS_DAYS ago or more', () => {
    expect(censusToGoOn(undefined, now)).toEqual({ startedAt: now.toISOString() });
    const done = { startedAt: daysAgo(CENSUS_DAYS + 1), doneAt: daysAgo(CENSUS_DAYS) };
    expect(censusToGoOn(done, now)).toEqual({ startedAt: now.toISOString() });
  });

  it('goes on with one under way, however old, and waits after one read whole lately', () => {
    const underWay = { startedAt: daysAgo(40), after: '{"pk":"x"}' };
    expect(censusToGoOn(underWay, now)).toBe(underWay);
    expect(censusToGoOn({ startedAt: daysAgo(2), doneAt: daysAgo(CENSUS_DAYS - 1) }, now)).toBeUndefined();
  });
});
