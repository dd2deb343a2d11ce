import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import { RateLimitBusy } from '../../lambdas/domain/outbox/ports.js';
import { backoffSeconds } from '../../lambdas/responder/backoff.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { RESPONDER_QUEUE } from '../../lib/resources.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { deliveriesOf, directAnswer } from '../support/responder.js';

/**
 * The responder under VK's limits, through the stand-in VK: what one message refused for a limit costs the
 * token's line, and when it comes back.
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
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  ledger = new DynamoOutboxLedger(documents, aws.tableName);
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});
beforeEach(() => vk.clearFaults());

/** A deliverer through the stand-in VK that counts the slots it takes on the token's line and sleeps no time. */
function countingDeliverer() {
  const slots: string[] = [];
  const deliver = createMessageDeliverer({
    config: loadConfig(TEST_CONFIG_FILE),
    ledger,
    inquiries: repository,
    tokens: { tokenFor: async () => 'test-community-token-123456789' },
    vk: (token, method, params) => new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params),
    limiter: { acquire: async (line) => void slots.push(line) },
    clock: systemClock,
    sleep: async () => undefined,
    maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
  });
  return { deliver, slots };
}

const deliveries = (inquiryId: string) => deliveriesOf(documents, aws.tableName, inquiryId);

const callsTo = (peerId: number) => vk.calls.filter((call) => call.params.peer_id === String(peerId));

describe('the responder under VK’s limits', () => {
  it.each([
    [9, 'flood control', 8101],
    [29, 'a method’s quantitative limit', 8102],
  ])(
    'calls VK once on error %i (%s) and gives the message back for ten minutes',
    async (code, _what, peerId) => {
      const message = directAnswer(`limit-${code}`, peerId);
      await storeInquiryOf(repository, message);
      vk.failNext(code, 3, ['messages.send']);
      const { deliver, slots } = countingDeliverer();
      expect(await deliver(message, 1)).toMatchObject({
        done: false,
        outcome: { kind: 'retry', code },
        retryAfterSeconds: 600,
      });
      // One call, one slot of the token's line: a try again at once would meet the same limit.
      expect(callsTo(peerId)).toHaveLength(1);
      expect(slots).toHaveLength(1);
      expect(await deliveries(message.inquiryId)).toEqual([
        expect.objectContaining({ detail: expect.objectContaining({ result: 'retry', vkError: code }) }),
      ]);
      // VK takes it again by the next receive: it goes then, once.
      vk.clearFaults();
      expect(await deliver(message, 2)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
      expect(vk.delivered.filter((call) => call.params.peer_id === String(peerId))).toHaveLength(1);
    },
  );

  it('still tries a call VK refused for too many a second (6) again in the invocation', async () => {
    const message = directAnswer('per-second', 8103);
    await storeInquiryOf(repository, message);
    vk.failNext(6, 1, ['messages.send']);
    const { deliver, slots } = countingDeliverer();
    expect(await deliver(message, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(callsTo(8103)).toHaveLength(2);
    expect(slots).toHaveLength(2);
    // Each try its own entry in the history, numbered within the receive.
    expect(
      (await deliveries(message.inquiryId)).map((entry) => [entry.detail.attempt, entry.detail.result]),
    ).toEqual([
      ['1.1', 'retry'],
      ['1.2', 'delivered'],
    ]);
  });

  it('gives a message back unsent, after the backoff, when the token’s line has no slot soon enough; the next receive sends it', async () => {
    const message = directAnswer('line-busy', 8105);
    await storeInquiryOf(repository, message);
    let busy = true;
    const deliver = createMessageDeliverer({
      config: loadConfig(TEST_CONFIG_FILE),
      ledger,
      inquiries: repository,
      tokens: { tokenFor: async () => 'test-community-token-123456789' },
      vk: (token, method, params) => new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params),
      limiter: {
        acquire: async () => {
          if (busy) throw new RateLimitBusy('no slot within 3000 ms');
        },
      },
      clock: systemClock,
      sleep: async () => undefined,
    });
    expect(await deliver(message, 3)).toEqual({
      done: false,
      outcome: { kind: 'busy' },
      retryAfterSeconds: backoffSeconds(3),
    });
    expect(callsTo(8105)).toEqual([]);
    // Given back unclaimed: the next receive takes it at once.
    busy = false;
    expect(await deliver(message, 4)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(callsTo(8105)).toHaveLength(1);
  });

  it('tells the operator what the limit means when an answer refused for it goes to the dead letters', async () => {
    const message = directAnswer('limit-last', 8104);
    await storeInquiryOf(repository, message);
    vk.failNext(29, 1, ['messages.send']);
    const { deliver } = countingDeliverer();
    expect(await deliver(message, RESPONDER_QUEUE.maxReceiveCount)).toMatchObject({
      done: false,
      lastReceive: {},
    });
    expect((await repository.getInquiry(message.inquiryId))?.undelivered).toMatchObject({
      reason: expect.stringMatching(
        /^VK error 29: Rate limit reached \(VK limits how many such calls the community makes.*\), on every try: kept in the dead-letter queue$/,
      ),
    });
  });
  it('tells the operator VK gave no answer, not a VK error, when an answer VK never answered goes to the dead letters', async () => {
    const message = directAnswer('no-answer-last', 8106);
    await storeInquiryOf(repository, message);
    const deliver = createMessageDeliverer({
      config: loadConfig(TEST_CONFIG_FILE),
      ledger,
      inquiries: repository,
      tokens: { tokenFor: async () => 'test-community-token-123456789' },
      vk: async () => {
        throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
      },
      limiter: { acquire: async () => undefined },
      clock: systemClock,
      sleep: async () => undefined,
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    });
    expect(await deliver(message, RESPONDER_QUEUE.maxReceiveCount)).toMatchObject({
      done: false,
      outcome: { kind: 'retry', code: 0 },
      lastReceive: {},
    });
    expect((await repository.getInquiry(message.inquiryId))?.undelivered).toMatchObject({
      reason: 'no answer from VK: TimeoutError, on every try: kept in the dead-letter queue',
    });
  });
});
