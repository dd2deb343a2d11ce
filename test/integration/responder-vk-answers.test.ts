import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { TOKEN_HOLD_SECONDS } from '../../lambdas/responder/backoff.js';
import { createMessageDeliverer, type DeliverMessageDeps } from '../../lambdas/responder/deliver-message.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { deliveriesOf, directAnswer } from '../support/responder.js';

/**
 * What VK answers a delivery, as the responder records it: the id VK gave the words sent; and for an answer to
 * a citizen's suggested post, which VK may not let the community comment on until it is published, a refusal
 * of access, which the operator is told of as the post's, no token held for it.
 */
let aws: TestAws;
let vk: VkStandIn;
let ledger: DynamoOutboxLedger;
let repository: DynamoInquiryRepository;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: 'test-community-token-123456789' });
  await vk.start();
  documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  ledger = new DynamoOutboxLedger(documents, aws.tableName);
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});
beforeEach(() => vk.clearFaults());

/** `call`: VK's answers, when not the stand-in's. */
function deliverer(call?: DeliverMessageDeps['vk']) {
  const tokenErrors: string[] = [];
  const deliver = createMessageDeliverer({
    config: loadConfig(TEST_CONFIG_FILE),
    ledger,
    inquiries: repository,
    tokens: { tokenFor: async () => 'test-community-token-123456789' },
    vk:
      call ??
      ((token, method, params) => new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params)),
    limiter: { acquire: async () => undefined },
    clock: systemClock,
    metrics: { count: (name) => void (name === 'VkTokenErrors' && tokenErrors.push(name)) },
    sleep: async () => undefined,
  });
  return { deliver, tokenErrors };
}

/** An answer to the citizen's post `postId` on the community's wall: suggested, or published. */
const answerToPost = (postId: number, suggested: boolean): OutboxMessage =>
  directAnswer(`post-${postId}`, 8200 + postId, {
    replyTo: {
      channel: 'wall_post',
      ownerId: -DEMO_GROUP_ID,
      postId,
      ...(suggested && { suggested: true as const }),
    },
  });

describe('the responder and an answer to a suggested post', () => {
  it.each([7, 15, 210])(
    'records a refusal of access (%i) there as the post’s, telling the operator to publish it, not as the token’s',
    async (code) => {
      const message = answerToPost(code, true);
      await storeInquiryOf(repository, message);
      vk.failNext(code, 1, ['wall.createComment']);
      const { deliver, tokenErrors } = deliverer();
      expect(await deliver(message, 1)).toMatchObject({
        done: true,
        outcome: {
          kind: 'undeliverable',
          code,
          reason: expect.stringContaining('publish it and answer again'),
        },
      });
      expect(tokenErrors).toEqual([]);
      expect((await repository.getInquiry(message.inquiryId))?.undelivered).toMatchObject({
        outboxId: message.id,
        reason: expect.stringContaining('publish it and answer again'),
      });
    },
  );

  it('holds an answer to a published post VK refuses access for (7) an hour for the token, as any other', async () => {
    const message = answerToPost(307, false);
    await storeInquiryOf(repository, message);
    vk.failNext(7, 1, ['wall.createComment']);
    const { deliver, tokenErrors } = deliverer();
    expect(await deliver(message, 1)).toMatchObject({
      done: false,
      outcome: { kind: 'token', code: 7, token: 'community' },
      // Held an hour: a person must act on the token, and a try sooner would take a slot for nothing.
      retryAfterSeconds: TOKEN_HOLD_SECONDS,
    });
    expect(tokenErrors).toEqual(['VkTokenErrors']);
  });
});

describe('the responder and the id VK gives the words it sends', () => {
  it.each([
    ['a direct message', { channel: 'direct_message', peerId: 8301 }, 4242],
    ['a wall comment', { channel: 'wall_comment', ownerId: -DEMO_GROUP_ID, postId: 5, commentId: 6 }, 77],
  ] as const)(
    'keeps the id of %s in its history entry and its record, and records nothing on an inquiry not flagged',
    async (_what, replyTo, vkId) => {
      const message = directAnswer(`vk-id-${vkId}`, 8301, { replyTo });
      await storeInquiryOf(repository, message);
      // messages.send answers the message's id; wall.createComment an object with the comment's.
      const { deliver } = deliverer(async (_token, method) =>
        method === 'messages.send' ? 4242 : { comment_id: 77 },
      );
      // An answer the inquiry is not flagged for: nothing to record on it (the handler logs what that came to).
      expect(await deliver(message, 1)).toEqual({
        done: true,
        outcome: { kind: 'delivered', method: expect.any(String), vkId },
      });
      expect(await deliveriesOf(documents, aws.tableName, message.inquiryId)).toEqual([
        expect.objectContaining({ detail: expect.objectContaining({ result: 'delivered', vkId }) }),
      ]);
      expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'delivered', vkId });
      // Delivered again by SQS: a duplicate, and still nothing to record on the inquiry.
      expect(await deliver(message, 2)).toEqual({ done: true, outcome: { kind: 'duplicate' } });
    },
  );
});
