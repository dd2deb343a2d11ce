import { expect, it } from 'vitest';
import { currentInvocation, failingAfterTimeout } from '../../local/calls-after-timeout.js';
import { invoke, TaskTimedOut } from '../../local/invocation.js';

/** The local runtime invokes a function as Lambda does: within its timeout, or `Task timed out`. */
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

it("ends in Task timed out at the function's timeout, and ignores what the handler answers later", async () => {
  let answered = false;
  let resets = 0;
  const startedAt = Date.now();
  const invocation = invoke(
    'escalator',
    0.1,
    async () => {
      await after(300, undefined);
      answered = true;
      return 'late';
    },
    { onTimeout: () => resets++ },
  );
  const error = await invocation.outcome.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TaskTimedOut);
  // Told at the timeout, so that the function's next invocation runs in a fresh execution environment.
  expect(resets).toBe(1);
  expect(String(error)).toContain('escalator: Task timed out after 0.10 seconds');
  expect(Date.now() - startedAt).toBeLessThan(250);
  expect(answered).toBe(false);
  // The handler cannot be stopped: what runs after a timed-out run waits for it to end.
  await invocation.handlerEnded;
  expect(answered).toBe(true);
});

it('gives the handler its context and passes on its answer or its error when it ends in time', async () => {
  let resets = 0;
  const answer = invoke(
    'router',
    30,
    async (context) => ({
      name: context.functionName,
      left: context.getRemainingTimeInMillis(),
    }),
    { onTimeout: () => resets++ },
  );
  const { name, left } = await answer.outcome;
  expect(name).toBe('router');
  expect(left).toBeGreaterThan(29_000);
  expect(left).toBeLessThanOrEqual(30_000);
  const failed = invoke(
    'router',
    30,
    async () => {
      throw new Error('no table');
    },
    { onTimeout: () => resets++ },
  );
  await expect(failed.outcome).rejects.toThrow('no table');
  await expect(failed.handlerEnded).resolves.toBeUndefined();
  // An error is no timeout: the environment is kept, as Lambda keeps it after a function's error.
  expect(resets).toBe(0);
});

it('fails an invocation its handler crashed, and each call it makes from then on, until the handler ends', async () => {
  const crash = new Error('router: a rejection nobody handles');
  const call = failingAfterTimeout(async () => 'sent');
  const calls: string[] = [];
  let told: boolean | undefined;
  const invocation = invoke('router', 30, async () => {
    calls.push(await call());
    // What local/crashes.ts does with an error nobody handled in this invocation's async context.
    told = currentInvocation()?.crashed?.(crash);
    await after(50, undefined);
    calls.push(await call().catch((error: Error) => error.message));
    return 'answered';
  });
  await expect(invocation.outcome).rejects.toBe(crash);
  expect(told).toBe(true);
  await invocation.handlerEnded;
  expect(calls).toEqual(['sent', crash.message]);
});

it('tells a crash after the invocation ended that it no longer fails it', async () => {
  let later: (() => boolean | undefined) | undefined;
  const invocation = invoke('router', 30, async () => {
    const invocationOf = currentInvocation();
    later = () => invocationOf?.crashed?.(new Error('late'));
    return 'answered';
  });
  expect(await invocation.outcome).toBe('answered');
  expect(later?.()).toBe(false);
});
