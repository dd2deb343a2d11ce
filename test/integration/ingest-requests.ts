import type { APIGatewayProxyEventV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';

export type HttpFunction = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string }>;
export type SqsFunction = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 5000,
} as Context;

/** The HTTP API (payload 2.0) event for one callback request, headers lower-cased as API Gateway does. */
export const callbackRequest = (
  body: unknown,
  options: { method?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'ANY /vk/callback',
    rawPath: '/vk/callback',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: { http: { method: options.method ?? 'POST', path: '/vk/callback' } },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

/**
 * The ingest, classifier and router handlers, loaded on the test configuration with metrics off (the counts are
 * checked in fixtures.test.ts; elsewhere they are noise). Load them only once the environment points at the
 * emulators: the handlers read it when loaded.
 */
export async function pipelineHandlers(): Promise<{
  ingest: HttpFunction;
  classifier: SqsFunction;
  router: SqsFunction;
}> {
  Object.assign(process.env, {
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  return {
    ingest: (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction,
    classifier: (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction,
    router: (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction,
  };
}
