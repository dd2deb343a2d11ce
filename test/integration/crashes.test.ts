import { expect, it } from 'vitest';
import { runTsx } from '../support/cli.js';

/**
 * An error a handler leaves unhandled ends, in Lambda, that invocation and that execution environment only
 * (Runtime.UnhandledPromiseRejection, or Runtime.ExitError for an uncaught exception); a handler module that
 * throws at init fails each invocation. The local runtime does the same instead of stopping, as Node would,
 * with every function in it: the fixture runs as `npm start` runs a function (a child process, Node loading
 * the modules). https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
const run = async (env: Record<string, string> = {}) => {
  const { code, stdout, stderr } = await runTsx('test/fixtures/crashes/run.ts', [], undefined, env);
  return {
    code,
    stderr,
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: string; outcome: unknown }),
  };
};

it('fails the invocation an unhandled error came from, resets its environment, and runs on', async () => {
  const { code, stderr, lines } = await run();
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(lines).toEqual([
    { step: 'started', outcome: true },
    { step: 'first', outcome: { cached: 'a', instance: 1 } },
    {
      step: 'rejection',
      outcome: { error: 'Runtime.UnhandledPromiseRejection: fixture: a rejection nobody handles' },
    },
    // A fresh environment: the cache the crashed one filled is gone.
    { step: 'after the rejection', outcome: { cached: 'c', instance: 2 } },
    { step: 'exception', outcome: { error: 'Runtime.ExitError: fixture: an exception nobody catches' } },
    { step: 'after the exception', outcome: { cached: 'e', instance: 3 } },
    // Answered before its rejection: the answer stands, the rejection is told with its function, and resets.
    { step: 'rejection after it answered', outcome: { cached: 'e', instance: 3 } },
    {
      step: 'logged',
      outcome:
        'fixture: Runtime.UnhandledPromiseRejection after its invocation ended, its environment is reset: Error: a rejection after the answer',
    },
    { step: 'after the late rejection', outcome: { cached: 'g', instance: 4 } },
    // Of no invocation: told as it is; no function's environment is reset.
    {
      step: 'logged',
      outcome:
        'Runtime.UnhandledPromiseRejection outside any invocation (the local runtime goes on): Error: a rejection of no function',
    },
    { step: 'after the rejection of no function', outcome: { cached: 'g', instance: 4 } },
  ]);
});

it('marks a function whose init fails at the start failed, says so loudly, and fails each of its invocations', async () => {
  const { code, stderr, lines } = await run({ FIXTURE_INIT_FAILS: 'yes' });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(lines.slice(0, 2)).toEqual([
    {
      step: 'alarmed',
      outcome:
        'fixture: ITS INIT FAILED, so each invocation of it fails with this error (the rest runs on); fix it and restart the local runtime:',
    },
    { step: 'started', outcome: false },
  ]);
  // Init is not tried again (FIXTURE_INIT_FAILS is "no" by then): its invocations fail with the error of the start.
  const invocations = lines.slice(2).filter(({ step }) => step !== 'logged');
  expect(invocations).toHaveLength(8);
  for (const { outcome } of invocations) expect(outcome).toEqual({ error: 'Error: init failed' });
});
