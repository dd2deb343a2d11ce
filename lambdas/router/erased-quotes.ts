import { erasedMessage } from '../domain/inquiry/erased-citizen.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { withoutWordsOf } from '../domain/vk/quoted.js';
import { LATE_MESSAGE_MS } from './erased-author.js';
import type { RouteMessageDeps } from './router-context.js';

/**
 * The other citizens whose passages a message passes on that are old enough to be of an erased citizen: a
 * person (a positive VK id; a community's is negative) other than the message's author, dated more than
 * LATE_MESSAGE_MS before now. A passage dated less than that ago costs no look, as a message on time does
 * (erased-author.ts says why, and what the bound leaves). The author's own are theirs to pass on anew.
 * Each with the date of their oldest such passage: none written after the community's latest erasure
 * costs a digest (adapters/erased-citizens.ts).
 */
function quotedAuthorsToAsk(message: CitizenMessage, now: Date): Map<number, string> {
  const oldest = new Map<number, string>();
  for (const passage of message.quoted ?? []) {
    const { authorId, sentAt } = passage;
    if (authorId === undefined || authorId <= 0 || authorId === message.authorId || sentAt === undefined)
      continue;
    if (now.getTime() - Date.parse(sentAt) <= LATE_MESSAGE_MS) continue;
    const known = oldest.get(authorId);
    if (known === undefined || Date.parse(sentAt) < Date.parse(known)) oldest.set(authorId, sentAt);
  }
  return oldest;
}

/**
 * A message with the passages of citizens `citizen:erase` deleted lately taken out, as the erasure takes
 * them out of the passages stored before it (vk/quoted.ts `withoutWordsOf`): someone replying to or
 * forwarding an erased citizen's old message would otherwise store their words again, under their VK id.
 * Only the passages written before the author's erasure go; one written after it is of their new words.
 * One look at the marks per author, an scrypt digest each unless all their passages are younger than the
 * community's latest erasure (adapters/erased-citizens.ts), and none for a message that passes on no other
 * citizen's older words, as nearly none does.
 */
export function erasedQuotesRedaction(deps: Pick<RouteMessageDeps, 'erasedCitizens' | 'clock'>) {
  return async (message: CitizenMessage): Promise<CitizenMessage> => {
    const marks = deps.erasedCitizens;
    if (!marks || !message.quoted) return message;
    const authors = quotedAuthorsToAsk(message, deps.clock.now());
    if (authors.size === 0) return message;
    const erasedAt = new Map(
      await Promise.all(
        [...authors].map(
          async ([author, oldest]) =>
            [author, await marks.erasedAt(message.groupId, author, oldest)] as const,
        ),
      ),
    );
    let redacted = 0;
    const quoted = message.quoted.map((passage) => {
      const at = passage.authorId === undefined ? undefined : erasedAt.get(passage.authorId);
      if (passage.authorId === undefined || erasedMessage(passage.sentAt, at) !== 'written_before')
        return passage;
      redacted += 1;
      return withoutWordsOf([passage], passage.authorId).quoted[0] ?? passage;
    });
    return redacted === 0 ? message : { ...message, quoted };
  };
}
