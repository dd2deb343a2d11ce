import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

/**
 * Directories made outside a test (at a file's top level, in a describe, in a beforeAll), removed after the
 * file's last test. This hook is registered when a test file imports this module (each file imports its own
 * copy: vitest isolates files). An afterAll called from a beforeAll would be dropped without a word.
 */
const madeOutsideATest: string[] = [];
const remove = (dir: string) => rmSync(dir, { recursive: true, force: true });
afterAll(() => {
  for (const dir of madeOutsideATest.splice(0)) remove(dir);
});

/**
 * A new directory under the system's temporary one (`<prefix>XXXXXX`), removed when the test that made it
 * finishes, or, made outside a test, after the file's last test: a run leaves no configuration, secrets file
 * or cloud assembly behind in /tmp.
 */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (TestRunner.getCurrentTest()) onTestFinished(() => remove(dir));
  else madeOutsideATest.push(dir);
  return dir;
}

/** A file `name` holding `text`, alone in a new temporary directory removed as temporaryDirectory's are. */
export function temporaryFile(prefix: string, name: string, text: string | Buffer): string {
  const file = join(temporaryDirectory(prefix), name);
  writeFileSync(file, text);
  return file;
}
