import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
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
/** History items, newest first as a Query read them backwards, as entries in the order of their keys. */
export const historyEntriesOf = (items: Record<string, unknown>[]): HistoryEntry[] =>
  items.map(fromHistoryItem).reverse();

/** History items sort by their key, which starts with the time of their cause. */
export function toHistoryItem(entry: HistoryEntry): Record<string, unknown> {
  return { pk: inquiryPk(entry.inquiryId), sk: historySk(entry.key), entity: 'history', ...entry };
}
