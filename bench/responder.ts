/**
 * The responder's throughput with a backlog on the outbox: the real handler fed by pollers as Lambda's event
 * source feeds it under a backlog (QUEUES.outbox: batches of five, `maxConcurrency` batches at a time), with
 * dynalite and fauxqs in a process of their own, each of the responder's DynamoDB calls made `BENCH_DYNAMO_MS`
 * (6) longer, as a call within an AWS region takes, and the stand-in VK answering after 50, 120 and 250 ms.
 * Acknowledgements to citizens of one community, then of ten (each message its own citizen). Prints, for
 * each, messages/s from the first receive to the last delivery, the most calls any token had in one second
 * (VK allows 20) and VK's error 6.
 * Usage: npx tsx bench/responder.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '../lambdas/adapters/aws-clients.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { SqsOutbox } from '../lambdas/adapters/outbox-queue.js';
import { type OutboxMessage, outboxIdFor } from '../lambdas/domain/outbox/outbox-message.js';
import { QUEUES } from '../lib/resources.js';
import {
  createInquiryTable,
  createQueues,
  localDynamoClient,
  localSqsClient,
  startEmulatorsInChildProcess,
} from '../local/emulators.js';
import { setFunctionEnvironment } from '../local/runtime.js';
import { SqsPoller } from '../local/sqs-poller.js';
import { VkStandIn } from '../local/vk-stand-in.js';
import { storeInquiryOf } from '../test/support/inquiries.js';
import { benchArguments } from './support/command-line.js';
import { round } from './support/stats.js';
import { CONFIG_FILE, SECRETS_FILE } from './support/vk-events.js';

benchArguments(
  'bench:responder',
  `The responder's throughput with a backlog on the outbox (docs/benchmarks.md): acknowledgements to citizens of
one community, then of ten, with the stand-in VK answering after 50, 120 and 250 ms; messages/s, the most
calls a token had in one second, and VK's error 6. BENCH_DYNAMO_MS (default 6) is the time added to each
DynamoDB call. Prints the figures; bench/results/ is left as it is.

  npm run bench:responder`,
);

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const DYNAMO_MS = Number(process.env.BENCH_DYNAMO_MS ?? 6);
const VK_MS = [50, 120, 250];
/** Messages per run: twenty for each community, a hundred at least. */
const messagesFor = (communities: number) => Math.max(100, 20 * communities);

