/**
 * The consumers of the local runtime (classifier, router, responder behind their SQS pollers) in a process of
 * their own, against emulators and queues that another process started: a consumer can then die (SIGKILL)
 * and come back while the emulators, the queues and the HTTP ingest keep running, as Lambda's consumers do.
 *
 *   LOCAL_WORKER  JSON: { "environment": <FunctionEnvironment>, "consumers": { retryDelaySeconds,
 *                 visibilityTimeoutSeconds, consumerConcurrency } }, e.g. a runtime's `functionEnvironment`
 *                 started with `startConsumers: false`; "queues": the consumers to run (default: all), so that
 *                 several workers can share the queues out between them
 *
 * Prints `ready` once it polls, and `batch start <queue> <size>` / `batch end <queue> <size>` for each batch;
 * errors go to stderr. SIGTERM or SIGINT stops it after the batches in flight.
 */
import type { QueueName } from '../lib/resources.js';
import { keepRunningThroughCrashes } from './crashes.js';
import { localSqsClient } from './emulators.js';
import {
  type ConsumerOptions,
  createConsumerPollers,
  type FunctionEnvironment,
  setFunctionEnvironment,
} from './runtime.js';

interface WorkerOptions {
  environment: FunctionEnvironment;
  consumers?: Pick<
    ConsumerOptions,
    'retryDelaySeconds' | 'visibilityTimeoutSeconds' | 'consumerConcurrency' | 'consumerMaxConcurrency'
  >;
  queues?: QueueName[];
}

const raw = process.env.LOCAL_WORKER;
if (!raw) {
  console.error(
    'LOCAL_WORKER is not set: the emulators, queues and options to consume (see local/worker.ts)',
  );
  process.exit(1);
}
const options = JSON.parse(raw) as WorkerOptions;

setFunctionEnvironment(options.environment);
const pollers = await createConsumerPollers(
  localSqsClient(options.environment.sqsEndpoint),
  options.environment.queues,
  {
    ...options.consumers,
    // One write per line: a parent reading stdout sees each batch as it starts.
    onBatch: (queue, stage, size) => process.stdout.write(`batch ${stage} ${queue} ${size}\n`),
    onError: (error) => console.error(error),
  },
);
// A consumer's error that nobody handles fails its batch, not the worker (local/crashes.ts).
keepRunningThroughCrashes();
const running = options.queues ? options.queues.map((queue) => pollers[queue]) : Object.values(pollers);
for (const poller of running) poller.start();
process.stdout.write('ready\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // A stop that fails exits all the same (the crash listener would otherwise leave it half-stopped).
  await Promise.all(running.map((poller) => poller.stop())).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
