import { CITIZENS_PER_SCAN, type CitizenRecords } from '../../lambdas/adapters/citizen-records.js';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { findCitizens } from '../citizen-survey.js';
import { eraseCitizen } from './erase.js';
import type { CitizenErasure } from './erasure.js';

/**
 * Erases the citizens of a community one after the other, in the order given, as eraseCitizen erases each,
 * from one read of the table for each CITIZENS_PER_SCAN of them rather than one each: a read of the whole
 * table (up to an hour and more on a large one, docs/runbook.md) costs as much whomever it looks for. What
 * one writes after the read, before their turn, each erasure finds from when the read began (../citizen-survey.ts).
 * Yields each one's erasure when it is done; a failure stops it at the citizen it was erasing or reading for.
 */
export async function* eraseCitizens(
  options: Omit<Parameters<typeof eraseCitizen>[0], 'userId' | 'found' | 'onRead'> & {
    userIds: readonly number[];
    /** What is told the items of the table read so far, a new one for each read. */
    readProgress?: () => (scanned: number) => void;
  },
): AsyncGenerator<CitizenErasure> {
  const { userIds, readProgress, ...erasure } = options;
  /** What the last read found of the citizens it looked for: the next ones in the list. */
  let read = new Map<number, CitizenRecords>();
  let readAt: Date | undefined;
  for (const [index, userId] of userIds.entries()) {
    if (!read.has(userId)) {
      readAt = (erasure.clock ?? systemClock).now();
      read = await findCitizens({
        ...erasure,
        userIds: userIds.slice(index, index + CITIZENS_PER_SCAN),
        ...(readProgress && { onRead: readProgress() }),
      });
    }
    yield await eraseCitizen({ ...erasure, userId, found: read.get(userId), readAt });
  }
}
