import { createHash } from 'node:crypto';
/**
 * The DynamoDB and SQS calls each consumer makes for a new inquiry, by operation: `message_new` events of
 * config/local.json's demo community (each its own citizen, so each opens an inquiry), handed to the real
 * classifier, router and responder handlers in this process, one stage after the other, against dynalite and
 * fauxqs and the stand-in VK. First one event alone (a batch of one, as a quiet hour brings them), then
 * batches of ten (as under load, the records handled side by side). The pipeline benchmark counts the calls
 * of the whole flow under load, but only the acknowledgements the responder sent while it ran (20 a second).
 * Usage: npx tsx bench/calls-per-event.ts
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { VkEvent } from '../lambdas/domain/vk/envelope.js';
import { eventKeyOf } from '../lambdas/domain/vk/event-key.js';
import {
  createInquiryTable,
  createQueues,
  localDynamoClient,
  localSqsClient,
  startEmulators,
} from '../local/emulators.js';
import { setFunctionEnvironment } from '../local/runtime.js';
import { VkStandIn } from '../local/vk-stand-in.js';
import { sqsEvent } from '../test/support/sqs-events.js';
import { benchArguments } from './support/command-line.js';
import { round } from './support/stats.js';
import { CONFIG_FILE, demoCommunity, messageNewBody, SECRETS_FILE } from './support/vk-events.js';

benchArguments(
  'bench:calls',
  `The DynamoDB and SQS calls each consumer (classifier, router, responder) makes for a new inquiry, by
operation: one event alone, then batches of ten (docs/benchmarks.md). Prints them; bench/results/ is left as
it is.

  npm run bench:calls`,
);

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Each SDK call is one HTTP request whose `X-Amz-Target` names the operation (as count-calls.ts reads it). */
let calls: string[] = [];
subscribe('http.client.request.start', (message) => {
  const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
  if (typeof target === 'string') calls.push(target.slice(target.indexOf('.') + 1));
});

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { config, secrets, groupId, secret } = demoCommunity();
const emulators = await startEmulators();
const sqs = localSqsClient(emulators.sqsEndpoint);
const tableName = 'calls-per-event';
await createInquiryTable(localDynamoClient(emulators.dynamoEndpoint), tableName);
const queues = await createQueues(sqs, 'calls');
const vk = new VkStandIn();
const tokenReference = config.communities[0]?.tokens?.community?.parameter;
vk.addCommunity(groupId, { community: (tokenReference && secrets[tokenReference]) || 'no-token' });
setFunctionEnvironment({
  dynamoEndpoint: emulators.dynamoEndpoint,
  sqsEndpoint: emulators.sqsEndpoint,
  tableName,
  queues,
  vkApiBaseUrl: await vk.start(),
  configFile: CONFIG_FILE,
  secretsFile: SECRETS_FILE,
  logLevel: 'SILENT',
});
const classifier = (await import('../lambdas/classifier/handler.js')).handler as unknown as Consumer;
const router = (await import('../lambdas/router/handler.js')).handler as unknown as Consumer;
const responder = (await import('../lambdas/responder/handler.js')).handler as unknown as Consumer;
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };

/** What ingest puts on the events queue for the n-th event. */
const receivedEvent = (n: number): string => {
  const { secret: _, ...event } = JSON.parse(messageNewBody(n, groupId, secret)) as VkEvent;
  return JSON.stringify({
    eventKey: eventKeyOf(event as VkEvent, (text) => createHash('sha256').update(text).digest('base64url')),
    groupId,
    type: event.type,
    receivedAt: new Date().toISOString(),
    event,
  });
};

/** Every message waiting in a queue, taken off it (the calls of the taking are not counted). */
async function take(client: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => message.Body ?? ''));
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

/** The calls one consumer makes for a batch, per event, by operation. */
async function counted(consumer: Consumer, bodies: string[]): Promise<Record<string, number>> {
  calls = [];
  const { batchItemFailures } = await consumer(sqsEvent(bodies, 'bench'), context as Context);
  if (batchItemFailures.length > 0) throw new Error(`${batchItemFailures.length} records failed`);
  const byOperation: Record<string, number> = {};
  for (const operation of calls) byOperation[operation] = (byOperation[operation] ?? 0) + 1;
  const perEvent = Object.fromEntries(
    Object.entries(byOperation).map(([operation, count]) => [operation, round(count / bodies.length, 2)]),
  );
  return { ...perEvent, total: round(calls.length / bodies.length, 2) };
}

let next = 1;
const results: Record<string, Record<string, Record<string, number>>> = {};
// A warm-up batch of each size first: the first calls of a client open its connections and load its code.
for (const [name, size] of [
  ['warm-up', 1],
  ['one event alone', 1],
  ['warm-up', 10],
  ['batches of ten', 10],
] as const) {
  const events = Array.from({ length: size }, () => receivedEvent(next++));
  const classified = await counted(classifier, events);
  const routed = await counted(router, await take(sqs, queues.routing.url));
  const answered = await counted(responder, await take(sqs, queues.outbox.url));
  if (name !== 'warm-up')
    results[name] = {
      ingest: { SendMessage: 1, total: 1 },
      classifier: classified,
      router: routed,
      responder: answered,
      all: {
        total: round(1 + (classified.total ?? 0) + (routed.total ?? 0) + (answered.total ?? 0), 2),
      },
    };
}
console.log(JSON.stringify(results, null, 2));
await vk.stop();
await emulators.stop();
process.exit(0);
