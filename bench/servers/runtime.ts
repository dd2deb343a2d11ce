/**
 * The local runtime as a server for the benchmarks, in a process of its own: the ingest function behind the
 * local HTTP server, the emulators in a child process (BENCH_EMULATORS=in-process keeps them here), the
 * consumers only with BENCH_CONSUMERS=true. Sends its URL and endpoints to the parent; SIGTERM stops it.
 */
import { writeFileSync } from 'node:fs';
import { documentClient, sqsClient } from '../../lambdas/adapters/aws-clients.js';
import { startLocalRuntime } from '../../local/runtime.js';
import { CONFIG_FILE, SECRETS_FILE } from '../support/vk-events.js';

let errors = 0;
const runtime = await startLocalRuntime({
  port: 0,
  configFile: CONFIG_FILE,
  secretsFile: SECRETS_FILE,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'INFO',
  emulatorsAt: process.env.BENCH_EMULATORS === 'in-process' ? 'in-process' : 'child-process',
  startConsumers: process.env.BENCH_CONSUMERS === 'true',
  consumerConcurrency: Number(process.env.BENCH_CONSUMER_CONCURRENCY ?? 1),
  escalatorIntervalMs: 0,
  onError: () => {
    errors++;
  },
});
// The functions' calls to DynamoDB and SQS by command (the pollers' receive and delete calls use a client of
// their own and are not counted): written to BENCH_CALLS_FILE on stop.
const calls: Record<string, number> = {};
const countCalls = {
  name: 'benchCountCalls',
  step: 'initialize' as const,
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per client
  middleware: (next: any, context: { commandName?: string }) => (args: unknown) => {
    const name = context.commandName ?? 'unknown';
    calls[name] = (calls[name] ?? 0) + 1;
    return next(args);
  },
};
if (process.env.BENCH_CALLS_FILE) {
  documentClient().middlewareStack.add(countCalls.middleware, countCalls);
  sqsClient().middlewareStack.add(countCalls.middleware, countCalls);
}

process.send?.({
  url: runtime.url,
  dynamoEndpoint: runtime.emulators.dynamoEndpoint,
  sqsEndpoint: runtime.emulators.sqsEndpoint,
  tableName: runtime.tableName,
  queues: runtime.queues,
});
process.on('SIGTERM', async () => {
  await runtime.stop();
  if (process.env.BENCH_CALLS_FILE) writeFileSync(process.env.BENCH_CALLS_FILE, JSON.stringify(calls));
  if (errors > 0) console.error(`local runtime: ${errors} errors while serving the benchmark`);
  process.exit(0);
});
