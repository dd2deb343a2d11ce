import { createServer, type Socket } from 'node:net';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { DeadlineDigest } from '../../lambdas/domain/ports.js';
import { OPERATOR_API_TIMEOUT_SECONDS } from '../../lambdas/operator-api/api.js';
import { ESCALATOR } from '../../lib/resources.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { localOperatorApi } from '../support/operator-api.js';

/**
 * SQS, DynamoDB or SNS taking the connection and never answering: a call fails in time for the function to
 * tell. The operator API answers before its function's timeout (10 s), so that a change saved whose message
 * was not queued is told as such (503, with the key to repeat it by), not lost in a timeout of the function.
 */
let aws: TestAws;
let repository: DynamoInquiryRepository;
const sockets: Socket[] = [];
/** Takes every connection, reads what comes, answers nothing. */
const unanswering = createServer((socket) => {
  sockets.push(socket);
  socket.resume();
});
let unansweringUrl: string;
const config = readConfigFile('config/local.json');
const TOKEN = 'local-housing-token-change-me';

beforeAll(async () => {
  aws = await startTestAws();
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  await new Promise<void>((resolve) => unanswering.listen(0, '127.0.0.1', resolve));
  unansweringUrl = `http://127.0.0.1:${(unanswering.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  unanswering.close();
  await aws?.stop();
});

/** The operator API's handler as loaded with `endpoints` set: its SDK clients are made with them. */
async function operatorApiWith(endpoints: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(endpoints).map((name) => [name, process.env[name]]));
  Object.assign(process.env, endpoints);
  vi.resetModules();
  const api = await localOperatorApi();
  return async (...request: Parameters<typeof api>) => {
    try {
      return await api(...request);
    } finally {
      Object.assign(process.env, saved);
    }
  };
}

/**
 * The request's answer, or `timed out` if it came too late: with less than 2 s of the function's timeout to
 * spare (what a slow cold start or a slow call before the hanging one may take).
 */
const withinTimeout = <T>(answer: Promise<T>) =>
  Promise.race([
    answer,
    new Promise<'timed out'>((resolve) =>
      setTimeout(() => resolve('timed out'), (OPERATOR_API_TIMEOUT_SECONDS - 2) * 1000),
    ),
  ]);

describe('the operator API', () => {
  it('answers 503 before its timeout when SQS never answers: the answer saved, its key given to repeat it by', async () => {
    const api = await operatorApiWith({ AWS_ENDPOINT_URL_SQS: unansweringUrl });
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8101, eventKey: 'unanswered-sqs', text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const answer = await withinTimeout(
      api(
        'POST',
        `/api/v1/inquiries/${id}/reply`,
        TOKEN,
        { text: 'Вывезли' },
        { 'idempotency-key': 'hang-1' },
      ),
    );
    expect(answer).toMatchObject({ status: 503, body: { code: 'unavailable', idempotencyKey: 'hang-1' } });
    expect((await repository.getInquiry(id))?.status).toBe('answered');
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
  }, 20_000);

  it('answers 500 before its timeout when DynamoDB never answers', async () => {
    const api = await operatorApiWith({ AWS_ENDPOINT_URL_DYNAMODB: unansweringUrl });
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8102, eventKey: 'unanswered-dynamodb', text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
    const answer = await withinTimeout(
      api(
        'POST',
        `/api/v1/inquiries/${id}/reply`,
        TOKEN,
        { text: 'Вывезли' },
        { 'idempotency-key': 'hang-2' },
      ),
    );
    expect(answer).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect((await repository.getInquiry(id))?.status).toBe('routed');
  }, 20_000);
});

describe("the escalator's notices", () => {
  it('fail in time for the run to go on when SNS never answers', async () => {
    vi.resetModules();
    const saved = process.env.AWS_ENDPOINT_URL_SNS;
    process.env.AWS_ENDPOINT_URL_SNS = unansweringUrl;
    try {
      const { snsNotifier } = await import('../../lambdas/adapters/notifier.js');
      const notifier = snsNotifier('arn:aws:sns:eu-central-1:000000000000:unanswered', undefined, 0);
      const digest: DeadlineDigest = {
        department: 'housing',
        departmentName: 'Департамент ЖКХ',
        recipients: ['housing@example.org'],
        critical: false,
        subject: 'Сроки обращений',
        text: 'Срок первого ответа прошёл: 1 обращение',
        notifications: [],
      };
      const started = Date.now();
      const outcome = await Promise.race([
        notifier.notify(digest).then(
          () => 'sent',
          (error: Error) => error.name,
        ),
        new Promise((resolve) =>
          setTimeout(() => resolve('still waiting'), ESCALATOR.stopBeforeTimeoutSeconds * 1000),
        ),
      ]);
      expect(outcome).toBe('TimeoutError');
      // A bound of the design, not a speed: the run keeps this long before its function's timeout.
      expect(Date.now() - started).toBeLessThan(ESCALATOR.stopBeforeTimeoutSeconds * 1000);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SNS;
      else process.env.AWS_ENDPOINT_URL_SNS = saved;
    }
    // Past that margin (30 s), so that a notice still waiting then is told by the race above, not cut short
    // by the test's own timeout.
  }, 45_000);
});
