import { describe, expect, it } from 'vitest';
import { instantOf } from '../../../lambdas/domain/vk/sent-at.js';

describe("VK's date as an instant", () => {
  it('reads the first and the last second an ISO date-time writes with four digits of year', () => {
    expect(instantOf(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(instantOf(1_572_809_816)).toBe('2019-11-03T19:36:56.000Z');
    expect(instantOf(253_402_300_799)).toBe('9999-12-31T23:59:59.000Z');
  });

  it('finds no time in a date before 1970, past the year 9999, or not a whole number of seconds', () => {
    for (const date of [-1, 253_402_300_800, 1e15, 1.5, 1_572_809_816.5, Number.NaN, Infinity, 2 ** 53])
      expect(instantOf(date), String(date)).toBeUndefined();
    // A digit string is read by the object's schema (objects.ts), not here.
    expect(instantOf('1572809816')).toBeUndefined();
  });
});
