import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../lambdas/adapters/aws-clients.js';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { extensionSecretStore } from '../../lambdas/adapters/extension-secret-store.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import { secretStoreTokens } from '../../lambdas/adapters/outbox-tokens.js';
import { fileSecretStore } from '../../lambdas/adapters/secret-store.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import { DynamoVkRateLimiter, slotInterval } from '../../lambdas/adapters/vk-rate-limit.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import { acknowledgementOf } from '../../lambdas/domain/outbox/acknowledgement.js';
import { type OutboxMessage, outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import { guidFor, randomIdFor } from '../../lambdas/domain/outbox/vk-ids.js';
import { vkEventSchema } from '../../lambdas/domain/vk/envelope.js';
import { toCitizenMessage } from '../../lambdas/domain/vk/normalise.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { createMessageDeliverer, type DeliverMessageDeps } from '../../lambdas/responder/deliver-message.js';
import { CALLS_PER_SECOND } from '../../lambdas/responder/rate-limit-line.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { QUEUES, RESPONDER_QUEUE } from '../../lib/resources.js';
import { answerAsSecretsExtension } from '../../local/secrets-extension-stand-in.js';
import { SqsPoller } from '../../local/sqs-poller.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { countsBesidesCalendar } from '../support/counted.js';
import {
  DEMO_GROUP_ID,
  DISTRICT_GROUP_ID,
  fixture,
  TEST_CONFIG_FILE,
  TEST_SECRETS_FILE,
} from '../support/fixtures.js';
import {
  afterTheirInquiries,
  classifiedDirectMessage,
  openInquiry as openInquiryAs,
  storeInquiryOf,
} from '../support/inquiries.js';
import { putLegacyPermission } from '../support/legacy-permission.js';
import { listCriteria } from '../support/listed-inquiries.js';
import { toCitizen } from '../support/operator-api.js';
import { eventually } from '../support/poll.js';
import { deliveriesOf, directAnswer } from '../support/responder.js';
import { sqsEvent } from '../support/sqs-events.js';

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = {
  functionName: 'responder',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 90_000,
} as Context;

let aws: TestAws;
let vk: VkStandIn;
let responder: Consumer;
let ledger: DynamoOutboxLedger;
let repository: DynamoInquiryRepository;
let outbox: SqsOutbox;
/** The DynamoDB commands the responder's handler sends. */
const handlerCalls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: 'test-community-token-123456789' });
  vk.addCommunity(DISTRICT_GROUP_ID, {
    community: 'test-community-token-1234',
    user: 'test-user-token-1234',
  });
  Object.assign(process.env, {
    VK_API_BASE_URL: await vk.start(),
    OUTBOX_QUEUE_URL: aws.queues.outbox.url,
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  recordCommands(documentClient(), handlerCalls);
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  ledger = new DynamoOutboxLedger(documents, aws.tableName);
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  responder = afterTheirInquiries(
    repository,
    (await import('../../lambdas/responder/handler.js')).handler as unknown as Consumer,
  );
  outbox = new SqsOutbox(aws.sqs, aws.queues.outbox.url);
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});
beforeEach(() => vk.clearFaults());

/**
 * A deliverer through the stand-in VK with the test configuration's community token, the real ledger and
 * table, no rate limit and the system clock; `overrides` replace any of these.
 */
const standInDeliverer = (overrides: Partial<DeliverMessageDeps> = {}) =>
  createMessageDeliverer({
    config: loadConfig(TEST_CONFIG_FILE),
    ledger,
    inquiries: repository,
    tokens: { tokenFor: async () => 'test-community-token-123456789' },
    vk: (token, method, params) => new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params),
    limiter: { acquire: async () => undefined },
    clock: systemClock,
    ...overrides,
  });

const deliveries = (inquiryId: string) =>
  deliveriesOf(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName, inquiryId);

/** The event of one message put on the outbox and received from it: its receipt handle is real. */
async function fromTheQueue(message: OutboxMessage): Promise<SQSEvent> {
  await outbox.send(message);
  const received = await aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: aws.queues.outbox.url,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const [record] = received.Messages ?? [];
  const event = sqsEvent([message]);
  if (!event.Records[0] || !record?.ReceiptHandle) throw new Error('the outbox gave nothing back');
  event.Records[0].receiptHandle = record.ReceiptHandle;
  event.Records[0].messageId = record.MessageId ?? message.id;
  return event;
}

/** Feeds the outbox queue to the responder as Lambda would, with `count` concurrent consumers. */
async function withResponders<T>(count: number, work: () => Promise<T>): Promise<T> {
  const attributes = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: aws.queues.outbox.url, AttributeNames: ['QueueArn'] }),
  );
  const pollers = Array.from(
    { length: count },
    (_, index) =>
      new SqsPoller({
        name: `responder-${index}`,
        client: aws.sqs,
        queueUrl: aws.queues.outbox.url,
        queueArn: attributes.Attributes?.QueueArn ?? 'outbox',
        spec: QUEUES.outbox,
        handler: responder,
        retryDelaySeconds: 1,
      }),
  );
  for (const poller of pollers) poller.start();
  try {
    return await work();
  } finally {
    await Promise.all(pollers.map((poller) => poller.stop()));
  }
}

