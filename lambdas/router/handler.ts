import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient, sqsClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { DynamoErasedCitizens } from '../adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../adapters/inquiry-table.js';
import { powertoolsMetrics } from '../adapters/metrics.js';
import { outboxEnvironment } from '../adapters/outbox-environment.js';
import { SqsOutbox } from '../adapters/outbox-queue.js';
import { DynamoRetentionStore } from '../adapters/retention-store.js';
import { readSqsMessageBody } from '../adapters/sqs-message-body.js';
import { sendLater, sendToDeadLetters } from '../adapters/sqs-queue.js';
import { routingMessageSchema } from '../domain/messages.js';
import { createAcknowledger } from './acknowledge.js';
import { createKindDispatch } from './dispatch-by-kind.js';
import { inquiryIdFor } from './inquiry-ids.js';
import { createMessageRouter, REJECTED_LATEST_ATTRIBUTE, WAITING_SINCE_ATTRIBUTE } from './route-message.js';
import { createUnroutedRecordHandling } from './unrouted-record.js';

const logger = new Logger({ serviceName: 'router' });

const config = loadConfig();
/** Without an outbox (a bare test environment) inquiries are routed but not acknowledged. */
const outboxQueueUrl = outboxEnvironment.optionalOutboxQueueUrl();
const router = createMessageRouter({
  config,
  inquiries: new DynamoInquiryRepository(documentClient(), environment.tableName()),
  erasures: new DynamoRetentionStore(documentClient(), environment.tableName()),
  erasedCitizens: new DynamoErasedCitizens(documentClient(), environment.tableName(), systemClock),
  clock: systemClock,
  inquiryIdFor,
  metrics: powertoolsMetrics('router'),
  logWarning: (message, fields) => logger.warn(message, fields),
  ...(outboxQueueUrl && {
    acknowledge: createAcknowledger({
      config,
      outbox: new SqsOutbox(sqsClient(), outboxQueueUrl, { gather: true }),
      clock: systemClock,
    }),
  }),
});

const dispatch = createKindDispatch({ router, log: logger });

const routingQueueUrl = environment.routingQueueUrl();
const routingDeadLetterQueueUrl = environment.routingDeadLetterQueueUrl();
const unrouted = createUnroutedRecordHandling({
  queues: {
    sendLater: (body, delaySeconds, attributes) =>
      sendLater(sqsClient(), routingQueueUrl, body, delaySeconds, attributes),
    keepAsDeadLetter: (body) => sendToDeadLetters(sqsClient(), routingDeadLetterQueueUrl, body),
  },
  clock: systemClock,
  log: logger,
});

async function recordHandler(record: SQSRecord): Promise<void> {
  // Since when this change has waited for its message, if it was put back to wait (overtaken.ts).
  const waitingSince = record.messageAttributes?.[WAITING_SINCE_ATTRIBUTE]?.stringValue;
  try {
    const routed = readSqsMessageBody(record.body, routingMessageSchema, 'a routing message');
    const rejectedLatest = record.messageAttributes?.[REJECTED_LATEST_ATTRIBUTE]?.stringValue;
    await dispatch(routed, { waitingSince, rejectedLatest });
  } catch (error) {
    await unrouted(record, waitingSince, error);
  }
}

export const handler = middy((event: SQSEvent, context: Context) =>
  // A processor of its own: it keeps the batch's failures, and the local runtime hands one process several
  // batches at a time (Lambda runs one per instance).
  processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context }),
).use(
  // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
  injectLambdaContext(logger, { logEvent: false }),
);
