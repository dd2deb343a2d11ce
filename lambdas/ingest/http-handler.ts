import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallbackAnswer, CallbackRequest } from './accept-callback.js';

/** VK compares the body byte for byte: plain text, no BOM, nothing else. */
export function toHttpResponse(answer: CallbackAnswer): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (answer.status === 503) headers['retry-after'] = String(answer.retryAfterSeconds);
  if (answer.status === 405) headers.allow = 'POST';
  return { statusCode: answer.status, headers, body: answer.body };
}

const decodeBody = (event: APIGatewayProxyEventV2) =>
  event.body !== undefined && event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;

/** VK's count of failed attempts at this event, on its retries; a short number, anything else is dropped. */
const retryCounterOf = (event: APIGatewayProxyEventV2) => {
  const value = event.headers?.['x-retry-counter'];
  return value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : undefined;
};

/**
 * The HTTP face of ingest: the API Gateway event in, the exact answer out, every refusal logged with its
 * reason. Built around the use case so that tests and the benchmark can run it with a stand-in queue.
 */
export function createIngestHandler(
  acceptCallback: (request: CallbackRequest) => Promise<CallbackAnswer>,
  logger = new Logger({ serviceName: 'ingest' }),
) {
  return middy(async (event: APIGatewayProxyEventV2) => {
    const answer = await acceptCallback({
      method: event.requestContext?.http?.method ?? '',
      body: decodeBody(event),
    });
    const retryCounter = retryCounterOf(event);
    // Refusals are logged with their reason; never the body, which holds the secret and the citizen's words.
    if (answer.outcome === 'refused' || answer.outcome === 'unavailable')
      logger.warn('callback not accepted', {
        status: answer.status,
        reason: answer.reason,
        groupId: answer.groupId,
        retryCounter,
      });
    else if (retryCounter !== undefined)
      logger.info('retried callback accepted', {
        groupId: answer.groupId,
        eventKey: answer.eventKey,
        retryCounter,
      });
    return toHttpResponse(answer);
  }).use(injectLambdaContext(logger));
}
