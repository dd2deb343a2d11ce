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

/** SQS records with distinct message ids, as the event source mapping hands them to a consumer. */
export const sqsRecords = (bodies: string[], prefix = 'message'): SQSEvent => ({
  Records: bodies.map((body, index) => ({
    messageId: `${prefix}-${index}`,
    receiptHandle: `receipt-${prefix}-${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:test',
    awsRegion: 'local',
  })),
});
