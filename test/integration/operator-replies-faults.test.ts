import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { ApiRequest, OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { FollowUpFailed } from '../../lambdas/operator-api/change-inquiry.js';
import type { RepliesBody } from '../../lambdas/operator-api/contract/replies.js';
import { RepliesUnfinished, replyToMany } from '../../lambdas/operator-api/use-cases/reply-to-many.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import {
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  type Who,
} from '../support/operator-api.js';

/**
 * One answer to many inquiries when the table or the answers queue fails on one of them, or the time runs out:
 * the request answers 503 with its key, and repeated with it, answers the rest, none twice. The use case and the
 * handler against dynalite and fauxqs, one adapter's call made to fail.
 */

const localConfig = readConfigFile('config/local.json');
const olga: Who = { sub: 'sub-faults-olga', name: 'Ольга Смирнова', groups: ['dept-housing'] };
const operator: Operator = { id: olga.sub, name: olga.name ?? '', departments: ['housing'], admin: false };
const WORDS = 'Подача тепла восстановлена.';

let aws: TestAws;
let deps: OperatorApiDeps;
let repository: DynamoInquiryRepository;
let peer = 9500;

const opened = async (count: number) => {
  const ids: string[] = [];
  // One at a time: dynalite has lost concurrent writes.
  for (let n = 0; n < count; n++)
    ids.push(
      await openInquiry(
        { config: localConfig, inquiries: repository },
        { peerId: ++peer, eventKey: `faults-${peer}`, text: 'Нет отопления', category: 'housing' },
      ),
    );
  return ids;
};

const request = (inquiries: string[], repeatKey: string): ApiRequest<RepliesBody> => ({
  operator,
  params: {},
  query: {},
  body: { inquiries, text: WORDS },
  idempotencyKey: `${operator.id}:replies:${repeatKey}:whole-body`,
  repeatKey,
});

const queued = async (url = aws.queues.outbox.url) =>
  (await drainQueue(aws.sqs, url)).map((body) => JSON.parse(body) as OutboxMessage);

const repliesOf = async (id: string) =>
  (await repository.get(id))?.history.filter((entry) => entry.kind === 'reply') ?? [];

beforeAll(async () => {
  aws = await startTestAws();
  ({ deps, repository } = operatorApiDepsOn(aws, localConfig));
});
afterAll(() => aws?.stop());

