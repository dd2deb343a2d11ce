import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { CallbackAnswer, CallbackRequest } from '../../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../../lambdas/ingest/http-handler.js';

const context = {
  functionName: 'ingest',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 5000,
} as Context;

function recordingHandler() {
  const requests: CallbackRequest[] = [];
  const handler = createIngestHandler(
    async (request): Promise<CallbackAnswer> => {
      requests.push(request);
      return request.method === 'POST'
        ? { status: 200, body: 'ok', outcome: 'accepted', groupId: 1 }
        : { status: 405, body: 'method not allowed', outcome: 'refused', reason: 'method not allowed' };
    },
    new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
  );
  return {
    handler: handler as unknown as (
      event: unknown,
      context: Context,
    ) => Promise<{ statusCode: number; body: string }>,
    requests,
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
    expect(await handler(event, context)).toMatchObject({ statusCode: 405 });
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
});
