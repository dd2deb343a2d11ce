import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';

/**
 * Messages the classifier takes for no inquiry ("Спасибо большое!"), through the operator API's handler
 * against dynalite and fauxqs: put into work (or answered) by an operator.
 */

const ADMIN = 'local-admin-token-change-me';

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
/** The rejected messages arrived three days ago. */
const arrived = new Date(Date.now() - 3 * 86_400_000).toISOString();

async function open(eventKey: string, peerId: number, text: string, category: Category) {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(arrived) },
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
  });
  const message = classifiedDirectMessage({ peerId, eventKey, text, category, at: arrived });
  await router.routeCitizenMessage({
    ...message,
    classification: { ...message.classification, inquiry: false },
  });
}

const idOf = (name: string) => `inq-${name}`;
const queued = async () =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url)).map((body) => JSON.parse(body) as OutboxMessage);

beforeAll(async () => {
  aws = await startTestAws();
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  call = await localOperatorApi();
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  // Sequential: dynalite has lost concurrent writes to one partition.
  await open('misread', 9501, 'Спасибо, но мусор так и не вывезли', 'other');
  await open('greeting', 9502, 'Добрый день!', 'other');
});
afterAll(() => aws?.stop());
beforeEach(async () => {
  await drainQueue(aws.sqs, aws.queues.outbox.url);
});

describe('a message taken for no inquiry', () => {
  it('moved by an operator becomes an inquiry: routed, its clock from the move, acknowledged once', async () => {
    const id = idOf('misread');
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'rejected' });
    const before = new Date().toISOString();
    const move = () =>
      call(
        'POST',
        `/api/v1/inquiries/${id}/move`,
        ADMIN,
        { department: 'housing', category: 'waste', reason: 'жалоба, а не благодарность' },
        { 'idempotency-key': 'route-misread' },
      );
    const moved = await move();
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      status: 'routed',
      department: 'housing',
      category: 'waste',
      clock: { kind: 'first_response', cycle: 1 },
    });
    // From the move: a deadline from its arrival three days ago would have been past already.
    expect(moved.body.clock.startedAt >= before).toBe(true);
    expect(moved.body.firstResponseDueAt > before).toBe(true);
    const acknowledgements = await queued();
    expect(acknowledgements).toEqual([
      expect.objectContaining({
        id: `${id}:acknowledgement:routed`,
        purpose: 'acknowledgement',
        replyTo: { channel: 'direct_message', peerId: 9501 },
        requestedBy: 'local-admin',
      }),
    ]);
    expect(acknowledgements[0]?.text).toContain('Департамент ЖКХ');

    // Repeated (its answer lost): nothing changes twice; the acknowledgement is queued again under its one id.
    expect((await move()).body).toMatchObject({ status: 'routed', version: moved.body.version });
    expect((await queued()).map((message) => message.id)).toEqual([`${id}:acknowledgement:routed`]);

    const detail = await call('GET', `/api/v1/inquiries/${id}`, 'local-housing-token-change-me');
    expect(detail.body.history.filter((entry: { kind: string }) => entry.kind === 'routed')).toEqual([
      expect.objectContaining({
        actor: 'operator',
        actorId: 'local-admin',
        from: 'rejected',
        to: 'routed',
        reason: 'жалоба, а не благодарность',
      }),
    ]);
  });

  it('may be answered and stays rejected; it is not taken, answered in between or closed', async () => {
    const id = idOf('greeting');
    const replied = await call('POST', `/api/v1/inquiries/${id}/reply`, ADMIN, {
      text: 'Здравствуйте! Чем можем помочь?',
    });
    expect(replied.body).toMatchObject({ status: 'rejected' });
    expect(await queued()).toEqual([
      expect.objectContaining({ purpose: 'answer', replyTo: { channel: 'direct_message', peerId: 9502 } }),
    ]);
    const bodies = {
      take: undefined,
      'intermediate-answer': { text: 'Работаем' },
      close: { reason: 'спам' },
    };
    for (const [path, body] of Object.entries(bodies))
      expect((await call('POST', `/api/v1/inquiries/${id}/${path}`, ADMIN, body)).status, path).toBe(409);
  });
});
