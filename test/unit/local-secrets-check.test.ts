import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { SecretsFileError } from '../../lambdas/adapters/secret-store.js';
import { checkLocalSecrets } from '../../local/secrets-check.js';
import { temporaryFile } from '../support/temp-dir.js';

const config = readConfigFile('config/local.json');
const shipped = JSON.parse(readFileSync('config/local.secrets.json', 'utf8')) as Record<string, string>;
const PREFIX = '/vk-inquiries/local';

/** The shipped secrets file without the parameters named. */
const secretsWithout = (...names: string[]) => {
  const values = { ...shipped };
  for (const name of names) delete values[`${PREFIX}${name}`];
  return temporaryFile('secrets-', 'secrets.json', JSON.stringify(values));
};

describe('the local runtime’s check of its secrets file', () => {
  it('passes the shipped file', async () => {
    await expect(checkLocalSecrets(config, 'config/local.secrets.json')).resolves.toBeUndefined();
  });

  it('names every value the runtime would reject everything without, with where the configuration asks for it', async () => {
    const file = secretsWithout(
      '/communities/123456789/callback-secret',
      '/communities/123456789/confirmation-code',
      '/communities/123456789/community-token',
      '/operators/housing-token',
    );
    const check = checkLocalSecrets(config, file);
    await expect(check).rejects.toBeInstanceOf(SecretsFileError);
    await expect(check).rejects.toThrow(
      `The secrets file ${file} has no value for:\n` +
        `  - ${PREFIX}/communities/123456789/community-token (communities[0].tokens.community)\n` +
        `  - ${PREFIX}/communities/123456789/callback-secret (communities[0].callbackSecret)\n` +
        `  - ${PREFIX}/communities/123456789/confirmation-code (communities[0].confirmationCode)\n` +
        `  - ${PREFIX}/operators/housing-token (localOperators[2].token)\n` +
        'A token a community names in tokens is what the answers that need it are sent with: store it, or leave it out of tokens',
    );
  });

  it('names a token parameter misspelt in the configuration, or not stored yet, however the rest is stored', async () => {
    const misspelt = structuredClone(config);
    const tokens = misspelt.communities[0]?.tokens;
    if (!tokens) throw new Error('the shipped community names no tokens');
    tokens.community = { parameter: `${PREFIX}/communities/123456789/comunity-token` };
    tokens.user = { parameter: `${PREFIX}/communities/123456789/user-token` };
    await expect(checkLocalSecrets(misspelt, 'config/local.secrets.json')).rejects.toThrow(
      'The secrets file config/local.secrets.json has no value for:\n' +
        `  - ${PREFIX}/communities/123456789/comunity-token (communities[0].tokens.community)\n` +
        `  - ${PREFIX}/communities/123456789/user-token (communities[0].tokens.user)\n` +
        'A token a community names in tokens is what the answers that need it are sent with: store it, or leave it out of tokens (such an answer is then recorded undeliverable).',
    );
  });

  it('takes an empty value for none', async () => {
    const file = secretsWithout();
    writeFileSync(file, JSON.stringify({ ...shipped, [`${PREFIX}/operators/admin-token`]: '' }));
    await expect(checkLocalSecrets(config, file)).rejects.toThrow(
      /no value for:\n {2}- \/vk-inquiries\/local\/operators\/admin-token \(localOperators\[0\]\.token\)$/,
    );
  });

  it('lets a community whose token is stored wait for vk:connect to store its secret and code', async () => {
    const file = secretsWithout(
      '/communities/123456789/callback-secret',
      '/communities/123456789/confirmation-code',
    );
    await expect(checkLocalSecrets(config, file)).resolves.toBeUndefined();
  });
});
