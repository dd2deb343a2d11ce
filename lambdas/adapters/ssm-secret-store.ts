import type { SecretStore } from '../domain/ports.js';
import { SECRET_MAX_AGE_SECONDS } from './secret-store.js';

/**
 * SSM Parameter Store SecureStrings, decrypted and cached by Powertools Parameters. The SSM client is loaded
 * on the first read, not at import: the local runtime, which reads a file instead, never loads it, and in
 * AWS it is loaded by the first event that needs a secret. For functions without the Parameters and Secrets
 * extension's layer (createSecretStore).
 */
export const ssmSecretStore: SecretStore = {
  get: async (parameter) => {
    const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
    return getParameter(parameter, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS });
  },
};
