/**
 * The whole pipeline under a steady load: VK events POSTed at a fixed rate for a fixed time to the local
 * runtime (ingest and the stand-in VK in one process; the consumers in worker processes, `CONSUMER_WORKERS`;
 * dynalite and fauxqs in another; the load generator in another), after a warm-up, until every event is a
 * routed inquiry in DynamoDB. Events/s is the inquiries made over the time from the first request to the
 * last inquiry; the latency is each inquiry's createdAt minus the moment its `ok` came back to the load
 * generator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import type { QueueName } from '../lib/resources.js';
import { localDynamoClient, localSqsClient, type QueueUrls } from '../local/emulators.js';
import type { FunctionEnvironment } from '../local/runtime.js';
import { failureOf } from '../ops/command-line.js';
import { load } from './http.js';
import { startChild } from './support/child.js';
import { benchArguments } from './support/command-line.js';
import { type ConsumerWorker, startConsumerWorker } from './support/consumer-worker.js';
import { childrenOf, coreUse } from './support/process-cpu.js';
import { percentile, round } from './support/stats.js';
import { inTemporaryDirectory } from './support/temp-dir.js';

interface RuntimeReady {
  url: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queues: QueueUrls;
  functionEnvironment: FunctionEnvironment;
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

/**
 * The consumers' processes and the queues each one consumes. In AWS each function has instances and cores
 * of its own; in one process the consumers shared one core with ingest and were the limit.
 */
export const CONSUMER_WORKERS: QueueName[][] = [['events'], ['routing', 'outbox', 'answers']];

/**
 * Batches each consumer handles at a time: five to start with, as Lambda's SQS event source mapping does,
 * then one more at a time while receives come back full, up to the queue's maximum concurrency of
 * lib/resources.ts (ten for the events and routing queues, five for the outbox), as Lambda adds batches
 * while messages are still available (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
 * A batch waits on several round trips to the emulators, so the batches in hand, not only the cores, bound
 * what a consumer gets through.
 */
export const CONSUMER_CONCURRENCY = { start: 5, most: 10 } as const;

/**
 * Seconds of load before the measured run, at the same rate, then a wait until the queues are empty: the
 * functions' code is compiled and their connections opened, as in warm Lambda instances. Its events
 * (numbered from WARM_UP_FIRST) are left out of every figure.
 */
const WARM_UP_SECONDS = 10;
const WARM_UP_FIRST = 0x40000000;

/** The pollers' and the set-up's calls: counted apart from the functions' own. */
const NOT_THE_FUNCTIONS = new Set([
  'ReceiveMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'GetQueueAttributes',
  'CreateTable',
  'DescribeTable',
]);

/** Sums the calls counted in each process (count-calls.ts) by operation. */
function sumCalls(files: string[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const file of files)
    for (const [operation, count] of Object.entries(
      JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>,
    ))
      total[operation] = (total[operation] ?? 0) + count;
  return total;
}

/**
 * The functions log and count as they do in AWS: a line at INFO for each event the classifier and the
 * router handle, and the router's counts as metric lines. Their cost of writing stays in the figures.
 */
