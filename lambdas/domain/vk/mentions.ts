import type { QuotedMessage } from './citizen-message.js';

/**
 * A person's mention as VK writes it into a text: `[id<id>|<what is shown>]`, the shown part a name or
 * `@screen_name`, which VK's clients put first in a comment that replies to another (`[id123|Иван Петров],
 * спасибо`); typed and not made a link, `@id<id>` or `*id<id>`, perhaps followed by the name to show,
 * `@id123 (Иван)`. A community's (`[club1|…]`, `@public1`) names no person, and is left alone.
 * As chat.ts reads a community's mention. https://dev.vk.com/ru/reference/objects/message
 * The id ends where its digits end: `[id1234|…]` is no mention of 123.
 */
const PERSON_MENTION = /\[id(\d+)\|[^[\]\n]*\]|[@*]id(\d+)(?![0-9A-Za-z_])(?: ?\([^()\n]{0,100}\))?/g;

/** What stands in a text where a mention of an erased citizen was: neither their id nor their name. */
export const ERASED_MENTION = '[упоминание удалено]';

/**
 * What every mention of `userId` holds: a cheap test (a substring, which a DynamoDB filter can make too) that
 * leaves only the texts that may mention them to the pattern.
 */
export const mentionNeedle = (userId: number): string => `id${userId}`;

/** The people a text mentions, by VK id. */
export function mentionedPeople(text: string): Set<number> {
  const people = new Set<number>();
  for (const match of text.matchAll(PERSON_MENTION)) people.add(Number(match[1] ?? match[2]));
  return people;
}

/**
 * The text with each mention of `userId` (their id and the name shown with it) replaced by ERASED_MENTION, on
 * their request to have their data deleted (152-FZ art. 21); the same string when it mentions them nowhere.
 */
export function withoutMentionsOf(text: string, userId: number): string {
  if (!text.includes(mentionNeedle(userId))) return text;
  return text.replace(PERSON_MENTION, (mention, bracketed?: string, typed?: string) =>
    Number(bracketed ?? typed) === userId ? ERASED_MENTION : mention,
  );
}

/** Whether the text mentions `userId`. */
export const mentions = (text: unknown, userId: number): boolean =>
  typeof text === 'string' && withoutMentionsOf(text, userId) !== text;

/**
 * The passed-on words with the mentions of `userId` taken out of each passage's text (another citizen's
 * message replying to theirs, forwarded); the same array when none mentions them.
 */
export function passagesWithoutMentionsOf(quoted: QuotedMessage[], userId: number): QuotedMessage[] {
  if (!quoted.some((passage) => mentions(passage.text, userId))) return quoted;
  return quoted.map((passage) =>
    mentions(passage.text, userId) ? { ...passage, text: withoutMentionsOf(passage.text, userId) } : passage,
  );
}
