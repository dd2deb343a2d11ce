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
import { sendLater, sendToDeadLetters } from '../adapters/sqs-queue.js';
import { createAcknowledger } from './acknowledge.js';
import { inquiryIdFor } from './inquiry-ids.js';
import { createMessageRouter } from './route-message.js';
import type { RoutingQueues } from './unrouted-record.js';

/**
 * The router's use cases wired to AWS as the function's environment names it: its table, its queues, the
 * outbox (without one, a bare test environment, inquiries are routed but not acknowledged), the system clock
 * and its metrics. Called once per execution environment, at init; `logWarning` tells ops what they must fix.
 */
export function wireRouter(logWarning: (message: string, fields: Record<string, unknown>) => void) {
  const config = loadConfig();
  const outboxQueueUrl = outboxEnvironment.optionalOutboxQueueUrl();
  const router = createMessageRouter({
    config,
    inquiries: new DynamoInquiryRepository(documentClient(), environment.tableName()),
    erasures: new DynamoRetentionStore(documentClient(), environment.tableName()),
    erasedCitizens: new DynamoErasedCitizens(documentClient(), environment.tableName(), systemClock),
    clock: systemClock,
    inquiryIdFor,
    metrics: powertoolsMetrics('router'),
    logWarning,
    ...(outboxQueueUrl && {
      acknowledge: createAcknowledger({
        config,
        outbox: new SqsOutbox(sqsClient(), outboxQueueUrl, { gather: true }),
        clock: systemClock,
      }),
    }),
  });

  const routingQueueUrl = environment.routingQueueUrl();
  const routingDeadLetterQueueUrl = environment.routingDeadLetterQueueUrl();
  const routingQueues: RoutingQueues = {
    sendLater: (body, delaySeconds, attributes) =>
      sendLater(sqsClient(), routingQueueUrl, body, delaySeconds, attributes),
    keepAsDeadLetter: (body) => sendToDeadLetters(sqsClient(), routingDeadLetterQueueUrl, body),
  };

  return { router, routingQueues, clock: systemClock };
}
