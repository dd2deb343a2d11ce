import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { readSqsMessageBody } from '../adapters/sqs-message-body.js';
import { inTurn } from '../domain/concurrency.js';
import { routingMessageSchema } from '../domain/messages.js';
import { citizenLineOf } from './citizen-line.js';
import { createKindDispatch } from './dispatch-by-kind.js';
import { REJECTED_LATEST_ATTRIBUTE, WAITING_SINCE_ATTRIBUTE } from './route-message.js';
import { createUnroutedRecordHandling } from './unrouted-record.js';
import { wireRouter } from './wiring.js';

const logger = new Logger({ serviceName: 'router' });

// Wired at init, by this module: each execution environment of the function holds its own.
const { router, routingQueues, clock } = wireRouter((message, fields) => logger.warn(message, fields));
const dispatch = createKindDispatch({ router, log: logger });
const unrouted = createUnroutedRecordHandling({ queues: routingQueues, clock, log: logger });

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

export const handler = middy((event: SQSEvent, context: Context) => {
  // The batch's records side by side, but one citizen's one after the other, in the batch's order
  // (citizen-line.ts).
  const ofItsCitizen = inTurn(citizenLineOf);
  // A processor of its own: it keeps the batch's failures, and the local runtime hands one process several
  // batches at a time (Lambda runs one per instance).
  return processPartialResponse(
    event,
    (record: SQSRecord) => ofItsCitizen(record, recordHandler),
    new BatchProcessor(EventType.SQS),
    { context },
  );
}).use(
  // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
  injectLambdaContext(logger, { logEvent: false }),
);
