import { erasedMentionsInText } from '../application/erased-mentions.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { OperatorApiDeps } from './api.js';

/**
 * An operator's words on an inquiry (a note, a reason, words to the citizen) as they are stored and sent: the
 * mentions of citizens `citizen:erase` deleted lately replaced, as the erasure replaced them in the words
 * stored before it and the router replaces them in a reply typed in VK (application/erased-mentions.ts). The
 * inquiry's own author is not asked of: a citizen erased and writing again has a new inquiry, whose answer may
 * name them. Words that mention no one ask the marks nothing; words that do, one GetItem of the community's
 * latest erasure, and while it has one in the marks' days an scrypt digest and a GetItem per person named (at
 * most MAX_PEOPLE_NAMED, contract/changes.ts).
 *
 * Made once per request (give each request its own): the attempts of a change that loses the version race, and
 * the message its words make, reuse the first answer. A repeated request is recognised by the body as typed
 * (dispatch.ts), never by these words: a mark that comes or goes between two tries does not make it another.
 */
export function operatorWords(deps: Pick<OperatorApiDeps, 'erasedCitizens'>) {
  const inText = erasedMentionsInText(deps);
  const made = new Map<string, Promise<string>>();
  return (inquiry: Pick<Inquiry, 'groupId' | 'authorId'>, text: string): Promise<string> => {
    const key = `${inquiry.groupId}:${inquiry.authorId}:${text}`;
    let words = made.get(key);
    if (!words) {
      words = inText(inquiry.groupId, inquiry.authorId, text);
      made.set(key, words);
    }
    return words;
  };
}

/** An operator's words on an inquiry as stored and sent, made once per request (`operatorWords`). */
export type OperatorWordsOf = ReturnType<typeof operatorWords>;
