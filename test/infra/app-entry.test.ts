import { spawnSync } from 'node:child_process';
import { cpSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { temporaryDirectory } from '../support/temp-dir.js';

it('runs as the CDK app from a project path with a space and non-ASCII letters', () => {
  // A copy of what the app loads, in a folder whose file URL is percent-encoded (`%20`, `%C3%A9`).
  const folder = realpathSync(temporaryDirectory('vk app é-'));
  const project = join(folder, 'project');
  for (const part of ['lib', 'lambdas', 'config', 'model', 'package.json', 'tsconfig.json'])
    cpSync(part, join(project, part), { recursive: true });
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'));
  // A bad stage stops the app before it builds anything: proof that it ran, and fast.
  const result = spawnSync('npx', ['tsx', join(project, 'lib', 'app.ts')], {
    cwd: project,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'Not-A-Stage' }) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toContain('stage "Not-A-Stage" must be lower-case letters and digits');
  expect(result.status).toBe(1);
}, 90_000);
