import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { QueueName } from '../../lib/resources.js';
import type { FunctionEnvironment } from '../../local/runtime.js';

const WORKER = new URL('../../local/worker.ts', import.meta.url).pathname;
const COUNT_CALLS = new URL('./count-calls.ts', import.meta.url).pathname;

export interface ConsumerWorker {
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts local/worker.ts with the consumers of `queues`, in a process of its own (as each function has its own
 * instances in AWS), counting its DynamoDB and SQS calls into `callsFile`; resolves once it polls.
 */
export async function startConsumerWorker(
  environment: FunctionEnvironment,
  queues: QueueName[],
  callsFile: string,
  consumerConcurrency = 1,
  consumerMaxConcurrency = consumerConcurrency,
  env: Record<string, string> = {},
): Promise<ConsumerWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', COUNT_CALLS, WORKER], {
    env: {
      ...process.env,
      ...env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BENCH_CALLS_FILE: callsFile,
      LOCAL_WORKER: JSON.stringify({
        environment,
        queues,
        consumers: { consumerConcurrency, consumerMaxConcurrency },
      }),
    },
    // stdout carries `ready`, the batch lines and the functions' log lines (read and dropped: their cost of
    // writing stays); errors go to the benchmark's stderr.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`consumer worker ended (${code}) before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'ready') resolve();
    });
  });
  return {
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
