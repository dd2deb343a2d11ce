import type { ErasedCitizens } from '../domain/ports.js';
import { mentionedPeople, withoutMentionsOf } from '../domain/vk/mentions.js';

/** What reads the marks of the citizens `citizen:erase` deleted lately: none, in a bare test's wiring. */
export interface ErasedMentionsDeps {
  erasedCitizens?: ErasedCitizens;
}

/**
 * The citizens `citizen:erase` deleted lately whom words mention (vk/mentions.ts), among `people`: the
 * erasure replaced each mention of them in the words stored before it, and VK goes on writing their id and
 * name into a reply to their comment, which stays in VK. Asked only of a person (a positive id) other than
 * the author, while the community has an erasure in the marks' days: one GetItem of the community's latest
 * erasure for them all, and then an scrypt digest and a GetItem per person mentioned
 * (adapters/erased-citizens.ts), as for a late message.
 */
export async function erasedAmong(
  deps: ErasedMentionsDeps,
  groupId: number,
  authorId: number | undefined,
  people: Set<number>,
): Promise<number[]> {
  const marks = deps.erasedCitizens;
  const asked = [...people].filter((person) => person > 0 && person !== authorId);
  if (!marks || asked.length === 0) return [];
  return marks.erasedAmong(groupId, asked);
}

export const withoutMentionsOfAll = (text: string, people: number[]) =>
  people.reduce((words, person) => withoutMentionsOf(words, person), text);

/**
 * Words with the mentions of citizens erased lately replaced (none asked of `authorId`: their writer, or the
 * citizen whose inquiry an operator writes on). Words that mention no one ask the marks nothing.
 */
export function erasedMentionsInText(deps: ErasedMentionsDeps) {
  return async (groupId: number, authorId: number | undefined, text: string): Promise<string> => {
    if (!deps.erasedCitizens) return text;
    return withoutMentionsOfAll(text, await erasedAmong(deps, groupId, authorId, mentionedPeople(text)));
  };
}
