import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoAnswerTemplates } from '../adapters/answer-templates.js';
import { documentClient, sqsClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { DynamoErasedCitizens } from '../adapters/erased-citizens.js';
import { MalformedInquiryItem } from '../adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../adapters/inquiry-table.js';
import { QUERY_PAGES_PER_REQUEST } from '../adapters/list-pages.js';
import { powertoolsMetrics } from '../adapters/metrics.js';
import { DynamoOperatorQueries, InvalidCursor } from '../adapters/operator-queries.js';
import { outboxEnvironment } from '../adapters/outbox-environment.js';
import { SqsOutbox } from '../adapters/outbox-queue.js';
import { mayAccess, operatorFromClaims } from '../domain/operator/access.js';
import { answerHeaders } from './answer-headers.js';
import { FollowUpFailed } from './change-inquiry.js';
import { type AuthorizedEvent, dispatch } from './dispatch.js';
import { RepliesUnfinished } from './use-cases/reply-to-many.js';

const logger = new Logger({ serviceName: 'operator-api' });
const metrics = powertoolsMetrics('operator-api');
const table = environment.tableName();
const deps = {
  config: loadConfig(),
  // A malformed history entry a page leaves out is told, by its inquiry, time and attributes alone.
  inquiries: new DynamoInquiryRepository(documentClient(), table, (found) =>
    logger.error('operator API: a malformed history entry was left out', {
      inquiryId: found.inquiryId,
      at: found.at,
      attributes: found.attributes,
    }),
  ),
  // A malformed item a list or the statistics leave out is told, by its id and attributes alone.
  queries: new DynamoOperatorQueries(documentClient(), table, QUERY_PAGES_PER_REQUEST, (found) =>
    logger.error('operator API: a malformed inquiry item was left out', {
      inquiryId: found.inquiryId,
      attributes: found.attributes,
    }),
  ),
  // Operators' words go to a queue of their own, which the responder reads beside the router's
  // acknowledgements: an answer never waits behind a burst of them (lib/resources.ts, `answers`).
  outbox: new SqsOutbox(sqsClient(), outboxEnvironment.answersQueueUrl()),
  // An item under a template's key that does not read as one is left out, and told by its key alone.
  templates: new DynamoAnswerTemplates(documentClient(), table, (key) =>
    logger.error('operator API: a malformed answer template was left out', { key }),
  ),
  // The marks of citizens erased lately, whose mentions an operator's words lose (operator-words.ts).
  erasedCitizens: new DynamoErasedCitizens(documentClient(), table, systemClock),
  clock: systemClock,
  metrics,
  logWarning: (message: string, fields: Record<string, unknown>) => logger.warn(message, fields),
  logInfo: (message: string, fields: Record<string, unknown>) => logger.info(message, fields),
};

/**
 * What names a request on each of its lines: the path (never the query string, which may hold a citizen's VK
 * id) and the id API Gateway gave it, which the stage's access log names it by (`requestId`, beside the
 * operator's `sub`). Not `requestId` here: Lambda's own records in this log group use that name for its id.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
const requestOf = (event: APIGatewayProxyEventV2) => ({
  path: event.rawPath,
  apiRequestId: event.requestContext.requestId,
});

/**
 * Whether the operator asking may be told that the inquiry's item is malformed, and of what: an admin, or an
 * operator of the department it names (one that does not read names none). What reaches here is the inquiry
 * the path names, or one of a lookup the operator may be told of (find-case.ts): the cases an inquiry names are
 * judged apart (case-departments.ts).
 */
function mayBeTold(event: APIGatewayProxyEventV2, error: MalformedInquiryItem): boolean {
  const operator = operatorFromClaims((event as AuthorizedEvent).requestContext.authorizer?.jwt?.claims);
  return !('refused' in operator) && mayAccess(operator, error.department);
}

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  try {
    const result = await dispatch(event, deps);
    logger.info('operator request', {
      method: event.requestContext.http.method,
      ...requestOf(event),
      status: result.statusCode,
    });
    return result;
  } catch (error) {
    if (error instanceof InvalidCursor)
      return {
        statusCode: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code: 'validation_failed',
          message: error.message,
          issues: [`cursor: ${error.message}`],
        }),
      };
    if (error instanceof FollowUpFailed || error instanceof RepliesUnfinished) {
      const one = error instanceof FollowUpFailed;
      logger.error(one ? 'operator change saved, its message not queued' : 'operator replies unfinished', {
        ...requestOf(event),
        error,
      });
      // A 503 fails no invocation, so the function's error alarm never sees it: this count has an alarm.
      if (one || error.cause instanceof FollowUpFailed) metrics.count('OperatorMessagesNotQueued');
      // The key the change was saved under, given or not: repeated with it, the request only queues the message
      // (of many inquiries: answers the rest, and none twice).
      const key = error.idempotencyKey;
      return {
        statusCode: 503,
        headers: {
          'content-type': 'application/json',
          'retry-after': '5',
          ...(key && { 'idempotency-key': key }),
        },
        body: JSON.stringify({
          code: 'unavailable',
          message: one
            ? 'the change is saved, but the message to the citizen could not be queued: repeat the request with the Idempotency-Key given to send it'
            : 'some of the inquiries were answered, the others not yet: repeat the request with the Idempotency-Key given to answer the rest (none is answered twice)',
          ...(key && { idempotencyKey: key }),
        }),
      };
    }
    if (error instanceof MalformedInquiryItem) {
      // The item is left as it is: ops mend it (docs/runbook.md, "A malformed inquiry item").
      logger.error('operator request read a malformed inquiry item', {
        ...requestOf(event),
        inquiryId: error.inquiryId,
        attributes: error.attributes,
      });
      // Another department's inquiry, broken or not, is none to the operator: 404, as for any other.
      if (!mayBeTold(event, error))
        return {
          statusCode: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: 'not_found', message: 'no such inquiry' }),
        };
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code: 'stored_item_malformed',
          message: `the stored inquiry is malformed (${error.attributes.join(', ')}): ops are told`,
        }),
      };
    }
    logger.error('operator request failed', { ...requestOf(event), error: error as Error });
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'internal_error', message: 'internal error' }),
    };
  }
})
  .use(
    // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
    injectLambdaContext(logger, { logEvent: false }),
  )
  // No-store and nosniff on every answer, the errors built above too (answer-headers.ts).
  .use(answerHeaders());
