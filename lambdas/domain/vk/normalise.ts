import type { z } from 'zod';
import { summariseAttachments } from './attachments.js';
import { type ChatChatter, chatChatterOf } from './chat.js';
import { type CitizenMessage, postConversationKey } from './citizen-message.js';
import type { VkEvent } from './envelope.js';
import { locationOf } from './location.js';
import { communityOwnerId, messageRefs } from './message-ref.js';
import {
  boardPostSchema,
  marketCommentSchema,
  messageNewSchema,
  photoCommentSchema,
  videoCommentSchema,
  wallPostSchema,
  wallReplySchema,
} from './objects.js';
import { isGroupChat } from './peer.js';
import { quotedIn } from './quoted.js';
import { instantOf } from './sent-at.js';

/** What an event that may carry a citizen's words turned out to carry. */
type CitizenWords =
  | { kind: 'citizen_message'; message: CitizenMessage }
  /** The community's own words: never a citizen's inquiry (loop guard). */
  | { kind: 'own_words' }
  /** A group chat's message not written to the community, or a service message of the chat (chat.ts). */
  | { kind: 'chat_chatter'; chatter: ChatChatter }
  /** A known event type whose object does not fit VK's schema. */
  | { kind: 'malformed'; problem: string };

/** `is_cropped` is a boolean in VK's schema; some API versions give flags as 0/1. */
const isCropped = (value: unknown) => value === true || value === 1;

/**
 * VK writes a comment or post made "as the community" with `from_id = -group_id`: only that author is the
 * community itself. Another community (a residents' association's page) has a negative id too, and asks as a
 * citizen does. https://dev.vk.com/ru/reference/objects/comment
 */
const isOwnCommunity = (authorId: number, groupId: number) => authorId === communityOwnerId(groupId);

/**
 * `receivedAt`: when ingest received the event, the message's time when VK's `date` is no time of a message
 * (sent-at.ts); without it, such a message does not fit.
 */
type Normaliser = (object: unknown, groupId: number, receivedAt?: string) => CitizenWords;

/** The object read by its schema, with the time it was sent: VK's `date`, else when it was received. */
function parseWith<S extends z.ZodType<{ date: number }>>(
  schema: S,
  object: unknown,
  receivedAt: string | undefined,
  then: (value: z.infer<S>, sentAt: string) => CitizenWords,
): CitizenWords {
  const parsed = schema.safeParse(object);
  if (!parsed.success) return { kind: 'malformed', problem: describe(parsed.error) };
  const sentAt = instantOf(parsed.data.date) ?? receivedAt;
  if (sentAt === undefined) return { kind: 'malformed', problem: 'date: no time of a message' };
  return then(parsed.data, sentAt);
}

