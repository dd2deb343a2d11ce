import { asInteger, asRecord } from './loose.js';
import { communityOwnerId } from './message-ref.js';
import type { PrivateMessage } from './objects.js';

/**
 * Why a group chat's message is no citizen's inquiry: a member's words to the other members, or a service
 * message of the chat (someone invited, the title changed, a message pinned), which has `action`.
 * https://dev.vk.com/ru/reference/objects/message (`action`)
 */
export type ChatChatter = 'not_addressed' | 'service_message';

/** The author of a message a chat message replies to or forwards: a number, or a digit string (loose.ts). */
const fromOf = (value: unknown) => asInteger(asRecord(value)?.from_id);

/**
 * VK writes a mention of a community into the text as `[club<id>|…]` (or `[public<id>|…]`); a typed one that
 * the client did not turn into a link stays `@club<id>` or `*club<id>`, where no letter, digit or other
 * character of an e-mail's local part stands before it: `ivan@club<id>.ru` is an e-mail (as
 * classifier/pii.ts reads one), as mentions.ts reads a person's. A button of the community's keyboard
 * pressed in a chat sends its label after such a mention. https://dev.vk.com/ru/reference/objects/message
 */
const mentions = (text: string, groupId: number) =>
  new RegExp(
    String.raw`\[(?:club|public)${groupId}\||(?<![\p{L}\d._%+-])[@*](?:club|public)${groupId}(?![0-9])`,
    'iu',
  ).test(text);

/**
 * Whether a group chat's message is written to the community: it mentions the community, or replies to or
 * forwards one of the community's messages (an acknowledgement, an answer). A community with access to all
 * of a chat's messages (as a chat admin often has) is sent every message of it: the members' talk among
 * themselves is no inquiry, and must not be answered in front of the whole chat.
 */
export function chatChatterOf(message: PrivateMessage, groupId: number): ChatChatter | undefined {
  if (message.action !== undefined && message.action !== null) return 'service_message';
  const community = communityOwnerId(groupId);
  if (mentions(message.text, groupId)) return undefined;
  if (fromOf(message.reply_message) === community) return undefined;
  if (message.fwd_messages?.some((forwarded) => fromOf(forwarded) === community)) return undefined;
  return 'not_addressed';
}

/**
 * Whom a message of the community in a group chat answers: the member whose message it replies to, or else the
 * first one it forwards. The chat's id names no one: the chat's inquiries are per author.
 */
export function answeredMemberOf(message: PrivateMessage): number | undefined {
  const authors = [message.reply_message, ...(message.fwd_messages ?? [])].map(fromOf);
  return authors.find((author): author is number => typeof author === 'number' && author > 0);
}
