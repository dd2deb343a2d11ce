import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `run` given a new directory under the system's temporary one (`<prefix>XXXXXX`), removed when it ends,
 * failed or not: a benchmark's configuration, secrets and bundles do not stay behind in /tmp.
 */
export async function inTemporaryDirectory<T>(prefix: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
