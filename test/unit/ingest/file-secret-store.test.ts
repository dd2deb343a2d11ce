import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../../lambdas/adapters/secret-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const secretsFile = (values: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  dirs.push(dir);
  const file = join(dir, 'secrets.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
};

describe('the file secret store (the local stand-in for SSM)', () => {
  it('sees a value written through the store at once', async () => {
    const store = fileSecretStore(secretsFile({ '/a': 'one' }));
    expect(await store.get('/a')).toBe('one');
    await store.put('/a', 'two');
    expect(await store.get('/a')).toBe('two');
  });

  it('sees the file rewritten by another process', async () => {
    const file = secretsFile({ '/a': 'one' });
    const store = fileSecretStore(file);
    expect(await store.get('/a')).toBe('one');
    writeFileSync(file, JSON.stringify({ '/a': 'two', '/b': 'three' }));
    expect(await store.get('/a')).toBe('two');
    expect(await store.get('/b')).toBe('three');
  });
});
