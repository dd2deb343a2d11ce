import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsClient } from '../adapters/aws-clients.js';
import { classify } from '../adapters/classifier-model.js';
import { environment } from '../adapters/environment.js';
import { SqsMessageQueue } from '../adapters/sqs-queue.js';
import { type ClassifiedMessage, receivedVkEventSchema } from '../domain/messages.js';
import { createEventClassifier } from './classify-event.js';

const logger = new Logger({ serviceName: 'classifier' });
const processor = new BatchProcessor(EventType.SQS);
const routingQueue = new SqsMessageQueue<ClassifiedMessage>(sqsClient(), environment.routingQueueUrl());
const classifyEvent = createEventClassifier({ classify });

async function recordHandler(record: SQSRecord): Promise<void> {
  const received = receivedVkEventSchema.parse(JSON.parse(record.body));
  const classified = classifyEvent(received);
  if (!classified) {
    logger.info('event carries no citizen message', { type: received.type, eventKey: received.eventKey });
    return;
  }
  // Sending twice (a redelivered event) is harmless: the router opens one inquiry per event key.
  await routingQueue.send(classified);
  const { category, priority, inquiry, triage } = classified.classification;
  logger.info('classified', { eventKey: received.eventKey, category, priority, inquiry, triage });
}

/** Failed records are reported one by one, so SQS retries only those and not the whole batch. */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
).use(injectLambdaContext(logger));
