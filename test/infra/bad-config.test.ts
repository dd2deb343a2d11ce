import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryDirectory } from '../support/temp-dir.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, spoiled on purpose.
type Json = Record<string, any>;

/** The local configuration with one problem put in. */
function badConfig(name: string, spoil: (config: Json) => void): string {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  spoil(config);
  const dir = temporaryDirectory('vk-config-');
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  writeFileSync(join(dir, `${name}.secrets.json`), readFileSync('config/local.secrets.json'));
  return file;
}

const problems = [
  {
    name: 'unknown-department',
    spoil: (config: Json) => {
      config.routing[1].department = 'nowhere';
    },
    message: /routing\[1\]\.department: unknown department "nowhere"/,
  },
  {
    name: 'overlapping-calendar',
    spoil: (config: Json) => {
      config.communities[0].calendar.holidays = [{ date: '2027-02-20' }];
    },
    message:
      /communities\[0\]\.calendar\.workingDays\[\d+\]\.date: overlapping calendar: 2027-02-20 is both a holiday and a moved working day/,
  },
  {
    name: 'mistyped-notify',
    spoil: (config: Json) => {
      config.departments[2].notify = ['roads-head@admin-perm'];
    },
    message:
      /departments\[2\]\.notify\[0\]: department "roads": "roads-head@admin-perm" is not an e-mail address/,
  },
  {
    name: 'negative-sla',
    spoil: (config: Json) => {
      config.sla.defaults.high.firstResponseHours = -4;
    },
    message: /sla\.defaults\.high\.firstResponseHours/,
  },
];

/**
 * `npm start` (`tsx local/main.ts`) with `env`, in one Node process: through npx and tsx's own command it
 * would take two more, which only relay, and half a second more of CPU.
 */
const npmStart = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('a bad configuration', () => {
  it.each(problems)(
    'fails cdk synth ($name) with a message that names the problem',
    ({ name, spoil, message }) => {
      const file = badConfig(name, spoil);
      expect(() => buildApp(unbundledApp({ stage: 'test', config: file }))).toThrow(message);
    },
  );

  it.each(problems)(
    'stops `npm start` ($name) with exit code 1 and the problem on stderr',
    ({ name, spoil, message }) => {
      const file = badConfig(name, spoil);
      const result = npmStart({ CONFIG: file });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/Invalid configuration in .*\.json/);
      expect(result.stderr).toMatch(message);
    },
    60_000,
  );

  it.each(['RETENTION_INTERVAL_MS', 'ESCALATOR_INTERVAL_MS'])(
    'stops `npm start` with an interval (%s) longer than Node keeps, which would run the job every millisecond',
    (name) => {
      const result = npmStart({ [name]: '2147483648' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${name} must be at most 2147483647 milliseconds`);
    },
    60_000,
  );
});
