import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SecretStore } from '../domain/ports.js';
import { environment } from './environment.js';

/** How long a secret read from SSM is reused before it is read again: rotations take effect within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A secret store that can also write: what ops tools need to store a generated secret or a new code. */
export interface WritableSecretStore extends SecretStore {
  put(parameter: string, value: string): Promise<void>;
}

/**
 * SSM Parameter Store SecureStrings, decrypted and cached by Powertools Parameters. The SSM client is loaded
 * on the first read, not at import: the local runtime, which reads a file instead, never loads it, and in
 * AWS it is loaded by the first event that needs a secret.
 */
export const ssmSecretStore: SecretStore = {
  get: async (parameter) => {
    const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
    return getParameter(parameter, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS });
  },
};

/** SSM Parameter Store for ops tools: uncached reads, SecureString writes (encrypted with the account's SSM key). */
export function ssmWritableSecretStore(client = new SSMClient({})): WritableSecretStore {
  return {
    get: async (parameter) => {
      try {
        const result = await client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
        return result.Parameter?.Value;
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    },
    put: async (parameter, value) => {
      await client.send(
        new PutParameterCommand({ Name: parameter, Value: value, Type: 'SecureString', Overwrite: true }),
      );
    },
  };
}

/**
 * Secrets in a JSON file `{parameterName: value}`: the local runtime's stand-in for SSM. The parsed file is
 * kept until the file changes (its modification time, size or inode: ops tools write a new file and rename
 * it), so that a value written is seen at once, as SSM would show it, without reading and parsing the file
 * on every request.
 */
export function fileSecretStore(file: string): WritableSecretStore {
  let cached: { stamp: string; values: Record<string, string> } | undefined;
  const read = () => {
    const stats = statSync(file, { bigint: true });
    const stamp = `${stats.mtimeNs}:${stats.size}:${stats.ino}`;
    if (cached?.stamp !== stamp)
      cached = { stamp, values: JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> };
    return cached.values;
  };
  return {
    get: async (parameter) => read()[parameter],
    put: async (parameter, value) => {
      const values = { ...read(), [parameter]: value };
      // Write then rename: a reader never sees half a file.
      writeFileSync(`${file}.tmp`, `${JSON.stringify(values, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
      cached = undefined;
    },
  };
}

export function createSecretStore(): SecretStore {
  const file = environment.localSecretsFile();
  return file ? fileSecretStore(file) : ssmSecretStore;
}
