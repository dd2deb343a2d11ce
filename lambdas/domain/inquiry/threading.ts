import type { Inquiry } from './inquiry.js';

const HOUR_MS = 3_600_000;

/**
 * Where a citizen's next message in a conversation goes: into their latest inquiry there (a follow-up while it
 * is open; after the answer, or within `reopenClosedWithinHours` of its closing, it reopens it), or into a new
 * inquiry (none yet, the latest was not an inquiry, or it was closed too long ago).
 */
export function threadingDecision(
  latest: Inquiry | undefined,
  receivedAt: Date,
  threading: { reopenClosedWithinHours: number },
): 'join' | 'open' {
  if (!latest || latest.status === 'rejected') return 'open';
  if (latest.status === 'closed') {
    const closedAt = Date.parse(latest.closedAt ?? latest.updatedAt);
    if (receivedAt.getTime() - closedAt > threading.reopenClosedWithinHours * HOUR_MS) return 'open';
  }
  return 'join';
}
