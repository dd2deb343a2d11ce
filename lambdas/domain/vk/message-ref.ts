import type { ReplyTarget } from './citizen-message.js';

/**
 * A message's identity in VK, the same in the event that brings it and in every later edit, delete or
 * restore of it: how a change finds the message it changes, and how a replayed event is recognised.
 * Built only from ids both kinds of event carry (a delete carries no text, no date, no author).
 */
export const messageRefs = {
  /** In a group chat `id` is 0, so the conversation message id is the identity; `id` only when VK sends none. */
  direct: (peerId: number, conversationMessageId: number | undefined, messageId: number) =>
    `dm:${peerId}:${conversationMessageId ?? `id${messageId}`}`,
  wallPost: (ownerId: number, postId: number) => `post:${ownerId}:${postId}`,
  wallComment: (ownerId: number, postId: number, commentId: number) =>
    `wall:${ownerId}:${postId}:${commentId}`,
  boardComment: (topicOwnerId: number, topicId: number, commentId: number) =>
    `board:${topicOwnerId}:${topicId}:${commentId}`,
  photoComment: (ownerId: number, photoId: number, commentId: number) =>
    `photo:${ownerId}:${photoId}:${commentId}`,
  videoComment: (ownerId: number, videoId: number, commentId: number) =>
    `video:${ownerId}:${videoId}:${commentId}`,
  marketComment: (ownerId: number, itemId: number, commentId: number) =>
    `market:${ownerId}:${itemId}:${commentId}`,
};

/** The community's own pages are owned by `-group_id`; VK leaves the owner out of some older events. */
export const communityOwnerId = (groupId: number) => -groupId;

/** The kind of message reference (its prefix above) of each channel whose reply target names a comment. */
const COMMENT_KINDS: Partial<Record<ReplyTarget['channel'], string>> = {
  wall_comment: 'wall',
  board_comment: 'board',
  photo_comment: 'photo',
  video_comment: 'video',
  market_comment: 'market',
};

/**
 * Whether a reply target names the comment `messageRef` identifies: an answer to it replies to that comment.
 * Compared by kind and comment id, which VK numbers per wall, topic, photo, video or product, and the
 * target names with its own ids: a board target keeps the community's positive id where the reference
 * keeps the topic owner's.
 */
export function namesComment(target: ReplyTarget, messageRef: string): boolean {
  const kind = COMMENT_KINDS[target.channel];
  if (kind === undefined || !('commentId' in target)) return false;
  return messageRef.startsWith(`${kind}:`) && messageRef.endsWith(`:${target.commentId}`);
}
