import { spawnSync } from 'node:child_process';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { LOCAL_AWS } from '../../local/emulators.js';
import { optionTakenByNpm, takenOptionMessage } from '../../ops/command-line.js';
import { stageDocumentClient } from '../../ops/stage-table.js';
import { runTsx } from '../support/cli.js';
import { startSilentEndpoint } from '../support/held-endpoint.js';
import { temporaryFile } from '../support/temp-dir.js';

/** The environment of a run from an engineer's shell, without what npm set for the test run itself. */
const shell = (extra: Record<string, string> = {}) => {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name];
  return { ...env, ...extra };
};

describe("an option of an ops command written before npm's `--`", () => {
  it('stops `npm run <command> --dry-run -- …` before it does anything, and says where the option goes', () => {
    // The finding: npm took --dry-run for itself and the command ran for real.
    const result = spawnSync(
      'npm',
      [
        'run',
        'dlq:replay',
        '--dry-run',
        '--',
        '--from',
        'http://sqs.eu-central-1.127.0.0.1:1/000000000000/local-events-dlq',
        '--to',
        'http://sqs.eu-central-1.127.0.0.1:1/000000000000/local-events',
      ],
      { encoding: 'utf8', env: shell() },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "dlq:replay: `--dry-run` is set for npm (written before `--`, or by an npmrc's `dry-run=`): put it after " +
        '`--` (npm run dlq:replay -- --dry-run …); to override an npmrc, add `--dry-run=false` before `--`',
    );
  });

  it('stops a command run with the variable npm sets for it, whatever the option', async () => {
    // Two commands, run side by side.
    const [erase, yes] = await Promise.all([
      runTsx(
        'ops/list-rejected-under-triage.ts',
        ['--table', 'local-inquiries', '--config', 'config/local.json'],
        undefined,
        { npm_config_dry_run: 'true' },
      ),
      runTsx(
        'ops/forget-permissions.ts',
        ['--table', 'local-inquiries', '--config', 'config/local.json'],
        undefined,
        { npm_config_yes: 'true' },
      ),
    ]);
    expect(erase.code).toBe(2);
    expect(erase.stderr).toMatch(/`--dry-run` is set for npm/);
    expect(yes.code).toBe(2);
    expect(yes.stderr).toContain('(npm run permissions:forget -- --yes …)');
  });

  it("names an npmrc's setting as the other cause when the option is after `--`, and how to override it", () => {
    // The finding: with npx's `yes=true` in the user's npmrc, `--yes` written after `--` was said to be before it.
    const npmrc = temporaryFile('ops-npmrc-', '.npmrc', 'yes=true\n');
    const args = ['--table', 'local-inquiries', '--config', 'config/local.json', '--yes'];
    const env = shell({ npm_config_userconfig: npmrc });
    const result = spawnSync('npm', ['run', 'permissions:forget', '--', ...args], { encoding: 'utf8', env });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "permissions:forget: `--yes` is set for npm (written before `--`, or by an npmrc's `yes=`): put it after " +
        '`--` (npm run permissions:forget -- --yes …); to override an npmrc, add `--yes=false` before `--`',
    );
    // The override it gives lets the command read its own `--yes` (it then fails on the table, not on npm).
    const overridden = spawnSync('npm', ['run', 'permissions:forget', '--yes=false', '--', ...args], {
      encoding: 'utf8',
      env: {
        ...env,
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
        AWS_MAX_ATTEMPTS: '1',
        AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
      },
    });
    expect(overridden.stderr).not.toContain('is set for npm');
    expect(overridden.stderr).toMatch(/table local-inquiries in eu-central-1 cannot be reached/);
  });

  it('says how to override a string option an npmrc sets, which takes no `=false`', () => {
    expect(takenOptionMessage({ option: 'max', setting: 'maxsockets' }, 'string', 'dlq:replay')).toBe(
      "`--max` is set for npm (written before `--`, or by an npmrc's `maxsockets=`): put it after `--` " +
        '(npm run dlq:replay -- --max …); to override an npmrc, take `maxsockets=` out of it',
    );
  });

  it("counts only the command's own options, as npm names them, and not npm's own variables of every run", () => {
    const everyRun = {
      npm_config_cache: '/root/.npm',
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_config_userconfig: '/root/.npmrc',
      // An npmrc's yes=false, as npm sets it.
      npm_config_yes: '',
    };
    expect(optionTakenByNpm(['table', 'user', 'yes', 'dry-run', 'include-open'], everyRun)).toBeUndefined();
    expect(
      optionTakenByNpm(['table', 'include-open'], { ...everyRun, npm_config_include_open: 'true' }),
    ).toEqual({ option: 'include-open', setting: 'include-open' });
    // npm expands these to options of its own (`npm warn Expanding --max to --maxsockets`).
    expect(optionTakenByNpm(['from', 'max'], { npm_config_maxsockets: '5' })).toEqual({
      option: 'max',
      setting: 'maxsockets',
    });
    expect(optionTakenByNpm(['from', 'to'], { npm_config_token_description: 'x' })).toEqual({
      option: 'to',
      setting: 'token-description',
    });
  });
});

// Each case waits out the 10 s request timeout for real: side by side, they wait it out once.
describe.concurrent('the ops commands against an endpoint that never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentEndpoint>>;
  beforeAll(async () => {
    silent = await startSilentEndpoint();
  });
  afterAll(() => silent?.close());

  it("give up on a call of the table's after the request timeout, not never", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: silent.endpoint,
      AWS_MAX_ATTEMPTS: '1',
      AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    });
    try {
      const client = stageDocumentClient(readConfigFile('config/local.json'));
      const started = Date.now();
      const outcome = await client.send(new ScanCommand({ TableName: 'local-inquiries', Limit: 1 })).then(
        () => 'answered',
        (error: Error & { code?: string }) => `${error.name} ${error.code}`,
      );
      expect(outcome).toBe('TimeoutError ETIMEDOUT');
      expect(silent.connections()).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      process.env = saved;
    }
  }, 30_000);

  it('say the table cannot be reached, naming it and its region', async () => {
    const result = await runTsx(
      'ops/list-rejected-under-triage.ts',
      ['--table', 'local-inquiries', '--config', 'config/local.json', '--segments', '1'],
      undefined,
      {
        AWS_ENDPOINT_URL_DYNAMODB: silent.endpoint,
        AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
        AWS_MAX_ATTEMPTS: '1',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^rejected:to-triage: table local-inquiries in eu-central-1 cannot be reached: ETIMEDOUT: .*10000 ms requestTimeout/m,
    );
  }, 30_000);
});
