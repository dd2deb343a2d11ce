import type { Context } from 'aws-lambda';
import { expect, it } from 'vitest';
import { currentInvocation } from '../../local/calls-after-timeout.js';
import { ExecutionEnvironment, MOST_RESETS } from '../../local/execution-environment.js';
import { invoke } from '../../local/invocation.js';

const context = {} as Context;

it('runs init once for invocations in time, again after each reset, and no more past the most resets', async () => {
  const generations: number[] = [];
  const warnings: string[] = [];
  const environment = new ExecutionEnvironment(
    'router',
    async (generation) => {
      generations.push(generation);
      return async (event: string) => `${event} in ${generation}`;
    },
    (line) => warnings.push(line),
  );
  await environment.start();
  expect(await environment.invoke('a', context)).toBe('a in 0');
  expect(await environment.invoke('b', context)).toBe('b in 0');
  expect(generations).toHaveLength(1);
  environment.reset();
  // Init waits for the next invocation, as Lambda's after a reset.
  expect(generations).toHaveLength(1);
  expect(await environment.invoke('c', context)).not.toBe('c in 0');
  expect(generations).toHaveLength(2);
  for (let reset = 1; reset < MOST_RESETS + 5; reset++) {
    environment.reset();
    await environment.invoke('d', context);
  }
  expect(generations).toHaveLength(MOST_RESETS + 1);
  expect(new Set(generations).size).toBe(generations.length);
  expect(warnings).toEqual([
    `router: ${MOST_RESETS} resets (timeouts, crashes), its environment is no longer reset (each reset keeps memory): restart the local runtime for a fresh one`,
  ]);
});

it('fails the invocation whose init after a reset fails, and tries init again at the next', async () => {
  let fails = false;
  const environment = new ExecutionEnvironment('ingest', async (generation) => {
    if (fails) throw new Error(`init ${generation} failed`);
    return async () => 'answered';
  });
  expect(await environment.start()).toBe(true);
  fails = true;
  environment.reset();
  await expect(environment.invoke(undefined, context)).rejects.toThrow(/init \d+ failed/);
  fails = false;
  expect(await environment.invoke(undefined, context)).toBe('answered');
});

it('marks a function whose init fails at the start failed, says so, and fails each invocation with that error', async () => {
  let inits = 0;
  const alarms: string[] = [];
  const environment = new ExecutionEnvironment(
    'ingest',
    async () => {
      inits++;
      if (inits === 1) throw new Error('init failed');
      return async () => 'answered';
    },
    () => undefined,
    (line) => alarms.push(line),
  );
  expect(await environment.start()).toBe(false);
  expect(alarms).toEqual([expect.stringMatching(/^ingest: ITS INIT FAILED.*\nError: init failed\n/)]);
  await expect(environment.invoke(undefined, context)).rejects.toThrow('init failed');
  await expect(environment.invoke(undefined, context)).rejects.toThrow('init failed');
  expect(inits).toBe(1);
});

it('resets the environment an invocation crashed in, not the one made since', async () => {
  let generation = -1;
  const environment = new ExecutionEnvironment('router', async (made) => {
    generation = made;
    return async () => made;
  });
  await environment.start();
  /** Each invocation's reset, as local/crashes.ts calls it for an error nobody handled in it. */
  const resetters: (() => void)[] = [];
  const invokeTelling = () =>
    invoke('router', 30, (invocationContext) => {
      const answer = environment.invoke(undefined, invocationContext);
      const invocation = currentInvocation();
      resetters.push(() => invocation?.resetEnvironment?.());
      return answer;
    }).outcome;
  expect(await invokeTelling()).toBe(0);
  resetters[0]?.();
  expect(await invokeTelling()).not.toBe(0);
  const second = generation;
  // The first invocation's environment is gone already: a second crash of it leaves the new one be.
  resetters[0]?.();
  expect(await invokeTelling()).toBe(second);
});
