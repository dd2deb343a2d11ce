import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNewFile } from '../../ops/citizen-export/write.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const WRITE = resolve('ops/citizen-export/write.ts');

/**
 * Writes `bytes` bytes with writeNewFile in a Node process whose files may not grow past `limitKb` KB (the
 * shell's `ulimit -f`): write(2) there writes up to the limit, then fails, as on a disk that fills up.
 */
function writeUnderLimit(file: string, bytes: number, limitKb: number) {
  const script = join(temporaryDirectory('write-script-'), 'write.ts');
  writeFileSync(
    script,
    `import { writeNewFile } from ${JSON.stringify(WRITE)};\n` +
      `try { writeNewFile(${JSON.stringify(file)}, 'a'.repeat(${bytes})); console.log('written'); }\n` +
      `catch (error) { console.log('failed', (error as NodeJS.ErrnoException).code); }\n`,
  );
  return spawnSync(
    'bash',
    ['-c', `ulimit -f ${limitKb}; exec "${process.execPath}" --import tsx "${script}"`],
    { encoding: 'utf8' },
  );
}

describe("the file of a citizen's copy", () => {
  it('is written whole, new, readable by its owner alone', () => {
    const file = join(temporaryDirectory('copy-'), 'copy.md');
    const text = 'Сведения о ваших обращениях\n'.repeat(20_000);
    writeNewFile(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => writeNewFile(file, 'другое')).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('is deleted, and the write fails, when the disk takes only part of it', { timeout: 60_000 }, () => {
    const file = join(temporaryDirectory('copy-'), 'copy.json');
    const run = writeUnderLimit(file, 200_000, 32);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('failed EFBIG');
    expect(existsSync(file)).toBe(false);
  });

  it('is written whole under the same limit when it fits', { timeout: 60_000 }, () => {
    const file = join(temporaryDirectory('copy-'), 'copy.json');
    const run = writeUnderLimit(file, 20_000, 32);
    expect(run.stdout.trim()).toBe('written');
    expect(readFileSync(file, 'utf8')).toHaveLength(20_000);
  });
});
