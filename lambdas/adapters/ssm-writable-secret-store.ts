import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { WritableSecretStore } from './secret-store.js';

/**
 * SSM Parameter Store for ops tools: uncached reads, SecureString writes (encrypted with the account's SSM key),
 * and when a value was written (GetParameter's LastModifiedDate).
 * In a file of its own so that no function bundles the SSM client for it.
 */
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
    // Without decryption: only the time is wanted.
    changedAt: async (parameter) => {
      try {
        const result = await client.send(new GetParameterCommand({ Name: parameter }));
        return result.Parameter?.LastModifiedDate;
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
