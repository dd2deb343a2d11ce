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
