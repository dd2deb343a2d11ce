import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
/** scripts/vk-chain-fuzz.ts as `npm run fuzz:vk-chain -- …` runs it, without npm. */
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/vk-chain-fuzz.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

describe('npm run fuzz:vk-chain', () => {
  it('prints its usage with --help, on stdout, and runs nothing', () => {
    const result = run(['--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run fuzz:vk-chain [-- --seed <n>] [--runs <n>]');
    expect(result.stdout).not.toMatch(/^seed /m);
  });

  it('refuses an option it does not know with its usage, not a stack trace', () => {
    const result = run(['--sead', '7']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^fuzz:vk-chain: Unknown option '--sead'/);
    expect(result.stderr).toContain('npm run fuzz:vk-chain [-- --seed <n>] [--runs <n>]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a seed or a count that is no whole number above zero', () => {
    for (const args of [
      ['--seed', '0'],
      ['--runs', 'many'],
    ]) {
      const result = run(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^fuzz:vk-chain: --seed and --runs take a whole number above zero/);
    }
  });
});
