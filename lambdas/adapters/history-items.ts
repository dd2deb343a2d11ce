import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import { malformedEntryAttributesOf } from '../domain/inquiry/stored-history-entry.js';
import { inquiryPk } from './inquiry-keys.js';

/** What starts the sort key of every history item in its inquiry's partition. */
export const HISTORY_PREFIX = 'HIST#';
export const historySk = (key: string) => `${HISTORY_PREFIX}${key}`;
/** The time a history item's key starts with: the instant of its cause. */
export const historyTimeOf = (sk: string) =>
  sk.slice(HISTORY_PREFIX.length, sk.indexOf('#', HISTORY_PREFIX.length));
/**
 * The attribute of a history item that names the work that last wrote it (InquiryRepository.update's `writer`):
 * how it is kept, not part of the entry.
 */
export const HISTORY_WRITER = 'writtenBy';
/** A history item as the entry it holds. */
export const fromHistoryItem = ({
  pk,
  sk,
  entity,
  [HISTORY_WRITER]: writer,
  ...entry
}: Record<string, unknown>) => entry as unknown as HistoryEntry;
/**
 * A history item that does not read as an entry (stored-history-entry.ts): its inquiry, the time its key
 * starts with, and the attributes at fault, never their values (nor the rest of its key, which may hold VK's
 * ids). Left in the table as it is, for ops to mend (docs/runbook.md, "A malformed inquiry item").
 */
export interface MalformedHistoryEntry {
  inquiryId: string;
  at: string;
  attributes: string[];
}

/**
 * History items, newest first as a Query read them backwards, as entries in the order of their keys: each that
 * reads as one, and the others told to `malformed` and left out, so that one entry does not keep the operators
 * from the rest of the inquiry.
 */
export const historyEntriesOf = (
  items: Record<string, unknown>[],
  malformed: (found: MalformedHistoryEntry) => void = () => {},
): HistoryEntry[] =>
  items
    .flatMap((item) => {
      const entry = fromHistoryItem(item);
      const attributes = malformedEntryAttributesOf(entry as unknown as Record<string, unknown>);
      if (!attributes) return [entry];
      const sk = String(item.sk);
      malformed({ inquiryId: String(item.pk).replace(/^INQ#/u, ''), at: historyTimeOf(sk), attributes });
      return [];
    })
    .reverse();

/** History items sort by their key, which starts with the time of their cause. */
export function toHistoryItem(entry: HistoryEntry): Record<string, unknown> {
  return { pk: inquiryPk(entry.inquiryId), sk: historySk(entry.key), entity: 'history', ...entry };
}
