import type { Inquiry } from './inquiry.js';

const HOUR_MS = 3_600_000;

/**
 * Where a citizen's next message in a conversation goes: into their latest inquiry there (a follow-up while it
 * is open; within `reopenClosedWithinHours` of its answer, or of its closing, it reopens it), or into a new
 * inquiry (none yet, the latest was not an inquiry, or it was answered or closed longer ago than that).
 * Nothing closes an answered inquiry by itself: without the window a direct dialogue would stay one case
 * for ever, and a new problem written months later would join an old one of another department.
 */
export function threadingDecision(
  latest: Inquiry | undefined,
  receivedAt: Date,
  threading: { reopenClosedWithinHours: number },
): 'join' | 'open' {
  if (!latest || latest.status === 'rejected') return 'open';
  const settledAt =
    latest.status === 'closed'
      ? (latest.closedAt ?? latest.updatedAt)
      : latest.status === 'answered'
        ? (latest.answeredAt ?? latest.updatedAt)
        : undefined;
  if (
    settledAt !== undefined &&
    receivedAt.getTime() - Date.parse(settledAt) > threading.reopenClosedWithinHours * HOUR_MS
  )
    return 'open';
  return 'join';
}