const AS_IN_AWS = { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' };

export const pipeline = (rate: number, seconds: number) =>
  inTemporaryDirectory('pipeline-bench-', (dir) => measurePipeline(dir, rate, seconds));

/** The processes' call counts and the load's answers are written in `dir`. */
async function measurePipeline(dir: string, rate: number, seconds: number) {
  const callsFiles = [join(dir, 'calls-runtime.json')];
  const runtime = await startChild<RuntimeReady>(
    '../servers/runtime.ts',
    { ...AS_IN_AWS, BENCH_CONSUMERS: 'false', BENCH_CALLS_FILE: callsFiles[0] as string },
    'ignore',
  );
  const workers: ConsumerWorker[] = [];
  let stopped = false;
  try {
    const { url, queues, dynamoEndpoint, sqsEndpoint, tableName, functionEnvironment } = runtime.ready;
    for (const [index, consumed] of CONSUMER_WORKERS.entries()) {
      const callsFile = join(dir, `calls-worker-${index}.json`);
      callsFiles.push(callsFile);
      workers.push(
        await startConsumerWorker(
          functionEnvironment,
          consumed,
          callsFile,
          CONSUMER_CONCURRENCY.start,
          CONSUMER_CONCURRENCY.most,
          AS_IN_AWS,
        ),
      );
    }
    const sqs = localSqsClient(sqsEndpoint);
    const drain = async (since: number) => {
      while ((await inFlight(sqs, queues)) > 0 && Date.now() - since < DRAIN_TIMEOUT_MS)
        await new Promise((resolve) => setTimeout(resolve, 500));
      return Date.now() - since;
    };
    await load(`${url}/vk/callback`, { seconds: WARM_UP_SECONDS, rate, first: WARM_UP_FIRST });
    await drain(Date.now());

    const answersFile = join(dir, 'answers.json');
    const started = Date.now();
    const emulators = childrenOf(runtime.process.pid ?? 0).find((child) =>
      child.command.includes('emulator-process'),
    );
    const coresUsed = coreUse({
      'runtime (ingest, stand-in VK)': runtime.process.pid,
      'emulators (dynalite, fauxqs)': emulators?.pid,
      ...Object.fromEntries(
        workers.map((worker, index) => [
          `consumers of ${CONSUMER_WORKERS[index]?.join(', ')}`,
          worker.process.pid,
        ]),
      ),
    });
    const sent = await load(`${url}/vk/callback`, { seconds, rate, first: 1 }, answersFile);
    const coresUsedUnderLoad = coresUsed();
    const drainedAfterMs = await drain(Date.now());

    const answeredAt = JSON.parse(readFileSync(answersFile, 'utf8')) as Record<string, number>;
    const eventNumber = (inquiry: { sourceEventKey: string }) =>
      Number.parseInt(inquiry.sourceEventKey.replace(/^e:/, ''), 16);
    const allInquiries = await new DynamoInquiryRepository(
      DynamoDBDocumentClient.from(localDynamoClient(dynamoEndpoint)),
      tableName,
    ).listAll();
    const inquiries = allInquiries.filter((inquiry) => eventNumber(inquiry) < WARM_UP_FIRST);
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
    await Promise.all(workers.map((worker) => worker.stop()));
    await runtime.stop();
    stopped = true;
    const calls = sumCalls(callsFiles);
    const perEvent = (include: boolean) =>
      Object.fromEntries(
        Object.entries(calls)
          .filter(([operation]) => NOT_THE_FUNCTIONS.has(operation) !== include)
          // The processes' calls since they started: the warm-up's inquiries count too.
          .map(([operation, count]) => [operation, round(count / allInquiries.length, 2)]),
      );
    return {
      offeredRate: rate,
      warmUpSeconds: WARM_UP_SECONDS,
      consumerWorkers: CONSUMER_WORKERS,
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
      /**
       * Cores each process used while the load ran, and the whole machine (the load generator too): how
       * near the machine's cores the pipeline ran, and which process used them.
       */
      coresUsedUnderLoad,
      /** The functions' DynamoDB and SQS calls by operation, per inquiry made. */
      callsPerEvent: perEvent(true),
      /** The pollers' receives, deletes and releases (and the set-up's few calls), per inquiry made. */
      pollerCallsPerEvent: perEvent(false),
    };
  } finally {
    if (!stopped) {
      await Promise.all(workers.map((worker) => worker.stop()));
      await runtime.stop();
    }
  }
}

// `npx tsx bench/pipeline.ts [rate] [seconds]`: this benchmark alone, its figures printed as JSON.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const usage = `The whole pipeline under a steady load (docs/benchmarks.md): VK events POSTed to the local runtime at
<rate> a second (default 220) for <seconds> (default 30), after a warm-up, until each is a routed inquiry.
Prints its figures as JSON; bench/results/ is left as it is.

  npx tsx bench/pipeline.ts [rate] [seconds]`;
  const [rate = 220, seconds = 30] = benchArguments('bench/pipeline.ts', usage, 2).map(Number);
  if (!(rate > 0 && seconds > 0))
    failureOf('bench/pipeline.ts')(`the rate and the seconds must be positive numbers\n\n${usage}`, 2);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  console.log(JSON.stringify(await pipeline(rate, seconds), null, 2));
}
