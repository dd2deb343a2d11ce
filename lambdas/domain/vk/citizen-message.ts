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

/** The ids needed to answer in the same place the citizen wrote. */
export type ReplyTarget =
  | { channel: 'direct_message'; peerId: number; conversationMessageId?: number; messageId?: number }
  /**
   * A citizen's post on the community's wall (an open wall or a suggested post): answered by a comment.
   * `suggested`: a suggested post, not published (VK's `post_type: "suggest"`), seen only by the community's
   * admins and its author until the community publishes or declines it.
   */
  | { channel: 'wall_post'; ownerId: number; postId: number; suggested?: true }
  | { channel: 'wall_comment'; ownerId: number; postId: number; commentId: number; threadCommentId?: number }
  | { channel: 'board_comment'; groupId: number; topicId: number; commentId: number }
  | { channel: 'photo_comment'; ownerId: number; photoId: number; commentId: number }
  | { channel: 'video_comment'; ownerId: number; videoId: number; commentId: number }
  | { channel: 'market_comment'; ownerId: number; itemId: number; commentId: number };

export interface AttachmentSummary {
  kind: string;
  count: number;
  /** Links VK gives for the attachments of this kind, where it gives any. */
  links?: string[];
  /**
   * What VK's speech recognition heard in the voice messages of this kind (`audio_message.transcript`, kept once
   * its `transcript_state` is `done`): the citizen's words, read and classified as typed ones are.
   */
  transcripts?: string[];
}

/**
 * A location the citizen shared with the message (VK's `geo`): where the matter is, for an operator to open on
 * a map. The names are VK's, where it names the place.
 */
export interface SharedLocation {
  latitude: number;
  longitude: number;
  /** The place's name: an address ("ул. Ленина, 12") or a venue. */
  title?: string;
  address?: string;
  city?: string;
  country?: string;
  /** The point on Yandex Maps. */
  mapUrl: string;
}

/**
 * Words the citizen's message carries from elsewhere: a message forwarded with it, the message it replies to,
 * the post it reposts, a post or comment shared in it. Kept apart from the citizen's own `text`, so that an
 * operator can tell what the citizen wrote from what they passed on (and who wrote that), and an edit of the
 * citizen's text leaves them as they were.
 */
export interface QuotedMessage {
  kind: 'forwarded' | 'reply' | 'repost' | 'shared_post' | 'shared_comment';
  /** 1 for what the citizen's message itself carries, 2 for what that carries in turn, and so on. */
  depth: number;
  /** Who wrote it, where VK says (`from_id`): a person's id, or a community's negative id. */
  authorId?: number;
  /** When it was written, where VK says, ISO. */
  sentAt?: string;
  text: string;
  /** The text was shortened, or its transcripts left out, to keep the message within its bounds (quoted.ts). */
  cut?: true;
  /** Where to open it in VK: a post or a comment. A private message has no public link. */
  link?: string;
  attachments?: AttachmentSummary[];
  /**
   * Its author asked for their data to be deleted (`npm run citizen:erase`): its words, link and attachments
   * are gone, and who wrote it and when; it keeps its place, so that what the citizen wrote around it reads.
   */
  redacted?: true;
}

/** One citizen's message, whatever VK event carried it. */
export interface CitizenMessage {
  groupId: number;
  channel: Channel;
  replyTo: ReplyTarget;
  /**
   * The message's identity in VK, stable across its edits, deletes and restores, e.g. `dm:<peer>:<cmid>`
   * or `wall:<owner>:<post>:<comment>`: how a later change finds the message it changes.
   */
  messageRef: string;
  /**
   * The conversation this message belongs to: the direct dialogue, the wall post, or the comment thread. A
   * comment by a post's author under their post continues the post's instead (inquiry/threading.ts).
   */
  conversationKey: string;
  authorId: number;
  text: string;
  attachments: AttachmentSummary[];
  /** Words passed on with the message (forwarded, replied to, reposted, shared), in reading order. */
  quoted?: QuotedMessage[];
  /** How many more passed-on messages it carried than `quoted` keeps (too deep, too many or too long). */
  quotedLeftOut?: number;
  /** The location shared with it, where it shares one with coordinates. */
  location?: SharedLocation;
  /**
   * The message came cut short: VK cut it (`is_cropped`, https://dev.vk.com/ru/reference/objects/message), or
   * its event was too large to queue whole and ingest kept only what the product reads (vk/trim-event.ts).
   * The whole message is in VK.
   */
  cropped?: true;
  /** The time VK gives for the message, ISO. */
  sentAt: string;
}

/** The conversation a citizen's wall post opens. */
export const postConversationKey = (ownerId: number, postId: number) => `post:${ownerId}:${postId}`;
