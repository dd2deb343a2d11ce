import type { QuotedMessage } from './citizen-message.js';

/**
 * The name a typed mention shows in place of the id, `@id123 (Иван Петров)`: up to three words (a patronymic
 * too), with no digit, as a name is, however long (`Александра Александровна Константинопольская`). A
 * parenthesis of more words, or one with a digit (`@id123 (кв. 12)`), is taken for the writer's own words,
 * and kept.
 */
const SHOWN_NAME = String.raw`[^\s()\d]+(?: [^\s()\d]+){0,2}`;

/**
 * A link on VK's hosts (`vk.com`, `vk.ru`, `vkontakte.ru`, its former name, their `m.` and `www.` hosts, and
 * `vk.me`, its messenger's), with its path and what follows it up to the punctuation that ends a sentence: the
 * address alone (group 1) tells whom it names (LINKED_PERSON). Not a host that only ends in `vk.com`.
 */
const VK_LINK = String.raw`(?<![\w.-])(?:https?:\/\/)?(?:(?:m|www)\.)?(?:vk\.(?:com|ru|me)|vkontakte\.ru)(\/(?:[^\s()<>«»"']*[^\s()<>«»"'.,;:!?])?)`;

/**
 * The addresses of a VK link (the part after the host) that name a person by their id:
 * - their page, `/id<id>` (the address of a page with no short name: users.get's `domain`,
 *   https://dev.vk.com/ru/reference/objects/user), and a dialogue with them, `/write<id>`, `/im?sel=<id>` or
 *   the messenger's newer `/im/convo/<id>` (no VK reference lists these: the addresses VK's web client shows);
 * - the sections of their page, `/wall<id>`, `/photos<id>`, `/albums<id>`, `/videos<id>`, `/audios<id>`,
 *   `/gifts<id>`, `/tag<id>` (photos of them) and `/friends?id=<id>`: the addresses VK's web client shows on
 *   a page, also a community's by its negative id (`albums-123`, which names no person); their market,
 *   `/market<owner id>`, a community's too (`market-123`)
 *   (https://github.com/umerov1999/Fenrir-for-VK/blob/HEAD/app_fenrir/src/main/kotlin/dev/ragnarok/fenrir/link/VKLinkParser.kt,
 *   `PATTERN_MARKET`); the list of their communities, `/groups?id=<id>`, which a person's page links to
 *   (https://github.com/maxhack1337/vk_tools/blob/HEAD/src/modules/inject/functions/classicalProfile/scripts/nextExpander.ts);
 *   an article of their page, `/@id<id>` and `/@id<id>-<title>`, the page's address after the `@`
 *   (https://github.com/danbooru/danbooru/blob/HEAD/app/logical/source/url/vk.rb), `id<id>` for a page
 *   with no short name (`@club123-…` is a community's);
 * - a post on their wall, a photo, album, video or document of theirs, `/wall<id>_<n>`, `/photo<id>_<n>`,
 *   `/album<id>_<n>`, `/video<id>_<n>`, `/doc<id>_<n>`, or opened over another page, `?w=wall<id>_<n>`,
 *   `?z=photo<id>_<n>`: VK's `<type><owner_id>_<id>`, whose owner is a community when negative
 *   (`wall-123_45`). https://dev.vk.com/ru/method/wall.post (`attachments`). So too their clip,
 *   `/clip<id>_<n>`, a video (https://github.com/yt-dlp/yt-dlp/blob/HEAD/yt_dlp/extractor/vk.py, `VKIE`),
 *   their story, `/story<id>_<n>` (VKLinkParser.kt above, `PATTERN_STORY`), a track of theirs,
 *   `/audio<id>_<n>` (https://github.com/negezor/vk-io/blob/HEAD/packages/vk-io/src/utils/resource-resolver.ts,
 *   `parseOwnerResourceRe`), and goods of their market, `/market<id>_<n>` (the same) or `?w=product<id>_<n>`
 *   (vk.rb above).
 * Not `write-<id>`, a community's dialogue, nor a page's short name (`/ivanov`), which only a call to VK
 * ties to an id, nor an app opened in a community, `/app<app id>_-<community id>`. The id ends where its
 * digits end. Left alone for want of a source that says what their number is: a note, `/note<n>_<n>`, and the
 * friends' list of older addresses, `/friends?uid=<n>`.
 */
const LINKED_PERSON =
  /^\/(?:id|@id|write|im\/convo\/|wall|photos|albums|videos|audios|gifts|tag|market)(\d+)(?!\w)|^\/(?:im\?(?:[^#]*&)?sel|(?:friends|groups)\?(?:[^#]*&)?id)=(\d+)(?!\w)|(?:^\/|[?&#][a-z]+=)(?:wall|photo|album|video|doc|clip|story|audio|market|product)(\d+)_\d/giu;

/** The people a link names, by the address after its host (`/id123?w=wall77_5` names 123 and 77). */
const peopleLinked = (address: string): number[] =>
  [...address.matchAll(LINKED_PERSON)].map((match) => Number(match[1] ?? match[2] ?? match[3]));

/**
 * A person's mention as VK writes it into a text: `[id<id>|<what is shown>]`, the shown part a name or
 * `@screen_name`, which VK's clients put first in a comment that replies to another (`[id123|Иван Петров],
 * спасибо`); typed and not made a link, `@id<id>` or `*id<id>`, perhaps followed by the name to show,
 * `@id123 (Иван)`, where no letter, digit or other character of an e-mail's local part stands before it
 * (`ivan@id123.ru` is an e-mail, as classifier/pii.ts reads one); or a VK link (VK_LINK), a mention when it
 * names them (LINKED_PERSON). Whatever the letters' case (`@ID123` names the id too). A community's
 * (`[club1|…]`, `@public1`) names no person, and is left alone.
 * As chat.ts reads a community's mention. https://dev.vk.com/ru/reference/objects/message
 * The id ends where its digits end: `[id1234|…]` is no mention of 123.
 */
const PERSON_MENTION = new RegExp(
  [
    String.raw`\[id(\d+)\|[^\[\]\n]*\]`,
    String.raw`(?<![\p{L}\d._%+-])[@*]id(\d+)(?!\w)(?: ?\(${SHOWN_NAME}\))?`,
    VK_LINK,
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

/** The people a match of PERSON_MENTION names, from whichever form matched: a link may name none. */
const mentionedIds = (bracketed?: string, typed?: string, address?: string): number[] => {
  const id = bracketed ?? typed;
  if (id !== undefined) return [Number(id)];
  return address === undefined ? [] : peopleLinked(address);
};

/** The people a text mentions, by VK id. */
export function mentionedPeople(text: string): Set<number> {
  const people = new Set<number>();
  for (const match of text.matchAll(PERSON_MENTION))
    for (const person of mentionedIds(match[1], match[2], match[3])) people.add(person);
  return people;
}

/**
 * The text with each mention of `userId` (their id and the name shown with it) replaced by ERASED_MENTION, on
 * their request to have their data deleted (152-FZ art. 21); the same string when it mentions them nowhere.
 */
export function withoutMentionsOf(text: string, userId: number): string {
  if (!text.includes(mentionNeedle(userId))) return text;
  return text.replace(PERSON_MENTION, (mention, bracketed?: string, typed?: string, address?: string) =>
    mentionedIds(bracketed, typed, address).includes(userId) ? ERASED_MENTION : mention,
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
