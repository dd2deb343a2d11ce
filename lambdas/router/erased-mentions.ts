import { erasedAmong, erasedMentionsInText, withoutMentionsOfAll } from '../application/erased-mentions.js';
import type { MessageChange } from '../domain/messages.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { mentionedPeople, passagesWithoutMentionsOf } from '../domain/vk/mentions.js';
import type { RouteMessageDeps } from './router-context.js';

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
