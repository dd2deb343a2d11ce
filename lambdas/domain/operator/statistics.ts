import type { Inquiry } from '../inquiry/inquiry.js';

export interface StatisticsGroup {
  department: string;
  community: number;
  total: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  firstResponse: { count: number; medianMinutes: number | null; p90Minutes: number | null };
  answeredInTimeShare: number | null;
}

/** What the statistics read of an inquiry, and all they read: the adapter asks the table for these alone. */
export const STATISTICS_FIELDS = [
  'department',
  'groupId',
  'status',
  'category',
  'createdAt',
  'firstRespondedAt',
  'firstResponseDueAt',
  'firstResponseLate',
] as const satisfies readonly (keyof Inquiry)[];

export type CountedInquiry = Pick<Inquiry, (typeof STATISTICS_FIELDS)[number]>;

/** The longest period one request counts: a year, a leap year's included. */
export const MAX_STATISTICS_DAYS = 366;

/**
 * A bound of a period as the inquiries' opening times are written (`toISOString`: always milliseconds, UTC),
 * so that the table compares like with like: as text, "…T00:00:00Z" sorts after "…T00:00:00.000Z" and would
 * leave out the first second. Finer than milliseconds, it rounds up: an inquiry opened at .123 ms is before
 * .1234 ms, at both ends of a period [from, to).
 */
export function periodBound(text: string): string {
  const milliseconds = Date.parse(text);
  const finer = /\.\d{3}(\d+)/.exec(text)?.[1] ?? '';
  return new Date(milliseconds + (/[1-9]/.test(finer) ? 1 : 0)).toISOString();
}

/** The nearest-rank percentile of sorted values (p in 0…1). */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

const minutesBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 6000) / 10;

/** One department and community's figures so far. */
interface Tally {
  department: string;
  community: number;
  total: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  /** Minutes from opening to the first response, one per inquiry that has had it: the percentiles need all. */
  minutes: number[];
  /** Not responded to, past the first-response deadline at `now`, and not rejected. */
  overdue: number;
  respondedInTime: number;
}

/**
 * Per department and community: counts by status and category, the time from opening to the first
 * response (median and 90th percentile, calendar minutes), and the share of first responses given within the
 * deadline, counted over the inquiries whose first response was given or is overdue at `now`.
 *
 * Fed page by page as the inquiries are read (`add`), it keeps counts and one number per first response, never
 * the inquiries: a period of a busy department fits in memory and is counted in time linear in its size.
 */
export function statisticsAccumulator(now: Date) {
  const at = now.toISOString();
  const tallies = new Map<string, Tally>();
  return {
    add(inquiries: Iterable<CountedInquiry>): void {
      for (const inquiry of inquiries) {
        if (!inquiry.department) continue;
        const key = `${inquiry.department}\n${inquiry.groupId}`;
        let tally = tallies.get(key);
        if (!tally) {
          tally = {
            department: inquiry.department,
            community: inquiry.groupId,
            total: 0,
            byStatus: {},
            byCategory: {},
            minutes: [],
            overdue: 0,
            respondedInTime: 0,
          };
          tallies.set(key, tally);
        }
        tally.total++;
        tally.byStatus[inquiry.status] = (tally.byStatus[inquiry.status] ?? 0) + 1;
        tally.byCategory[inquiry.category] = (tally.byCategory[inquiry.category] ?? 0) + 1;
        if (inquiry.firstRespondedAt !== undefined) {
          tally.minutes.push(minutesBetween(inquiry.createdAt, inquiry.firstRespondedAt));
          if (inquiry.firstResponseLate === false) tally.respondedInTime++;
        } else if (
          inquiry.firstResponseDueAt !== undefined &&
          inquiry.firstResponseDueAt < at &&
          inquiry.status !== 'rejected'
        )
          tally.overdue++;
      }
    },

    /** The groups in the order their first inquiries came. */
    groups(): StatisticsGroup[] {
      return [...tallies.values()].map((tally) => {
        const sorted = Float64Array.from(tally.minutes).sort();
        const due = sorted.length + tally.overdue;
        return {
          department: tally.department,
          community: tally.community,
          total: tally.total,
          byStatus: { ...tally.byStatus },
          byCategory: { ...tally.byCategory },
          firstResponse: {
            count: sorted.length,
            medianMinutes: percentile(sorted, 0.5),
            p90Minutes: percentile(sorted, 0.9),
          },
          answeredInTimeShare: due === 0 ? null : Math.round((tally.respondedInTime / due) * 1000) / 1000,
        };
      });
    },
  };
}

export type StatisticsAccumulator = ReturnType<typeof statisticsAccumulator>;

/** The statistics of inquiries all at hand. */
export function statisticsOf(inquiries: Iterable<CountedInquiry>, now: Date): StatisticsGroup[] {
  const accumulator = statisticsAccumulator(now);
  accumulator.add(inquiries);
  return accumulator.groups();
}