describe('the responder', () => {
  it('answers a direct message with messages.send and a random_id derived from the message, once', async () => {
    const message = directAnswer('dm-1', 7001);
    const first = await responder(sqsEvent([message]), context);
    expect(first.batchItemFailures).toEqual([]);
    const sent = vk.delivered.filter((call) => call.params.peer_id === '7001');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'messages.send',
      params: {
        peer_id: '7001',
        random_id: String(randomIdFor(message.id)),
        message: message.text,
        disable_mentions: '1',
      },
    });
    // A redelivery of the same message calls VK no more.
    const callsBefore = vk.calls.length;
    await responder(sqsEvent([message]), context);
    expect(vk.calls.length).toBe(callsBefore);
    expect(await ledger.getRecord(message.id)).toMatchObject({
      status: 'delivered',
      method: 'messages.send',
    });
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({
        actor: 'responder',
        detail: expect.objectContaining({ result: 'delivered' }),
      }),
    ]);
  });

  it('talks to a stand-in VK that, like VK, drops a repeated random_id per community and dialogue', async () => {
    const send = (token: string, peerId: number) =>
      new VkApiClient(token, { baseUrl: vk.baseUrl }).call('messages.send', {
        peer_id: peerId,
        message: 'Ответ',
        random_id: 424242,
      });
    await send('test-community-token-123456789', 7500);
    await send('test-community-token-123456789', 7500);
    await send('test-community-token-1234', 7500);
    await send('test-community-token-123456789', 7501);
    const sent = vk.delivered.filter((call) => call.params.random_id === '424242');
    expect(sent.map((call) => call.params.peer_id)).toEqual(['7500', '7500', '7501']);
  });

  it('replies to a wall comment as the community, in its thread, with a guid', async () => {
    const message = directAnswer('wall-1', 7002, {
      replyTo: { channel: 'wall_comment', ownerId: -DEMO_GROUP_ID, postId: 55, commentId: 77 },
    });
    expect((await responder(sqsEvent([message]), context)).batchItemFailures).toEqual([]);
    expect(vk.delivered.filter((call) => call.params.guid === guidFor(message.id))).toEqual([
      {
        method: 'wall.createComment',
        params: expect.objectContaining({
          owner_id: String(-DEMO_GROUP_ID),
          post_id: '55',
          reply_to_comment: '77',
          from_group: String(DEMO_GROUP_ID),
          guid: guidFor(message.id),
        }),
      },
    ]);
  });

  it('answers a board comment with the user token where one is configured, and records why not elsewhere', async () => {
    const withToken = directAnswer('board-1', 7003, {
      groupId: DISTRICT_GROUP_ID,
      replyTo: { channel: 'board_comment', groupId: DISTRICT_GROUP_ID, topicId: 9, commentId: 3 },
    });
    const withoutToken = directAnswer('board-2', 7004, {
      replyTo: { channel: 'board_comment', groupId: DEMO_GROUP_ID, topicId: 9, commentId: 4 },
    });
    const result = await responder(sqsEvent([withToken, withoutToken]), context);
    expect(result.batchItemFailures).toEqual([]);
    const board = vk.calls.filter((call) => call.method === 'board.createComment');
    expect(board).toHaveLength(1);
    expect(board[0]).toMatchObject({
      token: 'test-user-token-1234',
      params: { topic_id: '9', from_group: '1' },
    });
    expect(await ledger.getRecord(withoutToken.id)).toMatchObject({
      status: 'undeliverable',
      reason: expect.stringContaining('tokens.user'),
    });
  });

  it("makes two communities configured with one admin's user token share that token's rate limit: 3 calls a second in all", async () => {
    const parameter = '/vk-inquiries/test/communities/1234/user-token';
    const base = loadConfig(TEST_CONFIG_FILE);
    // The demo community given the district's admin's user token, through the same parameter.
    const config = {
      ...base,
      communities: base.communities.map((community) =>
        community.groupId === DEMO_GROUP_ID
          ? { ...community, tokens: { ...community.tokens, user: { parameter } } }
          : community,
      ),
    };
    const lines: string[] = [];
    const limiter = new DynamoVkRateLimiter(documentClient(), aws.tableName);
    const calledAt: number[] = [];
    const deliver = createMessageDeliverer({
      config,
      ledger,
      inquiries: repository,
      tokens: { tokenFor: async () => 'test-user-token-1234' },
      vk: async () => {
        calledAt.push(Date.now());
        return 1;
      },
      limiter: {
        acquire: (line, callsPerSecond) => {
          lines.push(line);
          return limiter.acquire(line, callsPerSecond);
        },
      },
      clock: systemClock,
    });
    const board = (id: string, groupId: number) =>
      directAnswer(id, 7010, {
        groupId,
        replyTo: { channel: 'board_comment', groupId, topicId: 9, commentId: 5 },
      });
    const messages = [board('shared-token-1', DISTRICT_GROUP_ID), board('shared-token-2', DEMO_GROUP_ID)];
    for (const message of messages) await storeInquiryOf(repository, message);
    const results = await Promise.all(messages.map((message) => deliver(message, 1)));
    expect(results).toMatchObject([
      { done: true, outcome: { kind: 'delivered' } },
      { done: true, outcome: { kind: 'delivered' } },
    ]);
    // One line, named by the token's parameter, never by its value.
    expect(lines).toEqual([`token:${parameter}`, `token:${parameter}`]);
    expect(lines.join()).not.toContain('test-user-token');
    // So the second call waited its slot behind the first: a user token's 3 calls a second.
    const [first = 0, second = 0] = calledAt.toSorted();
    expect(second - first).toBeGreaterThanOrEqual(slotInterval(CALLS_PER_SECOND.user) - 50);
  });

  it('records error 901 as undeliverable and never calls VK for it again', async () => {
    vk.denyMessagesFrom(7005);
    const message = directAnswer('denied', 7005);
    expect((await responder(sqsEvent([message]), context)).batchItemFailures).toEqual([]);
    await responder(sqsEvent([message]), context);
    expect(vk.calls.filter((call) => call.params.peer_id === '7005')).toHaveLength(1);
    expect(await ledger.getRecord(message.id)).toMatchObject({
      status: 'undeliverable',
      reason: expect.stringMatching(/901/),
    });
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ result: 'undeliverable', vkError: 901 }) }),
    ]);
  });

  /** The record of `message`, queued for a routed inquiry, that the responder running with `config` finds undeliverable. */
  async function undeliverableRecordWith(config: AppConfig, message: OutboxMessage) {
    const deliver = createMessageDeliverer({
      config,
      ledger,
      inquiries: repository,
      tokens: secretStoreTokens(config, fileSecretStore(TEST_SECRETS_FILE)),
      vk: (token, method, params) => new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params),
      limiter: { acquire: async () => undefined },
      clock: systemClock,
    });
    await storeInquiryOf(repository, message);
    expect(await deliver(message, 1)).toMatchObject({ done: true, outcome: { kind: 'undeliverable' } });
    return ledger.getRecord(message.id);
  }

  it('records a token configured but not stored as that, not as a token not configured', async () => {
    const base = loadConfig(TEST_CONFIG_FILE);
    // The demo community's token parameter misspelt: named, but the secrets file has nothing there.
    const config = {
      ...base,
      communities: base.communities.map((community) =>
        community.groupId === DEMO_GROUP_ID
          ? { ...community, tokens: { community: { parameter: '/vk-inquiries/test/comunity-token' } } }
          : community,
      ),
    };
    expect(await undeliverableRecordWith(config, directAnswer('token-not-stored', 7402))).toMatchObject({
      status: 'undeliverable',
      reason: "the community token's parameter (tokens.community) has no value in the secret store",
    });
  });

  it('records a message of a community no longer configured as that, not as a token not configured', async () => {
    const base = loadConfig(TEST_CONFIG_FILE);
    // The demo community taken out of the configuration while its inquiry's answer was queued.
    const config = {
      ...base,
      communities: base.communities.filter((community) => community.groupId !== DEMO_GROUP_ID),
    };
    expect(await undeliverableRecordWith(config, directAnswer('community-removed', 7403))).toMatchObject({
      status: 'undeliverable',
      reason: `the inquiry's community ${DEMO_GROUP_ID} is no longer configured`,
    });
    expect(vk.calls.filter((call) => call.params.peer_id === '7403')).toEqual([]);
  });

  it('counts a reply that cannot be delivered also without dimensions: the series its alarm watches', async () => {
    vk.denyMessagesFrom(7400);
    const counted: [string, Record<string, string>][] = [];
    const deliver = standInDeliverer({
      metrics: { count: (name, dimensions) => void counted.push([name, dimensions]) },
    });
    const uncounted = directAnswer('uncounted', 7400);
    await storeInquiryOf(repository, uncounted);
    const result = await deliver(uncounted, 1);
    expect(result).toMatchObject({ done: true, outcome: { kind: 'undeliverable', code: 901 } });
    expect(counted).toEqual([
      ['MessagesUndeliverable', { community: String(DEMO_GROUP_ID), purpose: 'answer' }],
      ['MessagesUndeliverable', {}],
    ]);
  });

  it('counts a delivered reply by its purpose alone, not by community: one series a purpose', async () => {
    const counted: [string, Record<string, string>][] = [];
    const deliver = standInDeliverer({
      metrics: { count: (name, dimensions) => void counted.push([name, dimensions]) },
    });
    const sent = directAnswer('counted-sent', 7401);
    await storeInquiryOf(repository, sent);
    expect(await deliver(sent, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(counted).toEqual([['MessagesDelivered', { purpose: 'answer' }]]);
  });

  it('gives a message back without retrying when VK refuses the token', async () => {
    vk.failNext(5, 1, ['messages.send']);
    const message = directAnswer('token', 7007);
    await outbox.send(message);
    const [record] =
      (
        await aws.sqs.send(
          new (
            await import('@aws-sdk/client-sqs')
          ).ReceiveMessageCommand({
            QueueUrl: aws.queues.outbox.url,
            MaxNumberOfMessages: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [];
    const event = sqsEvent([message]);
    if (event.Records[0] && record?.ReceiptHandle) {
      event.Records[0].receiptHandle = record.ReceiptHandle;
      event.Records[0].messageId = record.MessageId ?? 'token';
    }
    const result = await responder(event, context);
    expect(result.batchItemFailures).toHaveLength(1);
    // One call, no retries in process: a bad token does not get better by trying.
    expect(vk.calls.filter((call) => call.params.peer_id === '7007')).toHaveLength(1);
    expect(await ledger.getRecord(message.id)).toBeUndefined();
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ result: 'token', vkError: 5 }) }),
    ]);
    // Held out of sight (the token is broken for a while), not handed straight back.
    const again = await aws.sqs.send(
      new (await import('@aws-sdk/client-sqs')).ReceiveMessageCommand({
        QueueUrl: aws.queues.outbox.url,
        WaitTimeSeconds: 0,
      }),
    );
    expect(again.Messages ?? []).toHaveLength(0);
  });

  it('reads the token again after VK refused it: a new token stored goes with the next reply', async () => {
    const config = loadConfig(TEST_CONFIG_FILE);
    const parameter = config.communities.find((community) => community.groupId === DEMO_GROUP_ID)?.tokens
      ?.community?.parameter as string;
    const stored: Record<string, string> = { [parameter]: 'a-revoked-token' };
    const extension = createServer(answerAsSecretsExtension(stored, 'session'));
    await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', () => resolve()));
    try {
      // As in AWS: through the extension, each value kept in the function for five minutes.
      const secrets = extensionSecretStore({
        port: (extension.address() as AddressInfo).port,
        token: () => 'session',
        maxAgeSeconds: 300,
      });
      const deliver = standInDeliverer({ tokens: secretStoreTokens(config, secrets) });
      const refused = directAnswer('token-replaced-1', 7011);
      await storeInquiryOf(repository, refused);
      expect(await deliver(refused, 1)).toMatchObject({ done: false, outcome: { kind: 'token', code: 5 } });
      // The on-call stores a new token, and the extension has it: the next reply goes with it, not held an
      // hour for the one the function kept.
      stored[parameter] = 'test-community-token-123456789';
      const next = directAnswer('token-replaced-2', 7012);
      await storeInquiryOf(repository, next);
      expect(await deliver(next, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    } finally {
      extension.close();
    }
  });

  it.each([
    [36, 'interrupted due to timeout'],
    [43, 'section temporarily unavailable'],
    [32, 'need wait'],
    [4242, 'a code VK does not list'],
  ])('tries again after error %i (%s) and delivers, never recording it undeliverable', async (code) => {
    vk.failNext(code, 1, ['messages.send']);
    const message = directAnswer(`again-${code}`, 7100 + (code % 100));
    expect((await responder(sqsEvent([message]), context)).batchItemFailures).toEqual([]);
    expect(vk.calls.filter((call) => call.params.random_id === String(randomIdFor(message.id)))).toEqual([
      expect.objectContaining({ error: code }),
      expect.not.objectContaining({ error: expect.anything() }),
    ]);
    expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'delivered' });
    const results = (await deliveries(message.inquiryId)).map((entry) => entry.detail);
    expect(results).toEqual([
      expect.objectContaining({ result: 'retry', vkError: code }),
      expect.objectContaining({ result: 'delivered' }),
    ]);
  });

  it.each([
    [18, 'messages.send', 'deleted or banned'],
    [917, 'messages.send', 'no longer in this chat'],
    [922, 'messages.send', 'no longer in this chat'],
    [932, 'messages.send', 'does not let the community write'],
    [936, 'messages.send', 'does not let the community write'],
    [945, 'messages.send', 'chat is disabled'],
    [946, 'messages.send', 'chat is disabled'],
    [950, 'messages.send', 'time VK allows for a reply'],
    [1012, 'messages.send', 'closed to writing'],
    [104, 'wall.createComment', 'gone from VK'],
    [210, 'wall.createComment', 'gone from VK'],
    [211, 'wall.createComment', 'gone from VK'],
    [19, 'messages.send', 'blocked the text itself'],
    [19, 'wall.createComment', 'blocked the text itself'],
    [203, 'wall.createComment', 'denies the community access'],
    [913, 'messages.send', 'forwarded with the reply'],
    [925, 'messages.send', 'not an admin of this chat'],
    [940, 'messages.send', 'too many links to wall posts'],
    [943, 'messages.send', "rules for a community's messages"],
    [944, 'messages.send', "rules for a community's messages"],
    [962, 'messages.send', 'VK Donut'],
  ])(
    'records error %i of %s as undeliverable at once: it never clears (%s)',
    async (code, method, meaning) => {
      vk.failNext(code, 1, [method]);
      const message = directAnswer(`gone-${code}-${method}`, 2_000_000_000 + code, {
        ...(method === 'wall.createComment' && {
          replyTo: { channel: 'wall_comment', ownerId: -DEMO_GROUP_ID, postId: code, commentId: 1 },
        }),
      });
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);
      // Never tried again: not in this invocation, not from the queue, not in the dead letters hours later.
      expect(
        vk.calls.filter(
          (call) =>
            call.params.random_id === String(randomIdFor(message.id)) ||
            call.params.guid === guidFor(message.id),
        ),
      ).toEqual([expect.objectContaining({ method, error: code })]);
      expect(await ledger.getRecord(message.id)).toMatchObject({
        status: 'undeliverable',
        reason: expect.stringContaining(meaning),
      });
      expect(await deliveries(message.inquiryId)).toEqual([
        expect.objectContaining({
          detail: expect.objectContaining({ result: 'undeliverable', vkError: code }),
        }),
      ]);
    },
  );

  it.each([
    [7, 'permission denied'],
    [14, 'captcha needed'],
    [17, 'validation required'],
    [2, 'application is disabled'],
    [23, 'method was disabled'],
    [24, 'confirmation required'],
    [25, 'token confirmation required'],
    [37, 'user was banned'],
    [1117, 'access token has expired'],
    [3609, 'token extension required'],
    [3610, 'user is deactivated'],
  ])('holds a message VK refuses with error %i (%s) for a person to act, like a bad token', async (code) => {
    vk.failNext(code, 1, ['messages.send']);
    const message = directAnswer(`person-${code}`, 7200 + code);
    const result = await responder(await fromTheQueue(message), context);
    expect(result.batchItemFailures).toHaveLength(1);
    expect(vk.calls.filter((call) => call.params.random_id === String(randomIdFor(message.id)))).toHaveLength(
      1,
    );
    expect(await ledger.getRecord(message.id)).toBeUndefined();
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('community token'),
        detail: expect.objectContaining({ result: 'token', vkError: code, token: 'community' }),
      }),
    ]);
  });

  it("names the admin's user token when VK refuses it", async () => {
    vk.failNext(5, 1, ['board.createComment']);
    const message = directAnswer('user-token', 7300, {
      groupId: DISTRICT_GROUP_ID,
      replyTo: { channel: 'board_comment', groupId: DISTRICT_GROUP_ID, topicId: 10, commentId: 5 },
    });
    expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toHaveLength(1);
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('user token'),
        detail: expect.objectContaining({ result: 'token', vkError: 5, token: 'user' }),
      }),
    ]);
  });

  it.each([18, 203])(
    "holds a reply on the admin's user token VK refuses with error %i: the admin's account, not the place",
    async (code) => {
      vk.failNext(code, 1, ['board.createComment']);
      const message = directAnswer(`user-account-${code}`, 7410 + code, {
        groupId: DISTRICT_GROUP_ID,
        replyTo: { channel: 'board_comment', groupId: DISTRICT_GROUP_ID, topicId: 12, commentId: code },
      });
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toHaveLength(1);
      expect(await ledger.getRecord(message.id)).toBeUndefined();
      expect(await deliveries(message.inquiryId)).toEqual([
        expect.objectContaining({
          detail: expect.objectContaining({ result: 'token', vkError: code, token: 'user' }),
        }),
      ]);
    },
  );

  it.each([
    [
      'board.createComment',
      { channel: 'board_comment' as const, groupId: DISTRICT_GROUP_ID, topicId: 11, commentId: 5 },
    ],
    [
      'photos.createComment',
      { channel: 'photo_comment' as const, ownerId: -DISTRICT_GROUP_ID, photoId: 11, commentId: 5 },
    ],
    [
      'video.createComment',
      { channel: 'video_comment' as const, ownerId: -DISTRICT_GROUP_ID, videoId: 11, commentId: 5 },
    ],
    [
      'market.createComment',
      { channel: 'market_comment' as const, ownerId: -DISTRICT_GROUP_ID, itemId: 11, commentId: 5 },
    ],
  ])(
    "holds a reply by %s refused with error 18: the admin's account behind the user token, not the citizen's",
    async (method, replyTo) => {
      vk.failNext(18, 1, [method]);
      const message = directAnswer(`user-gone-${method}`, 7400, { groupId: DISTRICT_GROUP_ID, replyTo });
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toHaveLength(1);
      expect(vk.calls.filter((call) => call.params.guid === guidFor(message.id))).toEqual([
        expect.objectContaining({ method, error: 18 }),
      ]);
      expect(await ledger.getRecord(message.id)).toBeUndefined();
      expect(await deliveries(message.inquiryId)).toEqual([
        expect.objectContaining({
          reason: expect.stringContaining('user token'),
          detail: expect.objectContaining({ result: 'token', vkError: 18, token: 'user' }),
        }),
      ]);
    },
  );

  it('delivers exactly once through a spell of error 6, retrying through the queue', async () => {
    vk.failFor(6, 2500, ['messages.send']);
    const message = directAnswer('busy', 7008);
    await withResponders(1, async () => {
      await outbox.send(message);
      await eventually(
        async () => vk.delivered.filter((call) => call.params.peer_id === '7008').length,
        (count) => count >= 1,
        20_000,
      );
      await eventually(
        () => ledger.getRecord(message.id),
        (record) => record?.status === 'delivered',
      );
    });
    expect(vk.delivered.filter((call) => call.params.peer_id === '7008')).toHaveLength(1);
    const failed = vk.calls.filter((call) => call.params.peer_id === '7008' && call.error === 6);
    expect(failed.length).toBeGreaterThan(0);
    const results = (await deliveries(message.inquiryId)).map((entry) => entry.detail.result);
    expect(results.filter((result) => result === 'retry').length).toBe(failed.length);
    expect(results.filter((result) => result === 'delivered')).toHaveLength(1);
  });

  it('answers each of two batches handled at once in one process with its own failures', async () => {
    // The local runtime hands one process several batches at a time, as Lambda hands several instances.
    vk.answerAfter(300);
    const first = sqsEvent(['not a message', directAnswer('two-batches-1', 7010)], 'first');
    const second = sqsEvent([directAnswer('two-batches-2', 7011)], 'second');
    const firstDone = responder(first, context);
    // The first batch's broken body has failed by now; its message waits for VK.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [firstResult, secondResult] = await Promise.all([firstDone, responder(second, context)]);
    expect(firstResult.batchItemFailures).toEqual([{ itemIdentifier: 'first-0' }]);
    expect(secondResult.batchItemFailures).toEqual([]);
    const sent = vk.delivered.map((call) => call.params.peer_id);
    expect(sent.filter((peer) => peer === '7010' || peer === '7011')).toHaveLength(2);
  });

  it('sends the messages of a batch for other citizens and communities at the same time', async () => {
    vk.answerAfter(500);
    // A comment on a photo of group 1234 as VK sent it: answered with the admin's user token.
    const comment = toCitizenMessage(vkEventSchema.parse(fixture('10_photo_comment_new__vknet.json')));
    if (!comment) throw new Error('the recorded photo comment is no citizen message');
    const messages = [
      directAnswer('at-once-1', 7020),
      directAnswer('at-once-2', 7021),
      directAnswer('at-once-3', comment.authorId, { groupId: DISTRICT_GROUP_ID, replyTo: comment.replyTo }),
      directAnswer('at-once-4', 7022, { groupId: DISTRICT_GROUP_ID }),
    ];
    const firstCall = vk.calls.length;
    const result = await responder(sqsEvent([...messages, 'not a message'], 'at-once'), context);
    // Only the body that is no message failed, whatever the order the others ended in.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'at-once-4' }]);
    const calls = vk.calls.slice(firstCall);
    expect(calls.map((call) => call.method).sort()).toEqual([
      'messages.send',
      'messages.send',
      'messages.send',
      'photos.createComment',
    ]);
    // Every call reached VK before VK had answered any: four at once, over three tokens of two communities.
    const lastAsked = Math.max(...calls.map((call) => call.at));
    expect(lastAsked).toBeLessThan(Math.min(...calls.map((call) => call.answeredAt ?? 0)));
    for (const message of messages)
      expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'delivered' });
  });

  it('sends one citizen’s messages of a batch one after the other, in its order, holding up no one else', async () => {
    vk.answerAfter(400);
    const first = directAnswer('in-turn-1', 7030, { text: 'Ваше обращение зарегистрировано.' });
    const second = directAnswer('in-turn-2', 7030, { text: 'Контейнеры вывезены.' });
    const other = directAnswer('in-turn-3', 7031);
    const result = await responder(sqsEvent([first, second, other], 'in-turn'), context);
    expect(result.batchItemFailures).toEqual([]);
    const toCitizen = vk.calls.filter((call) => call.params.peer_id === '7030');
    expect(toCitizen.map((call) => call.params.message)).toEqual([first.text, second.text]);
    const [firstCall, secondCall] = toCitizen;
    // The second only once VK had answered the first; the other citizen's went with the first.
    expect(secondCall?.at).toBeGreaterThanOrEqual(firstCall?.answeredAt ?? Number.POSITIVE_INFINITY);
    const otherCall = vk.calls.find((call) => call.params.peer_id === '7031');
    expect(otherCall?.at).toBeLessThan(firstCall?.answeredAt ?? 0);
  });

  it('keeps a burst of replies under 20 calls in any second across concurrent responders', async () => {
    // Three seconds' worth of one community token's calls (60), a backlog taken by as many responders as
    // Lambda runs on the outbox: their first batches alone (5 × 5) can put more than 20 calls into a second
    // (without the shared limiter VK answers some with error 6), and the limiter spreads them about 55 ms
    // apart over several one-second windows. A burst of 200 took 11 s or more and showed nothing more.
    const burst = 3 * CALLS_PER_SECOND.community;
    const messages = Array.from({ length: burst }, (_, index) =>
      directAnswer(`burst-${index}`, 100_000 + index, { groupId: DISTRICT_GROUP_ID }),
    );
    const firstCall = vk.calls.length;
    // All queued before the responders start: each of them takes full batches at once.
    for (let start = 0; start < messages.length; start += 10)
      await Promise.all(messages.slice(start, start + 10).map((message) => outbox.send(message)));
    await withResponders(QUEUES.outbox.maxConcurrency, async () => {
      await eventually(
        async () => vk.delivered.filter((call) => Number(call.params.peer_id) >= 100_000).length,
        (count) => count === burst,
        60_000,
      );
    });
    const calls = vk.calls.slice(firstCall).filter((call) => call.token === 'test-community-token-1234');
    expect(calls.filter((call) => call.error === 6)).toHaveLength(0);
    let busiest = 0;
    for (const call of calls) {
      const inWindow = calls.filter((other) => other.at > call.at - 1000 && other.at <= call.at).length;
      busiest = Math.max(busiest, inWindow);
    }
    expect(busiest).toBeLessThanOrEqual(CALLS_PER_SECOND.community);
    const sent = vk.delivered.filter(
      (call) => call.method === 'messages.send' && Number(call.params.peer_id) >= 100_000,
    );
    expect(sent).toHaveLength(burst);
    expect(new Set(sent.map((call) => call.params.random_id)).size).toBe(sent.length);
  }, 90_000);
});

