import { createHash } from 'node:crypto';
import type { OperatorApiDeps } from './api.js';
import { type HistoryEntryView, historyView } from './history-view.js';

/** 96 bits of SHA-256: names a history entry's cause within its inquiry without spelling it out. */
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

/**
 * A history cursor holds the time before which the next page goes on (an entry's time, nothing of its cause):
 * opaque to the console, which sends it back as it got it.
 */
const encodeCursor = (before: string) => Buffer.from(JSON.stringify({ before })).toString('base64url');

/** The time a cursor this API gave holds; undefined for anything else. */
export function decodeHistoryCursor(cursor: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const before = (parsed as { before?: unknown } | null)?.before;
  return typeof before === 'string' && /^[^#]{1,40}$/.test(before) ? before : undefined;
}

/** A page of the inquiry's history as the API shows it, and the cursor of the older entries, if any. */
export async function historyPageOf(
  deps: OperatorApiDeps,
  id: string,
  page: { limit: number; before?: string },
): Promise<{ history: HistoryEntryView[]; nextCursor?: string }> {
  const { entries, before } = await deps.inquiries.historyPage(id, page);
  return {
    history: historyView(entries, digest),
    ...(before !== undefined && { nextCursor: encodeCursor(before) }),
  };
}
