import { createHash } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { DynamoInquiryRepository } from '../adapters/inquiry-table.js';
import { routingMessageSchema } from '../domain/messages.js';
import { createMessageRouter } from './route-message.js';

const logger = new Logger({ serviceName: 'router' });
const processor = new BatchProcessor(EventType.SQS);

/** A short, stable id: the same VK event always maps to the same inquiry. */
const inquiryIdFor = (groupId: number, eventKey: string) =>
  createHash('sha256').update(`${groupId}\n${eventKey}`).digest('base64url').slice(0, 16);

const routeMessage = createMessageRouter({
  config: loadConfig(),
  inquiries: new DynamoInquiryRepository(documentClient(), environment.tableName()),
  clock: systemClock,
  inquiryIdFor,
});

async function recordHandler(record: SQSRecord): Promise<void> {
  const routed = routingMessageSchema.parse(JSON.parse(record.body));
  if (routed.kind !== 'citizen_message') {
    logger.warn('routing message kind not handled yet', { kind: routed.kind, eventKey: routed.eventKey });
    return;
  }
  const classified = routed;
  const outcome = await routeMessage(classified);
  logger.appendKeys({ inquiryId: outcome.inquiryId });
  logger.info(outcome.created ? 'inquiry opened' : 'inquiry already exists', {
    department: outcome.department,
    category: classified.classification.category,
    priority: classified.classification.priority,
  });
  logger.removeKeys(['inquiryId']);
}

export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
).use(injectLambdaContext(logger));
