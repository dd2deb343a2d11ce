import type { APIGatewayProxyEventV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

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
