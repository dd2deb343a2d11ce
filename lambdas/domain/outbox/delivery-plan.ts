import type { OutboxMessage } from './outbox-message.js';
import { guidFor, randomIdFor } from './vk-ids.js';

/** Which of the community's tokens a call needs. */
export type TokenKind = 'community' | 'user';

export type VkCallParams = Record<string, string | number | boolean>;

/** How to deliver one message: the VK method and its parameters, or why it cannot be delivered. */
export type DeliveryPlan =
  | { kind: 'call'; method: string; params: VkCallParams; token: TokenKind }
  | { kind: 'undeliverable'; reason: string };

export interface DeliveryContext {
  /**
   * The citizen's latest messaging permission in this community (message_allow / message_deny): undefined
   * when VK has sent neither. A citizen who wrote to the community in a dialogue may be answered there;
   * VK answers error 901 if they may not, which the responder records as undeliverable.
   */
  canMessage: boolean | undefined;
  hasCommunityToken: boolean;
  hasUserToken: boolean;
}

const num = (target: Record<string, unknown>, field: string): number | undefined => {
  const value = target[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/**
 * Answers where the citizen wrote: a direct message by `messages.send`, a wall post or comment by
 * `wall.createComment` (in reply to their comment, as the community), board/photo/video/market comments by
 * their `*.createComment`, which VK accepts from a community admin's user token only.
 * https://dev.vk.com/ru/method/messages.send, https://dev.vk.com/ru/method/wall.createComment,
 * https://dev.vk.com/ru/method/board.createComment
 */
export function planDelivery(message: OutboxMessage, context: DeliveryContext): DeliveryPlan {
  const target = message.replyTo as Record<string, unknown>;
  const text = message.text;
  const guid = guidFor(message.id);
  const community = (method: string, params: VkCallParams): DeliveryPlan =>
    context.hasCommunityToken
      ? { kind: 'call', method, params, token: 'community' }
      : {
          kind: 'undeliverable',
          reason: 'the community has no community token configured (tokens.community)',
        };
  const user = (method: string, params: VkCallParams): DeliveryPlan =>
    context.hasUserToken
      ? { kind: 'call', method, params, token: 'user' }
      : {
          kind: 'undeliverable',
          reason: `${method} needs a community admin's user token, and the community has none configured (tokens.user)`,
        };
  const missing = (fields: string): DeliveryPlan => ({
    kind: 'undeliverable',
    reason: `the reply target of a ${message.replyTo.channel} lacks ${fields}`,
  });

  switch (message.replyTo.channel) {
    case 'direct_message': {
      const peerId = num(target, 'peerId');
      if (peerId === undefined) return missing('peerId');
      if (context.canMessage === false)
        return { kind: 'undeliverable', reason: 'the citizen has not allowed messages from the community' };
      return community('messages.send', {
        peer_id: peerId,
        message: text,
        random_id: randomIdFor(message.id),
      });
    }
    case 'wall_post':
    case 'wall_comment': {
      const ownerId = num(target, 'ownerId');
      const postId = num(target, 'postId');
      if (ownerId === undefined || postId === undefined) return missing('ownerId or postId');
      const commentId = num(target, 'commentId');
      return community('wall.createComment', {
        owner_id: ownerId,
        post_id: postId,
        message: text,
        ...(commentId !== undefined && { reply_to_comment: commentId }),
        from_group: message.groupId,
        guid,
      });
    }
    case 'board_comment': {
      const topicId = num(target, 'topicId');
      if (topicId === undefined) return missing('topicId');
      return user('board.createComment', {
        group_id: num(target, 'groupId') ?? message.groupId,
        topic_id: topicId,
        message: text,
        from_group: 1,
        guid,
      });
    }
    case 'photo_comment':
    case 'video_comment':
    case 'market_comment': {
      const ownerId = num(target, 'ownerId');
      const commentId = num(target, 'commentId');
      const [method, field, param] =
        message.replyTo.channel === 'photo_comment'
          ? ['photos.createComment', 'photoId', 'photo_id']
          : message.replyTo.channel === 'video_comment'
            ? ['video.createComment', 'videoId', 'video_id']
            : ['market.createComment', 'itemId', 'item_id'];
      const itemId = num(target, field);
      if (ownerId === undefined || itemId === undefined) return missing(`ownerId or ${field}`);
      return user(method, {
        owner_id: ownerId,
        [param]: itemId,
        message: text,
        ...(commentId !== undefined && { reply_to_comment: commentId }),
        from_group: 1,
        guid,
      });
    }
    default:
      return { kind: 'undeliverable', reason: `no way to answer a ${message.replyTo.channel}` };
  }
}
