import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { VkCaller } from '../../lambdas/domain/outbox/ports.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { RESPONDER_QUEUE } from '../../lib/resources.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';

/**
 * Words kept in the dead letters, replayed by ops and refused by VK for good, while the department deals with
 * them (closes the inquiry, gives other words): the responder read the inquiry flagged for them before it
 * called VK, and writes the refusal after.
 */
const TOKEN = 'test-community-token-123456789';
const operator: Operator = { id: 'sub-anna', name: 'Anna', admin: false, departments: ['housing'] };

let aws: TestAws;
let vk: VkStandIn;
let repository: DynamoInquiryRepository;
let ledger: DynamoOutboxLedger;
let api: OperatorApiDeps;
const queued: OutboxMessage[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN });
  await vk.start();
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  ledger = new DynamoOutboxLedger(documents, aws.tableName);
  api = {
    config: loadConfig(TEST_CONFIG_FILE),
    inquiries: repository,
    queries: undefined as unknown as OperatorApiDeps['queries'],
    outbox: { send: async (message) => void queued.push(message) },
    clock: { now: () => new Date() },
  };
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});

/** An operator's action through the operator API's use case; the message it queued, if any. */
async function act<Body>(useCase: UseCase<Body>, id: string, body: Body, key: string) {
  const request: ApiRequest<Body> = { operator, params: { id }, query: {}, body, idempotencyKey: key };
  const before = queued.length;
  const answer = await useCase(request, api);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { inquiry: answer.body as Inquiry, message: queued[before] as OutboxMessage };
}

const toVk: VkCaller = (token, method, params) =>
  new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params);

/** The responder's use case over the real table; `vk` stands between it and the stand-in. */
const responder = (call: VkCaller = toVk) =>
  createMessageDeliverer({
    config: api.config,
    ledger,
    inquiries: repository,
    tokens: { tokenFor: async () => TOKEN },
    vk: call,
    limiter: { acquire: async () => undefined },
    sleep: async () => undefined,
    clock: { now: () => new Date() },
    maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
  });

/** Words VK failed on every try of their last receive (error 10): flagged, kept in the dead letters. */
async function keptInDeadLetters(message: OutboxMessage) {
  vk.failNext(10, 3, ['messages.send']);
  await responder()(message, RESPONDER_QUEUE.maxReceiveCount);
  expect(await repository.getInquiry(message.inquiryId)).toMatchObject({
    undelivered: { outboxId: message.id },
  });
}

/** A VK call that lets `meanwhile` happen first: after the responder read the inquiry, before it writes. */
const withMeanwhile =
  (meanwhile: () => Promise<unknown>): VkCaller =>
  async (token, method, params) => {
    await meanwhile();
    return toVk(token, method, params);
  };

const open = (peerId: number) =>
  openInquiry(
    { config: api.config, inquiries: repository },
    { peerId, eventKey: `race-${peerId}`, text: 'Не вывозят мусор во дворе', category: 'waste' },
  );

describe('a refusal of words replayed from the dead letters, while the department deals with them', () => {
  it('leaves an inquiry closed during the replay closed and unflagged', async () => {
    const id = await open(7701);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7701');
    await keptInDeadLetters(message);
    vk.denyMessagesFrom(7701);

    const result = await responder(
      withMeanwhile(() => act(closeInquiry, id, { reason: 'answered by phone' }, 'close-7701')),
    )(message, 1);

    expect(result).toMatchObject({ done: true, outcome: { kind: 'undeliverable' }, inquiry: 'refused' });
    expect(await ledger.getRecord(message.id)).toMatchObject({ status: 'undeliverable' });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(inquiry?.undelivered).toBeUndefined();
  });

  it('leaves the first response an intermediate answer given during the replay of another gave', async () => {
    const id = await open(7702);
    const { message } = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7702');
    await keptInDeadLetters(message);
    const flagged = await repository.getInquiry(id);
    expect(flagged?.firstRespondedAt).toBeUndefined();
    vk.denyMessagesFrom(7702);

    let given: Inquiry | undefined;
    const result = await responder(
      withMeanwhile(async () => {
        given = (await act(intermediateAnswer, id, { text: 'Передали подрядчику.' }, 'working-7702-2'))
          .inquiry;
      }),
    )(message, 1);

    expect(result).toMatchObject({ done: true, outcome: { kind: 'undeliverable' }, inquiry: 'refused' });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry?.undelivered).toBeUndefined();
    expect(inquiry?.firstRespondedAt).toBe(given?.firstRespondedAt);
    expect(inquiry?.version).toBe(given?.version);
  });

  it('tells the flag VK’s refusal when the replay read the inquiry flagged and nothing came between', async () => {
    const id = await open(7703);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7703');
    await keptInDeadLetters(message);
    vk.denyMessagesFrom(7703);

    const result = await responder()(message, 1);

    expect(result).toMatchObject({ done: true, inquiry: 'changed' });
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { outboxId: message.id, reason: expect.stringContaining('VK error 901') },
    });
  });
});
