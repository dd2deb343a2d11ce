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

/** The nearest-rank percentile of sorted values (p in 0…1). */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

const minutesBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 6000) / 10;

/**
 * Per department and community: counts by status and category, the time from opening to the first
 * response (median and 90th percentile, calendar minutes), and the share of first responses given within the
 * deadline, counted over the inquiries whose first response was given or is overdue at `now`.
 */
export function statisticsOf(inquiries: Inquiry[], now: Date): StatisticsGroup[] {
  const groups = new Map<string, Inquiry[]>();
  for (const inquiry of inquiries) {
    if (!inquiry.department) continue;
    const key = `${inquiry.department}\n${inquiry.groupId}`;
    groups.set(key, [...(groups.get(key) ?? []), inquiry]);
  }
  const at = now.toISOString();
  return [...groups.values()].map((members) => {
    const first = members[0] as Inquiry;
    const count = (field: (inquiry: Inquiry) => string) =>
      members.reduce<Record<string, number>>((counts, inquiry) => {
        counts[field(inquiry)] = (counts[field(inquiry)] ?? 0) + 1;
        return counts;
      }, {});
    const responded = members.filter((inquiry) => inquiry.firstRespondedAt !== undefined);
    const durations = responded
      .map((inquiry) => minutesBetween(inquiry.createdAt, inquiry.firstRespondedAt as string))
      .sort((a, b) => a - b);
    const overdue = members.filter(
      (inquiry) =>
        inquiry.firstRespondedAt === undefined &&
        inquiry.firstResponseDueAt !== undefined &&
        inquiry.firstResponseDueAt < at &&
        inquiry.status !== 'rejected',
    );
    const due = responded.length + overdue.length;
    const inTime = responded.filter((inquiry) => inquiry.firstResponseLate === false).length;
    return {
      department: first.department as string,
      community: first.groupId,
      total: members.length,
      byStatus: count((inquiry) => inquiry.status),
      byCategory: count((inquiry) => inquiry.category),
      firstResponse: {
        count: durations.length,
        medianMinutes: percentile(durations, 0.5),
        p90Minutes: percentile(durations, 0.9),
      },
      answeredInTimeShare: due === 0 ? null : Math.round((inTime / due) * 1000) / 1000,
    };
  });
}
