import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCallbackConfig } from '../../lambdas/adapters/callback-config.js';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { environment } from '../../lambdas/adapters/environment.js';
import { createSecretStore } from '../../lambdas/adapters/secret-store.js';
import { SignedSqsMessageQueue } from '../../lambdas/adapters/sqs-signed-queue.js';
import { createCallbackAcceptor } from '../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../lambdas/ingest/http-handler.js';
import { INGEST } from '../../lib/resources.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, DEMO_CONFIRMATION, DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';

let aws: TestAws;
let handler: (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string }>;
const context = {
  functionName: 'ingest',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 5000,
} as Context;

const request = (body: unknown, method = 'POST'): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'ANY /vk/callback',
    rawPath: '/vk/callback',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method, path: '/vk/callback' } },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

beforeAll(async () => {
  aws = await startTestAws();
  handler = (await import('../../lambdas/ingest/handler.js')).handler as unknown as typeof handler;
});
afterAll(() => aws?.stop());

describe('ingest handler, against fauxqs', () => {
  it('answers exactly "ok" as text/plain and the event is in the events queue, without its secret', async () => {
    const response = await handler(request(callbackBody('03_message_new__vknet.json')), context);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('ok');
    expect(response.headers?.['content-type']).toMatch(/^text\/plain/);
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0] as string)).toMatchObject({
      groupId: DEMO_GROUP_ID,
      type: 'message_new',
      event: { type: 'message_new' },
    });
    expect(queued[0]).not.toContain(DEMO_SECRET);
  });

  it('queues a message with emoji and characters SQS refuses as they are, and the queued event reads back as the same text', async () => {
    const text = 'Спасибо 👍🏻 за ответ, но фонарь так и не горит 😡\uFFFF';
    const body = callbackBody('03_message_new__vknet.json', { event_id: 'emoji-text' });
    const { message } = body.object as { message: Record<string, unknown> };
    const response = await handler(
      request({ ...body, object: { ...(body.object as object), message: { ...message, text } } }),
      context,
    );
    expect(response).toMatchObject({ statusCode: 200, body: 'ok' });
    const [queued] = await drainQueue(aws.sqs, aws.queues.events.url);
    const { event } = JSON.parse(queued ?? '{}') as { event: { object: { message: { text: string } } } };
    expect(event.object.message.text).toBe(text);
  });

  it('answers confirmation with the code alone', async () => {
    const response = await handler(
      request({ type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET }),
      context,
    );
    expect(response).toMatchObject({ statusCode: 200, body: DEMO_CONFIRMATION });
    expect(await drainQueue(aws.sqs, aws.queues.events.url)).toHaveLength(0);
  });

  it('refuses a wrong secret with 403 and queues nothing', async () => {
    const response = await handler(
      request({ ...callbackBody('03_message_new__vknet.json'), secret: 'guess' }),
      context,
    );
    expect(response.statusCode).toBe(403);
    expect(await drainQueue(aws.sqs, aws.queues.events.url)).toHaveLength(0);
  });

  it('answers 503 with Retry-After while SQS is down, and takes the retried event once it is back', async () => {
    await aws.emulators.stopSqs();
    const down = await handler(
      request(callbackBody('03_message_new__vknet.json', { event_id: 'while-down' })),
      context,
    );
    expect(down.statusCode).toBe(503);
    expect(Number(down.headers?.['retry-after'])).toBeGreaterThan(0);

    await aws.emulators.restartSqs();
    const { createQueues, localSqsClient } = await import('../../local/emulators.js');
    await createQueues(localSqsClient(aws.emulators.sqsEndpoint), 'test');
    const retried = await handler(
      request(callbackBody('03_message_new__vknet.json', { event_id: 'while-down' })),
      context,
    );
    expect(retried).toMatchObject({ statusCode: 200, body: 'ok' });
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(queued.map((body) => JSON.parse(body).eventKey)).toEqual(['e:while-down']);
  });

  it('answers a series of events 503 while SQS is down, and every retried one arrives once it is back', async () => {
    const keys = ['down-1', 'down-2', 'down-3', 'down-4', 'down-5'];
    const body = (key: string) => callbackBody('03_message_new__vknet.json', { event_id: key });
    await aws.emulators.stopSqs();
    for (const key of keys) {
      const down = await handler(request(body(key)), context);
      expect(down.statusCode).toBe(503);
      expect(down.headers?.['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(down.body).toBe('unavailable');
    }

    await aws.emulators.restartSqs();
    const { createQueues, localSqsClient } = await import('../../local/emulators.js');
    await createQueues(localSqsClient(aws.emulators.sqsEndpoint), 'test');
    // VK retries each one, the X-Retry-Counter header telling how many attempts failed.
    for (const key of keys) {
      const retry = { ...request(body(key)), headers: { 'x-retry-counter': '1' } };
      expect(await handler(retry, context)).toMatchObject({ statusCode: 200, body: 'ok' });
    }
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(queued.map((queuedBody) => JSON.parse(queuedBody).eventKey).sort()).toEqual(
      keys.map((key) => `e:${key}`),
    );
  });
});

