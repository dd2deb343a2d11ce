import { fileSecretStore, SecretsFileError } from '../lambdas/adapters/secret-store.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';

/**
 * Stops the local runtime before it starts when its secrets file lacks a value it cannot work without: a
 * community's callback secret or confirmation code (ingest would answer VK 503 to everything) or a local
 * operator's token (the operator API would answer 401). A community whose token is stored may go without
 * its secret and code: `npm run vk:connect -- --secrets <file>` stores them, and needs the runtime running
 * to have VK confirm the server. Throws SecretsFileError, also for a file that cannot be read.
 */
export async function checkLocalSecrets(config: AppConfig, secretsFile: string): Promise<void> {
  const secrets = fileSecretStore(secretsFile);
  const stored = async (parameter: string) => Boolean(await secrets.get(parameter));
  const lacking: string[] = [];
  let communityLacks = false;
  for (const [index, community] of config.communities.entries()) {
    const token = community.tokens?.community;
    if (token && (await stored(token.parameter))) continue;
    for (const key of ['callbackSecret', 'confirmationCode'] as const) {
      const { parameter } = community[key];
      if (await stored(parameter)) continue;
      lacking.push(`  - ${parameter} (communities[${index}].${key})`);
      communityLacks = true;
    }
  }
  for (const [index, operator] of (config.localOperators ?? []).entries())
    if (!(await stored(operator.token.parameter)))
      lacking.push(`  - ${operator.token.parameter} (localOperators[${index}].token)`);
  if (lacking.length === 0) return;
  const hint = communityLacks
    ? '\nA community whose token (tokens.community) is stored may go without its secret and code until npm run vk:connect -- --secrets <file> stores them.'
    : '';
  throw new SecretsFileError(
    `The secrets file ${secretsFile} has no value for:\n${lacking.join('\n')}${hint}`,
  );
}
