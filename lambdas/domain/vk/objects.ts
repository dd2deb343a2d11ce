import * as z from 'zod';
import { asRecord, type Loose } from './loose.js';

/**
 * The `object` of each Callback API event we act on, as VK's callback schema describes it
 * (VKCOM/vk-api-schema callback/objects.json, https://dev.vk.com/ru/api/community-events/json-schema).
 * Tolerant as VK is: only the fields we use are required, unknown fields pass. VK ids are 64-bit integers;
 * the ones VK issues today fit a JS number exactly.
 */

/**
 * An id or a time: a number, or the same number as a digit string, as some libraries replay VK's events (the
 * event key reads both, event-key.ts). Either way a safe integer: beyond it a number would name another message.
 */
const id = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,16}$/)
    .transform(Number)
    .pipe(z.number().int()),
]);

/**
 * A field VK may leave out. `null` there reads as the field left out: nothing here tells the two apart, and a
 * null where VK's schema has an optional field is no reason to keep a citizen's words from the operators.
 */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

const text = z.preprocess(
  (value) => (value === null ? undefined : value),
  z.string().max(100_000).default(''),
);

/** An attachment's `type`, as VK names kinds: a short word. */
const MAX_ATTACHMENT_TYPE_LENGTH = 64;

/** One of a message's attachments, or, when it is not shaped as VK gives one, an attachment of kind `unknown`. */
function asAttachment(item: unknown): Loose & { type: string } {
  const attachment = asRecord(item);
  const type = attachment?.type;
  return attachment && typeof type === 'string' && type.length <= MAX_ATTACHMENT_TYPE_LENGTH
    ? (attachment as Loose & { type: string })
    : { type: 'unknown' };
}

/**
 * Attachments are only summarised (attachments.ts): one of another shape than VK's is counted as `unknown`, for
 * the operator to open in VK, rather than making the message it came with unreadable.
 */
const attachmentsSchema = optional(z.array(z.unknown()).transform((items) => items.map(asAttachment)));

/** A private message (message_new, message_reply, message_edit). */
export const privateMessageSchema = z.looseObject({
  id,
  date: id,
  peer_id: id,
  from_id: id,
  text,
  out: optional(z.number().int()),
  /** In group chats (`peer_id` ≥ 2000000000) `id` is 0: this is the message's identity there. */
  conversation_message_id: optional(id),
  attachments: attachmentsSchema,
  fwd_messages: optional(z.array(z.unknown())),
  reply_message: optional(z.unknown()),
  geo: optional(z.unknown()),
  /** A group chat's service message (`chat_invite_user`, `chat_title_update`, …): no one's words. */
  action: optional(z.unknown()),
  /** Set on `message_reply` when a person, not a bot, wrote the community's answer. */
  admin_author_id: optional(id),
});
export type PrivateMessage = z.infer<typeof privateMessageSchema>;

/** message_new: `{message, client_info}` since API 5.103, the message itself before. */
export const messageNewSchema = z.union([
  z.looseObject({ message: privateMessageSchema }).transform((object) => object.message),
  privateMessageSchema,
]);

const comment = {
  id,
  from_id: id,
  date: id,
  text,
  attachments: attachmentsSchema,
};

/** wall_reply_new / _edit / _restore. Newer API versions also send `owner_id`, `parents_stack`, `thread`. */
export const wallReplySchema = z.looseObject({
  ...comment,
  post_id: id,
  post_owner_id: optional(id),
  owner_id: optional(id),
  parents_stack: optional(z.array(id)),
  reply_to_comment: optional(id),
});
export const boardPostSchema = z.looseObject({ ...comment, topic_id: id, topic_owner_id: id });
export const photoCommentSchema = z.looseObject({ ...comment, photo_id: id, photo_owner_id: id });
export const videoCommentSchema = z.looseObject({ ...comment, video_id: id, video_owner_id: id });
export const marketCommentSchema = z.looseObject({ ...comment, item_id: id, market_owner_id: id });

