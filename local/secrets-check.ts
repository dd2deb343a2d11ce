import { fileSecretStore, SecretsFileError } from '../lambdas/adapters/secret-store.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';

/**
 * Stops the local runtime before it starts when its secrets file lacks a value it cannot work without: a
 * community's callback secret or confirmation code (ingest would answer VK 503 to everything), a token its
 * `tokens` name (every answer that needs it would be recorded undeliverable for good: a parameter named is
 * one meant to be used, misspelt or not stored yet) or a local operator's token (the operator API would
 * answer 401). A community whose token is stored may go without its secret and code: `npm run vk:connect --
 * --secrets <file>` stores them, and needs the runtime running to have VK confirm the server. Throws
 * SecretsFileError, also for a file that cannot be read.
 */
export async function checkLocalSecrets(config: AppConfig, secretsFile: string): Promise<void> {
  const secrets = fileSecretStore(secretsFile);
  const stored = async (parameter: string) => Boolean(await secrets.get(parameter));
  const lacking: string[] = [];
  let communityLacks = false;
  let tokenLacks = false;
  for (const [index, community] of config.communities.entries()) {
    for (const kind of ['community', 'user'] as const) {
      const parameter = community.tokens?.[kind]?.parameter;
      if (parameter === undefined || (await stored(parameter))) continue;
      lacking.push(`  - ${parameter} (communities[${index}].tokens.${kind})`);
      tokenLacks = true;
    }
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
  const hints: string[] = [];
  if (tokenLacks)
    hints.push(
      'A token a community names in tokens is what the answers that need it are sent with: store it, or leave it out of tokens (such an answer is then recorded undeliverable).',
    );
  if (communityLacks)
    hints.push(
      'A community whose token (tokens.community) is stored may go without its secret and code until npm run vk:connect -- --secrets <file> stores them.',
    );
  throw new SecretsFileError(
    [`The secrets file ${secretsFile} has no value for:`, ...lacking, ...hints].join('\n'),
  );
}
