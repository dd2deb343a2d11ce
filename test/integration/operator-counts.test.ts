import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import type { ApiRequest, OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { reopenInquiry } from '../../lambdas/operator-api/use-cases/reopen-inquiry.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { countsBesidesCalendar } from '../support/counted.js';
import { openInquiry as openInquiryAs } from '../support/inquiries.js';
import { operatorApiDepsOn } from '../support/operator-api.js';
import { deliverer } from '../support/responder.js';

/**
 * What an operator's change did, counted as the router counts the same effects (effect-counts.ts): a first
 * response in time or late, a reopening, a rejected message routed into work. The use cases against dynalite
 * and fauxqs, their counts recorded in memory.
 */

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let deps: OperatorApiDeps;
let repository: DynamoInquiryRepository;
let metrics: ReturnType<typeof recordingMetrics>;
const config = readConfigFile('config/local.json');
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const head: Operator = { id: 'sub-head', name: 'Ольга Сидорова', admin: true, departments: [] };

const request = <Body>(operator: Operator, id: string, body: Body, key: string): ApiRequest<Body> => ({
  operator,
  params: { id },
  query: {},
  body,
  idempotencyKey: key,
});

let opened = 0;
const openInquiry = (notAnInquiry = false) => {
  opened++;
  return openInquiryAs(
    { config, inquiries: repository },
    {
      peerId: 8000 + opened,
      eventKey: `counted-${opened}`,
      text: notAnInquiry ? 'Спасибо!' : 'Не вывозят мусор во дворе',
      category: 'waste',
      notAnInquiry,
    },
  );
};
const departmentOf = async (id: string) => (await repository.getInquiry(id))?.department;

beforeAll(async () => {
  aws = await startTestAws();
  ({ documents, repository, deps } = operatorApiDepsOn(aws, config));
});
afterAll(() => aws?.stop());
beforeEach(async () => {
  metrics = recordingMetrics();
  deps = { ...deps, metrics };
  await drainQueue(aws.sqs, aws.queues.outbox.url);
});

describe("an operator's change counted", () => {
  it('counts the answer as a first response in time, in its department, once however often it is sent', async () => {
    const id = await openInquiry();
    const department = await departmentOf(id);
    expect(department).toBe('housing');
    for (let attempt = 0; attempt < 2; attempt++) {
      const answered = await reply(request(anna, id, { text: 'Вывезли утром' }, 'answer-once'), deps);
      expect(answered.status).toBe(200);
    }
    expect(countsBesidesCalendar(metrics.counts)).toEqual([
      { name: 'FirstResponsesInTime', dimensions: { department } },
    ]);
  });

  it('counts a first response past its deadline as late, and the answer after it as none', async () => {
    const id = await openInquiry();
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 30 * 24 * 3600_000) } };
    expect((await intermediateAnswer(request(anna, id, { text: 'Работаем' }, 'late-1'), later)).status).toBe(
      200,
    );
    expect((await reply(request(anna, id, { text: 'Вывезли' }, 'late-2'), later)).status).toBe(200);
    expect(countsBesidesCalendar(metrics.counts)).toEqual([
      { name: 'FirstResponsesLate', dimensions: { department: await departmentOf(id) } },
    ]);
  });

  it('counts a first response once, when VK refuses the answer that gave it and the inquiry is closed later', async () => {
    const id = await openInquiry();
    const sent: OutboxMessage[] = [];
    const queued = { ...deps, outbox: { send: async (message: OutboxMessage) => void sent.push(message) } };
    expect((await reply(request(anna, id, { text: 'Вывезли' }, 'refused-1'), queued)).status).toBe(200);
    const [answer] = sent;
    if (!answer) throw new Error('no answer queued');
    // The responder: VK refuses it for good, the citizen forbade messages.
    const deliver = deliverer({
      config,
      documents,
      tableName: aws.tableName,
      vk: (method) =>
        Promise.reject(new VkApiError(method, 901, "Can't send messages for users without permission")),
      now: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await deliver(answer, 1)).outcome).toMatchObject({ kind: 'undeliverable', code: 901 });
    // A month later the department phones the citizen and closes it: the same cycle, its response counted.
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 30 * 24 * 3600_000) } };
    const closed = await closeInquiry(
      request(anna, id, { reason: 'ответили по телефону' }, 'refused-2'),
      later,
    );
    expect(closed.status).toBe(200);
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'closed', firstResponseLate: true });
    expect(countsBesidesCalendar(metrics.counts)).toEqual([
      { name: 'FirstResponsesInTime', dimensions: { department: await departmentOf(id) } },
    ]);
  });

  it('counts an inquiry the operator reopens', async () => {
    const id = await openInquiry();
    await reply(request(anna, id, { text: 'Вывезли' }, 'reopen-1'), deps);
    metrics.counts.length = 0;
    const reopened = await reopenInquiry(request(anna, id, { reason: 'не вывезли' }, 'reopen-2'), deps);
    expect(reopened.status).toBe(200);
    expect(countsBesidesCalendar(metrics.counts)).toEqual([
      { name: 'InquiriesReopened', dimensions: { department: await departmentOf(id) } },
    ]);
  });

  it('counts a rejected message the operator routes into work, in the department it goes to', async () => {
    const id = await openInquiry(true);
    const routed = await moveInquiry(
      request(head, id, { reason: 'это обращение', department: 'roads' }, 'route-1'),
      deps,
    );
    expect(routed.status).toBe(200);
    expect(countsBesidesCalendar(metrics.counts)).toEqual([
      { name: 'InquiriesRouted', dimensions: { department: 'roads' } },
    ]);
  });
});
