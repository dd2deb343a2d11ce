import { describe, expect, it } from 'vitest';
import type { ReplyTarget } from '../../../lambdas/domain/vk/citizen-message.js';
import { vkUrlOf } from '../../../lambdas/domain/vk/vk-url.js';

const GROUP = 123456789;

describe('where an inquiry opens in VK', () => {
  it.each<[string, ReplyTarget, string | undefined]>([
    [
      'a direct message: the community’s dialogue with the citizen',
      { channel: 'direct_message', peerId: 5550001, conversationMessageId: 614, messageId: 985 },
      'https://vk.com/gim123456789?sel=5550001',
    ],
    ['a group chat: no address known', { channel: 'direct_message', peerId: 2_000_000_007 }, undefined],
    [
      'a post on the wall, suggested or not',
      { channel: 'wall_post', ownerId: -GROUP, postId: 41, suggested: true },
      'https://vk.com/wall-123456789_41',
    ],
    [
      'a wall comment',
      { channel: 'wall_comment', ownerId: -GROUP, postId: 41, commentId: 77 },
      'https://vk.com/wall-123456789_41?reply=77',
    ],
    [
      'a reply in a comment thread',
      { channel: 'wall_comment', ownerId: -GROUP, postId: 41, commentId: 78, threadCommentId: 77 },
      'https://vk.com/wall-123456789_41?reply=78&thread=77',
    ],
    [
      'a board comment',
      { channel: 'board_comment', groupId: GROUP, topicId: 9, commentId: 3 },
      'https://vk.com/topic-123456789_9?post=3',
    ],
    [
      'a photo comment',
      { channel: 'photo_comment', ownerId: -GROUP, photoId: 456, commentId: 1 },
      'https://vk.com/photo-123456789_456',
    ],
    [
      'a video comment',
      { channel: 'video_comment', ownerId: -GROUP, videoId: 457, commentId: 1 },
      'https://vk.com/video-123456789_457',
    ],
    [
      'a market comment',
      { channel: 'market_comment', ownerId: -GROUP, itemId: 458, commentId: 1 },
      'https://vk.com/product-123456789_458',
    ],
  ])('%s', (_what, replyTo, url) => {
    expect(vkUrlOf(GROUP, replyTo)).toBe(url);
  });
});
