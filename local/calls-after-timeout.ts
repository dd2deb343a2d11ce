import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * An invocation, as the calls its handler makes know it: whether its timeout has passed, and how it failed;
 * and, for an error its handler leaves uncaught (local/crashes.ts), whose it is and what to do with it.
 */
export interface InvocationDeadline {
  /** Set at the function's timeout: the error each call made from then on fails with. */
  passed?: () => Error;
  /** The function invoked. */
  functionName?: string;
  /** Fails the invocation with `error` if it is still under way (then true), as Lambda fails a crashed one. */
  crashed?: (error: Error) => boolean;
  /** Resets the execution environment the invocation ran in, unless it has been reset since. */
  resetEnvironment?: () => void;
}

const invocations = new AsyncLocalStorage<InvocationDeadline>();
let stopping = false;

/**
 * Lambda stops a function at its timeout (it freezes the execution environment, and starts the next
 * invocation in a fresh one): nothing the handler would have done after reaches DynamoDB, SQS or VK. Here the
 * handler cannot be stopped, so every call it makes from then on fails before it leaves the process: each
 * request of node:http (the AWS SDK's clients, ingest's signed SQS calls) and each `fetch` (the VK client). A
 * call sent before the timeout goes on, as one sent reaches AWS. The functions' clients are shared by the
 * invocations of this process (one per module, as in a Lambda container), so a call is told by the async
 * context it was made in: the invocation's, which `runWithin` gives the handler. Calls made outside any
 * invocation (a poller deleting its batch, a test looking at the table) are left as they are.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
function stopCallsAfterTimeout(): void {
  if (stopping) return;
  stopping = true;
  subscribe('http.client.request.start', (message) => {
    const passed = invocations.getStore()?.passed;
    if (passed) (message as { request: ClientRequest }).request.destroy(passed());
  });
  const fetchAsItIs = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const passed = invocations.getStore()?.passed;
    return passed ? Promise.reject(passed()) : fetchAsItIs(input, init);
  };
}

/** Runs a handler as one invocation: once `deadline.passed` is set, the calls it makes fail with its error. */
export function runWithin<T>(deadline: InvocationDeadline, handler: () => T): T {
  stopCallsAfterTimeout();
  return invocations.run(deadline, handler);
}

/** The invocation whose async context this is: the handler's, and every callback and promise it started. */
export const currentInvocation = (): InvocationDeadline | undefined => invocations.getStore();

/**
 * A call to an in-process stand-in (the deadline digests `npm start` records instead of publishing to SNS)
 * that fails, as the calls to the emulators do, once the timeout of the invocation making it has passed.
 */
export const failingAfterTimeout =
  <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
  (...args: A): Promise<R> => {
    const passed = invocations.getStore()?.passed;
    return passed ? Promise.reject(passed()) : call(...args);
  };