describe("ingest's refusal log lines, against fauxqs", () => {
  /** Ingest as handler.ts builds it, sending to `queueUrl` (at `endpoint`), with what it logs kept. */
  function ingestSendingTo(queueUrl: string, endpoint = environment.sqsEndpoint()) {
    const lines: Record<string, unknown>[] = [];
    const logger = new Logger({ serviceName: 'ingest', logLevel: 'INFO' });
    const write = (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>);
    Object.assign(logger, { console: { info: write, warn: write, error: write, debug: write, log: write } });
    const ingest = createIngestHandler(
      createCallbackAcceptor({
        config: loadCallbackConfig(),
        secrets: createSecretStore(),
        queue: new SignedSqsMessageQueue({
          queueUrl,
          region: environment.awsRegion(),
          endpoint,
          credentials: environment.awsCredentials,
        }),
        clock: systemClock,
      }),
      () => logger,
    ) as unknown as typeof handler;
    return { ingest, lines };
  }

  it("name SQS's error, the event's type and its event key, never the body or the error's message", async () => {
    const { ingest, lines } = ingestSendingTo(`${aws.queues.events.url}-missing`);
    const text = 'Во дворе дома 12 не горит фонарь';
    const fixture = callbackBody('03_message_new__vknet.json', { event_id: 'no-queue' });
    const { message } = fixture.object as { message: Record<string, unknown> };
    const body = { ...fixture, object: { ...(fixture.object as object), message: { ...message, text } } };
    expect((await ingest(request(body), context)).statusCode).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'callback not accepted',
      status: 503,
      reason: 'queue unavailable',
      groupId: DEMO_GROUP_ID,
      type: 'message_new',
      eventKey: 'e:no-queue',
      error: { name: 'SqsSendError', code: 'QueueDoesNotExist', status: 400 },
    });
    expect(JSON.stringify(lines)).not.toContain('фонарь');
    expect(JSON.stringify(lines)).not.toContain(DEMO_SECRET);
    expect(JSON.stringify(lines)).not.toMatch(/SQS refused|does not exist/i);
  });

  it('name the network error while SQS cannot be reached', async () => {
    const { ingest, lines } = ingestSendingTo(aws.queues.events.url);
    await aws.emulators.stopSqs();
    try {
      const body = callbackBody('03_message_new__vknet.json', { event_id: 'sqs-down' });
      expect((await ingest(request(body), context)).statusCode).toBe(503);
    } finally {
      await aws.emulators.restartSqs();
      const { createQueues, localSqsClient } = await import('../../local/emulators.js');
      await createQueues(localSqsClient(aws.emulators.sqsEndpoint), 'test');
    }
    expect(lines[0]).toMatchObject({
      reason: 'queue unavailable',
      eventKey: 'e:sqs-down',
      error: { name: 'SqsSendError', code: 'ECONNREFUSED' },
    });
  });

  it('answer 503 and log it within the time Lambda leaves, when SQS does not answer', async () => {
    // SQS takes the connection and never answers.
    const requests: string[] = [];
    const silent = createServer((request) => requests.push(request.url ?? ''));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { ingest, lines } = ingestSendingTo(
      aws.queues.events.url,
      `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    );
    // Lambda leaves 800 ms: 300 for SQS, the rest to answer. Unbudgeted, it would wait 2 × 2 s for SQS.
    const remaining = [800, INGEST.answerReserveMs + 100];
    const short = {
      ...context,
      getRemainingTimeInMillis: () => remaining.shift() ?? INGEST.answerReserveMs,
    } as Context;
    try {
      const body = callbackBody('03_message_new__vknet.json', { event_id: 'sqs-silent' });
      const answer = await ingest(request(body), short);
      expect(answer).toMatchObject({ statusCode: 503, body: 'unavailable' });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    expect(requests).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'callback not accepted',
      reason: 'queue unavailable',
      eventKey: 'e:sqs-silent',
      error: { name: 'SqsSendError', code: 'TimeoutError' },
    });
  });
});
