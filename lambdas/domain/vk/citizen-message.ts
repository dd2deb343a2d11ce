/** Where a citizen wrote: the channel decides how (and whether) we can answer in the same place. */
export type Channel =
  | 'direct_message'
  | 'wall_post'
  | 'wall_comment'
  | 'board_comment'
  | 'photo_comment'
  | 'video_comment'
  | 'market_comment';

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
  /** The conversation this message belongs to: the direct dialogue, or the comment thread. */
  conversationKey: string;
  authorId: number;
  text: string;
  attachments: AttachmentSummary[];
  /** The time VK gives for the message, ISO. */
  sentAt: string;
}
