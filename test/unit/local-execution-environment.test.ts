import type { Context } from 'aws-lambda';
import { expect, it } from 'vitest';
import { ExecutionEnvironment, MOST_RESETS } from '../../local/execution-environment.js';

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
    `router: ${MOST_RESETS} timeouts, its environment is no longer reset (each reset keeps memory): restart the local runtime for a fresh one`,
  ]);
});

it('fails the invocation whose init fails, and tries init again at the next', async () => {
  let fails = true;
  const environment = new ExecutionEnvironment('ingest', async (generation) => {
    if (fails) throw new Error(`init ${generation} failed`);
    return async () => 'answered';
  });
  await expect(environment.start()).rejects.toThrow('init 0 failed');
  await expect(environment.invoke(undefined, context)).rejects.toThrow(/init \d+ failed/);
  fails = false;
  expect(await environment.invoke(undefined, context)).toBe('answered');
});