/** wall_post_new / wall_repost: a post; `from_id` < 0 when the community itself published it. */
export const wallPostSchema = z.looseObject({
  id,
  owner_id: id,
  from_id: id,
  date: id,
  text,
  created_by: optional(id),
  post_type: optional(z.string()),
  attachments: attachmentsSchema,
  /** A location the author marked (wall_geo: coordinates as "<latitude> <longitude>", a place). */
  geo: optional(z.unknown()),
});

export const wallReplyDeleteSchema = z.looseObject({
  owner_id: id,
  id,
  post_id: id,
  deleter_id: optional(id),
  user_id: optional(id),
});
export const boardPostDeleteSchema = z.looseObject({
  topic_owner_id: id,
  topic_id: id,
  id,
  deleter_id: optional(id),
});
const commentDelete = { owner_id: id, id, deleter_id: optional(id), user_id: optional(id) };
export const photoCommentDeleteSchema = z.looseObject({ ...commentDelete, photo_id: id });
export const videoCommentDeleteSchema = z.looseObject({ ...commentDelete, video_id: id });
export const marketCommentDeleteSchema = z.looseObject({ ...commentDelete, item_id: id });

const messageAllowSchema = z.looseObject({ user_id: id, key: optional(z.string()) });
const messageDenySchema = z.looseObject({ user_id: id });
const messageEventSchema = z.looseObject({
  user_id: id,
  peer_id: id,
  event_id: z.string(),
  payload: optional(z.unknown()),
  conversation_message_id: optional(id),
});
const groupJoinSchema = z.looseObject({ user_id: id, join_type: optional(z.string()) });
const groupLeaveSchema = z.looseObject({ user_id: id, self: optional(z.number().int()) });
const userBlockSchema = z.looseObject({
  admin_id: id,
  user_id: id,
  unblock_date: optional(id),
  reason: optional(z.number().int()),
  comment: optional(z.string()),
});
const userUnblockSchema = z.looseObject({
  admin_id: id,
  user_id: id,
  by_end_date: optional(z.number().int()),
});

/** The object schema of every event type we know, by type. Other types are acknowledged and counted. */
const VK_OBJECT_SCHEMAS = {
  message_new: messageNewSchema,
  message_reply: privateMessageSchema,
  message_edit: privateMessageSchema,
  message_allow: messageAllowSchema,
  message_deny: messageDenySchema,
  message_event: messageEventSchema,
  wall_post_new: wallPostSchema,
  wall_repost: wallPostSchema,
  wall_reply_new: wallReplySchema,
  wall_reply_edit: wallReplySchema,
  wall_reply_restore: wallReplySchema,
  wall_reply_delete: wallReplyDeleteSchema,
  board_post_new: boardPostSchema,
  board_post_edit: boardPostSchema,
  board_post_restore: boardPostSchema,
  board_post_delete: boardPostDeleteSchema,
  photo_comment_new: photoCommentSchema,
  photo_comment_edit: photoCommentSchema,
  photo_comment_restore: photoCommentSchema,
  photo_comment_delete: photoCommentDeleteSchema,
  video_comment_new: videoCommentSchema,
  video_comment_edit: videoCommentSchema,
  video_comment_restore: videoCommentSchema,
  video_comment_delete: videoCommentDeleteSchema,
  market_comment_new: marketCommentSchema,
  market_comment_edit: marketCommentSchema,
  market_comment_restore: marketCommentSchema,
  market_comment_delete: marketCommentDeleteSchema,
  group_join: groupJoinSchema,
  group_leave: groupLeaveSchema,
  user_block: userBlockSchema,
  user_unblock: userUnblockSchema,
} as const;

type KnownEventType = keyof typeof VK_OBJECT_SCHEMAS;

export const isKnownEventType = (type: string): type is KnownEventType =>
  Object.hasOwn(VK_OBJECT_SCHEMAS, type);
