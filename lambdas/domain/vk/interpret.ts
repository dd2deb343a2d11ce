import { summariseAttachments } from './attachments.js';
import { type CitizenMessageChange, messageChangeOf } from './changes.js';
import { answeredMemberOf, type ChatChatter, chatChatterOf } from './chat.js';
import type { CitizenMessage } from './citizen-message.js';
import type { VkEvent } from './envelope.js';
import { messageRefs } from './message-ref.js';
import { citizenWordsOf } from './normalise.js';
import { privateMessageSchema } from './objects.js';
import { isGroupChat } from './peer.js';
import { instantOf } from './sent-at.js';

/** A person in the community answered a citizen by hand in VK's own interface. */
export interface OperatorReplyInVk {
  peerId: number;
  /** In a group chat, the member whose message the answer replies to or forwards (chat.ts). */
  citizenId?: number;
  adminId: number;
  messageRef: string;
  text: string;
  sentAt: string;
}

/** What one VK event means for us. */
export type VkEventMeaning =
  | { kind: 'citizen_message'; message: CitizenMessage }
  | { kind: 'message_changed'; change: CitizenMessageChange }
  | { kind: 'operator_reply_in_vk'; reply: OperatorReplyInVk }
  /** The community's own words (loop guard): acknowledged and counted, never an inquiry. */
  | { kind: 'own_words' }
  /**
   * A group chat's message that is not written to the community (the members' talk), or the chat's service
   * message: counted, never an inquiry, never answered.
   */
  | { kind: 'chat_chatter'; chatter: ChatChatter }
  /**
   * Service events (group_join, user_block, message_allow, …) and types we do not act on: acknowledged and
   * counted.
   */
  | { kind: 'service' }
  /** A known event type whose object does not fit VK's schema: a person should look at it. */
  | { kind: 'malformed'; problem: string };

/**
 * `message_reply` is the community's own outgoing message, never an inquiry. When `admin_author_id` is set,
 * a person (not a bot) wrote it: an operator answered in VK, which the inquiry should know.
 */
function messageReply(event: VkEvent, receivedAt?: string): VkEventMeaning {
  const parsed = privateMessageSchema.safeParse(event.object);
  if (!parsed.success) return { kind: 'malformed', problem: 'message_reply object does not fit' };
  const message = parsed.data;
  if (message.admin_author_id === undefined || message.admin_author_id <= 0) return { kind: 'own_words' };
  const sentAt = instantOf(message.date) ?? receivedAt;
  if (sentAt === undefined) return { kind: 'malformed', problem: 'date: no time of a message' };
  const citizenId = isGroupChat(message.peer_id) ? answeredMemberOf(message) : undefined;
  return {
    kind: 'operator_reply_in_vk',
    reply: {
      peerId: message.peer_id,
      ...(citizenId !== undefined && { citizenId }),
      adminId: message.admin_author_id,
      messageRef: messageRefs.direct(message.peer_id, message.conversation_message_id, message.id),
      text: message.text,
      sentAt,
    },
  };
}

/**
 * A group chat's edit, as the router needs it: an edit of a message we hold changes it, whatever its mention
 * now; one of a message we do not hold is new words if it is now written to the community (chat.ts: the talk
 * a member edited to mention it), read as that message's `message_new` would be, and is dropped if not.
 */
function chatEditOf(event: VkEvent, receivedAt?: string): CitizenMessageChange['chat'] {
  const words = citizenWordsOf({ ...event, type: 'message_new' }, receivedAt);
  return words?.kind === 'citizen_message'
    ? { addressed: true, message: words.message }
    : { addressed: false };
}

/**
 * `message_edit`: VK documents it for the community's own messages only, which are not citizens' words. Yet
 * it is seen for a citizen's edit of their message in a dialogue too (python273/vk_api#307, negezor/vk-io#433):
 * one with `out: 0` by a person is the citizen's change of the message we hold, as a comment's edit is. In a
 * group chat it says whether it is written to the community now (chatEditOf); a service message is counted.
 * https://dev.vk.com/ru/api/community-events/json-schema#message_edit
 */
function messageEdit(event: VkEvent, receivedAt?: string): VkEventMeaning {
  const parsed = privateMessageSchema.safeParse(event.object);
  if (!parsed.success) return { kind: 'malformed', problem: 'message_edit object does not fit' };
  const message = parsed.data;
  if (message.out === 1 || message.from_id <= 0) return { kind: 'own_words' };
  const inChat = isGroupChat(message.peer_id);
  const chatter = inChat ? chatChatterOf(message, event.group_id) : undefined;
  if (chatter === 'service_message') return { kind: 'chat_chatter', chatter };
  const chat = inChat ? chatEditOf(event, receivedAt) : undefined;
  const sentAt = instantOf(message.date);
  return {
    kind: 'message_changed',
    change: {
      change: 'edited',
      channel: 'direct_message',
      messageRef: messageRefs.direct(message.peer_id, message.conversation_message_id, message.id),
      text: message.text,
      attachments: summariseAttachments(message.attachments),
      authorId: message.from_id,
      // `date` is when it was sent; the edit's own time is `update_time`. A change may say nothing of it.
      ...(sentAt !== undefined && { sentAt }),
      ...(chat && { chat }),
    },
  };
}

type DialogueRule = (event: VkEvent, receivedAt?: string) => VkEventMeaning;

/**
 * The direct-message events other than new words: the community's own messages and a citizen's edit.
 * message_allow / message_deny are service events, only counted: VK decides at each reply whether the citizen
 * takes the community's messages (outbox/delivery-plan.ts).
 */
const DIALOGUE_EVENTS: Record<string, DialogueRule> = {
  message_reply: messageReply,
  message_edit: messageEdit,
};

export const DIALOGUE_EVENT_TYPES: readonly string[] = Object.keys(DIALOGUE_EVENTS);

/**
 * Reads one VK event: a citizen's new words, a change to words we hold, an operator's answer given in VK,
 * the community's own words, or a service event.
 * The object shapes are VK's callback schema (objects.ts); the rules that keep the community's words out
 * of inquiries are in normalise.ts and changes.ts. `receivedAt`, when ingest received the event, is the time
 * of new words whose VK `date` is no time of a message (sent-at.ts).
 */
export function interpretVkEvent(event: VkEvent, receivedAt?: string): VkEventMeaning {
  const dialogue = Object.hasOwn(DIALOGUE_EVENTS, event.type) ? DIALOGUE_EVENTS[event.type] : undefined;
  if (dialogue) return dialogue(event, receivedAt);
  // Service events are only counted: their objects are not checked, a count needs none of their fields.
  return citizenWordsOf(event, receivedAt) ?? messageChangeOf(event) ?? { kind: 'service' };
}
