/**
 * The whole pipeline under a steady load: VK events POSTed at a fixed rate for a fixed time to the local
 * runtime (ingest, classifier and router in one process; dynalite and fauxqs in another; the load generator
 * in a third), until every event is a routed inquiry in DynamoDB. Events/s is the inquiries made over the
 * time from the first request to the last inquiry; the latency is each inquiry's createdAt minus the moment
 * its `ok` came back to the load generator.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { localDynamoClient, localSqsClient, type QueueUrls } from '../local/emulators.js';
import { load } from './http.js';
import { startChild } from './support/child.js';
import { percentile, round } from './support/stats.js';

interface RuntimeReady {
  url: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queues: QueueUrls;
}

const DRAIN_TIMEOUT_MS = 120_000;

/**
 * Messages still in the events and routing queues, visible or being handled. The outbox is left out: the
 * responder keeps to VK's 20 calls/s per community, so 6,000 acknowledgements take five minutes by design.
 */
async function inFlight(sqs: ReturnType<typeof localSqsClient>, queues: QueueUrls) {
  let total = 0;
  for (const { url } of [queues.events, queues.routing]) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    total +=
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
  return total;
}

/** Batches per consumer at a time: more (Lambda starts with five) only adds contention on these 2 cores. */
export const CONSUMER_CONCURRENCY = 1;

export async function pipeline(rate: number, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-bench-'));
  const callsFile = join(dir, 'calls.json');
  const runtime = await startChild<RuntimeReady>(
    '../servers/runtime.ts',
    {
      BENCH_CONSUMERS: 'true',
      BENCH_CONSUMER_CONCURRENCY: String(CONSUMER_CONCURRENCY),
      BENCH_CALLS_FILE: callsFile,
    },
    'ignore',
  );
  let stopped = false;
  try {
    const { url, queues, dynamoEndpoint, sqsEndpoint, tableName } = runtime.ready;
    const sqs = localSqsClient(sqsEndpoint);
    const answersFile = join(dir, 'answers.json');
    const started = Date.now();
    const sent = await load(`${url}/vk/callback`, { seconds, rate, first: 1 }, answersFile);
    const loadEnded = Date.now();
    while ((await inFlight(sqs, queues)) > 0 && Date.now() - loadEnded < DRAIN_TIMEOUT_MS)
      await new Promise((resolve) => setTimeout(resolve, 500));
    const drainedAfterMs = Date.now() - loadEnded;

    const answeredAt = JSON.parse(readFileSync(answersFile, 'utf8')) as Record<string, number>;
    const inquiries = await new DynamoInquiryRepository(
      DynamoDBDocumentClient.from(localDynamoClient(dynamoEndpoint)),
      tableName,
    ).listAll();
    const latencies: number[] = [];
    let lastCreated = started;
    for (const inquiry of inquiries) {
      const answered = answeredAt[inquiry.sourceEventKey.replace(/^e:/, '')];
      const created = Date.parse(inquiry.createdAt);
      lastCreated = Math.max(lastCreated, created);
      if (answered !== undefined) latencies.push(created - answered);
    }
    latencies.sort((a, b) => a - b);
    const accepted = Object.keys(answeredAt).length;
    await runtime.stop();
    stopped = true;
    const calls = JSON.parse(readFileSync(callsFile, 'utf8')) as Record<string, number>;
    return {
      offeredRate: rate,
      consumerConcurrency: CONSUMER_CONCURRENCY,
      seconds,
      accepted,
      notAccepted: sent.notOk,
      inquiries: inquiries.length,
      missing: accepted - latencies.length,
      eventsPerSecond: round(inquiries.length / ((lastCreated - started) / 1000), 0),
      okToInquiryMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: latencies.at(-1),
      },
      ingestLatencyMs: sent.latencyMs,
      drainedAfterLoadMs: drainedAfterMs,
      /** The functions' DynamoDB and SQS calls (not the pollers'), by command, per inquiry made. */
      callsPerEvent: Object.fromEntries(
        Object.entries(calls).map(([command, count]) => [command, round(count / inquiries.length, 2)]),
      ),
    };
  } finally {
    if (!stopped) await runtime.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/pipeline.ts [rate] [seconds]`: this benchmark alone, its figures printed as JSON.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [rate = 200, seconds = 30] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await pipeline(rate, seconds), null, 2));
}
