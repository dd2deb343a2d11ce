import * as z from 'zod';

/** Where a citizen wrote: the channel decides how (and whether) we can answer in the same place. */
export const CHANNELS = [
  'direct_message',
  'wall_post',
  'wall_comment',
  'board_comment',
  'photo_comment',
  'video_comment',
  'market_comment',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** A VK id: VK issues 64-bit integers, and the ones it issues today fit a JS number exactly. */
const vkId = z.number().int();

/**
 * The ids needed to answer in the same place the citizen wrote, each channel with those it cannot be answered
 * without. As the queues carry it: fields a later release adds pass on as they are (loose), so that a message
 * it wrote keeps them through this one; the code reads only those below.
 */
const replyTargets = z.discriminatedUnion('channel', [
  z.looseObject({
    channel: z.literal('direct_message'),
    peerId: vkId,
    conversationMessageId: vkId.optional(),
    messageId: vkId.optional(),
  }),
  /**
   * A citizen's post on the community's wall (an open wall or a suggested post): answered by a comment.
   * `suggested`: a suggested post, not published (VK's `post_type: "suggest"`), seen only by the community's
   * admins and its author until the community publishes or declines it.
   */
  z.looseObject({
    channel: z.literal('wall_post'),
    ownerId: vkId,
    postId: vkId,
    suggested: z.literal(true).optional(),
  }),
  z.looseObject({
    channel: z.literal('wall_comment'),
    ownerId: vkId,
    postId: vkId,
    commentId: vkId,
    threadCommentId: vkId.optional(),
  }),
  z.looseObject({ channel: z.literal('board_comment'), groupId: vkId, topicId: vkId, commentId: vkId }),
  z.looseObject({ channel: z.literal('photo_comment'), ownerId: vkId, photoId: vkId, commentId: vkId }),
  z.looseObject({ channel: z.literal('video_comment'), ownerId: vkId, videoId: vkId, commentId: vkId }),
  z.looseObject({ channel: z.literal('market_comment'), ownerId: vkId, itemId: vkId, commentId: vkId }),
]);

/** The fields a type names, without the index signature of a loose object's other ones. */
type NamedFields<T> = T extends unknown ? { [K in keyof T as string extends K ? never : K]: T[K] } : never;

/** The ids needed to answer in the same place the citizen wrote, as the code reads them. */
export type ReplyTarget = NamedFields<z.infer<typeof replyTargets>>;

/** A reply target on a queue (the routing queue's citizen messages, the outbox's messages to citizens). */
export const replyTargetSchema: z.ZodType<ReplyTarget> = replyTargets;

export const attachmentSummarySchema = z.object({
  kind: z.string(),
  count: z.number().int(),
  /** Links VK gives for the attachments of this kind, where it gives any. */
  links: z.array(z.string()).optional(),
  /**
   * What VK's speech recognition heard in the voice messages of this kind (`audio_message.transcript`, kept once
   * its `transcript_state` is `done`): the citizen's words, read and classified as typed ones are.
   */
  transcripts: z.array(z.string()).optional(),
});
export type AttachmentSummary = z.infer<typeof attachmentSummarySchema>;

/**
 * A location the citizen shared with the message (VK's `geo`): where the matter is, for an operator to open on
 * a map. The names are VK's, where it names the place.
 */
const sharedLocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** The place's name: an address ("ул. Ленина, 12") or a venue. */
  title: z.string().optional(),
  address: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
  /** The point on Yandex Maps. */
  mapUrl: z.string(),
});
export type SharedLocation = z.infer<typeof sharedLocationSchema>;

/**
 * Words the citizen's message carries from elsewhere: a message forwarded with it, the message it replies to,
 * the post it reposts, a post or comment shared in it. Kept apart from the citizen's own `text`, so that an
 * operator can tell what the citizen wrote from what they passed on (and who wrote that), and an edit of the
 * citizen's text leaves them as they were. Their bounds (quoted.ts) keep a routing message small.
 */
const quotedMessageSchema = z.object({
  kind: z.enum(['forwarded', 'reply', 'repost', 'shared_post', 'shared_comment']),
  /** 1 for what the citizen's message itself carries, 2 for what that carries in turn, and so on. */
  depth: z.number().int().positive(),
  /** Who wrote it, where VK says (`from_id`): a person's id, or a community's negative id. */
  authorId: z.number().int().optional(),
  /** When it was written, where VK says, ISO. */
  sentAt: z.iso.datetime().optional(),
  text: z.string(),
  /** The text was shortened, or its transcripts left out, to keep the message within its bounds (quoted.ts). */
  cut: z.literal(true).optional(),
  /** Where to open it in VK: a post or a comment. A private message has no public link. */
  link: z.string().optional(),
  attachments: z.array(attachmentSummarySchema).optional(),
  /**
   * Its author asked for their data to be deleted (`npm run citizen:erase`): its words, link and attachments
   * are gone, and who wrote it and when; it keeps its place, so that what the citizen wrote around it reads.
   */
  redacted: z.literal(true).optional(),
});
export type QuotedMessage = z.infer<typeof quotedMessageSchema>;

/**
 * One citizen's message, whatever VK event carried it, as the routing queue carries it. Its reply target is
 * of its own channel: a message that could not be answered where it was written is refused.
 */
export const citizenMessageSchema = z
  .object({
    groupId: z.number().int().positive(),
    channel: z.enum(CHANNELS),
    replyTo: replyTargetSchema,
    /**
     * The message's identity in VK, stable across its edits, deletes and restores, e.g. `dm:<peer>:<cmid>`
     * or `wall:<owner>:<post>:<comment>`: how a later change finds the message it changes.
     */
    messageRef: z.string().min(1),
    /**
     * The conversation this message belongs to, each author having their own: the direct dialogue, or the place
     * commented on (a wall post, whichever thread the comment is in, a board topic, a photo…). A post and its
     * author's comments under it are one conversation (inquiry/threading.ts).
     */
    conversationKey: z.string(),
    authorId: z.number().int(),
    text: z.string(),
    attachments: z.array(attachmentSummarySchema),
    /** Words passed on with the message (forwarded, replied to, reposted, shared), in reading order. */
    quoted: z.array(quotedMessageSchema).optional(),
    /** How many more passed-on messages it carried than `quoted` keeps (too deep, too many or too long). */
    quotedLeftOut: z.number().int().positive().optional(),
    /** The location shared with it, where it shares one with coordinates. */
    location: sharedLocationSchema.optional(),
    /**
     * The message came cut short: VK cut it (`is_cropped`, https://dev.vk.com/ru/reference/objects/message), or
     * its event was too large to queue whole and ingest kept only what the product reads (vk/trim-event.ts).
     * The whole message is in VK.
     */
    cropped: z.literal(true).optional(),
    /** The time VK gives for the message, ISO. */
    sentAt: z.iso.datetime(),
  })
  .refine((message) => message.replyTo.channel === message.channel, {
    path: ['replyTo', 'channel'],
    message: "not the message's channel",
  });
export type CitizenMessage = z.infer<typeof citizenMessageSchema>;

/** The conversation of a citizen's wall post, and of their comments under a wall post, in any thread. */
export const postConversationKey = (ownerId: number, postId: number) => `post:${ownerId}:${postId}`;

/**
 * The conversation a wall comment had before a citizen's comments under a post were one conversation: its
 * thread's, `wall:<post>:<first comment of the thread>`. Inquiries opened then hold it (inquiry/threading.ts).
 */
export const threadConversationKey = (postId: number, threadCommentId: number) =>
  `wall:${postId}:${threadCommentId}`;
