import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integersAbove } from '../../../lib/number-pattern.js';

describe('integersAbove', () => {
  it('matches exactly the integers above the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (limit, value) => {
          const pattern = new RegExp(integersAbove(limit));
          expect(pattern.test(String(value))).toBe(value > limit);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is exact right around the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        (limit, delta) => {
          const value = limit + delta;
          fc.pre(value >= 0);
          expect(new RegExp(integersAbove(limit)).test(String(value))).toBe(value > limit);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the body limit as VK and WAF would see it', () => {
    const pattern = new RegExp(integersAbove(262_144));
    expect(['262145', '300000', '1048576', '0262145'].every((value) => pattern.test(value))).toBe(true);
    expect(['262144', '3600', '0', '', 'abc', '-1', '262145x'].some((value) => pattern.test(value))).toBe(
      false,
    );
  });
});