describe('the responder and the inquiry an operator answered', () => {
  const operator: Operator = { id: 'sub-anna', name: 'Anna', admin: false, departments: ['housing'] };
  /** What the operator API put on the outbox, handed to the responder through the real queue by each test. */
  const queued: OutboxMessage[] = [];
  let api: OperatorApiDeps;
  let queries: DynamoOperatorQueries;

  beforeAll(() => {
    const documents = DynamoDBDocumentClient.from(aws.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
    queries = new DynamoOperatorQueries(documents, aws.tableName);
    api = {
      config: loadConfig(TEST_CONFIG_FILE),
      inquiries: repository,
      queries,
      outbox: { send: async (message) => void queued.push(message) },
      clock: systemClock,
    };
  });

  /** A citizen's rubbish complaint in a direct dialogue, routed to housing as the router routes it. */
  const openInquiry = (peerId: number) =>
    openInquiryAs(
      { config: api.config, inquiries: repository },
      { peerId, eventKey: `answered-${peerId}`, text: 'Не вывозят мусор во дворе', category: 'waste' },
    );

  /** An operator's action through the operator API's use case; the message it queued, if any. */
  async function act<Body>(useCase: UseCase<Body>, id: string, body: Body, key: string) {
    const request: ApiRequest<Body> = { operator, params: { id }, query: {}, body, idempotencyKey: key };
    const before = queued.length;
    const answer = await useCase(request, api);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    // The change's answer: the inquiry, and the id of the message it queued.
    return { inquiry: answer.body as Inquiry & { outboxId?: string }, message: queued[before] };
  }

  const historyOf = async (id: string) => (await repository.get(id))?.history ?? [];
  const listed = async (query: Record<string, unknown>) =>
    (await queries.listInquiries(['housing'], listCriteria(query), new Date())).items.map(
      (inquiry) => inquiry.id,
    );

  it('puts an answer VK refused (901) back in the department’s open work, flagged, once', async () => {
    vk.denyMessagesFrom(7600);
    const id = await openInquiry(7600);
    const delivered = await openInquiry(7601);
    const answered = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7600');
    expect(answered.inquiry.status).toBe('answered');
    await act(reply, delivered, { text: 'Контейнеры вывезены.' }, 'reply-7601');

    // The same queue message processed twice (SQS delivers at least once): one change to the inquiry.
    const event = await fromTheQueue(answered.message as OutboxMessage);
    expect((await responder(event, context)).batchItemFailures).toEqual([]);
    expect((await responder(event, context)).batchItemFailures).toEqual([]);
    await responder(await fromTheQueue(queued.at(-1) as OutboxMessage), context);

    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({
      status: 'in_progress',
      version: answered.inquiry.version + 1,
      undelivered: {
        outboxId: answered.message?.id,
        purpose: 'answer',
        reason: expect.stringContaining('VK error 901'),
      },
    });
    expect(inquiry?.answeredAt).toBeUndefined();
    expect((await historyOf(id)).filter((entry) => entry.kind === 'undelivered')).toEqual([
      expect.objectContaining({
        actor: 'responder',
        from: 'answered',
        to: 'in_progress',
        reason: expect.stringMatching(/^the answer did not reach the citizen: VK error 901/),
      }),
    ]);
    expect((await repository.getInquiry(delivered))?.status).toBe('answered');

    // The department finds it: among undelivered answers and back in its open work.
    const undelivered = await listed({ undelivered: 'true', limit: 100 });
    expect(undelivered).toContain(id);
    expect(undelivered).not.toContain(delivered);
    expect(await listed({ order: 'urgent', limit: 100 })).toContain(id);
    expect(await listed({ undelivered: 'false', limit: 100 })).not.toContain(id);

    // Answered by phone, the operator closes it: out of the list, nothing sent.
    const closed = await act(closeInquiry, id, { reason: 'answered by phone' }, 'close-7600');
    expect(closed.inquiry).toMatchObject({ status: 'closed' });
    expect(closed.inquiry.undelivered).toBeUndefined();
    expect(closed.message).toBeUndefined();
    expect(await listed({ undelivered: 'true', limit: 100 })).not.toContain(id);
  });

  /** The message received from the queue as SQS hands it out the `receiveCount`th time. */
  const receivedTime = async (message: OutboxMessage, receiveCount: number) => {
    const event = await fromTheQueue(message);
    for (const record of event.Records) record.attributes.ApproximateReceiveCount = String(receiveCount);
    return event;
  };

  /** Words that VK failed on every try of their last receive (error 10): flagged, kept in the dead letters. */
  const failEveryTry = async (message: OutboxMessage) => {
    vk.failNext(10, 3, ['messages.send']);
    await responder(await receivedTime(message, RESPONDER_QUEUE.maxReceiveCount), context);
  };

  /** An operator's answer to the inquiry (`key` its request), which VK failed on every try. */
  const answerKeptInDeadLetters = async (id: string, key: string) => {
    const answer = (await act(reply, id, { text: 'Контейнеры вывезены.' }, key)).message as OutboxMessage;
    await failEveryTry(answer);
    return answer;
  };

  it('puts an answer that failed every try back in the department’s open work, flagged, and answers it when replayed and delivered', async () => {
    const id = await openInquiry(7650);
    const answered = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7650');
    const message = answered.message as OutboxMessage;
    const last = RESPONDER_QUEUE.maxReceiveCount;
    // VK failing (10: internal server error) on every try of two receives: the one before the last, and the last.
    vk.failNext(10, 6, ['messages.send']);
    expect((await responder(await receivedTime(message, last - 1), context)).batchItemFailures).toHaveLength(
      1,
    );
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered' });
    expect((await responder(await receivedTime(message, last), context)).batchItemFailures).toHaveLength(1);

    // Given back, the queue keeps it in its dead letters; the department sees it now, with VK's error.
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({
      status: 'in_progress',
      undelivered: {
        outboxId: message.id,
        purpose: 'answer',
        reason: expect.stringMatching(/^VK error 10: .*kept in the dead-letter queue$/),
      },
    });
    expect(inquiry?.answeredAt).toBeUndefined();
    expect(await listed({ undelivered: 'true', limit: 100 })).toContain(id);
    // Nothing in the ledger: the message is still to be sent, from the dead letters.
    expect(await ledger.getRecord(message.id)).toBeUndefined();

    // Replayed once VK is back (a new message in the queue: its first receive), it goes, and answers the inquiry.
    expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);
    expect(
      vk.delivered.filter((call) => call.params.random_id === String(randomIdFor(message.id))),
    ).toHaveLength(1);
    expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'delivered' });
    const replayed = await repository.getInquiry(id);
    expect(replayed).toMatchObject({ status: 'answered', answeredAt: expect.any(String) });
    expect(replayed?.undelivered).toBeUndefined();
    expect(await listed({ undelivered: 'true', limit: 100 })).not.toContain(id);
    expect((await historyOf(id)).map((entry) => entry.reason)).toContain(
      'the answer reached the citizen after all, from the dead-letter queue',
    );
  });

  it('reopens an inquiry the citizen wrote to while its answer waited in the dead letters, when the replay delivers it', async () => {
    const id = await openInquiry(7660);
    const message = await answerKeptInDeadLetters(id, 'reply-7660');
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'in_progress', undelivered: {} });
    // The citizen, who got nothing, writes of a danger: open, so a follow-up, which raises it to critical.
    const router = createMessageRouter({
      config: api.config,
      inquiries: repository,
      clock: systemClock,
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const gas = classifiedDirectMessage({
      peerId: 7660,
      eventKey: 'gas-7660',
      text: 'Пахнет газом в подъезде, срочно!',
      category: 'waste',
      at: new Date().toISOString(),
    });
    await router.routeCitizenMessage({
      ...gas,
      classification: { ...gas.classification, priority: 'critical' },
    });
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      priority: 'critical',
      pendingNotification: { kind: 'critical' },
    });

    // Replayed and delivered: the answer answers its cycle, and the follow-up it never saw reopens the inquiry.
    expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);
    expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'delivered' });
    const reopened = await repository.getInquiry(id);
    expect(reopened).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      clock: { kind: 'first_response', cycle: 2, breached: false },
      pendingNotification: { kind: 'critical', clock: 'first_response', cycle: 2 },
    });
    expect(reopened?.undelivered).toBeUndefined();
    expect(reopened?.earlierCycles?.at(-1)).toMatchObject({ answeredAt: expect.any(String) });
    expect(await listed({ status: 'reopened', limit: 100 })).toContain(id);
    expect((await historyOf(id)).map((entry) => entry.reason)).toContainEqual(
      expect.stringMatching(/from the dead-letter queue; the citizen wrote again meanwhile .*: reopened$/),
    );
  });

  it('sends an intermediate answer written while the answer waits in the dead letters, keeps the flag, and sends the answer replayed', async () => {
    const id = await openInquiry(7661);
    const answer = await answerKeptInDeadLetters(id, 'reply-7661');
    const working = await act(
      intermediateAnswer,
      id,
      { text: 'Уточняем у подрядчика, ответим сегодня.' },
      'working-7661',
    );
    // Still flagged: "we are working on it" is no answer, and the inquiry stays among those the citizen is owed.
    expect(working.inquiry).toMatchObject({ status: 'in_progress', undelivered: { outboxId: answer.id } });
    expect(await listed({ undelivered: 'true', limit: 100 })).toContain(id);
    expect(
      (await responder(await fromTheQueue(working.message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    expect(await ledger.getRecord((working.message as OutboxMessage).id)).toMatchObject({
      status: 'delivered',
    });
    // The answer replayed goes, and answers the inquiry.
    expect((await responder(await fromTheQueue(answer), context)).batchItemFailures).toEqual([]);
    expect(await ledger.getRecord(answer.id)).toMatchObject({ status: 'delivered' });
    const answered = await repository.getInquiry(id);
    expect(answered).toMatchObject({ status: 'answered' });
    expect(answered?.undelivered).toBeUndefined();
  });

  it('tells the flag VK’s refusal of an answer replayed from the dead letters: no longer one to replay', async () => {
    const id = await openInquiry(7652);
    const message = await answerKeptInDeadLetters(id, 'reply-7652');
    expect(await repository.getInquiry(id)).toMatchObject({
      undelivered: { reason: expect.stringMatching(/kept in the dead-letter queue$/) },
    });
    // Replayed by ops, after the citizen forbade messages: VK refuses it for good.
    vk.denyMessagesFrom(7652);
    const replay = await fromTheQueue(message);
    expect((await responder(replay, context)).batchItemFailures).toEqual([]);
    const refused = await repository.getInquiry(id);
    expect(refused).toMatchObject({
      status: 'in_progress',
      undelivered: {
        outboxId: message.id,
        purpose: 'answer',
        reason: expect.stringContaining('VK error 901'),
      },
    });
    expect(refused?.undelivered?.reason).not.toMatch(/dead-letter/);
    const entries = (await historyOf(id)).filter((entry) => entry.kind === 'undelivered');
    expect(entries.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/kept in the dead-letter queue$/),
      expect.stringMatching(
        /^the answer kept in the dead-letter queue, sent again, did not reach the citizen: VK error 901/,
      ),
    ]);
    // The replay delivered twice (SQS at least once): recorded once.
    expect((await responder(replay, context)).batchItemFailures).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({ version: refused?.version });
  });

  it('tells the flag VK’s refusal of a replayed answer when the replay stopped before recording it on the inquiry', async () => {
    const id = await openInquiry(7653);
    const message = await answerKeptInDeadLetters(id, 'reply-7653');
    vk.denyMessagesFrom(7653);
    // The replay records VK's refusal in the ledger; its write on the inquiry fails.
    const failing = Object.create(repository) as DynamoInquiryRepository;
    failing.update = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    await expect(standInDeliverer({ inquiries: failing })(message, 1)).rejects.toThrow(/capacity/);
    expect(await repository.getInquiry(id)).toMatchObject({
      undelivered: { reason: expect.stringMatching(/kept in the dead-letter queue$/) },
    });
    // SQS brings the replay back: its record is found, and recorded on the inquiry as the replay's refusal.
    expect(await standInDeliverer()(message, 2)).toMatchObject({
      done: true,
      outcome: { kind: 'duplicate' },
    });
    expect(await repository.getInquiry(id)).toMatchObject({
      undelivered: { outboxId: message.id, reason: expect.stringContaining('VK error 901') },
    });
  });

  it('sends an intermediate answer kept in the dead letters beside the answer, replayed after VK refused the answer’s replay', async () => {
    const id = await openInquiry(7672);
    const answer = await answerKeptInDeadLetters(id, 'reply-7672');
    const flagged = (await repository.getInquiry(id))?.undelivered;
    expect(flagged).toMatchObject({ outboxId: answer.id });
    // Written while the answer waits: the department's response to the citizen, kept in the dead letters too.
    const working = (await act(intermediateAnswer, id, { text: 'Уточняем у подрядчика.' }, 'working-7672'))
      .message as OutboxMessage;
    await failEveryTry(working);

    // Ops replay the answer first: VK refuses it for good. The flag tells VK's reason, and still when the
    // answer was flagged: no answer was written since.
    vk.failNext(901, 1, ['messages.send']);
    expect((await responder(await fromTheQueue(answer), context)).batchItemFailures).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({
      undelivered: { outboxId: answer.id, reason: expect.stringContaining('VK error 901'), at: flagged?.at },
    });
    // Then the intermediate answer: nothing came since it was written that it would repeat, so it goes.
    expect((await responder(await fromTheQueue(working), context)).batchItemFailures).toEqual([]);
    expect(await ledger.getRecord(working.id)).toMatchObject({ status: 'delivered' });
    expect(
      vk.delivered.filter((call) => call.params.random_id === String(randomIdFor(working.id))),
    ).toHaveLength(1);
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { outboxId: answer.id },
    });
  });

  it('counts the reopening and the reopened cycle’s first response a replayed answer gives, as the router and the operator API count theirs', async () => {
    const id = await openInquiry(7670);
    const answer = await answerKeptInDeadLetters(id, 'reply-7670');
    // The citizen, who got nothing, writes again; then an operator tells them the work goes on.
    const router = createMessageRouter({
      config: api.config,
      inquiries: repository,
      clock: systemClock,
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    await router.routeCitizenMessage(
      classifiedDirectMessage({
        peerId: 7670,
        eventKey: 'again-7670',
        text: 'Мусор так и не вывезли, контейнеры переполнены',
        category: 'waste',
        at: new Date().toISOString(),
      }),
    );
    await act(intermediateAnswer, id, { text: 'Уточняем у подрядчика.' }, 'working-7670');

    const metrics = recordingMetrics();
    const deliver = standInDeliverer({ inquiryMetrics: metrics });
    expect(await deliver(answer, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    const reopened = await repository.getInquiry(id);
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    // The dashboard's reopened and first responses count this path too, per department as the others do.
    const counted = () => countsBesidesCalendar(metrics.counts);
    expect(counted()).toEqual([
      { name: 'InquiriesReopened', dimensions: { department: reopened?.department } },
      { name: 'FirstResponsesInTime', dimensions: { department: reopened?.department } },
    ]);
    // The same replay delivered again (SQS at least once): counted once.
    expect(await deliver(answer, 1)).toMatchObject({ done: true, outcome: { kind: 'duplicate' } });
    expect(counted()).toHaveLength(2);
  });

  it('tells of the deadline a replayed answer’s reopening sets in a year the calendar does not list', async () => {
    // Mon 27 December 2027 in Yekaterinburg; the production calendar lists 2026 and 2027, not 2028.
    const at = (time: string) => ({ now: () => new Date(time) });
    const id = await openInquiryAs(
      { config: api.config, inquiries: repository },
      {
        peerId: 7671,
        eventKey: 'answered-7671',
        text: 'Не вывозят мусор во дворе',
        category: 'waste',
        at: '2027-12-27T04:00:00.000Z',
      },
    );
    const answered = await reply(
      {
        operator,
        params: { id },
        query: {},
        body: { text: 'Контейнеры вывезены.' },
        idempotencyKey: 'reply-7671',
      },
      { ...api, clock: at('2027-12-27T05:00:00.000Z') },
    );
    expect(answered.status).toBe(200);
    const answer = queued.at(-1) as OutboxMessage;
    vk.failNext(10, 3, ['messages.send']);
    await standInDeliverer({
      clock: at('2027-12-27T06:00:00.000Z'),
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    })(answer, RESPONDER_QUEUE.maxReceiveCount);
    expect(await repository.getInquiry(id)).toMatchObject({ undelivered: { outboxId: answer.id } });
    // Thu 30 December, 15:00: three working hours left in 2027 (31 December is a day off).
    const written = '2027-12-30T10:00:00.000Z';
    await createMessageRouter({
      config: api.config,
      inquiries: repository,
      clock: at(written),
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    }).routeCitizenMessage(
      classifiedDirectMessage({
        peerId: 7671,
        eventKey: 'again-7671',
        text: 'Мусор так и не вывезли, контейнеры переполнены',
        category: 'waste',
        at: written,
      }),
    );

    const metrics = recordingMetrics();
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const deliver = standInDeliverer({
      clock: at('2027-12-30T11:00:00.000Z'),
      inquiryMetrics: metrics,
      logWarning: (message, fields) => void warnings.push({ message, fields }),
    });
    expect(await deliver(answer, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    const reopened = await repository.getInquiry(id);
    expect(reopened).toMatchObject({ status: 'reopened', clock: { kind: 'first_response' } });
    const dueAt = reopened?.clock?.dueAt;
    expect(dueAt?.startsWith('2028-01')).toBe(true);
    expect(warnings).toEqual([
      {
        message: expect.stringContaining('a year the calendar does not list'),
        fields: { inquiryId: id, groupId: DEMO_GROUP_ID, clock: 'first_response', dueAt, years: [2028] },
      },
    ]);
    expect(metrics.counts).toContainEqual({
      name: 'DeadlinesOutsideCalendar',
      dimensions: { community: String(DEMO_GROUP_ID) },
    });
    // Delivered again, it changes nothing and tells of nothing again.
    await deliver(answer, 1);
    expect(warnings).toHaveLength(1);
  });

  it('does not send an answer replayed from the dead letters once the department answered again', async () => {
    const id = await openInquiry(7641);
    const first = await answerKeptInDeadLetters(id, 'reply-7641');
    expect(await repository.getInquiry(id)).toMatchObject({ undelivered: { outboxId: first.id } });
    // The operator answers again: the flag goes, and the new words are what the citizen gets.
    const again = await act(reply, id, { text: 'Контейнеры вывезены, двор убран.' }, 'reply-7641-again');
    expect(again.inquiry.undelivered).toBeUndefined();
    expect((await responder(await fromTheQueue(first), context)).batchItemFailures).toEqual([]);
    expect(vk.delivered.filter((call) => call.params.random_id === String(randomIdFor(first.id)))).toEqual(
      [],
    );
    expect(await ledger.getRecord(first.id)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('the inquiry was answered since'),
    });
  });

  it('records words held for their token on their last receive too, and counts them; an acknowledgement changes nothing', async () => {
    const id = await openInquiry(7642);
    const { message } = await act(intermediateAnswer, id, { text: 'Передали подрядчику.' }, 'wait-7642');
    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    const acknowledgement = directAnswer('ack-7642', 7642, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      replyTo: inquiry.replyTo,
      text: 'Здравствуйте! Ваше обращение зарегистрировано.',
      requestedBy: 'router',
    });
    const counted: [string, Record<string, string>][] = [];
    const deliver = standInDeliverer({
      metrics: { count: (name, dimensions) => void counted.push([name, dimensions]) },
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    });
    vk.failNext(1117, 2, ['messages.send']);
    expect(await deliver(acknowledgement, RESPONDER_QUEUE.maxReceiveCount)).toMatchObject({
      done: false,
      outcome: { kind: 'token', code: 1117 },
      lastReceive: {},
    });
    // The product's own words: the inquiry owes the citizen nothing for them.
    expect((await repository.getInquiry(id))?.undelivered).toBeUndefined();
    expect(await deliver(message as OutboxMessage, RESPONDER_QUEUE.maxReceiveCount)).toMatchObject({
      done: false,
      lastReceive: { inquiry: 'changed' },
    });
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: {
        purpose: 'intermediate_answer',
        reason: expect.stringMatching(
          /community token \(VK error 1117: .*`offline`.*kept in the dead-letter queue$/,
        ),
      },
    });
    expect(counted.filter(([name]) => name === 'MessagesUndeliverable')).toEqual([
      ['MessagesUndeliverable', { community: String(DEMO_GROUP_ID), purpose: 'acknowledgement' }],
      ['MessagesUndeliverable', {}],
      ['MessagesUndeliverable', { community: String(DEMO_GROUP_ID), purpose: 'intermediate_answer' }],
      ['MessagesUndeliverable', {}],
    ]);
  });

  /**
   * The real ledger, but for one of its calls, which fails as DynamoDB refusing us would. A wrapper, not the
   * emulator: dynalite cannot be told to fail one kind of call of one item while the inquiry's stay writable.
   */
  const ledgerFailingOn = (call: 'claim' | 'getRecord' | 'putRecord', name: string) => {
    const failing = Object.create(ledger) as DynamoOutboxLedger;
    failing[call] = async () => {
      throw Object.assign(new Error(`User is not authorized to perform dynamodb call ${call}`), { name });
    };
    return failing;
  };

  it.each([
    ['the claim', 'claim'],
    ['the read of its record', 'getRecord'],
  ] as const)(
    'records an answer undelivered when %s fails on its last receive, and gives the error to SQS still',
    async (_, call) => {
      const peerId = call === 'claim' ? 7643 : 7644;
      const id = await openInquiry(peerId);
      const message = (await act(reply, id, { text: 'Контейнеры вывезены.' }, `reply-${peerId}`))
        .message as OutboxMessage;
      const counted: [string, Record<string, string>][] = [];
      const deliver = standInDeliverer({
        ledger: ledgerFailingOn(call, 'AccessDeniedException'),
        metrics: { count: (name, dimensions) => void counted.push([name, dimensions]) },
        maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
      });
      // Before the last receive SQS brings it back: nothing to record yet.
      await expect(deliver(message, RESPONDER_QUEUE.maxReceiveCount - 1)).rejects.toThrow(/not authorized/);
      expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered' });
      // On the last, the error still fails the receive (SQS keeps the words in the dead letters), and the
      // department sees them, flagged: the error named, never its message.
      await expect(deliver(message, RESPONDER_QUEUE.maxReceiveCount)).rejects.toThrow(/not authorized/);
      const inquiry = await repository.getInquiry(id);
      expect(inquiry).toMatchObject({
        status: 'in_progress',
        undelivered: {
          outboxId: message.id,
          purpose: 'answer',
          reason: 'an error of ours (AccessDeniedException) on the last try: kept in the dead-letter queue',
        },
      });
      expect(await listed({ undelivered: 'true', limit: 100 })).toContain(id);
      expect(counted.filter(([name]) => name === 'MessagesUndeliverable')).toEqual([
        ['MessagesUndeliverable', { community: String(DEMO_GROUP_ID), purpose: 'answer' }],
        ['MessagesUndeliverable', {}],
      ]);
      // Nothing went to VK: replayed once the cause is fixed, the answer goes and answers the inquiry.
      expect(await ledger.getRecord(message.id)).toBeUndefined();
      expect((await standInDeliverer()(message, 1)).done).toBe(true);
      expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered' });
    },
  );

  it('does not flag an answer VK took when an error of ours follows on its last receive', async () => {
    const id = await openInquiry(7645);
    const message = (await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7645'))
      .message as OutboxMessage;
    const deliver = standInDeliverer({
      ledger: ledgerFailingOn('putRecord', 'ProvisionedThroughputExceededException'),
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    });
    await expect(deliver(message, RESPONDER_QUEUE.maxReceiveCount)).rejects.toThrow(/not authorized/);
    expect(
      vk.delivered.filter((call) => call.params.random_id === String(randomIdFor(message.id))),
    ).toHaveLength(1);
    // The citizen has the answer: the inquiry stays answered, unflagged.
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: 'answered' });
    expect(inquiry?.undelivered).toBeUndefined();
  });

  it('flags an answer VK refused when an error of ours follows on its last receive', async () => {
    const id = await openInquiry(7646);
    const message = (await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7646'))
      .message as OutboxMessage;
    const deliver = standInDeliverer({
      ledger: ledgerFailingOn('putRecord', 'ProvisionedThroughputExceededException'),
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    });
    vk.failNext(901, 1, ['messages.send']);
    await expect(deliver(message, RESPONDER_QUEUE.maxReceiveCount)).rejects.toThrow(/not authorized/);
    // The citizen has nothing: the department sees the answer back in its work, flagged.
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: {
        outboxId: message.id,
        reason:
          'an error of ours (ProvisionedThroughputExceededException) on the last try: kept in the dead-letter queue',
      },
    });
  });

  it('names an operator’s words by one outbox id in the change’s answer, their history entry and their delivery', async () => {
    const id = await openInquiry(7610);
    // Each delivered before the next change, as it would be (one queued after the answer would be skipped).
    const changes = [];
    for (const [useCase, text, key] of [
      [intermediateAnswer, 'Передали подрядчику.', 'link-7610-wait'],
      [reply, 'Контейнеры вывезены.', 'link-7610-answer'],
      // A further word after the answer: a reply that changes no status, linked the same way.
      [reply, 'Если снова не вывезут, напишите нам.', 'link-7610-more'],
    ] as const) {
      const change = await act(useCase, id, { text }, key);
      const event = await fromTheQueue(change.message as OutboxMessage);
      expect((await responder(event, context)).batchItemFailures).toEqual([]);
      changes.push(change);
    }

    const outboxIds = changes.map(({ message }) => message?.id);
    expect(changes.map(({ inquiry }) => inquiry.outboxId)).toEqual(outboxIds);
    const history = await historyOf(id);
    const replies = history.filter((entry) => entry.kind === 'reply');
    expect(replies.map((entry) => entry.detail.outboxId)).toEqual(outboxIds);
    const deliveries = history.filter((entry) => entry.kind === 'delivery');
    expect(deliveries.map((entry) => [entry.detail.outboxId, entry.detail.result])).toEqual(
      outboxIds.map((outboxId) => [outboxId, 'delivered']),
    );
    // The answer lost and the request repeated: the same id, nothing queued twice.
    const again = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'link-7610-answer');
    expect(again.inquiry.outboxId).toBe(outboxIds[1]);
    expect(again.message?.id).toBe(outboxIds[1]);
    // A change that queues nothing answers with no outbox id.
    expect(
      (await act(closeInquiry, id, { reason: 'вывезли' }, 'link-7610-close')).inquiry,
    ).not.toHaveProperty('outboxId');
  });

  /** A citizen's complaint in a group chat the community is in: the chat `2000000000 + chat`, its author. */
  const openChatInquiry = (chat: number, authorId: number, conversationMessageId: number) =>
    openInquiryAs(
      { config: api.config, inquiries: repository },
      {
        peerId: 2_000_000_000 + chat,
        authorId,
        conversationMessageId,
        eventKey: `chat-${chat}-${conversationMessageId}`,
        text: 'Во дворе дома 7 неделю не вывозят мусор',
        category: 'waste',
      },
    );
  const sentTo = (peerId: number) =>
    vk.delivered.filter((call) => call.method === 'messages.send' && call.params.peer_id === String(peerId));

  it('answers in a group chat whatever the author’s own setting for private messages', async () => {
    const chat = 2_000_000_000 + 7;
    const id = await openChatInquiry(7, 7700, 31);
    // The author forbade the community's private messages, which VK refuses (901) in their dialogue only.
    vk.denyMessagesFrom(7700);
    const { message } = await act(reply, id, { text: 'Мусор вывезен.' }, 'reply-chat-7');
    expect(
      (await responder(await fromTheQueue(message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    expect(sentTo(chat)).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ message: toCitizen('Мусор вывезен.') }) }),
    ]);
    expect(await ledger.getRecord((message as OutboxMessage).id)).toMatchObject({ status: 'delivered' });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: 'answered' });
    expect(inquiry?.undelivered).toBeUndefined();
  });

  it('lets an operator’s @all, @online or [id…|…] in a group chat notify no one, and keeps their links', async () => {
    const chat = 2_000_000_000 + 10;
    const id = await openChatInquiry(10, 7710, 12);
    const text = '@all [id1|Павел], подробнее: https://example.gov.ru/vyvoz @online';
    const { message } = await act(reply, id, { text }, 'reply-chat-10');
    expect(
      (await responder(await fromTheQueue(message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    const [sent, ...more] = sentTo(chat);
    expect(more).toEqual([]);
    expect(sent?.params).toMatchObject({ message: toCitizen(text), disable_mentions: '1' });
    expect(sent?.params).not.toHaveProperty('dont_parse_links');
  });

  it('quotes the citizen’s message in a group chat, so the chat sees whose case the words are about', async () => {
    const chat = 2_000_000_000 + 8;
    const id = await openChatInquiry(8, 7800, 44);
    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    const acknowledgement = directAnswer('ack-chat-8', chat, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      replyTo: inquiry.replyTo,
      citizenId: 7800,
      text: 'Здравствуйте! Ваше обращение зарегистрировано.',
      requestedBy: 'router',
    });
    expect((await responder(await fromTheQueue(acknowledgement), context)).batchItemFailures).toEqual([]);
    const { message: answer } = await act(reply, id, { text: 'Мусор вывезен.' }, 'reply-chat-8');
    expect((await responder(await fromTheQueue(answer as OutboxMessage), context)).batchItemFailures).toEqual(
      [],
    );

    const sent = sentTo(chat);
    expect(sent.map((call) => call.params.message)).toEqual([
      'Здравствуйте! Ваше обращение зарегистрировано.',
      toCitizen('Мусор вывезен.'),
    ]);
    for (const call of sent)
      expect(JSON.parse(call.params.forward ?? 'null')).toEqual({
        peer_id: chat,
        conversation_message_ids: [44],
        is_reply: true,
      });
    // The operator sees what the citizen was promised; an answer's words are in its `reply` entry already.
    const recorded = await deliveries(id);
    expect(recorded.find((entry) => entry.detail.purpose === 'acknowledgement')?.detail).toMatchObject({
      result: 'delivered',
      text: 'Здравствуйте! Ваше обращение зарегистрировано.',
    });
    expect(recorded.find((entry) => entry.detail.purpose === 'answer')?.detail.text).toBeUndefined();
    // A private dialogue has no one else to tell: no quote there.
    const direct = await openInquiry(7801);
    const { message: privateAnswer } = await act(reply, direct, { text: 'Ответ.' }, 'reply-7801');
    await responder(await fromTheQueue(privateAnswer as OutboxMessage), context);
    expect(sentTo(7801)).toEqual([
      expect.not.objectContaining({ params: expect.objectContaining({ forward: expect.anything() }) }),
    ]);
  });

  it.each([
    [921, 9],
    [913, 29],
    [969, 31],
    [100, 33],
  ])(
    'sends the words without the quote when VK refuses to quote the citizen’s message (%i)',
    async (code, chatNumber) => {
      const chat = 2_000_000_000 + chatNumber;
      const id = await openChatInquiry(chatNumber, 7900 + chatNumber, 52);
      const { message } = await act(reply, id, { text: 'Мусор вывезен.' }, `reply-chat-${chatNumber}`);
      vk.failNext(code, 1, ['messages.send']);
      expect(
        (await responder(await fromTheQueue(message as OutboxMessage), context)).batchItemFailures,
      ).toEqual([]);
      // The quote refused once, then the words alone. On a loaded machine a call may time out (5 s) and be
      // made again with its random_id, which VK (and its stand-in) takes once: so the calls after the first
      // are checked by what they send, and the chat by what it got.
      const [refused, ...after] = vk.calls.filter((call) => call.params.peer_id === String(chat));
      expect(refused).toMatchObject({ error: code, params: { forward: expect.any(String) } });
      expect(after.length).toBeGreaterThan(0);
      for (const call of after) expect(call.params).not.toHaveProperty('forward');
      expect(sentTo(chat)).toEqual([
        expect.objectContaining({ params: expect.not.objectContaining({ forward: expect.anything() }) }),
      ]);
      // The refusal first, the delivery last, and between them only the tries such a timeout records.
      const recorded = (await deliveries(id)).map((entry) => [entry.detail.result, entry.reason]);
      expect(recorded[0]).toEqual(['undeliverable', expect.stringContaining('without the quote')]);
      expect(recorded.at(-1)).toEqual(['delivered', expect.any(String)]);
      expect(recorded.slice(1, -1).filter(([result]) => result !== 'retry')).toEqual([]);
      expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered' });
    },
  );

  it('puts an answer back in work, flagged with the reason, when the community is no longer in the chat', async () => {
    const id = await openChatInquiry(10, 8000, 61);
    const { message } = await act(reply, id, { text: 'Мусор вывезен.' }, 'reply-chat-10');
    vk.failNext(917, 1, ['messages.send']);
    expect(
      (await responder(await fromTheQueue(message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { purpose: 'answer', reason: expect.stringContaining('no longer in this chat') },
    });
  });

  it.each([
    [15, 'access denied'],
    [210, 'access to the post denied'],
  ])(
    'puts back in work, with no token alarm, an answer on a suggested post VK refuses (%i, %s)',
    async (code) => {
      const id = await openInquiry(8100 + code);
      // The inquiry came from a suggested post the community has not published.
      const inquiry = (await repository.getInquiry(id)) as Inquiry;
      await repository.update(
        {
          ...inquiry,
          replyTo: { channel: 'wall_post', ownerId: -DEMO_GROUP_ID, postId: 8100 + code, suggested: true },
        },
        inquiry.version,
        [],
      );
      const { message } = await act(reply, id, { text: 'Трубу заменят завтра.' }, `reply-suggested-${code}`);
      vk.failNext(code, 1, ['wall.createComment']);
      const counted: string[] = [];
      const deliver = standInDeliverer({ metrics: { count: (name) => void counted.push(name) } });
      // Done with at once: not held for an hour as a broken token would be, nor tried again.
      expect(await deliver(message as OutboxMessage, 1)).toMatchObject({
        done: true,
        outcome: { kind: 'undeliverable', code },
        inquiry: 'changed',
      });
      expect(counted).not.toContain('VkTokenErrors');
      expect(
        vk.calls.filter((call) => call.params.guid === guidFor((message as OutboxMessage).id)),
      ).toHaveLength(1);
      expect(await repository.getInquiry(id)).toMatchObject({
        status: 'in_progress',
        undelivered: { reason: expect.stringContaining('publish it and answer again') },
      });
    },
  );

  it('records a refusal once when two responders handle the same queue message at the same time', async () => {
    vk.denyMessagesFrom(7604);
    const id = await openInquiry(7604);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7604');
    // Two copies of one message (SQS at least once, or an operator's request sent twice), in two responders
    // whose clocks read a few milliseconds apart, both past the ledger before either records the refusal.
    let waiting = 2;
    const held: (() => void)[] = [];
    const racingLedger = Object.assign(Object.create(ledger) as DynamoOutboxLedger, {
      getRecord: async (outboxId: string) => {
        const record = await ledger.getRecord(outboxId);
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (--waiting === 0) for (const release of held.splice(0)) release();
        });
        return record;
      },
    });
    let tick = 0;
    const deliver = standInDeliverer({
      ledger: racingLedger,
      clock: { now: () => new Date(Date.now() + 7 * tick++) },
    });
    const results = await Promise.all([
      deliver(message as OutboxMessage, 1),
      deliver(message as OutboxMessage, 1),
    ]);
    // One claims the message and calls VK; the other gives it back to the queue, to find it recorded.
    expect(results.map((result) => result.outcome.kind).sort()).toEqual(['claimed', 'undeliverable']);
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'in_progress' });
    expect((await historyOf(id)).filter((entry) => entry.kind === 'undelivered')).toHaveLength(1);
  });

  it('keeps the one entry of words recorded without a VK call by two responders at the same instant', async () => {
    const base = loadConfig(TEST_CONFIG_FILE);
    const config = {
      ...base,
      communities: base.communities.filter((community) => community.groupId !== DEMO_GROUP_ID),
    };
    const message = directAnswer('removed-twice', 7605);
    await storeInquiryOf(repository, message);
    // Both past the ledger before either records: each writes the same entry (same try, same instant).
    let waiting = 2;
    const held: (() => void)[] = [];
    const racingLedger = Object.assign(Object.create(ledger) as DynamoOutboxLedger, {
      getRecord: async (outboxId: string) => {
        const record = await ledger.getRecord(outboxId);
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (--waiting === 0) for (const release of held.splice(0)) release();
        });
        return record;
      },
    });
    const instant = new Date();
    const deliver = standInDeliverer({ config, ledger: racingLedger, clock: { now: () => instant } });
    const results = await Promise.all([deliver(message, 1), deliver(message, 1)]);
    expect(results.map((result) => result.outcome.kind).sort()).toEqual(['duplicate', 'undeliverable']);
    expect((await deliveries(message.inquiryId)).map((entry) => entry.detail.result)).toEqual([
      'undeliverable',
    ]);
  });

  it('records a refusal on the inquiry when the responder stopped after recording it in the ledger', async () => {
    vk.denyMessagesFrom(7602);
    const id = await openInquiry(7602);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7602');
    if (!message) throw new Error('no answer queued');
    // As if a first receive had recorded the refusal, then stopped before the inquiry was written.
    await ledger.putRecord({
      id: message.id,
      inquiryId: id,
      status: 'undeliverable',
      at: new Date().toISOString(),
      attempts: 1,
      method: 'messages.send',
      reason: "VK error 901: Can't send messages for users without permission",
    });
    expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);
    expect(vk.calls.filter((call) => call.params.peer_id === '7602')).toHaveLength(0);
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { outboxId: message.id },
    });
  });

  it('reads what an acknowledgement depends on in one call: its record and its inquiry', async () => {
    const id = await openInquiry(7606);
    const acknowledgement = directAnswer('ack-7606', 7606, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      text: 'Здравствуйте! Ваше обращение зарегистрировано.',
      requestedBy: 'router',
    });
    const event = await fromTheQueue(acknowledgement);
    handlerCalls.length = 0;
    expect((await responder(event, context)).batchItemFailures).toEqual([]);
    // Then, after its writes, the inquiry once more: not deleted meanwhile, so they are not left behind.
    expect(handlerCalls.filter((name) => /^(Batch)?GetItem/.test(name))).toEqual([
      'BatchGetItemCommand',
      'GetItemCommand',
    ]);
    expect(handlerCalls.indexOf('GetItemCommand')).toBeGreaterThan(
      handlerCalls.lastIndexOf('PutItemCommand'),
    );
    expect(vk.delivered.filter((call) => call.params.peer_id === '7606')).toHaveLength(1);
    expect(await ledger.getRecord(acknowledgement.id)).toMatchObject({ status: 'delivered' });
  });

  it('counts words it does not send as neither delivered nor undeliverable', async () => {
    const counted: [string, Record<string, string>][] = [];
    const deliver = standInDeliverer({
      metrics: { count: (name, dimensions) => void counted.push([name, dimensions]) },
    });
    const id = await openInquiry(7402);
    await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7402');
    const acknowledgement = directAnswer('ack-7402', 7402, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      text: 'Здравствуйте! Ваше обращение зарегистрировано.',
      requestedBy: 'router',
    });
    expect(await deliver(acknowledgement, 1)).toMatchObject({ done: true, outcome: { kind: 'skipped' } });
    expect(counted).toEqual([]);
  });

  it('does not send an acknowledgement or intermediate answer that comes after the answer', async () => {
    const id = await openInquiry(7603);
    // VK was down while the operator worked: the acknowledgement and the intermediate answer waited.
    const intermediate = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7603');
    const answered = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7603');
    const acknowledgement = directAnswer('ack-7603', 7603, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      text: 'Здравствуйте! Ваше обращение зарегистрировано. Ответ будет дан до 3 марта в 14:00.',
      requestedBy: 'router',
    });
    for (const message of [acknowledgement, intermediate.message, answered.message] as OutboxMessage[])
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);

    expect(vk.delivered.filter((call) => call.params.peer_id === '7603')).toEqual([
      expect.objectContaining({
        params: expect.objectContaining({ message: toCitizen('Контейнеры вывезены.') }),
      }),
    ]);
    for (const skipped of [acknowledgement, intermediate.message] as OutboxMessage[]) {
      expect(await ledger.getRecord(skipped.id)).toMatchObject({
        status: 'skipped',
        reason: expect.stringContaining('the inquiry was already answered'),
      });
    }
    // What became of each (a call the stand-in left unanswered on a loaded machine is tried again within the
    // invocation, after a `retry` entry: not what this test is about).
    const outcomes = (await deliveries(id))
      .filter((entry) => entry.detail.result !== 'retry')
      .map((entry) => [entry.detail.purpose, entry.detail.result]);
    expect(outcomes.sort()).toEqual([
      ['acknowledgement', 'skipped'],
      ['answer', 'delivered'],
      ['intermediate_answer', 'skipped'],
    ]);
    expect((await repository.getInquiry(id))?.status).toBe('answered');
  });

  it('sends an acknowledgement the intermediate answer overtook without the time it promises, naming the case', async () => {
    // The operator's words go through the answers queue, the acknowledgement waits behind a burst on the
    // outbox: the intermediate answer reaches the citizen first.
    const id = await openInquiry(7620);
    const intermediate = await act(intermediateAnswer, id, { text: 'Передали подрядчику.' }, 'working-7620');
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    const acknowledgement = directAnswer('ack-7620', 7620, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      text: 'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000077. Ответ будет дан до 3 марта в 14:00.',
      dueAt,
      textOnceDue: 'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000077.',
      requestedBy: 'router',
    });
    for (const message of [intermediate.message, acknowledgement] as OutboxMessage[])
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);

    expect(
      vk.delivered.filter((call) => call.params.peer_id === '7620').map((call) => call.params.message),
    ).toEqual([
      toCitizen('Передали подрядчику.'),
      'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000077.',
    ]);
    // Under its own id: sent once, whatever the queues repeat.
    expect(await ledger.getRecord(acknowledgement.id)).toMatchObject({ status: 'delivered' });
    expect(
      vk.delivered.find(
        (call) => call.params.peer_id === '7620' && call.params.message?.startsWith('Здравствуйте!'),
      )?.params.random_id,
    ).toBe(String(randomIdFor(acknowledgement.id)));
  });

  it('sends an acknowledgement that waited past the time it promises without that time, or not at all when it says nothing else', async () => {
    // VK was down for hours: both acknowledgements were queued before their deadline and reach VK after it.
    const promised =
      'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000042. Ответ будет дан до 2 марта в 14:00.';
    const withWords = await openInquiry(7608);
    const onlyWhen = await openInquiry(7609);
    const late = (id: string, peer: number, textOnceDue?: string) =>
      directAnswer(`ack-${peer}`, peer, {
        id: outboxIdFor(id, 'acknowledgement', 'routed'),
        inquiryId: id,
        purpose: 'acknowledgement',
        text: promised,
        dueAt: '2026-03-02T09:00:00.000Z',
        ...(textOnceDue && { textOnceDue }),
        requestedAt: '2026-03-02T06:00:00.000Z',
        requestedBy: 'router',
      });
    const words = 'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000042.';
    for (const message of [late(withWords, 7608, words), late(onlyWhen, 7609)])
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);

    expect(
      vk.delivered.filter((call) => call.params.peer_id === '7608').map((call) => call.params.message),
    ).toEqual([words]);
    expect((await deliveries(withWords))[0]?.detail).toMatchObject({ result: 'delivered', text: words });
    expect(vk.calls.filter((call) => call.params.peer_id === '7609')).toEqual([]);
    expect(await ledger.getRecord(outboxIdFor(onlyWhen, 'acknowledgement', 'routed'))).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('deadline has passed'),
    });
  });

  it('sends an acknowledgement an earlier release queued without its time, once that time has passed, without it', async () => {
    // Routed by a release whose acknowledgements did not carry the time they promise: VK was down, and the
    // acknowledgement waited across the upgrade, its deadline gone. A fixed working Monday, not "days ago": the
    // deadline counts working hours, and the New Year holidays are longer than a week.
    const routedAt = new Date('2026-03-02T04:00:00.000Z');
    const router = createMessageRouter({
      config: api.config,
      inquiries: repository,
      clock: { now: () => routedAt },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const message = {
      peerId: 7640,
      eventKey: 'answered-7640',
      text: 'Не вывозят мусор',
      category: 'waste',
    } as const;
    const { inquiryId: id } = await router.routeCitizenMessage(
      classifiedDirectMessage({ ...message, at: routedAt.toISOString() }),
    );
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not routed');
    expect(Date.parse(inquiry.firstResponseDueAt ?? '')).toBeLessThan(Date.now());
    const promised = acknowledgementOf(inquiry, api.config, routedAt);
    if (!promised) throw new Error('no acknowledgement');
    // What the earlier release queued: the same words, without the time they promise or the words for then.
    const { dueAt, textOnceDue, ...asQueuedBefore } = promised;
    expect(dueAt).toBe(inquiry.firstResponseDueAt);
    expect(asQueuedBefore.text).toMatch(/Мы ответим Вам до/);
    expect((await responder(await fromTheQueue(asQueuedBefore), context)).batchItemFailures).toEqual([]);
    const words = `Здравствуйте! Ваше обращение зарегистрировано под номером ${inquiry.caseNumber}. Его рассматривает Департамент ЖКХ.`;
    expect(
      vk.delivered.filter((call) => call.params.peer_id === '7640').map((call) => call.params.message),
    ).toEqual([words]);
    expect((await deliveries(id))[0]?.detail).toMatchObject({ result: 'delivered', text: words });
  });

  it('does not send an intermediate answer that comes after an answer the citizen refused either', async () => {
    vk.denyMessagesFrom(7605);
    const id = await openInquiry(7605);
    const intermediate = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7605');
    const answered = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7605');
    // The answer is refused first: the inquiry is back in work, flagged; then the intermediate answer comes.
    for (const message of [answered.message, intermediate.message] as OutboxMessage[])
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);
    expect(await ledger.getRecord((intermediate.message as OutboxMessage).id)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('the inquiry was already answered'),
    });
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { purpose: 'answer' },
    });
  });

  it('sends an intermediate answer queued before the inquiry was closed without an answer', async () => {
    const id = await openInquiry(7626);
    // VK failed while the operator worked: the intermediate answer waited, and the inquiry was closed meanwhile.
    const intermediate = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7626');
    await act(closeInquiry, id, { reason: 'resolved by phone' }, 'close-7626');
    const acknowledgement = directAnswer('ack-7626', 7626, {
      id: outboxIdFor(id, 'acknowledgement', 'routed'),
      inquiryId: id,
      purpose: 'acknowledgement',
      text: 'Здравствуйте! Ваше обращение зарегистрировано. Ответ будет дан до 3 марта в 14:00.',
      requestedBy: 'router',
    });
    for (const message of [acknowledgement, intermediate.message] as OutboxMessage[])
      expect((await responder(await fromTheQueue(message), context)).batchItemFailures).toEqual([]);

    // The operator's words reach the citizen; the product's own acknowledgement does not, the case closed.
    expect(vk.delivered.filter((call) => call.params.peer_id === '7626')).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ message: toCitizen('Работаем.') }) }),
    ]);
    expect(await ledger.getRecord((intermediate.message as OutboxMessage).id)).toMatchObject({
      status: 'delivered',
    });
    expect(await ledger.getRecord(acknowledgement.id)).toMatchObject({ status: 'skipped' });
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'closed' });
  });

  it('still skips an intermediate answer once the inquiry was answered and then closed', async () => {
    const id = await openInquiry(7627);
    const intermediate = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7627');
    const answered = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7627');
    expect(
      (await responder(await fromTheQueue(answered.message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    await act(closeInquiry, id, { reason: 'done' }, 'close-7627');
    expect(
      (await responder(await fromTheQueue(intermediate.message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    expect(await ledger.getRecord((intermediate.message as OutboxMessage).id)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('the inquiry was already closed'),
    });
    expect(vk.delivered.filter((call) => call.params.peer_id === '7627')).toHaveLength(1);
  });

  it('puts an inquiry closed without an answer back in work when VK refuses the words that were its first response', async () => {
    vk.denyMessagesFrom(7628);
    const id = await openInquiry(7628);
    const intermediate = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7628');
    await act(closeInquiry, id, { reason: 'resolved by phone' }, 'close-7628');
    expect(
      (await responder(await fromTheQueue(intermediate.message as OutboxMessage), context)).batchItemFailures,
    ).toEqual([]);
    expect(await ledger.getRecord((intermediate.message as OutboxMessage).id)).toMatchObject({
      status: 'undeliverable',
    });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: 'in_progress', undelivered: { purpose: 'intermediate_answer' } });
    expect(inquiry?.firstRespondedAt).toBeUndefined();
    expect(inquiry?.closedAt).toBeUndefined();
  });
});

describe('the responder and a citizen who forbade the community’s messages (message_deny)', () => {
  const config = loadConfig(TEST_CONFIG_FILE);
  /** The acknowledgements the router queued, handed to the responder through the real queue by each test. */
  const acknowledgements: OutboxMessage[] = [];
  let router: ReturnType<typeof createMessageRouter>;

  beforeAll(() => {
    router = createMessageRouter({
      config,
      inquiries: repository,
      clock: systemClock,
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
      acknowledge: createAcknowledger({
        config,
        outbox: { send: async (message) => void acknowledgements.push(message) },
        clock: systemClock,
      }),
    });
  });

  /**
   * The citizen's message_deny, received `minutesAgo` minutes ago, as releases up to 13d2507 recorded it:
   * what a deployed table may still hold (this release records none).
   */
  const deny = (userId: number, minutesAgo: number) =>
    putLegacyPermission(documentClient(), aws.tableName, {
      groupId: DEMO_GROUP_ID,
      userId,
      allowed: false,
      at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    });

  /** The acknowledgement the router queued for the citizen's direct message, written now. */
  async function acknowledgementOfNewMessage(peerId: number): Promise<OutboxMessage> {
    const before = acknowledgements.length;
    const classified = classifiedDirectMessage({
      peerId,
      eventKey: `denied-then-wrote-${peerId}`,
      text: 'Не вывозят мусор во дворе',
      category: 'waste',
      at: new Date().toISOString(),
    });
    expect((await router.routeCitizenMessage(classified)).acknowledgement).toBe('queued');
    const [acknowledgement] = acknowledgements.slice(before);
    if (!acknowledgement) throw new Error('the router queued no acknowledgement');
    return acknowledgement;
  }

  it('acknowledges an inquiry the citizen wrote after forbidding messages: VK, not the old deny, decides', async () => {
    await deny(7950, 60);
    // VK sends no message_allow for a message that is not the citizen's first, and takes the reply.
    const acknowledgement = await acknowledgementOfNewMessage(7950);
    expect((await responder(await fromTheQueue(acknowledgement), context)).batchItemFailures).toEqual([]);
    expect(vk.delivered.filter((call) => call.params.peer_id === '7950')).toEqual([
      expect.objectContaining({ method: 'messages.send' }),
    ]);
    expect(await ledger.getRecord(acknowledgement.id)).toMatchObject({
      status: 'delivered',
      method: 'messages.send',
    });
  });

  it('records a reply to a citizen who forbade messages and wrote nothing since undeliverable after one refused call', async () => {
    await deny(7951, 60);
    vk.denyMessagesFrom(7951);
    const message = directAnswer('deny-event', 7951);
    const event = await fromTheQueue(message);
    // The same queue message twice (SQS delivers at least once): VK is not asked again.
    expect((await responder(event, context)).batchItemFailures).toEqual([]);
    expect((await responder(event, context)).batchItemFailures).toEqual([]);
    expect(vk.calls.filter((call) => call.params.peer_id === '7951')).toHaveLength(1);
    expect(await ledger.getRecord(message.id)).toMatchObject({
      status: 'undeliverable',
      attempts: 1,
      reason: expect.stringMatching(/^VK error 901: /),
    });
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ result: 'undeliverable', vkError: 901 }) }),
    ]);
  });
});
