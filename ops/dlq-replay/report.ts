import type { CountedLetter } from './count.js';
import type { DropResult } from './drop.js';
import { LOOK_SECONDS, type NotDeleted } from './queue-messages.js';
import type { ReplayResult } from './replay.js';

/**
 * What dlq:replay says of each message as it goes, naming it by what the consumers' logs name it and never by
 * what it says: on stdout, but what is left undone on stderr.
 */
export const letterPrinter = {
  counted(letter: CountedLetter): void {
    const deleted = letter.deletedAfter && `, deleted by SQS after ${utcMinute(letter.deletedAfter)} UTC`;
    const named = `${letter.id} (${letter.size} bytes${deleted ?? ''}): ${letter.key}${letter.more ? `; ${letter.more}` : ''}`;
    console.log(
      letter.refusal === undefined ? `would move ${named}` : `would refuse ${named}: ${letter.refusal}`,
    );
  },
  dropped(id: string): void {
    console.log(`dropped ${id}`);
  },
  givenUp(outboxId: string): void {
    console.log(`outboxId ${outboxId}: its inquiry is flagged for these words, now as given up`);
  },
  notDeleted({ id, code, message }: NotDeleted): void {
    console.error(`${id} was sent, but not deleted from the dead-letter queue: ${code} ${message ?? ''}`);
  },
  notShown(count: number): void {
    console.error(`${count} message(s) stay out of sight for up to ${LOOK_SECONDS} s, then reappear`);
  },
};

/** `2026-12-20 14:03`: the minute, in UTC. */
const utcMinute = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** What a run stopped by Ctrl-C had done. */
export const stopped = {
  dropping: () => 'dropped before it stopped: the ones it printed; the others reappear within 5 minutes',
  counting: (counted: number, from: string) =>
    `counted ${counted} message(s), moved none; they reappear in ${from} within ${LOOK_SECONDS / 60} minutes`,
  moving: (moved: number, from: string, to: string) =>
    `moved ${moved} message(s) from ${from} to ${to}; those received and not moved reappear in ${from} within a minute`,
};

/** What a run ends with: lines on stdout, then, when something is left undone, why (exit 1). */
export interface Report {
  said: string[];
  failure?: string;
}

/** A count that reached --max may have left some. */
const mayBeMore = (count: number, max: number) => (count >= max ? ` (--max ${max}: there may be more)` : '');

export function dropReport({ dropped, kept, notFound }: DropResult, from: string): Report {
  const said = [`dropped ${dropped.length} message(s) from ${from}`];
  if (kept.length > 0)
    return {
      said,
      failure: `kept, nothing done for them: ${kept.map(({ id, reason }) => `${id}, ${reason}`).join('; ')}${notFound.length > 0 ? `; not found: ${notFound.join(', ')}` : ''}`,
    };
  if (notFound.length > 0)
    return {
      said,
      failure: `not found, nothing done for them (already gone, or out of sight for another reader for a few minutes): ${notFound.join(', ')}`,
    };
  return { said };
}

export function countReport(
  { count, refused }: { count: number; refused: number },
  max: number,
  to: string,
): Report {
  const said = [`${count - refused} message(s) would be moved${mayBeMore(count, max)}`];
  if (refused > 0)
    return {
      said,
      failure: `${refused} message(s) would be refused (named above, each with why): not replayed to ${to}`,
    };
  return { said };
}

export function replayReport(
  { moved, refused, notDeleted }: ReplayResult,
  from: string,
  to: string,
  max: number,
): Report {
  const said = [`moved ${moved} message(s) from ${from} to ${to}${refused ? '' : mayBeMore(moved, max)}`];
  if (refused)
    return {
      said,
      failure: `stopped at ${refused.id}, left in ${from} with those not moved yet: ${refused.reason}. A dry run names each message it would refuse, and why`,
    };
  if (notDeleted.length > 0)
    return {
      said,
      failure: `${notDeleted.length} of them could not be deleted from the dead-letter queue and will be sent again by the next replay (every consumer tolerates it): ${notDeleted.join(', ')}`,
    };
  return { said };
}
