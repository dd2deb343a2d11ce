import { isGroupChat } from '../vk/peer.js';
import type { OutboxMessage } from './outbox-message.js';
import { guidFor, randomIdFor } from './vk-ids.js';

/** Which of the community's tokens a call needs. */
export type TokenKind = 'community' | 'user';

export type VkCallParams = Record<string, string | number | boolean>;

/**
 * How to deliver one message: the VK method and its parameters, or why it cannot be delivered. `unquoted`:
 * the same call without the quote of the citizen's message, for when VK refuses the quote. `refusedHere`:
 * VK's errors that, for this target, say the place will not take the reply (not a token to fix, not a busy
 * VK), and what they mean for the operator.
 */
export type DeliveryPlan =
  | {
      kind: 'call';
      method: string;
      params: VkCallParams;
      token: TokenKind;
      unquoted?: VkCallParams;
      refusedHere?: { codes: ReadonlySet<number>; meaning: string };
    }
  | { kind: 'undeliverable'; reason: string };

/**
 * What VK does with a comment on a suggested post, which only the community's admins and its author see
 * until it is published, is not documented (https://dev.vk.com/ru/method/wall.createComment lists no such
 * error). A refusal of access there (7, 15: access denied; 210: access to the post denied) is about the post,
 * not the community's token: no token alarm, no hold, and the operator is told what to do.
 */
const SUGGESTED_POST_REFUSALS = {
  codes: new Set([7, 15, 210]),
  meaning:
    'VK does not let the community comment on this suggested post: publish it and answer again, or reach the citizen another way',
} as const;

/**
 * VK's errors that a quote of the citizen's message may cause (invalid parameter, too many forwarded messages,
 * cannot forward these messages, this message cannot be forwarded: the citizen deleted it, say), which a call without the quote
 * does not: VKCOM/vk-api-schema errors.json, and the errors of messages.send.
 */
export const QUOTE_REFUSALS: ReadonlySet<number> = new Set([100, 913, 921, 969]);

/**
 * One of the community's tokens: `stored`; `no_value`, named in its `tokens` with nothing in the secret store
 * there (a parameter misspelt, or not stored yet: only the local secrets file answers so, since SSM's missing
 * parameter is an error, retried); `not_configured`, not named at all.
 */
export type TokenState = 'stored' | 'no_value' | 'not_configured';

export interface DeliveryContext {
  communityToken: TokenState;
  userToken: TokenState;
}

/**
 * Answers where the citizen wrote: a direct message by `messages.send`, a wall post or comment by
 * `wall.createComment` (in reply to their comment, as the community), board/photo/video/market comments by
 * their `*.createComment`, which VK accepts from a community admin's user token only.
 * https://dev.vk.com/ru/method/messages.send, https://dev.vk.com/ru/method/wall.createComment,
 * https://dev.vk.com/ru/method/board.createComment
 */
export function planDelivery(message: OutboxMessage, context: DeliveryContext): DeliveryPlan {
  const target = message.replyTo;
  const text = message.text;
  const guid = guidFor(message.id);
  // The reason tells ops what to fix: the configuration, or the secret store.
  const community = (method: string, params: VkCallParams): DeliveryPlan => {
    if (context.communityToken === 'stored') return { kind: 'call', method, params, token: 'community' };
    return {
      kind: 'undeliverable',
      reason:
        context.communityToken === 'no_value'
          ? "the community token's parameter (tokens.community) has no value in the secret store"
          : 'the community has no community token configured (tokens.community)',
    };
  };
  const user = (method: string, params: VkCallParams): DeliveryPlan => {
    if (context.userToken === 'stored') return { kind: 'call', method, params, token: 'user' };
    return {
      kind: 'undeliverable',
      reason:
        context.userToken === 'no_value'
          ? `${method} needs a community admin's user token, and its parameter (tokens.user) has no value in the secret store`
          : `${method} needs a community admin's user token, and the community has none configured (tokens.user)`,
    };
  };

  switch (target.channel) {
    case 'direct_message': {
      const { peerId } = target;
      const chat = isGroupChat(peerId);
      // Sent whatever the citizen's last message_allow / message_deny said. VK sends message_allow for the
      // "Allow messages" button or a first message only, so a citizen who forbade messages and writes again
      // leaves a stored deny out of date; VK knows at the call, and refuses one who does not take the
      // community's messages with 901 or 902: recorded undeliverable, never retried (one refused call a reply).
      // https://dev.vk.com/ru/api/community-events/json-schema (message_allow, message_deny),
      // https://dev.vk.com/ru/method/messages.send (errors 901, 902)
      //
      // An operator's words go out in the body's name: `@all`, `@online` or `[id1|…]` in them must notify no
      // one of a group chat (disable_mentions). Links stay parsed: an answer often points to a useful page.
      // https://dev.vk.com/ru/method/messages.send
      const params = {
        peer_id: peerId,
        message: text,
        random_id: randomIdFor(message.id),
        disable_mentions: 1,
      };
      const quoted = target.conversationMessageId;
      const plan = community('messages.send', params);
      if (!chat || quoted === undefined || plan.kind !== 'call') return plan;
      // The whole chat reads the reply: it quotes the citizen's message, so everyone sees whose case it is.
      // VK gives a community a chat message's `id` as 0: the quote names its conversation message id.
      // https://dev.vk.com/ru/method/messages.send (`forward`; VKCOM/vk-api-schema messages_forward)
      const forward = { peer_id: peerId, conversation_message_ids: [quoted], is_reply: true };
      return { ...plan, params: { ...params, forward: JSON.stringify(forward) }, unquoted: params };
    }
    case 'wall_post':
    case 'wall_comment': {
      const commentId = target.channel === 'wall_comment' ? target.commentId : undefined;
      const plan = community('wall.createComment', {
        owner_id: target.ownerId,
        post_id: target.postId,
        message: text,
        ...(commentId !== undefined && { reply_to_comment: commentId }),
        from_group: message.groupId,
        guid,
      });
      return plan.kind === 'call' && target.channel === 'wall_post' && target.suggested === true
        ? { ...plan, refusedHere: SUGGESTED_POST_REFUSALS }
        : plan;
    }
    case 'board_comment':
      return user('board.createComment', {
        group_id: target.groupId,
        topic_id: target.topicId,
        message: text,
        from_group: 1,
        guid,
      });
    case 'photo_comment':
      return user('photos.createComment', commentUnder(target, 'photo_id', target.photoId));
    case 'video_comment':
      return user('video.createComment', commentUnder(target, 'video_id', target.videoId));
    case 'market_comment':
      return user('market.createComment', commentUnder(target, 'item_id', target.itemId));
  }

  /** A reply to the citizen's comment under a photo, video or product, in the community's name. */
  function commentUnder(
    { ownerId, commentId }: { ownerId: number; commentId: number },
    param: string,
    itemId: number,
  ): VkCallParams {
    return {
      owner_id: ownerId,
      [param]: itemId,
      message: text,
      reply_to_comment: commentId,
      from_group: 1,
      guid,
    };
  }
}
