/**
 * The local runtime as a server for the benchmarks, in a process of its own: the ingest function behind the
 * local HTTP server, the emulators in a child process (BENCH_EMULATORS=in-process keeps them here), the
 * consumers only with BENCH_CONSUMERS=true (otherwise worker processes, local/worker.ts, may consume the queues
 * through the functionEnvironment it sends). Sends its URL and endpoints to the parent; SIGTERM stops it.
 */
// With BENCH_CALLS_FILE: this process's DynamoDB and SQS calls, by operation, written there on exit.
import '../support/count-calls.js';
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
process.send?.({
  url: runtime.url,
  dynamoEndpoint: runtime.emulators.dynamoEndpoint,
  sqsEndpoint: runtime.emulators.sqsEndpoint,
  tableName: runtime.tableName,
  queues: runtime.queues,
  functionEnvironment: runtime.functionEnvironment,
});
process.on('SIGTERM', async () => {
  await runtime.stop();
  if (errors > 0) console.error(`local runtime: ${errors} errors while serving the benchmark`);
  process.exit(0);
});
