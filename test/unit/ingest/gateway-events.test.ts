import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallbackAnswer, CallbackRequest } from '../../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../../lambdas/ingest/http-handler.js';
import { INGEST } from '../../../lib/resources.js';

const context = {
  functionName: 'ingest',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 5000,
} as Context;

function recordingHandler() {
  const requests: CallbackRequest[] = [];
  const budgets: CallbackRequest['budget'][] = [];
  const handler = createIngestHandler(
    async ({ budget, ...request }): Promise<CallbackAnswer> => {
      requests.push(request);
      budgets.push(budget);
      return request.method === 'POST'
        ? { status: 200, body: 'ok', outcome: 'accepted', groupId: 1 }
        : { status: 405, body: 'method not allowed', outcome: 'refused', reason: 'method not allowed' };
    },
    () => new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
  );
  return {
    handler: handler as unknown as (
      event: unknown,
      context: Context,
    ) => Promise<{ statusCode: number; body: string }>,
    requests,
    budgets,
  };
}

describe('ingest behind either kind of API Gateway', () => {
  it('reads a REST API proxy event (payload 1.0), as API Gateway sends it in AWS', async () => {
    const { handler, requests } = recordingHandler();
    const event = {
      httpMethod: 'POST',
      path: '/vk/callback',
      headers: { 'Content-Type': 'application/json', 'X-Retry-Counter': '2' },
      body: Buffer.from('{"type":"group_join"}').toString('base64'),
      isBase64Encoded: true,
      requestContext: {},
    } as unknown as APIGatewayProxyEvent;
    expect(await handler(event, context)).toMatchObject({ statusCode: 200, body: 'ok' });
    expect(requests).toEqual([{ method: 'POST', body: '{"type":"group_join"}' }]);
  });

  it('takes a null body of payload 1.0 as no body, and still refuses a GET', async () => {
    const { handler, requests } = recordingHandler();
    const event = { httpMethod: 'GET', headers: {}, body: null, isBase64Encoded: false, requestContext: {} };
    // HTTP asks a 405 to name the methods that are allowed (RFC 9110, 15.5.6).
    expect(await handler(event, context)).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
    expect(requests).toEqual([{ method: 'GET', body: undefined }]);
  });

  it('reads an HTTP API event (payload 2.0), as the local runtime sends it', async () => {
    const { handler, requests } = recordingHandler();
    const event = {
      version: '2.0',
      headers: { 'x-retry-counter': '1' },
      requestContext: { http: { method: 'POST' } },
      body: '{"type":"group_join"}',
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    expect(await handler(event, context)).toMatchObject({ statusCode: 200 });
    expect(requests).toEqual([{ method: 'POST', body: '{"type":"group_join"}' }]);
  });

  it('gives the acceptor the time Lambda leaves, less what answering and logging take, read when asked', async () => {
    const { handler, budgets } = recordingHandler();
    let remaining = 4000;
    const event = { httpMethod: 'POST', headers: {}, body: '{}', isBase64Encoded: false, requestContext: {} };
    await handler(event, { ...context, getRemainingTimeInMillis: () => remaining });
    expect(budgets[0]?.remainingMs()).toBe(4000 - INGEST.answerReserveMs);
    remaining = 1200;
    expect(budgets[0]?.remainingMs()).toBe(1200 - INGEST.answerReserveMs);
  });
});

/** Ingest's logger, its lines kept as the JSON records Powertools writes through its console. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({ serviceName: 'ingest', logLevel: 'INFO' });
  const write = (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>);
  Object.assign(logger, { console: { info: write, warn: write, error: write, debug: write, log: write } });
  return { logger, lines };
}

describe("ingest's log lines", () => {
  // Lambda says how the environment started; Powertools marks a cold start only for `on-demand`.
  beforeEach(() => vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'));
  afterEach(() => vi.unstubAllEnvs());

  it('carry the Lambda context of the invocation that writes them, the cold start once, and the reason of a refusal, never the body', async () => {
    const { logger, lines } = capturingLogger();
    const handler = createIngestHandler(
      async (request): Promise<CallbackAnswer> =>
        request.body?.includes('"secret":"ours"')
          ? { status: 200, body: 'ok', outcome: 'accepted', groupId: 7 }
          : { status: 403, body: 'wrong secret', outcome: 'refused', reason: 'wrong secret', groupId: 7 },
      () => logger,
    ) as unknown as (event: unknown, context: Context) => Promise<{ statusCode: number }>;
    const event = (secret: string) => ({
      version: '2.0',
      headers: {},
      requestContext: { http: { method: 'POST' } },
      body: `{"secret":"${secret}","object":{"message":{"text":"слова жителя"}}}`,
      isBase64Encoded: false,
    });
    const invocations: [string, string, number][] = [
      ['not-ours', 'first', 403],
      ['ours', 'second', 200],
      ['not-ours', 'third', 403],
      ['ours', 'fourth', 200],
      ['not-ours', 'fifth', 403],
    ];
    for (const [secret, awsRequestId, status] of invocations)
      expect(await handler(event(secret), { ...context, awsRequestId })).toMatchObject({
        statusCode: status,
      });

    expect(
      lines.map((line) => [line.function_request_id, line.cold_start, line.reason, line.groupId]),
    ).toEqual([
      ['first', true, 'wrong secret', 7],
      ['third', false, 'wrong secret', 7],
      ['fifth', false, 'wrong secret', 7],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/not-ours|слова/);
  });

  it('name VK’s retry counter whatever the header’s case, on a retried event accepted or refused, and only a short number', async () => {
    const { logger, lines } = capturingLogger();
    const handler = createIngestHandler(
      async (request): Promise<CallbackAnswer> =>
        request.body === 'ours'
          ? { status: 200, body: 'ok', outcome: 'accepted', groupId: 7, eventKey: 'e:1' }
          : { status: 403, body: 'wrong secret', outcome: 'refused', reason: 'wrong secret', groupId: 7 },
      () => logger,
    ) as unknown as (event: unknown, context: Context) => Promise<{ statusCode: number }>;
    // Payload 1.0 keeps the header as the client wrote it.
    const event = (body: string, counter: string) => ({
      httpMethod: 'POST',
      headers: { 'X-Retry-Counter': counter },
      body,
      isBase64Encoded: false,
      requestContext: {},
    });
    await handler(event('ours', '2'), context);
    await handler(event('forged', '3'), context);
    await handler(event('forged', '12345'), context);
    expect(lines.map((line) => [line.message, line.retryCounter])).toEqual([
      ['retried callback accepted', 2],
      ['callback not accepted', 3],
      ['callback not accepted', undefined],
    ]);
  });

  it('mark the cold start on the first invocation even when it writes nothing', async () => {
    const { logger, lines } = capturingLogger();
    let refuse = false;
    const handler = createIngestHandler(
      async (): Promise<CallbackAnswer> =>
        refuse
          ? { status: 403, body: 'wrong secret', outcome: 'refused', reason: 'wrong secret' }
          : { status: 200, body: 'ok', outcome: 'accepted', groupId: 7 },
      () => logger,
    ) as unknown as (event: unknown, context: Context) => Promise<{ statusCode: number }>;
    const event = { version: '2.0', headers: {}, requestContext: { http: { method: 'POST' } }, body: '{}' };
    await handler(event, { ...context, awsRequestId: 'first' });
    refuse = true;
    await handler(event, { ...context, awsRequestId: 'second' });
    expect(lines.map((line) => [line.function_request_id, line.cold_start])).toEqual([['second', false]]);
  });
});
