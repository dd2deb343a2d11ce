import type { z } from 'zod';
import { summariseAttachments } from './attachments.js';
import type { AttachmentSummary, Channel, CitizenMessage } from './citizen-message.js';
import type { VkEvent } from './envelope.js';
import { communityOwnerId, messageRefs } from './message-ref.js';
import {
  boardPostDeleteSchema,
  boardPostSchema,
  marketCommentDeleteSchema,
  marketCommentSchema,
  photoCommentDeleteSchema,
  photoCommentSchema,
  videoCommentDeleteSchema,
  videoCommentSchema,
  wallReplyDeleteSchema,
  wallReplySchema,
} from './objects.js';
import { instantOf } from './sent-at.js';

/** A citizen's message edited, deleted or restored in VK. */
export interface CitizenMessageChange {
  change: 'edited' | 'deleted' | 'restored';
  channel: Channel;
  /** The same ref the message carried when it arrived (message-ref.ts). */
  messageRef: string;
  /** The text after an edit or restore. */
  text?: string;
  attachments?: AttachmentSummary[];
  /** The message's author, where VK says. */
  authorId?: number;
  /**
   * When the message was written, where VK says: an edit or restore carries the comment whole, its `date`
   * still the time it was added ("Date when the comment has been added", VKCOM/vk-api-schema objects.json;
   * the recorded wall_reply_new and _edit of one comment carry the same). A deletion carries none.
   */
  sentAt?: string;
  /** Who deleted it, where VK says: the author or a community admin. */
  deleterId?: number;
  /**
   * An edit in a group chat, which the router decides on with what it holds (interpret.ts): whether the
   * message is written to the community now, and if so the message as new words would be, to open or join an
   * inquiry with when no such message is stored (the talk a member edited to mention the community).
   */
  chat?: { addressed: false } | { addressed: true; message: CitizenMessage };
}

type ChangeMeaning =
  | { kind: 'message_changed'; change: CitizenMessageChange }
  | { kind: 'own_words' }
  | { kind: 'malformed'; problem: string };

type Written = {
  id: number;
  from_id: number;
  date: number;
  text: string;
  attachments?: { type: string }[];
};
type Deleted = { id: number; deleter_id?: number; user_id?: number };

interface ChangeRule<W extends z.ZodType, D extends z.ZodType> {
  channel: Channel;
  written: W;
  deleted: D;
  refOfWritten: (object: z.infer<W>, groupId: number) => string;
  refOfDeleted: (object: z.infer<D>) => string;
}

const rule = <W extends z.ZodType, D extends z.ZodType>(value: ChangeRule<W, D>) =>
  value as unknown as ChangeRule<z.ZodType, z.ZodType>;

/** Per channel: the edit/restore object, the delete object, and how each names the message. */
const CHANGES: Record<string, ChangeRule<z.ZodType, z.ZodType>> = {
  wall_reply: rule({
    channel: 'wall_comment',
    written: wallReplySchema,
    deleted: wallReplyDeleteSchema,
    refOfWritten: (o, groupId) =>
      messageRefs.wallComment(o.post_owner_id ?? o.owner_id ?? communityOwnerId(groupId), o.post_id, o.id),
    refOfDeleted: (o) => messageRefs.wallComment(o.owner_id, o.post_id, o.id),
  }),
  board_post: rule({
    channel: 'board_comment',
    written: boardPostSchema,
    deleted: boardPostDeleteSchema,
    refOfWritten: (o) => messageRefs.boardComment(o.topic_owner_id, o.topic_id, o.id),
    refOfDeleted: (o) => messageRefs.boardComment(o.topic_owner_id, o.topic_id, o.id),
  }),
  photo_comment: rule({
    channel: 'photo_comment',
    written: photoCommentSchema,
    deleted: photoCommentDeleteSchema,
    refOfWritten: (o) => messageRefs.photoComment(o.photo_owner_id, o.photo_id, o.id),
    refOfDeleted: (o) => messageRefs.photoComment(o.owner_id, o.photo_id, o.id),
  }),
  video_comment: rule({
    channel: 'video_comment',
    written: videoCommentSchema,
    deleted: videoCommentDeleteSchema,
    refOfWritten: (o) => messageRefs.videoComment(o.video_owner_id, o.video_id, o.id),
    refOfDeleted: (o) => messageRefs.videoComment(o.owner_id, o.video_id, o.id),
  }),
  market_comment: rule({
    channel: 'market_comment',
    written: marketCommentSchema,
    deleted: marketCommentDeleteSchema,
    refOfWritten: (o) => messageRefs.marketComment(o.market_owner_id, o.item_id, o.id),
    refOfDeleted: (o) => messageRefs.marketComment(o.owner_id, o.item_id, o.id),
  }),
};

const SUFFIXES = { _edit: 'edited', _restore: 'restored', _delete: 'deleted' } as const;

function split(
  type: string,
): { rule: ChangeRule<z.ZodType, z.ZodType>; change: CitizenMessageChange['change'] } | undefined {
  for (const [suffix, change] of Object.entries(SUFFIXES)) {
    if (!type.endsWith(suffix)) continue;
    const found = CHANGES[type.slice(0, -suffix.length)];
    return found ? { rule: found, change } : undefined;
  }
  return undefined;
}

/** Every event type that edits, deletes or restores a citizen's message: vk:connect subscribes to each. */
export const MESSAGE_CHANGE_EVENT_TYPES: readonly string[] = Object.keys(CHANGES).flatMap((prefix) =>
  Object.keys(SUFFIXES).map((suffix) => `${prefix}${suffix}`),
);

const problemOf = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}`)
    .join('; ');

/** The change a `*_edit`, `*_restore` or `*_delete` event makes to a citizen's message. */
export function messageChangeOf(event: VkEvent): ChangeMeaning | undefined {
  const found = split(event.type);
  if (!found) return undefined;
  const { rule: changes, change } = found;
  if (change === 'deleted') {
    const parsed = changes.deleted.safeParse(event.object);
    if (!parsed.success) return { kind: 'malformed', problem: problemOf(parsed.error) };
    const object = parsed.data as Deleted;
    // A deleted comment of the community's own (its author is the community) changes no citizen's message;
    // another community's comment is an inquiry like a citizen's (normalise.ts).
    if (object.user_id === communityOwnerId(event.group_id)) return { kind: 'own_words' };
    return {
      kind: 'message_changed',
      change: {
        change,
        channel: changes.channel,
        messageRef: changes.refOfDeleted(object),
        ...(object.user_id !== undefined && { authorId: object.user_id }),
        ...(object.deleter_id !== undefined && { deleterId: object.deleter_id }),
      },
    };
  }
  const parsed = changes.written.safeParse(event.object);
  if (!parsed.success) return { kind: 'malformed', problem: problemOf(parsed.error) };
  const object = parsed.data as Written;
  if (object.from_id === communityOwnerId(event.group_id)) return { kind: 'own_words' };
  const sentAt = instantOf(object.date);
  return {
    kind: 'message_changed',
    change: {
      change,
      channel: changes.channel,
      messageRef: changes.refOfWritten(parsed.data, event.group_id),
      text: object.text,
      attachments: summariseAttachments(object.attachments),
      authorId: object.from_id,
      ...(sentAt !== undefined && { sentAt }),
    },
  };
}