describe('one answer to many inquiries, when something fails', () => {
  it('stops at a failure of the table, and repeated with its key, answers the rest and none twice', async () => {
    const ids = await opened(12);
    await queued();
    const failing = ids[5] ?? '';
    // The table fails reading one inquiry: a DynamoDB 500, a throttle the SDK's retries did not outlast.
    const read = repository.getInquiry.bind(repository);
    const getInquiry = vi.spyOn(repository, 'getInquiry').mockImplementation(async (id) => {
      if (id === failing) throw Object.assign(new Error('InternalServerError'), { $fault: 'server' });
      return read(id);
    });
    let thrown: unknown;
    try {
      await replyToMany(request(ids, 'heat-1'), deps);
    } catch (error) {
      thrown = error;
    } finally {
      getInquiry.mockRestore();
    }
    expect(thrown).toBeInstanceOf(RepliesUnfinished);
    expect(thrown).toMatchObject({ idempotencyKey: 'heat-1' });
    const first = await queued();
    // Those begun before it were answered; the one that failed and those after were not begun.
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(ids.length);
    expect(first.map((message) => message.inquiryId)).not.toContain(failing);

    const again = await replyToMany(request(ids, 'heat-1'), deps);
    expect(again.body).toMatchObject({ answered: 12, refused: 0 });
    const second = await queued();
    // Every inquiry's answer under one outbox id, each recorded once, whichever try made it.
    const outboxIds = new Set([...first, ...second].map((message) => message.id));
    expect(outboxIds.size).toBe(12);
    for (const id of ids) expect(await repliesOf(id)).toHaveLength(1);
  });

  it('stops when an answer saved could not be queued, and repeated with its key, queues it and the rest', async () => {
    const ids = await opened(6);
    await queued();
    let sends = 0;
    const queue = deps.outbox.send.bind(deps.outbox);
    const send = vi.spyOn(deps.outbox, 'send').mockImplementation(async (message) => {
      if (++sends === 2) throw new Error('SQS unavailable');
      return queue(message);
    });
    let thrown: unknown;
    try {
      await replyToMany(request(ids, 'heat-2'), deps);
    } catch (error) {
      thrown = error;
    } finally {
      send.mockRestore();
    }
    expect(thrown).toBeInstanceOf(RepliesUnfinished);
    expect((thrown as Error).cause).toBeInstanceOf(FollowUpFailed);
    const first = await queued();
    expect(first.length).toBeLessThan(ids.length);

    const again = await replyToMany(request(ids, 'heat-2'), deps);
    expect(again.body).toMatchObject({ answered: 6, refused: 0 });
    const all = [...first, ...(await queued())];
    // The answer saved but not queued is queued now, every inquiry has its one message.
    expect(new Set(all.map((message) => message.inquiryId))).toEqual(new Set(ids));
    expect(new Set(all.map((message) => message.id)).size).toBe(6);
    for (const id of ids) expect(await repliesOf(id)).toHaveLength(1);
  });

  it('begins no more once its time is out, and repeated with its key, answers the rest', async () => {
    const ids = await opened(20);
    await queued();
    // A clock that runs a second with every reading: the time runs out within the first replies.
    let tick = Date.now();
    const slow = {
      ...deps,
      clock: {
        now: () => {
          tick += 1000;
          return new Date(tick);
        },
      },
    };
    const unfinished = replyToMany(request(ids, 'heat-3'), slow);
    await expect(unfinished).rejects.toBeInstanceOf(RepliesUnfinished);
    await expect(unfinished).rejects.toMatchObject({
      idempotencyKey: 'heat-3',
      message: expect.stringMatching(/^the time ran out after \d+ of 20 inquiries$/),
    });
    const first = await queued();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(ids.length);
    const again = await replyToMany(request(ids, 'heat-3'), deps);
    expect(again.body).toMatchObject({ answered: 20, refused: 0 });
    expect(new Set([...first, ...(await queued())].map((message) => message.id)).size).toBe(20);
  });
});

describe('the handler, when the answers queue fails', () => {
  it('answers 503 with the key, and repeated with it, answers every inquiry once', async () => {
    process.env.ANSWERS_QUEUE_URL = `${aws.queues.answers.url}-replies-missing`;
    const api = await operatorApiWithClaims();
    const ids = await opened(3);
    const key = 'heat-handler';
    const first = await api(
      idTokenClaims(olga),
      'POST',
      '/api/v1/replies',
      { inquiries: ids, text: WORDS },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(503);
    expect(first.headers['idempotency-key']).toBe(key);
    expect(first.headers['retry-after']).toBe('5');
    expect(first.body).toMatchObject({ code: 'unavailable', idempotencyKey: key });
    expect(first.body.message).toMatch(/repeat the request with the Idempotency-Key/);

    const missing = process.env.ANSWERS_QUEUE_URL;
    await aws.sqs.send(new CreateQueueCommand({ QueueName: missing.split('/').at(-1) }));
    try {
      const again = await api(
        idTokenClaims(olga),
        'POST',
        '/api/v1/replies',
        { inquiries: ids, text: WORDS },
        { 'idempotency-key': key },
      );
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ answered: 3, refused: 0 });
      const sent = await queued(missing);
      expect(new Set(sent.map((message) => message.inquiryId))).toEqual(new Set(ids));
      expect(new Set(sent.map((message) => message.id)).size).toBe(3);
      for (const id of ids) expect(await repliesOf(id)).toHaveLength(1);
    } finally {
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: missing }));
    }
  });
});
