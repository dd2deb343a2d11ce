import { describe, expect, it } from 'vitest';
import { type DeliveryContext, planDelivery } from '../../../lambdas/domain/outbox/delivery-plan.js';
import type { OutboxMessage } from '../../../lambdas/domain/outbox/outbox-message.js';
import { fnv1a32, guidFor, randomIdFor } from '../../../lambdas/domain/outbox/vk-ids.js';

const message = (replyTo: OutboxMessage['replyTo']): OutboxMessage => ({
  kind: 'message_to_citizen',
  id: 'inq1:answer:req-1',
  inquiryId: 'inq1',
  groupId: 42,
  purpose: 'answer',
  replyTo,
  citizenId: 5,
  text: 'Ответ',
  requestedAt: '2026-03-02T07:00:00.000Z',
  requestedBy: 'op',
});
const tokens = {
  communityToken: 'stored',
  userToken: 'not_configured',
} satisfies DeliveryContext;

describe('planDelivery', () => {
  it('sends a direct message with a random_id derived from the outbox id', () => {
    expect(planDelivery(message({ channel: 'direct_message', peerId: 5 }), tokens)).toEqual({
      kind: 'call',
      method: 'messages.send',
      token: 'community',
      params: {
        peer_id: 5,
        message: 'Ответ',
        random_id: randomIdFor('inq1:answer:req-1'),
        disable_mentions: 1,
      },
    });
  });

  it('answers in a group chat quoting the citizen’s message, with a way without the quote', () => {
    const chat = message({ channel: 'direct_message', peerId: 2_000_000_003, conversationMessageId: 17 });
    // Quoted or not, mentions in the operator's words notify no one of the chat.
    const plain = {
      peer_id: 2_000_000_003,
      message: 'Ответ',
      random_id: randomIdFor('inq1:answer:req-1'),
      disable_mentions: 1,
    };
    expect(planDelivery(chat, tokens)).toEqual({
      kind: 'call',
      method: 'messages.send',
      token: 'community',
      params: {
        ...plain,
        forward: '{"peer_id":2000000003,"conversation_message_ids":[17],"is_reply":true}',
      },
      unquoted: plain,
    });
    // The private dialogue quotes nothing: the citizen and the community are alone there.
    const direct = message({ channel: 'direct_message', peerId: 5, conversationMessageId: 17 });
    expect(planDelivery(direct, tokens)).not.toHaveProperty('params.forward');
  });

  it('answers a wall post and a wall comment with wall.createComment as the community', () => {
    expect(planDelivery(message({ channel: 'wall_post', ownerId: -42, postId: 7 }), tokens)).toMatchObject({
      method: 'wall.createComment',
      params: { owner_id: -42, post_id: 7, from_group: 42, guid: guidFor('inq1:answer:req-1') },
    });
    const reply = planDelivery(
      message({ channel: 'wall_comment', ownerId: -42, postId: 7, commentId: 9 }),
      tokens,
    );
    expect(reply).toMatchObject({ params: { reply_to_comment: 9 } });
  });

  it('needs the user token for board, photo, video and market comments', () => {
    const channels: OutboxMessage['replyTo'][] = [
      { channel: 'board_comment', groupId: 42, topicId: 1, commentId: 2 },
      { channel: 'photo_comment', ownerId: -42, photoId: 1, commentId: 2 },
      { channel: 'video_comment', ownerId: -42, videoId: 1, commentId: 2 },
      { channel: 'market_comment', ownerId: -42, itemId: 1, commentId: 2 },
    ];
    const methods = channels.map((target) => {
      const plan = planDelivery(message(target), { ...tokens, userToken: 'stored' });
      return plan.kind === 'call' ? `${plan.method}/${plan.token}` : plan.reason;
    });
    expect(methods).toEqual([
      'board.createComment/user',
      'photos.createComment/user',
      'video.createComment/user',
      'market.createComment/user',
    ]);
    for (const target of channels)
      expect(planDelivery(message(target), tokens)).toMatchObject({
        kind: 'undeliverable',
        reason: expect.stringContaining('tokens.user'),
      });
  });

  it('answers under the citizen’s board, photo, video or market comment as the community, with a guid', () => {
    const guid = guidFor('inq1:answer:req-1');
    const user = { ...tokens, userToken: 'stored' } as const;
    const paramsFor = (target: OutboxMessage['replyTo']) => {
      const plan = planDelivery(message(target), user);
      return plan.kind === 'call' ? plan.params : plan.reason;
    };
    // A board has no threads: the comment goes to the topic. The others answer the citizen's comment itself.
    expect(paramsFor({ channel: 'board_comment', groupId: 42, topicId: 1, commentId: 2 })).toEqual({
      group_id: 42,
      topic_id: 1,
      message: 'Ответ',
      from_group: 1,
      guid,
    });
    expect(paramsFor({ channel: 'photo_comment', ownerId: -42, photoId: 3, commentId: 4 })).toEqual({
      owner_id: -42,
      photo_id: 3,
      message: 'Ответ',
      reply_to_comment: 4,
      from_group: 1,
      guid,
    });
    expect(paramsFor({ channel: 'video_comment', ownerId: -42, videoId: 5, commentId: 6 })).toMatchObject({
      video_id: 5,
      reply_to_comment: 6,
      from_group: 1,
      guid,
    });
    expect(paramsFor({ channel: 'market_comment', ownerId: -42, itemId: 7, commentId: 8 })).toMatchObject({
      item_id: 7,
      reply_to_comment: 8,
      from_group: 1,
      guid,
    });
  });

  it('tells a token not configured from one configured whose parameter has no value', () => {
    const direct = message({ channel: 'direct_message', peerId: 5 });
    const board = message({ channel: 'board_comment', groupId: 42, topicId: 1, commentId: 2 });
    expect(planDelivery(direct, { ...tokens, communityToken: 'not_configured' })).toEqual({
      kind: 'undeliverable',
      reason: 'the community has no community token configured (tokens.community)',
    });
    expect(planDelivery(direct, { ...tokens, communityToken: 'no_value' })).toEqual({
      kind: 'undeliverable',
      reason: "the community token's parameter (tokens.community) has no value in the secret store",
    });
    expect(planDelivery(board, { ...tokens, userToken: 'no_value' })).toEqual({
      kind: 'undeliverable',
      reason:
        "board.createComment needs a community admin's user token, and its parameter (tokens.user) has no value in the secret store",
    });
  });
});

describe('VK de-duplication ids', () => {
  it('are stable, positive int32 and differ between messages', () => {
    const outboxIds = ['a:answer:1', 'a:answer:2', 'b:acknowledgement:routed'];
    const ids = outboxIds.map(randomIdFor);
    expect(outboxIds.map(randomIdFor)).toEqual(ids);
    for (const id of ids) {
      expect(id).toBeGreaterThan(0);
      expect(id).toBeLessThan(2 ** 31);
    }
    expect(new Set(ids).size).toBe(3);
  });

  it('stay the same from release to release: FNV-1a as published, so a message queued before an upgrade keeps its random_id', () => {
    // The published test vectors of 32-bit FNV-1a (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
    expect(['', 'a', 'foobar'].map(fnv1a32)).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
    expect(randomIdFor('a')).toBe(0x640c292c);
  });

  it('make a comment guid of an outbox id in characters VK keeps as they are', () => {
    expect(guidFor('inq-1:answer:ключ 7/б.x')).toBe('inq-1:answer:_____7__.x');
    expect(guidFor('inq1:answer:req-1')).toBe('inq1:answer:req-1');
  });
});
