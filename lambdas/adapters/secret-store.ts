import { readFileSync } from 'node:fs';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { SecretStore } from '../domain/ports.js';
import { environment } from './environment.js';

/** How long a secret read from SSM is reused before it is read again: rotations take effect within this. */
const SECRET_MAX_AGE_SECONDS = 300;

/** SSM Parameter Store SecureStrings, decrypted and cached by Powertools Parameters. */
export const ssmSecretStore: SecretStore = {
  get: (parameter) => getParameter(parameter, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS }),
};

/** Secrets from a JSON file `{parameterName: value}`: the local runtime's stand-in for SSM. */
export function fileSecretStore(file: string): SecretStore {
  const values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return { get: async (parameter) => values[parameter] };
}

export function createSecretStore(): SecretStore {
  const file = environment.localSecretsFile();
  return file ? fileSecretStore(file) : ssmSecretStore;
}
