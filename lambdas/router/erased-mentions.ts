import type { MessageChange } from '../domain/messages.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { mentionedPeople, passagesWithoutMentionsOf, withoutMentionsOf } from '../domain/vk/mentions.js';
import type { RouteMessageDeps } from './router-context.js';

/**
 * The citizens `citizen:erase` deleted lately whom words mention (vk/mentions.ts), among `people`: the
 * erasure replaced each mention of them in the words stored before it, and VK goes on writing their id and
 * name into a reply to their comment, which stays in VK. Asked only of a person (a positive id) other than
 * the author, while the community has an erasure in the marks' days: one GetItem for a community with none,
 * and then an scrypt digest per person mentioned (adapters/erased-citizens.ts), as for a late message.
 */
async function erasedAmong(
  deps: Pick<RouteMessageDeps, 'erasedCitizens'>,
  groupId: number,
  authorId: number | undefined,
  people: Set<number>,
): Promise<number[]> {
  const marks = deps.erasedCitizens;
  const asked = [...people].filter((person) => person > 0 && person !== authorId);
  if (!marks || asked.length === 0) return [];
  const erased = await Promise.all(
    asked.map(async (person) => ((await marks.erasedAt(groupId, person)) ? person : undefined)),
  );
  return erased.filter((person) => person !== undefined);
}

const withoutMentionsOfAll = (text: string, people: number[]) =>
  people.reduce((words, person) => withoutMentionsOf(words, person), text);

/**
 * A message with the mentions of citizens erased lately replaced, in its text and in the passages it passes
 * on, as the erasure replaced them in the words stored before it; the same message when it mentions none.
 */
export function erasedMentionsRedaction(deps: Pick<RouteMessageDeps, 'erasedCitizens'>) {
  return async (message: CitizenMessage): Promise<CitizenMessage> => {
    if (!deps.erasedCitizens) return message;
    const texts = [message.text, ...(message.quoted ?? []).map((passage) => passage.text)];
    const people = new Set(texts.flatMap((text) => [...mentionedPeople(text)]));
    const erased = await erasedAmong(deps, message.groupId, message.authorId, people);
    if (erased.length === 0) return message;
    return {
      ...message,
      text: withoutMentionsOfAll(message.text, erased),
      ...(message.quoted && {
        quoted: erased.reduce((quoted, person) => passagesWithoutMentionsOf(quoted, person), message.quoted),
      }),
    };
  };
}

/** Words with the mentions of citizens erased lately replaced (none asked of `authorId`, their writer). */
export function erasedMentionsInText(deps: Pick<RouteMessageDeps, 'erasedCitizens'>) {
  return async (groupId: number, authorId: number | undefined, text: string): Promise<string> => {
    if (!deps.erasedCitizens) return text;
    return withoutMentionsOfAll(text, await erasedAmong(deps, groupId, authorId, mentionedPeople(text)));
  };
}

/**
 * An edit's or a restoration's words with the mentions of citizens erased lately replaced, as a message's. (A
 * chat's message edited to be written to the community is routed as a message, and redacted there.)
 */
export function erasedMentionsInChange(deps: Pick<RouteMessageDeps, 'erasedCitizens'>) {
  const inText = erasedMentionsInText(deps);
  return async (change: MessageChange): Promise<MessageChange> => {
    if (change.text === undefined) return change;
    const text = await inText(change.groupId, change.authorId, change.text);
    return text === change.text ? change : { ...change, text };
  };
}
