import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyTarget } from '../../lambdas/domain/vk/citizen-message.js';
import type { TestAws } from '../support/aws.js';
import { storeListed } from '../support/listed-inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * An operator copies a post's, topic's, photo's, video's or product's address from the browser and lists its
 * inquiries by it (`post`), through the operator API's handler on dynalite.
 */
const ADMIN = 'local-admin-token-change-me';
const GROUP = 123_456_789;

let aws: TestAws;
let call: OperatorApiCall;
let documents: DynamoDBDocumentClient;

/** Where each stored inquiry was written: one of each place of the same numbers, so each kind names its own. */
const PLACES: Record<string, ReplyTarget> = {
  wall: { channel: 'wall_comment', ownerId: -GROUP, postId: 42, commentId: 7 },
  topic: { channel: 'board_comment', groupId: GROUP, topicId: 42, commentId: 3 },
  photo: { channel: 'photo_comment', ownerId: -GROUP, photoId: 42, commentId: 4 },
  video: { channel: 'video_comment', ownerId: -GROUP, videoId: 42, commentId: 5 },
  product: { channel: 'market_comment', ownerId: -GROUP, itemId: 42, commentId: 6 },
};

beforeAll(async () => {
  ({ aws, call, documents } = await startOperatorApi('outbox'));
  const at = new Date(Date.now() - 30 * 60_000);
  for (const [n, [place, replyTo]] of Object.entries(PLACES).entries())
    await storeListed(documents, aws.tableName, `address-${place}`, 'housing', {
      createdAt: new Date(at.getTime() + n * 1000).toISOString(),
      dueAt: new Date(at.getTime() + 3_600_000).toISOString(),
      groupId: GROUP,
      replyTo,
    });
});
afterAll(() => aws?.stop());

/** The ids a list of housing's inquiries gives for `post` as written in the query string. */
const listed = async (post: string) => {
  const answer = await call('GET', `/api/v1/inquiries?department=housing&post=${post}`, ADMIN);
  expect(answer.status, `${post}: ${JSON.stringify(answer.body)}`).toBe(200);
  return (answer.body.items as { id: string }[]).map((inquiry) => inquiry.id);
};

describe("the operator API's post filter, given a place's address in VK", () => {
  it('lists what the short form lists, by the address the browser shows, encoded as a parameter is', async () => {
    const addresses: [string, string][] = [
      ['wall', 'https://vk.com/wall-123456789_42'],
      ['wall', 'http://vk.com/wall-123456789_42'],
      ['wall', 'https://m.vk.com/wall-123456789_42?reply=7&thread=5'],
      ['wall', 'https://vk.ru/wall-123456789_42'],
      ['wall', 'https://m.vk.ru/wall-123456789_42'],
      ['wall', 'https://www.vk.com/wall-123456789_42'],
      ['wall', 'vk.com/wall-123456789_42'],
      ['wall', 'Https://vk.com/wall-123456789_42'],
      ['wall', 'HTTPS://vk.com/wall-123456789_42'],
      ['wall', 'https://vkontakte.ru/wall-123456789_42'],
      ['wall', 'http://m.vkontakte.ru/wall-123456789_42'],
      ['wall', 'https://vk.com/wall-123456789_42?reply=7'],
      ['wall', 'https://vk.com/club123456789?w=wall-123456789_42'],
      ['wall', 'https://vk.com/wall-123456789?w=wall-123456789_42%2Fall'],
      ['topic', 'https://vk.com/topic-123456789_42'],
      ['topic', 'https://m.vk.com/topic-123456789_42?post=3'],
      ['photo', 'https://vk.com/photo-123456789_42'],
      ['photo', 'https://vk.com/club123456789?z=photo-123456789_42%2Falbum-123456789_0'],
      ['video', 'https://vk.com/video-123456789_42'],
      ['video', 'https://vk.com/club123456789?z=video-123456789_42%2Fpl_-123456789_-2'],
      ['video', 'https://vkvideo.ru/video-123456789_42'],
      ['product', 'https://vk.com/product-123456789_42'],
      ['product', 'https://vk.com/market-123456789?w=product-123456789_42'],
    ];
    for (const [place, address] of addresses)
      expect(await listed(encodeURIComponent(address)), address).toEqual([`address-${place}`]);
    // The short forms list the same.
    expect(await listed('-123456789_42')).toEqual(['address-wall']);
    expect(await listed('topic-123456789_42')).toEqual(['address-topic']);
  });

  it('takes an address pasted unencoded, up to its first &', async () => {
    expect(await listed('https://vk.com/wall-123456789_42?reply=7')).toEqual(['address-wall']);
    expect(await listed('https://vk.com/club123456789?w=wall-123456789_42')).toEqual(['address-wall']);
    // Its `&` starts another parameter, which the list does not take: the console encodes the address.
    const unencoded = await call(
      'GET',
      '/api/v1/inquiries?department=housing&post=https://vk.com/wall-123456789_42?reply=7&thread=5',
      ADMIN,
    );
    expect(unencoded).toMatchObject({
      status: 400,
      body: { issues: ['thread: not a parameter of this route'] },
    });
  });

  it('answers 400 showing the accepted forms for any other address', async () => {
    for (const address of [
      'https://vk.com/club123456789',
      'https://vk.com/wall-123456789',
      'https://vk.com/-123456789_42',
      'https://vk.com/board-123456789_42',
      'https://vk.com/club123456789?w=album-123456789_0',
      'https://evil.example/wall-123456789_42',
      'https://vk.com.evil.example/wall-123456789_42',
      'https://notvk.com/wall-123456789_42',
      'https://vk.com:8443/wall-123456789_42',
      'https://user@vk.com/wall-123456789_42',
      'ftp://vk.com/wall-123456789_42',
      'https://vk.com/wall-123456789_0',
      'https://vk.com/Wall-123456789_42',
      'https://vk.com/wall-123456789_42/',
      'https://vkvideo.ru/wall-123456789_42',
    ]) {
      const answer = await call('GET', `/api/v1/inquiries?post=${encodeURIComponent(address)}`, ADMIN);
      expect(answer, address).toMatchObject({
        status: 400,
        body: {
          code: 'validation_failed',
          issues: [
            expect.stringMatching(
              /^post: a wall post, board topic, photo, video or product as VK names it, as in -123456789_42 .*https:\/\/vk\.com\/wall-123456789_42/,
            ),
          ],
        },
      });
    }
    // A board is a community's, at its address too.
    expect(
      await call(
        'GET',
        `/api/v1/inquiries?post=${encodeURIComponent('https://vk.com/topic123456789_42')}`,
        ADMIN,
      ),
    ).toMatchObject({
      status: 400,
      body: { issues: [expect.stringMatching(/^post: a board topic is a community's/)] },
    });
  });
});
