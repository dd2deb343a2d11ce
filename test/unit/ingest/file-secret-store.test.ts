import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSecretStore, SecretsFileError } from '../../../lambdas/adapters/secret-store.js';
import { temporaryFile } from '../../support/temp-dir.js';

const secretsFile = (values: Record<string, string>) =>
  temporaryFile('secrets-', 'secrets.json', JSON.stringify(values));

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

describe('a secrets file that cannot be used', () => {
  const fileWith = (text: string) => temporaryFile('secrets-', 'bad.json', text);

  it('is named, with what is wrong, when it is not JSON', async () => {
    const file = fileWith('{bad');
    const read = fileSecretStore(file).get('/a');
    await expect(read).rejects.toBeInstanceOf(SecretsFileError);
    await expect(read).rejects.toThrow(`Cannot read secrets file ${file}: Expected property name`);
  });

  it('is named when it is JSON but not one object of names and strings', async () => {
    await expect(fileSecretStore(fileWith('["/a"]')).get('/a')).rejects.toThrow(
      /Cannot read secrets file .*bad\.json: expected one JSON object of parameter names and their values/,
    );
    await expect(fileSecretStore(fileWith('{"/a": "one", "/b": 2}')).get('/a')).rejects.toThrow(
      /: the values of \/b are not strings/,
    );
  });

  it('is named when it is not there', async () => {
    await expect(fileSecretStore('/no/such/secrets.json').get('/a')).rejects.toThrow(
      /^Cannot read secrets file \/no\/such\/secrets\.json: ENOENT/,
    );
  });
});
