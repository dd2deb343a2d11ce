import type { QuotedMessage } from './citizen-message.js';

/**
 * The name a typed mention shows in place of the id, `@id123 (Иван Петров)`: up to three words, with no digit,
 * as a name is. A longer parenthesis, or one with a digit (`@id123 (кв. 12)`), is taken for the writer's own
 * words, and kept.
 */
const SHOWN_NAME = String.raw`(?=[^()\n]{1,40}\))[^\s()\d]+(?: [^\s()\d]+){0,2}`;

/**
 * A link to a person's page, `vk.com/id<id>` (the address of a page with no short name: users.get's `domain`,
 * https://dev.vk.com/ru/reference/objects/user), or to a dialogue with them, `vk.com/write<id>`, on VK's hosts
 * and their mobile ones, with what follows the address (`?w=wall123_45`, the page's post) up to the punctuation
 * that ends a sentence. Not a host that only ends in `vk.com`; not `write-<id>`, a community's dialogue.
 */
const PAGE_LINK = String.raw`(?<![\w.-])(?:https?:\/\/)?(?:(?:m|www)\.)?vk\.(?:com|ru)\/(?:id|write)(\d+)(?!\w)(?:[/?#][^\s()<>«»"']*[^\s()<>«»"'.,;:!?])?`;

/**
 * A person's mention as VK writes it into a text: `[id<id>|<what is shown>]`, the shown part a name or
 * `@screen_name`, which VK's clients put first in a comment that replies to another (`[id123|Иван Петров],
 * спасибо`); typed and not made a link, `@id<id>` or `*id<id>`, perhaps followed by the name to show,
 * `@id123 (Иван)`; or a link to their page. Whatever the letters' case (`@ID123` names the id too). A
 * community's (`[club1|…]`, `@public1`) names no person, and is left alone; nor does a page's short name
 * (`vk.com/ivanov`), which only a call to VK ties to an id.
 * As chat.ts reads a community's mention. https://dev.vk.com/ru/reference/objects/message
 * The id ends where its digits end: `[id1234|…]` is no mention of 123.
 */
const PERSON_MENTION = new RegExp(
  [
    String.raw`\[id(\d+)\|[^\[\]\n]*\]`,
    String.raw`[@*]id(\d+)(?!\w)(?: ?\(${SHOWN_NAME}\))?`,
    PAGE_LINK,
  ].join('|'),
  'giu',
);

/** What stands in a text where a mention of an erased citizen was: neither their id nor their name. */
export const ERASED_MENTION = '[упоминание удалено]';

/**
 * What every mention of `userId` holds, in any form and case: their id's digits. A cheap test (a substring,
 * which a DynamoDB filter can make too) that leaves only the texts that may mention them to the pattern.
 */
export const mentionNeedle = (userId: number): string => String(userId);

/** The id a match of PERSON_MENTION names, from whichever form matched. */
const mentionedId = (bracketed?: string, typed?: string, linked?: string) =>
  Number(bracketed ?? typed ?? linked);

/** The people a text mentions, by VK id. */
export function mentionedPeople(text: string): Set<number> {
  const people = new Set<number>();
  for (const match of text.matchAll(PERSON_MENTION)) people.add(mentionedId(match[1], match[2], match[3]));
  return people;
}

/**
 * The text with each mention of `userId` (their id and the name shown with it) replaced by ERASED_MENTION, on
 * their request to have their data deleted (152-FZ art. 21); the same string when it mentions them nowhere.
 */
export function withoutMentionsOf(text: string, userId: number): string {
  if (!text.includes(mentionNeedle(userId))) return text;
  return text.replace(PERSON_MENTION, (mention, bracketed?: string, typed?: string, linked?: string) =>
    mentionedId(bracketed, typed, linked) === userId ? ERASED_MENTION : mention,
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
