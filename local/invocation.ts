import type { Context } from 'aws-lambda';
import { type InvocationDeadline, runWithin } from './calls-after-timeout.js';
import { lambdaContext } from './lambda-context.js';

/** An invocation that outran its function's timeout, in the words of Lambda's log line. */
export class TaskTimedOut extends Error {
  constructor(
    readonly functionName: string,
    readonly timeoutSeconds: number,
  ) {
    super(`${functionName}: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'TaskTimedOut';
  }
}

interface Invocation<T> {
  /** The handler's answer or error, or TaskTimedOut once the function's timeout has passed first. */
  outcome: Promise<T>;
  /** Settles (never rejects) when the handler itself has ended, which may be after its timeout. */
  handlerEnded: Promise<void>;
}

/**
 * One invocation of a function as Lambda runs it: the handler gets a context counting down from the function's
 * timeout, and when the timeout comes first the invocation ends in `Task timed out`, whatever the handler
 * answers later. Lambda then stops the handler where it is; here it cannot be stopped: it runs on, its answer
 * or error is ignored, and each call it makes from then on to DynamoDB, SQS or VK fails with `Task timed out`
 * (calls-after-timeout.ts): what it would have written after does not land. A call sent before still reaches
 * the emulators, as a call already sent reaches AWS. `stopCallsAfterTimeout: false` leaves them be: for a
 * benchmark of the handler's own cost, which the async context that tells the calls apart would add to
 * (Lambda's freeze costs the function nothing). `onTimeout` is told when the timeout passes: Lambda then resets
 * the function's execution environment (execution-environment.ts). An error the handler leaves uncaught fails
 * the invocation the same way, once local/crashes.ts listens for such errors.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export function invoke<T>(
  functionName: string,
  timeoutSeconds: number,
  handler: (context: Context) => Promise<T>,
  {
    stopCallsAfterTimeout = true,
    onTimeout,
  }: { stopCallsAfterTimeout?: boolean; onTimeout?: () => void } = {},
): Invocation<T> {
  const context = lambdaContext(functionName, timeoutSeconds);
  let crash: ((error: Error) => void) | undefined;
  const crashed = new Promise<never>((_, reject) => {
    crash = reject;
  });
  let ended = false;
  const deadline: InvocationDeadline = {
    functionName,
    // An error the handler left uncaught (local/crashes.ts) fails the invocation still under way, and, as
    // after its timeout, every call it makes from then on: Lambda would have ended its runtime.
    crashed: (error) => {
      if (ended) return false;
      deadline.passed ??= () => error;
      crash?.(error);
      return true;
    },
  };
  let running: Promise<T>;
  try {
    running = stopCallsAfterTimeout ? runWithin(deadline, () => handler(context)) : handler(context);
  } catch (error) {
    running = Promise.reject(error);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.passed = () => new TaskTimedOut(functionName, timeoutSeconds);
      onTimeout?.();
      reject(deadline.passed());
    }, context.getRemainingTimeInMillis());
  });
  return {
    outcome: Promise.race([running, timedOut, crashed]).finally(() => {
      ended = true;
      clearTimeout(timer);
    }),
    handlerEnded: running.then(
      () => undefined,
      () => undefined,
    ),
  };
}

/** A scheduled function's runs, one at a time, with a timer that starts one every `intervalMs` if none is on. */
interface ScheduledRuns<T> {
  /** A run now, once the one before has ended (its handler, not only its invocation). */
  runOnce(): Promise<T>;
  /** Stops the timer, and settles once the run under way, if any, has ended. */
  stop(): Promise<void>;
}

/**
 * A scheduled function as the local runtime runs it: one run at a time (as in AWS, where a run's timeout ends
 * it long before the next is due), each an invocation within the function's timeout. A run that outran its
 * timeout fails with `Task timed out` but cannot be stopped here, so the next waits until it has ended: two runs
 * never overlap. `intervalMs` 0: only through `runOnce()`.
 */
export function scheduledRuns<T>(
  functionName: string,
  timeoutSeconds: number,
  handler: (context: Context) => Promise<T>,
  intervalMs: number,
  onError: (error: unknown) => void,
  onTimeout?: () => void,
): ScheduledRuns<T> {
  let running: Promise<void> | undefined;
  const runOnce = async (): Promise<T> => {
    while (running !== undefined) await running;
    const run = invoke(functionName, timeoutSeconds, handler, { ...(onTimeout && { onTimeout }) });
    running = run.handlerEnded.finally(() => {
      running = undefined;
    });
    return run.outcome;
  };
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (!running) runOnce().catch(onError);
        }, intervalMs)
      : undefined;
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
