import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsx } from '../support/cli.js';
import { temporaryFile } from '../support/temp-dir.js';

const READY = 'Press Ctrl-C to stop.';

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code, or with 'ready' once the banner is printed, whichever comes first. */
  settled: Promise<number | null | 'ready'>;
  exited: Promise<number | null>;
}

/** `npm start` (local/main.ts) in one Node process of its own group, so that nothing of it outlives the test. */
function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<'ready'>((resolve) =>
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes(READY)) resolve('ready');
    }),
  );
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`npm start neither stopped nor got ready:\n${stdout}\n${stderr}`)),
      45_000,
    ).unref(),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    settled: Promise.race([exited, ready, timeout]),
    exited,
  };
}

const started: Started[] = [];
const startNpm = (env: Record<string, string>) => {
  const run = start(env);
  started.push(run);
  return run;
};
afterAll(() => {
  for (const { child } of started)
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
});

const fileWith = (name: string, text: string) => temporaryFile('npm-start-', name, text);

/** The environment of the `export …` line the banner prints for the ops commands. */
const exportedEnvironment = (out: string): Record<string, string> => {
  const exported = /^ {4}export (.+)$/m.exec(out)?.[1] ?? '';
  return Object.fromEntries(exported.split(' ').map((pair) => pair.split('=', 2)));
};

describe('npm start with a secrets file it cannot use', () => {
  it('stops with the file named, exit 1 and no stack trace, when the file is not JSON', async () => {
    const file = fileWith('bad.json', '{bad');
    const run = startNpm({ SECRETS: file });
    expect(await run.settled).toBe(1);
    expect(run.stderr()).toMatch(new RegExp(`^Cannot read secrets file ${file}: .*JSON`));
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(run.stdout()).toBe('');
  }, 60_000);

  it('stops naming the parameters the file lacks, instead of a runtime that answers 503 and 401', async () => {
    const file = fileWith('empty.json', '{}');
    const run = startNpm({ SECRETS: file });
    expect(await run.settled).toBe(1);
    expect(run.stderr()).toMatch(new RegExp(`^The secrets file ${file} has no value for:\n`));
    expect(run.stderr()).toContain(
      '/vk-inquiries/local/communities/123456789/callback-secret (communities[0].callbackSecret)',
    );
    expect(run.stderr()).toContain('/vk-inquiries/local/operators/admin-token (localOperators[0].token)');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(run.stdout()).not.toContain('undefined');
  }, 60_000);
});

describe('npm start, the banner', () => {
  let run: Started;
  beforeAll(async () => {
    // Set empty, the escalator's interval is the default; 0 turns the retention sweep off.
    run = startNpm({ ESCALATOR_INTERVAL_MS: '', RETENTION_INTERVAL_MS: '0' });
    expect(await run.settled).toBe('ready');
  }, 60_000);

  it('takes an interval set empty for the default, and says "off" for 0', () => {
    expect(run.stdout()).toContain('the escalator runs every 60000 ms');
    expect(run.stdout()).toContain('the sweep is off, RETENTION_INTERVAL_MS=0');
    expect(run.stdout()).not.toContain('every 0 ms');
  });

  it('says its state is kept in memory', () => {
    expect(run.stdout()).toContain('kept in memory, forgotten at Ctrl-C');
  });

  it('prints the table, the queues and an environment line the ops commands work with, pasted as it is', async () => {
    const out = run.stdout();
    expect(out).toContain('--table local-inquiries --config config/local.json');
    expect(out).toContain(
      'departments:move, operators:release, citizen:erase, permissions:forget and past-holders:fill only look, unless given --yes',
    );
    const environment = exportedEnvironment(out);
    expect(Object.keys(environment).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_SQS',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    const queue = /^ {4}events queue: (\S+), dead letters: (\S+)$/m.exec(out);
    expect(queue?.[2]).toBe(`${queue?.[1]}-dlq`);

    const replay = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', queue?.[2] ?? '', '--to', queue?.[1] ?? '', '--dry-run'],
      undefined,
      environment,
    );
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain('0 message(s) would be moved');
    const move = await runTsx(
      'ops/move-department.ts',
      [
        '--table',
        'local-inquiries',
        '--config',
        'config/local.json',
        '--from',
        'roads',
        '--to',
        'housing',
        '--dry-run',
      ],
      undefined,
      environment,
    );
    expect(move.stderr).toBe('');
    expect(move.stdout).toContain('0 inquiries of roads');
    expect(move.code).toBe(0);
  }, 60_000);

  it('prints an erasures:copy that counts the erasures made on this runtime, pasted as it is, and says why it copies none', async () => {
    const out = run.stdout();
    expect(out).toContain(
      'erasures:copy here only counts the erasures it would copy (no restored table locally: --yes would fail on --to); in AWS, copy to the table restore-table-to-point-in-time made',
    );
    const command = /^ {6}npm run erasures:copy -- (.+)$/m.exec(out)?.[1] ?? '';
    expect(command).toMatch(/^--from local-inquiries --to \S+ --since \S+ --config config\/local\.json$/);
    const environment = exportedEnvironment(out);
    // A citizen erased on this runtime: the mark the copy would take to a restored table.
    const erased = await runTsx(
      'ops/erase-citizen.ts',
      ['--table', 'local-inquiries', '--config', 'config/local.json', '--community', '123456789', '--yes'],
      undefined,
      { ...environment, ERASE_USER_ID: '5550042' },
    );
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);

    const copy = await runTsx('ops/copy-erasures.ts', command.split(' '), undefined, environment);
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(/in local-inquiries: 1 citizens' marks, in 1 communities/);
    expect(copy.stdout).toContain('copied: none (a dry run');
  }, 60_000);

  it('names every ops command, each with how to try it here or why it cannot be', () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
    const opsCommands = Object.entries(scripts)
      .filter(([, script]) => script.includes(' ops/'))
      .map(([name]) => name);
    expect(opsCommands).toContain('case-counters:carry');
    const banner = run.stdout().slice(run.stdout().indexOf('ops commands on this runtime'));
    for (const name of opsCommands) expect(banner, name).toContain(name);
  });

  it('stops on Ctrl-C', async () => {
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('Stopped.');
  });
});
