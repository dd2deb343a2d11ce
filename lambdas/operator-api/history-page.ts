import { createHash } from 'node:crypto';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { Operator } from '../domain/operator/access.js';
import { mayKnowFollowedCase } from '../domain/operator/followed-case.js';
import { type CaseDepartments, mayKnowCase } from '../domain/operator/named-case.js';
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

/**
 * The instant a history key starts with (inquiry/history.ts, historyKey), as the clock and VK's times are
 * kept: a cursor made by hand with anything else is refused, not read as the newest page again.
 */
const HISTORY_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** The time a cursor this API gave holds; undefined for anything else. */
export function decodeHistoryCursor(cursor: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const before = (parsed as { before?: unknown } | null)?.before;
  return typeof before === 'string' && HISTORY_INSTANT.test(before) && !Number.isNaN(Date.parse(before))
    ? before
    : undefined;
}

/** A page of the inquiry's history as stored: read beside the inquiry, shown once it says to whom. */
export const readHistoryPage = (
  deps: OperatorApiDeps,
  id: string,
  page: { limit: number; before?: string },
): Promise<HistoryPage> => deps.inquiries.historyPage(id, page);

/**
 * A page of the inquiry's history as the API shows it to `viewer`, and the cursor of the older entries, if any.
 * The case a new matter follows, and the newer inquiry an edit's words joined, are named only to whom may know
 * them, by the department each is in now (`casesNow`, of the cases the inquiry and the page name:
 * case-departments.ts, operator/named-case.ts).
 */
export function historyPageView(
  { entries, before }: HistoryPage,
  inquiry: Pick<Inquiry, 'follows'>,
  viewer: Operator,
  casesNow: CaseDepartments,
): { history: HistoryEntryView[]; nextCursor?: string } {
  return {
    history: historyView(entries, digest, {
      followedCase: mayKnowFollowedCase(viewer, inquiry.follows, casesNow),
      joinedCase: (caseId) => mayKnowCase(viewer, caseId, casesNow),
    }),
    ...(before !== undefined && { nextCursor: encodeCursor(before) }),
  };
}