/** config/local.json's demo community ten times over, each with its own group id, secrets and token. */
function tenCommunities(dir: string) {
  const config = JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as { communities: { groupId: number }[] };
  const secrets = JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Record<string, string>;
  const demo = config.communities[0];
  if (!demo) throw new Error(`${CONFIG_FILE} has no community`);
  const groupIds = Array.from({ length: 10 }, (_, index) => demo.groupId + index);
  config.communities = groupIds.map(
    (groupId) => JSON.parse(JSON.stringify(demo).replaceAll(String(demo.groupId), String(groupId))) as never,
  );
  const tokens = new Map<number, string>();
  for (const groupId of groupIds)
    for (const [name, value] of Object.entries(secrets))
      if (name.includes(`/${demo.groupId}/`)) {
        const own = value.replaceAll(String(demo.groupId), String(groupId));
        secrets[name.replace(String(demo.groupId), String(groupId))] = own;
        if (name.endsWith('/community-token')) tokens.set(groupId, own);
      }
  const configFile = join(dir, 'config.json');
  const secretsFile = join(dir, 'secrets.json');
  writeFileSync(configFile, JSON.stringify(config));
  writeFileSync(secretsFile, JSON.stringify(secrets));
  return { configFile, secretsFile, groupIds, tokens };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-responder-'));
// Its configuration and secrets go however the run ends: figures printed, a delivery that timed out, an error.
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const { configFile, secretsFile, groupIds, tokens } = tenCommunities(dir);
const emulators = await startEmulatorsInChildProcess();
const sqs = localSqsClient(emulators.sqsEndpoint);
const tableName = 'bench-responder';
await createInquiryTable(localDynamoClient(emulators.dynamoEndpoint), tableName);
const queues = await createQueues(sqs, 'bench-responder');
const vk = new VkStandIn();
for (const [groupId, token] of tokens) vk.addCommunity(groupId, { community: token });
setFunctionEnvironment({
  dynamoEndpoint: emulators.dynamoEndpoint,
  sqsEndpoint: emulators.sqsEndpoint,
  tableName,
  queues,
  vkApiBaseUrl: await vk.start(),
  configFile,
  secretsFile,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
});
// The responder's client only: the set-up writes at the emulator's own pace.
documentClient().middlewareStack.add(
  (next) => async (args) => {
    await new Promise((resolve) => setTimeout(resolve, DYNAMO_MS));
    return next(args);
  },
  { name: 'regionLatency', step: 'initialize' },
);
const responder = (await import('../lambdas/responder/handler.js')).handler as unknown as Consumer;
const setUp = new DynamoInquiryRepository(
  DynamoDBDocumentClient.from(localDynamoClient(emulators.dynamoEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  tableName,
);
const outbox = new SqsOutbox(sqs, queues.outbox.url);
const { Attributes } = await sqs.send(
  new GetQueueAttributesCommand({ QueueUrl: queues.outbox.url, AttributeNames: ['QueueArn'] }),
);

let run = 0;
async function measure(communities: number, vkMs: number) {
  run += 1;
  const count = messagesFor(communities);
  const messages: OutboxMessage[] = Array.from({ length: count }, (_, index) => {
    const inquiryId = `bench-${run}-${index}`;
    const citizen = 1_000_000 * run + index;
    return {
      kind: 'message_to_citizen',
      id: outboxIdFor(inquiryId, 'acknowledgement', 'routed'),
      inquiryId,
      groupId: groupIds[index % communities] as number,
      purpose: 'acknowledgement',
      replyTo: { channel: 'direct_message', peerId: citizen },
      citizenId: citizen,
      text: 'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-004217.',
      requestedAt: new Date().toISOString(),
      requestedBy: 'router',
    };
  });
  for (const message of messages) await storeInquiryOf(setUp, message);
  for (const message of messages) await outbox.send(message);
  vk.answerAfter(vkMs);
  const firstCall = vk.calls.length;
  const pollers = Array.from(
    { length: QUEUES.outbox.maxConcurrency },
    (_, index) =>
      new SqsPoller({
        name: `responder-${index}`,
        client: sqs,
        queueUrl: queues.outbox.url,
        queueArn: Attributes?.QueueArn ?? 'outbox',
        spec: QUEUES.outbox,
        handler: responder,
      }),
  );
  const peers = new Set(messages.map((message) => String(message.citizenId)));
  const delivered = () => vk.delivered.filter((call) => peers.has(call.params.peer_id ?? '')).length;
  const started = Date.now();
  for (const poller of pollers) poller.start();
  while (delivered() < count) {
    if (Date.now() - started > 300_000) throw new Error(`only ${delivered()} of ${count} delivered`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const calls = vk.calls.slice(firstCall);
  const last = Math.max(...calls.map((call) => call.answeredAt ?? call.at));
  await Promise.all(pollers.map((poller) => poller.stop()));
  let busiest = 0;
  for (const call of calls) {
    const inSecond = calls.filter(
      (other) => other.token === call.token && other.at > call.at - 1000 && other.at <= call.at,
    ).length;
    busiest = Math.max(busiest, inSecond);
  }
  return {
    communities,
    vkMs,
    messages: count,
    messagesPerSecond: round(count / ((last - started) / 1000), 1),
    busiestTokenSecond: busiest,
    vkError6: calls.filter((call) => call.error === 6).length,
    vkCalls: calls.length,
  };
}

const results = [];
for (const communities of [1, 10]) for (const vkMs of VK_MS) results.push(await measure(communities, vkMs));
console.log(
  JSON.stringify(
    {
      outbox: { batchSize: QUEUES.outbox.batchSize, maxConcurrency: QUEUES.outbox.maxConcurrency },
      dynamoMs: DYNAMO_MS,
      results,
    },
    null,
    2,
  ),
);
await vk.stop();
await emulators.stop();
process.exit(0);
