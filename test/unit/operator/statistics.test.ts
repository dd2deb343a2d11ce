import { describe, expect, it } from 'vitest';
import { statisticsQuery } from '../../../lambdas/domain/operator/schemas.js';
import {
  type CountedInquiry,
  periodBound,
  statisticsAccumulator,
  statisticsOf,
} from '../../../lambdas/domain/operator/statistics.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const OPENED = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(OPENED + minutes * 60_000).toISOString();

/** An inquiry opened at 09:00 on 2 March, due at 18:00, first responded to `after` minutes (if given). */
const counted = (fields: Partial<CountedInquiry> & { after?: number } = {}): CountedInquiry => {
  const { after, ...rest } = fields;
  return {
    department: 'housing',
    groupId: 1,
    status: 'answered',
    category: 'waste',
    createdAt: at(0),
    firstResponseDueAt: at(540),
    ...(after !== undefined && { firstRespondedAt: at(after), firstResponseLate: after > 540 }),
    ...rest,
  };
};

describe('the statistics of a period', () => {
  // Ten first responses (10…100 minutes, one late by a ruled deadline), one overdue, one rejected overdue,
  // one not yet due; another community; one never routed.
  const inquiries: CountedInquiry[] = [
    ...[30, 10, 100, 20, 90, 40, 80, 50, 70].map((after) => counted({ after })),
    counted({ after: 60, firstResponseLate: true }),
    counted({ status: 'routed', category: 'roads' }),
    counted({ status: 'rejected' }),
    counted({ status: 'routed', firstResponseDueAt: '2026-03-11T00:00:00.000Z' }),
    counted({ groupId: 2, after: 5 }),
    counted({ department: undefined, status: 'rejected' }),
  ];

  it('counts per department and community: statuses, categories, minutes to the first response, share in time', () => {
    expect(statisticsOf(inquiries, NOW)).toEqual([
      {
        department: 'housing',
        community: 1,
        total: 13,
        byStatus: { answered: 10, routed: 2, rejected: 1 },
        byCategory: { waste: 12, roads: 1 },
        firstResponse: { count: 10, medianMinutes: 50, p90Minutes: 90 },
        // 9 in time of the 10 given and the 1 overdue; the rejected one and the one not yet due are not due.
        answeredInTimeShare: 0.818,
      },
      {
        department: 'housing',
        community: 2,
        total: 1,
        byStatus: { answered: 1 },
        byCategory: { waste: 1 },
        firstResponse: { count: 1, medianMinutes: 5, p90Minutes: 5 },
        answeredInTimeShare: 1,
      },
    ]);
  });

  it('comes to the same figures fed page by page, whatever the pages', () => {
    for (const size of [1, 2, 5, 7]) {
      const accumulator = statisticsAccumulator(NOW);
      for (let start = 0; start < inquiries.length; start += size)
        accumulator.add(inquiries.slice(start, start + size));
      expect(accumulator.groups(), `pages of ${size}`).toEqual(statisticsOf(inquiries, NOW));
    }
  });

  it('counts 100,000 inquiries of one department and community in linear time', () => {
    const many = Array.from({ length: 100_000 }, (_, n) => counted({ after: n % 600 }));
    const started = performance.now();
    const [group] = statisticsOf(many, NOW);
    // A copy of the group per inquiry took minutes here; counting them takes a fraction of a second.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(group).toMatchObject({ total: 100_000, firstResponse: { count: 100_000, medianMinutes: 299 } });
  });
});

describe('the bounds of a period', () => {
  it('are written as the opening times are, to the millisecond, whatever precision they were given in', () => {
    expect(periodBound('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(periodBound('2026-01-01T00:00:00.5Z')).toBe('2026-01-01T00:00:00.500Z');
    expect(periodBound('2026-01-01T00:00:00.123Z')).toBe('2026-01-01T00:00:00.123Z');
    expect(periodBound('2026-01-01T00:00:00.1230000Z')).toBe('2026-01-01T00:00:00.123Z');
    // 123.4 ms: an inquiry opened at 123 ms is before it, one at 124 ms after it.
    expect(periodBound('2026-01-01T00:00:00.1234Z')).toBe('2026-01-01T00:00:00.124Z');
    expect(periodBound('2026-12-31T23:59:59.9999Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('make a period of a year at most, from before to', () => {
    const period = (from: string, to: string) => statisticsQuery.safeParse({ from, to }).success;
    expect(period('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(true); // 366 days
    expect(period('2026-01-01T00:00:00Z', '2027-01-01T00:00:00.001Z')).toBe(true);
    expect(period('2024-01-01T00:00:00Z', '2025-01-01T00:00:00.001Z')).toBe(false);
    expect(period('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe(false);
    expect(period('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z')).toBe(false);
    // As text "…00.5Z" sorts before "…00Z"; as moments it is after.
    expect(period('2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00Z')).toBe(false);
    expect(period('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5Z')).toBe(true);
  });
});
