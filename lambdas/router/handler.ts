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
import { readSqsMessageBody, stringFieldOfBody } from '../adapters/sqs-message-body.js';
import { sendLater, sendToDeadLetters } from '../adapters/sqs-queue.js';
import { errorSummary } from '../domain/error-summary.js';
import { routingMessageSchema } from '../domain/messages.js';
import { createAcknowledger } from './acknowledge.js';
import { createKindDispatch } from './dispatch-by-kind.js';
import { inquiryIdFor } from './inquiry-ids.js';
import {
  createMessageRouter,
  MessageNotFoundYet,
  MessageOfErasedCitizen,
  MessageStillMissing,
  nextLookDelaySeconds,
  REJECTED_LATEST_ATTRIBUTE,
  WAITING_SINCE_ATTRIBUTE,
} from './route-message.js';

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

async function recordHandler(record: SQSRecord): Promise<void> {
  // Since when this change has waited for its message, if it was put back to wait (overtaken.ts).
  const waitingSince = record.messageAttributes?.[WAITING_SINCE_ATTRIBUTE]?.stringValue;
  try {
    const routed = readSqsMessageBody(record.body, routingMessageSchema, 'a routing message');
    const rejectedLatest = record.messageAttributes?.[REJECTED_LATEST_ATTRIBUTE]?.stringValue;
    await dispatch(routed, { waitingSince, rejectedLatest });
  } catch (error) {
    if (error instanceof MessageOfErasedCitizen) {
      // Dropped, not failed: a late message of a citizen erased since it was written (erased-author.ts).
      // (A chat's edit written to the community, routed as a message, is logged so too, with its kind.)
      logger.info('citizen message: erased_citizen', {
        messageId: record.messageId,
        kind: stringFieldOfBody(record.body, 'kind'),
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
      });
      return;
    }
    if (error instanceof MessageStillMissing) {
      // Its message may be a dead letter: the change waits beside it, to be replayed with it (an alarm tells
      // of every new dead letter), rather than failing over the queue's attempts, which would age the queue
      // and fail the invocation for what is no error of ours.
      await sendToDeadLetters(sqsClient(), routingDeadLetterQueueUrl, record.body);
      logger.warn('change kept in the dead-letter queue: its citizen message is still not routed', {
        messageId: record.messageId,
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
        kind: stringFieldOfBody(record.body, 'kind'),
        waitingSince,
      });
      return;
    }
    if (!(error instanceof MessageNotFoundYet)) {
      // What the runbook searches a dead letter for: the batch processor itself logs nothing.
      logger.warn(
        'routing message not handled: SQS delivers it again, then keeps it in the dead-letter queue',
        {
          messageId: record.messageId,
          eventKey: stringFieldOfBody(record.body, 'eventKey'),
          error: errorSummary(error),
        },
      );
      throw error;
    }
    // Back on the queue to wait for its message, not failed, each look later than the last: see
    // OVERTAKEN_RETRY_MS and nextLookDelaySeconds.
    const now = systemClock.now();
    const since = waitingSince ?? now.toISOString();
    const delaySeconds = nextLookDelaySeconds(since, now);
    await sendLater(sqsClient(), routingQueueUrl, record.body, delaySeconds, {
      [WAITING_SINCE_ATTRIBUTE]: since,
      ...error.attributes,
    });
    // Each look is a new SQS message with an id of its own: the change's event key is what ties them together.
    logger.info('change waiting for its message', {
      messageId: record.messageId,
      eventKey: stringFieldOfBody(record.body, 'eventKey'),
      kind: stringFieldOfBody(record.body, 'kind'),
      delaySeconds,
    });
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