const describe = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}`)
    .join('; ');

/** The location shared, where there is one: kept beside the text, so that an operator sees where. */
const sharedLocation = (geo: unknown) => {
  const location = locationOf(geo);
  return location && { location };
};

const directMessage: Normaliser = (object, groupId, receivedAt) =>
  parseWith(messageNewSchema, object, receivedAt, (message, sentAt) => {
    // `out: 1` marks the community's own messages. No other community writes in its dialogues, so a
    // non-positive author there is the community too. https://dev.vk.com/ru/reference/objects/message
    if (message.out === 1 || message.from_id <= 0) return { kind: 'own_words' };
    // In a group chat only what is written to the community is an inquiry; its conversations stay per
    // author there too (the router keys them by author), so two neighbours are two inquiries.
    const chatter = isGroupChat(message.peer_id) ? chatChatterOf(message, groupId) : undefined;
    if (chatter) return { kind: 'chat_chatter', chatter };
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'direct_message',
        replyTo: {
          channel: 'direct_message',
          peerId: message.peer_id,
          conversationMessageId: message.conversation_message_id,
          messageId: message.id,
        },
        messageRef: messageRefs.direct(message.peer_id, message.conversation_message_id, message.id),
        conversationKey: `dm:${message.peer_id}`,
        authorId: message.from_id,
        text: message.text,
        attachments: summariseAttachments(message.attachments, {
          forwarded: message.fwd_messages?.length,
          replyTo: message.reply_message !== undefined && message.reply_message !== null,
          geo: message.geo !== undefined && message.geo !== null,
        }),
        ...quotedIn(message),
        ...sharedLocation(message.geo),
        // VK sent the message cut short ("this message is cropped for bot", VK's schema of messages_message).
        // Fetching it whole (messages.getByConversationMessageId) needs the community's token and a share of
        // its rate limit, which only the responder holds: the operator is told instead, and reads it in VK.
        ...(isCropped(message.is_cropped) && { cropped: true as const }),
        sentAt,
      },
    };
  });

const wallPost: Normaliser = (object, groupId, receivedAt) =>
  parseWith(wallPostSchema, object, receivedAt, (post, sentAt) => {
    if (isOwnCommunity(post.from_id, groupId)) return { kind: 'own_words' };
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'wall_post',
        replyTo: {
          channel: 'wall_post',
          ownerId: post.owner_id,
          postId: post.id,
          // https://dev.vk.com/ru/reference/objects/post: post_type "suggest" is a suggested post.
          ...(post.post_type === 'suggest' && { suggested: true as const }),
        },
        messageRef: messageRefs.wallPost(post.owner_id, post.id),
        conversationKey: postConversationKey(post.owner_id, post.id),
        authorId: post.from_id,
        text: post.text,
        attachments: summariseAttachments(post.attachments, {
          geo: post.geo !== undefined && post.geo !== null,
        }),
        ...quotedIn(post),
        ...sharedLocation(post.geo),
        sentAt,
      },
    };
  });

const wallComment: Normaliser = (object, groupId, receivedAt) =>
  parseWith(wallReplySchema, object, receivedAt, (comment, sentAt) => {
    if (isOwnCommunity(comment.from_id, groupId)) return { kind: 'own_words' };
    const ownerId = comment.post_owner_id ?? comment.owner_id ?? communityOwnerId(groupId);
    // A reply inside a thread is answered in that thread (wall.createComment's reply_to_comment).
    const threadCommentId = comment.parents_stack?.[0];
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'wall_comment',
        replyTo: {
          channel: 'wall_comment',
          ownerId,
          postId: comment.post_id,
          commentId: comment.id,
          threadCommentId,
        },
        messageRef: messageRefs.wallComment(ownerId, comment.post_id, comment.id),
        // One conversation under the post, whichever thread: a citizen's "and the lights on Lenina are out too"
        // as a new comment goes on with their case, rather than opening a second one, acknowledged under it.
        conversationKey: postConversationKey(ownerId, comment.post_id),
        authorId: comment.from_id,
        text: comment.text,
        attachments: summariseAttachments(comment.attachments),
        ...quotedIn(comment),
        sentAt,
      },
    };
  });

const boardComment: Normaliser = (object, groupId, receivedAt) =>
  parseWith(boardPostSchema, object, receivedAt, (post, sentAt) => {
    if (isOwnCommunity(post.from_id, groupId)) return { kind: 'own_words' };
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'board_comment',
        // board.createComment takes the community's positive id.
        replyTo: {
          channel: 'board_comment',
          groupId: Math.abs(post.topic_owner_id),
          topicId: post.topic_id,
          commentId: post.id,
        },
        messageRef: messageRefs.boardComment(post.topic_owner_id, post.topic_id, post.id),
        conversationKey: `board:${post.topic_id}`,
        authorId: post.from_id,
        text: post.text,
        attachments: summariseAttachments(post.attachments),
        ...quotedIn(post),
        sentAt,
      },
    };
  });

const photoComment: Normaliser = (object, groupId, receivedAt) =>
  parseWith(photoCommentSchema, object, receivedAt, (comment, sentAt) => {
    if (isOwnCommunity(comment.from_id, groupId)) return { kind: 'own_words' };
    const { photo_owner_id: ownerId, photo_id: photoId } = comment;
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'photo_comment',
        replyTo: { channel: 'photo_comment', ownerId, photoId, commentId: comment.id },
        messageRef: messageRefs.photoComment(ownerId, photoId, comment.id),
        conversationKey: `photo:${ownerId}:${photoId}`,
        authorId: comment.from_id,
        text: comment.text,
        attachments: summariseAttachments(comment.attachments),
        ...quotedIn(comment),
        sentAt,
      },
    };
  });

const videoComment: Normaliser = (object, groupId, receivedAt) =>
  parseWith(videoCommentSchema, object, receivedAt, (comment, sentAt) => {
    if (isOwnCommunity(comment.from_id, groupId)) return { kind: 'own_words' };
    const { video_owner_id: ownerId, video_id: videoId } = comment;
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'video_comment',
        replyTo: { channel: 'video_comment', ownerId, videoId, commentId: comment.id },
        messageRef: messageRefs.videoComment(ownerId, videoId, comment.id),
        conversationKey: `video:${ownerId}:${videoId}`,
        authorId: comment.from_id,
        text: comment.text,
        attachments: summariseAttachments(comment.attachments),
        ...quotedIn(comment),
        sentAt,
      },
    };
  });

const marketComment: Normaliser = (object, groupId, receivedAt) =>
  parseWith(marketCommentSchema, object, receivedAt, (comment, sentAt) => {
    if (isOwnCommunity(comment.from_id, groupId)) return { kind: 'own_words' };
    const { market_owner_id: ownerId, item_id: itemId } = comment;
    return {
      kind: 'citizen_message',
      message: {
        groupId,
        channel: 'market_comment',
        replyTo: { channel: 'market_comment', ownerId, itemId, commentId: comment.id },
        messageRef: messageRefs.marketComment(ownerId, itemId, comment.id),
        conversationKey: `market:${ownerId}:${itemId}`,
        authorId: comment.from_id,
        text: comment.text,
        attachments: summariseAttachments(comment.attachments),
        ...quotedIn(comment),
        sentAt,
      },
    };
  });

/**
 * The events that bring a citizen's new words, and how each becomes a citizen message. A restored comment
 * is not new words: it is a change of a message we hold (see changes.ts).
 */
const NEW_WORDS: Record<string, Normaliser> = {
  message_new: directMessage,
  wall_post_new: wallPost,
  wall_reply_new: wallComment,
  board_post_new: boardComment,
  photo_comment_new: photoComment,
  video_comment_new: videoComment,
  market_comment_new: marketComment,
};

/** Every event type that may bring a citizen's new words: vk:connect subscribes to each. */
export const NEW_WORDS_EVENT_TYPES: readonly string[] = Object.keys(NEW_WORDS);

/** The citizen's words an event brings, the community's own words, or why the event does not fit. */
export function citizenWordsOf(event: VkEvent, receivedAt?: string): CitizenWords | undefined {
  const normalise = NEW_WORDS[event.type];
  return normalise?.(event.object, event.group_id, receivedAt);
}

/** The citizen message a VK event carries, or null when it carries none (or only the community's words). */
export function toCitizenMessage(event: VkEvent): CitizenMessage | null {
  const words = citizenWordsOf(event);
  return words?.kind === 'citizen_message' ? words.message : null;
}
