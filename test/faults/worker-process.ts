import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { QueueName } from '../../lib/resources.js';
import type { ConsumerOptions, FunctionEnvironment } from '../../local/runtime.js';

const WORKER = new URL('../../local/worker.ts', import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves on the next `batch start` line of that queue the worker prints. */
  nextBatchStart(queue: QueueName, timeoutMs?: number): Promise<void>;
  /** What the worker wrote to stderr: shown when a case fails. */
  errors: string[];
  /** SIGKILL, no chance to settle anything; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: stops after the batches in flight. */
  stop(): Promise<void>;
}

/** Starts local/worker.ts (the consumers alone) against a runtime's emulators and queues; resolves once it polls. */
export async function startWorker(
  environment: FunctionEnvironment,
  consumers: Pick<ConsumerOptions, 'retryDelaySeconds' | 'visibilityTimeoutSeconds'>,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, ...env, LOCAL_WORKER: JSON.stringify({ environment, consumers }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => errors.push(chunk));
  const waiting: { line: string; resolve: () => void }[] = [];
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) =>
      reject(new Error(`worker ended (${code}) before it was ready: ${errors.join('')}`)),
    );
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line === 'ready') ready();
    for (const waiter of waiting.filter((candidate) => candidate.line === line.replace(/ \d+$/, ''))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  await isReady;
  const exited = once(child, 'exit');
  return {
    child,
    errors,
    nextBatchStart: (queue, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${queue} batch within ${timeoutMs} ms: ${errors.join('')}`)),
          timeoutMs,
        );
        waiting.push({
          line: `batch start ${queue}`,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
