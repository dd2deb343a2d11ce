import { currentInvocation } from './calls-after-timeout.js';

/** Lambda's names for a Node function's runtime ended by an error nobody handled. */
export type CrashType = 'Runtime.UnhandledPromiseRejection' | 'Runtime.ExitError';

/** An invocation failed by an error its handler left uncaught, as Lambda reports it. */
export class FunctionCrashed extends Error {
  constructor(
    readonly functionName: string,
    readonly type: CrashType,
    cause: unknown,
  ) {
    super(`${functionName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = type;
    // Its cause's stack says where: this one's would only show the listener.
    this.stack = `${type}: ${this.message}`;
  }
}

const described = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

let listening = false;

/**
 * Keeps the local runtime running through an error nobody handles, as Lambda keeps a function's other
 * environments running: Node's default would stop the process, every function with it. Lambda's Node runtime
 * fails the invocation under way and ends that environment (a rejection: `Runtime.UnhandledPromiseRejection`;
 * an uncaught exception: the runtime exits, `Runtime.ExitError`). Here the invocation whose async context the
 * error came from (calls-after-timeout.ts) fails with FunctionCrashed, its calls from then on fail, and its
 * function's environment is reset (execution-environment.ts). One from an invocation that had already ended
 * resets its environment too, and is logged with its function; one from no invocation is logged as it is.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 * https://repost.aws/knowledge-center/lambda-runtime-error
 */
export function keepRunningThroughCrashes(log: (line: string) => void = (line) => console.error(line)): void {
  if (listening) return;
  listening = true;
  const crashed = (type: CrashType) => (error: unknown) => {
    const invocation = currentInvocation();
    const functionName = invocation?.functionName;
    if (!functionName) {
      log(`${type} outside any invocation (the local runtime goes on): ${described(error)}`);
      return;
    }
    invocation.resetEnvironment?.();
    // One that failed its invocation is reported where the invocation's failure is (the HTTP server's, the
    // poller's or the schedule's error log).
    if (invocation.crashed?.(new FunctionCrashed(functionName, type, error))) return;
    log(`${functionName}: ${type} after its invocation ended, its environment is reset: ${described(error)}`);
  };
  process.on('unhandledRejection', crashed('Runtime.UnhandledPromiseRejection'));
  process.on('uncaughtException', crashed('Runtime.ExitError'));
}
