import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { RESPONDER_QUEUE } from '../../lib/resources.js';
import { documentClient, sqsClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { DynamoInquiryRepository } from '../adapters/inquiry-table.js';
import { powertoolsMetrics } from '../adapters/metrics.js';
import { outboxEnvironment } from '../adapters/outbox-environment.js';
import { DynamoOutboxLedger } from '../adapters/outbox-ledger.js';
import { powertoolsOutboxMetrics } from '../adapters/outbox-metrics.js';
import { queueOfRecord, SqsOutbox } from '../adapters/outbox-queue.js';
import { secretStoreTokens } from '../adapters/outbox-tokens.js';
import { createSecretStore } from '../adapters/secret-store.js';
import { readSqsMessageBody, stringFieldOfBody } from '../adapters/sqs-message-body.js';
import { ssmSecretStore } from '../adapters/ssm-secret-store.js';
import { VkApiClient } from '../adapters/vk-api-client.js';
import { DynamoVkRateLimiter } from '../adapters/vk-rate-limit.js';
import { inTurn } from '../domain/concurrency.js';
import { errorSummary } from '../domain/error-summary.js';
import { outboxMessageSchema, readerOf } from '../domain/outbox/outbox-message.js';
import { tokenErrorHint } from '../domain/vk-api/errors.js';
import { createMessageDeliverer } from './deliver-message.js';

const logger = new Logger({ serviceName: 'responder' });

const config = loadConfig();
const table = environment.tableName();
const inquiries = new DynamoInquiryRepository(documentClient(), table);
// The router's acknowledgements, and the operators' words, each through an event source of its own
// (lib/constructs/responder.ts): a message given back waits in the queue it came from.
const queues = [
  new SqsOutbox(sqsClient(), outboxEnvironment.outboxQueueUrl()),
  new SqsOutbox(sqsClient(), outboxEnvironment.answersQueueUrl()),
] as const;
const baseUrl = outboxEnvironment.vkApiBaseUrl();
const clients = new Map<string, VkApiClient>();
const metrics = powertoolsOutboxMetrics('responder');

const deliver = createMessageDeliverer({
  config,
  ledger: new DynamoOutboxLedger(documentClient(), table),
  inquiries,
  tokens: secretStoreTokens(config, createSecretStore(ssmSecretStore)),
  vk: (token, method, params) => {
    let client = clients.get(token);
    if (!client) {
      client = new VkApiClient(token, { baseUrl, timeoutMs: 5000 });
      clients.set(token, client);
    }
    return client.call(method, params);
  },
  limiter: new DynamoVkRateLimiter(documentClient(), table),
  clock: systemClock,
  metrics,
  // What a late delivery from the dead letters did to its inquiry, under the product's counters the router and
  // the operator API write (a reopening, a first response, a deadline beyond the calendar): the dashboard sums
  // the three services' (lib/constructs/product-rows.ts).
  inquiryMetrics: powertoolsMetrics('responder'),
  logWarning: (message, fields) => logger.warn(message, fields),
  // Both queues' (lib/resources.ts): a message given back on its last receive is recorded as not delivered.
  maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
});

/** Given back to SQS, to come again after the delay the use case asked for. */
class DeliveryDeferred extends Error {
  override name = 'DeliveryDeferred';
}

/** How long ago SQS took the message in, in seconds: how late its reply already is. */
const ageOf = (record: SQSRecord): number | undefined => {
  const sent = Number(record.attributes.SentTimestamp);
  return Number.isFinite(sent) && sent > 0
    ? Math.max(0, (systemClock.now().getTime() - sent) / 1000)
    : undefined;
};

const readMessage = (record: SQSRecord) =>
  readSqsMessageBody(record.body, outboxMessageSchema, 'a message to a citizen');

/** Whom the record's message is for (`readerOf`); a body that is no message is a line of its own. */
const lineOf = (record: SQSRecord): string => {
  try {
    return readerOf(readMessage(record));
  } catch {
    return `record ${record.messageId}`;
  }
};

async function deliverRecord(record: SQSRecord): Promise<void> {
  const message = readMessage(record);
  const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
  const keys = { outboxId: message.id, inquiryId: message.inquiryId, purpose: message.purpose, receiveCount };
  const result = await deliver(message, receiveCount);
  if (result.done && result.outcome.kind === 'inquiry_gone') {
    // Its inquiry was deleted with everything that named it: no id of it, or of its message, is logged again.
    logger.info('message to citizen: inquiry_gone', { purpose: message.purpose, receiveCount });
    return;
  }
  if (result.done) {
    logger.info(`message to citizen: ${result.outcome.kind}`, {
      ...keys,
      ...('method' in result.outcome && { method: result.outcome.method }),
      ...((result.outcome.kind === 'undeliverable' || result.outcome.kind === 'skipped') && {
        reason: result.outcome.reason,
      }),
      // What recording a refused answer on the inquiry came to: `changed` puts it in the department's list.
      ...(result.inquiry && { inquiry: result.inquiry }),
    });
    return;
  }
  const outcome = result.outcome;
  if (outcome.kind === 'claimed') {
    // A copy of a message another responder is sending right now (SQS delivers at least once): back to the
    // queue it came from until that one has recorded it. Nothing is wrong and nothing is late: no
    // MessagesDeferred, no age for the late-replies alarm.
    logger.info('message to citizen given back: another responder is sending it', {
      ...keys,
      retryAfterSeconds: result.retryAfterSeconds,
    });
    await queueOfRecord(queues, record.eventSourceARN).delay(record.receiptHandle, result.retryAfterSeconds);
    throw new DeliveryDeferred(`${message.id}: claimed, again in ${result.retryAfterSeconds} s`);
  }
  if (outcome.kind === 'token')
    // An alarm watches VkTokenErrors; this line says which community, token and call, and what to do.
    logger.error(`VK refused the ${outcome.token} token: message held, a person must act`, {
      ...keys,
      groupId: message.groupId,
      token: outcome.token,
      method: outcome.method,
      vkError: outcome.code,
      action: tokenErrorHint(outcome.code),
    });
  else logger.warn(`message to citizen deferred: ${outcome.kind}`, { ...keys, ...outcome });
  if (result.lastReceive)
    // The department sees it (`inquiry: changed`: back in its open work, flagged undelivered); ops replay it.
    logger.warn(
      'message to citizen failed its last try: recorded undelivered, kept in the dead-letter queue',
      {
        ...keys,
        ...(result.lastReceive.inquiry && { inquiry: result.lastReceive.inquiry }),
      },
    );
  await queueOfRecord(queues, record.eventSourceARN).delay(record.receiptHandle, result.retryAfterSeconds);
  // A deferral fails no invocation, and a message received three times leaves the queue's oldest-message
  // age: this count and this age are what tell ops (the late-replies alarm, lib/constructs/responder.ts). A
  // message held for its token has an alarm of its own (VkTokenErrors) and waits an hour a receive: its age
  // would only raise a second one.
  metrics.heldBack(outcome.kind, outcome.kind === 'token' ? undefined : ageOf(record));
  throw new DeliveryDeferred(`${message.id}: ${outcome.kind}, again in ${result.retryAfterSeconds} s`);
}

async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    await deliverRecord(record);
  } catch (error) {
    // Expected, and logged where it was decided, with its reason.
    if (error instanceof DeliveryDeferred) throw error;
    // Anything else is unexpected (a bug, a missing grant, DynamoDB or SQS failing): the batch processor
    // itself logs nothing, and this line is what the runbook searches an outbox dead letter's id for.
    logger.error(
      'message to citizen not handled: SQS delivers it again, then keeps it in the dead-letter queue',
      {
        outboxId: stringFieldOfBody(record.body, 'id'),
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
        error: errorSummary(error),
      },
    );
    metrics.heldBack('error', ageOf(record));
    throw error;
  }
}

export const handler = middy((event: SQSEvent, context: Context) => {
  // The batch's messages at the same time: each spends most of its time waiting on VK and the table, and the
  // limiter holds each token to VK's rate however many calls wait. One citizen's go one after the other, in
  // the batch's order (the queue's, as far as a standard queue keeps one), so they read them in the order
  // they were written; a second copy of a message, after the first, finds it delivered.
  const ofItsReader = inTurn(lineOf);
  // A processor of its own: it keeps the batch's failures, and the local runtime hands one process several
  // batches at a time (Lambda runs one per instance).
  return processPartialResponse(
    event,
    (record: SQSRecord) => ofItsReader(record, recordHandler),
    new BatchProcessor(EventType.SQS),
    {
      context,
      processInParallel: true,
      // A batch that fails whole is still answered item by item: each message keeps the delay it was given.
      throwOnFullBatchFailure: false,
    },
  );
}).use(
  // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
  injectLambdaContext(logger, { logEvent: false }),
);
