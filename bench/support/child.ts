import { type ChildProcess, fork } from 'node:child_process';

export interface Child<T> {
  process: ChildProcess;
  /** What the child sent first: its address, its figures. */
  ready: T;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript file of the benchmark in a Node process of its own (through tsx), so that servers, load
 * generator and emulators do not share an event loop, and waits for its first IPC message.
 */
export async function startChild<T>(
  file: string,
  env: Record<string, string> = {},
  output: 'inherit' | 'ignore' = 'inherit',
): Promise<Child<T>> {
  const child = fork(new URL(file, import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    // The functions' log lines (JSON, one per event at INFO) go nowhere, as in a benchmark they would
    // only flood the terminal; their cost of writing stays.
    stdio: ['ignore', output, 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<T>((resolve, reject) => {
      child.once('error', reject);
      child.once('message', (message) => resolve(message as T));
    }),
    exited.then((code) => {
      throw new Error(`${file} ended (${code}) before it answered`);
    }),
  ]);
  return {
    process: child,
    ready,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a child to its end and returns the one message it sends: a measurement. */
export async function runChild<T>(file: string, env: Record<string, string> = {}): Promise<T> {
  const child = await startChild<T>(file, env);
  await child.stop();
  return child.ready;
}
