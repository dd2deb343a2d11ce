import { createHash } from 'node:crypto';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { Operator } from '../domain/operator/access.js';
import { type FollowedCaseDepartments, mayKnowFollowedCase } from '../domain/operator/followed-case.js';
import type { HistoryPage } from '../domain/ports.js';
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

/** A page of the inquiry's history as stored: read beside the inquiry, shown once it says to whom. */
export const readHistoryPage = (
  deps: OperatorApiDeps,
  id: string,
  page: { limit: number; before?: string },
): Promise<HistoryPage> => deps.inquiries.historyPage(id, page);

/**
 * A page of the inquiry's history as the API shows it to `viewer`, and the cursor of the older entries, if any.
 * The case a new matter follows is named only to whom may know it, by the department it is in now (`followedNow`,
 * operator/followed-case.ts).
 */
export function historyPageView(
  { entries, before }: HistoryPage,
  inquiry: Pick<Inquiry, 'follows'>,
  viewer: Operator,
  followedNow: FollowedCaseDepartments,
): { history: HistoryEntryView[]; nextCursor?: string } {
  return {
    history: historyView(entries, digest, mayKnowFollowedCase(viewer, inquiry.follows, followedNow)),
    ...(before !== undefined && { nextCursor: encodeCursor(before) }),
  };
}
