import {
  BatchProcessor,
  EventType,
  FullBatchFailureError,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { CLASSIFIER } from '../../lib/resources.js';
import { documentClient, sqsClient } from '../adapters/aws-clients.js';
import { classify } from '../adapters/classifier-model.js';
import { systemClock } from '../adapters/clock.js';
import { environment } from '../adapters/environment.js';
import { countVkEvent, publishVkEventCounts } from '../adapters/service-event-metrics.js';
import { readSqsMessageBody, stringFieldOfBody } from '../adapters/sqs-message-body.js';
import { SqsMessageQueue } from '../adapters/sqs-queue.js';
import { DynamoVkEventLedger } from '../adapters/vk-event-ledger.js';
import { errorSummary } from '../domain/error-summary.js';
import { type RoutingMessage, receivedVkEventSchema } from '../domain/messages.js';
import { createEventClassifier, EventInFlightError } from './classify-event.js';

const logger = new Logger({ serviceName: 'classifier' });
const classifyEvent = createEventClassifier({
  classify,
  ledger: new DynamoVkEventLedger(documentClient(), environment.tableName(), systemClock),
  routingQueue: new SqsMessageQueue<RoutingMessage>(sqsClient(), environment.routingQueueUrl(), {
    gather: true,
  }),
  countEvent: countVkEvent,
});

/** A record not begun for lack of time: SQS delivers it again, and it is begun then. Not a fault. */
class NoTimeLeftError extends Error {
  override name = 'NoTimeLeftError';
}

async function recordHandler(record: SQSRecord, context: Context): Promise<void> {
  // The batch processor begins the records in order, and each one's classification (synchronous, the CPU's
  // work) is done before its first call to AWS: so this is read after the records before it were classified,
  // and their calls, which go side by side and share SendMessageBatch and BatchWriteItem calls, have the
  // reserve to finish in.
  if (context.getRemainingTimeInMillis() < CLASSIFIER.recordReserveMs) {
    // Named by its event as the record's other lines are, read without the schema: nothing slow is begun.
    logger.info('event left for SQS to deliver again: too little of the invocation left', {
      type: stringFieldOfBody(record.body, 'type'),
      eventKey: stringFieldOfBody(record.body, 'eventKey'),
      messageId: record.messageId,
    });
    throw new NoTimeLeftError(`record ${record.messageId} left for lack of time`);
  }
  let keys: { type?: string; eventKey?: string } = {};
  try {
    const received = readSqsMessageBody(record.body, receivedVkEventSchema, 'a VK event');
    keys = { type: received.type, eventKey: received.eventKey };
    const outcome = await classifyEvent(received);
    // Ids and kinds only: the citizen's words stay out of the log.
    logger.info('event handled', { ...keys, ...outcome });
  } catch (error) {
    if (error instanceof EventInFlightError) {
      // Another copy of the event, which SQS may hand out at once, is being handed on: not a fault.
      logger.info('event being handed on by another copy: SQS delivers this one again', {
        ...keys,
        messageId: record.messageId,
      });
      throw error;
    }
    // What the runbook searches a dead letter's eventKey for: the batch processor itself logs nothing. A
    // body the schema refused is still named by the key and type it holds, as `dlq:replay` names its letter.
    logger.warn('event not handled: SQS delivers it again, then keeps it in the dead-letter queue', {
      ...(keys.eventKey === undefined && {
        type: stringFieldOfBody(record.body, 'type'),
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
      }),
      ...keys,
      messageId: record.messageId,
      error: errorSummary(error),
    });
    throw error;
  }
}

/**
 * Failed records are reported one by one, so SQS retries only those and not the whole batch; so are the
 * records not begun for lack of time (`CLASSIFIER.recordReserveMs`), so that a slow batch ends in time and
 * reports what it handed on rather than timing out with none of it reported.
 */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  try {
    // A processor of its own, as the router's and the responder's: batches handled at once keep their failures.
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
    // A batch failed whole is an invocation error, which the function's error alarm counts; but not one whose
    // every record was only a copy of an event another copy was handing on (SQS hands out copies at once), or
    // left for lack of time.
    const failures = processor.errors;
    if (
      event.Records.length > 0 &&
      response.batchItemFailures.length === event.Records.length &&
      !failures.every((error) => error instanceof EventInFlightError || error instanceof NoTimeLeftError)
    )
      throw new FullBatchFailureError(failures);
    return response;
  } finally {
    publishVkEventCounts();
  }
}).use(
  // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
  injectLambdaContext(logger, { logEvent: false }),
);
