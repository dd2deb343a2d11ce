import { expect, it } from 'vitest';
import { runTsx } from '../support/cli.js';

/**
 * Lambda keeps a function's execution environment from one invocation to the next (module state and all), and
 * resets it when an invocation times out: the next runs init again, in fresh modules. The local runtime does
 * the same, with Node loading the modules as under `npm start` (a child process: a test runner evaluates
 * modules itself). https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
it('keeps a module cache between invocations, and runs init anew in fresh modules after a timeout', async () => {
  const run = await runTsx('test/fixtures/execution-environment/run.ts', []);
  expect(run.stderr).toBe('');
  const outcomes = Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: string; outcome: unknown })
      .map(({ step, outcome }) => [step, outcome]),
  );
  expect(outcomes).toEqual({
    first: { cached: 'a', instance: 1 },
    // Warm: the cache the first invocation filled is kept.
    warm: { cached: 'a', instance: 1 },
    'timed out': { error: 'fixture: Task timed out after 0.20 seconds' },
    // A fresh instance of the cache module itself, not only of the handler's.
    'after the timeout': { cached: 'd', instance: 2 },
    'timed out again': { error: 'fixture: Task timed out after 0.20 seconds' },
    // Init fails the invocation; the next tries init again.
    'init fails': { error: 'init failed' },
    'after the failed init': { cached: 'g', instance: 4 },
    'warm again': { cached: 'g', instance: 4 },
  });
});
