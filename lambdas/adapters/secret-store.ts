import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../domain/ports.js';
import { environment } from './environment.js';
import { extensionSecretStore } from './extension-secret-store.js';

/** How long a secret read from SSM is reused before it is read again: rotations take effect within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A secret store that can also write: what ops tools need to store a generated secret or a new code. */
export interface WritableSecretStore extends SecretStore {
  put(parameter: string, value: string): Promise<void>;
  /**
   * When the parameter's value was last written, where the functions keep what they read for a while (SSM,
   * SECRET_MAX_AGE_SECONDS in the extension and again in the function); undefined when it is not stored, or
   * where nothing keeps it (the local file, read anew once changed).
   */
  changedAt(parameter: string): Promise<Date | undefined>;
}

/** A local secrets file that cannot be used: the message names the file and what is wrong with it. */
export class SecretsFileError extends Error {
  override name = 'SecretsFileError';
}

/** The parameters of a secrets file: one JSON object of names and their values, each a string. */
function secretsOf(text: string): Record<string, string> {
  const values: unknown = JSON.parse(text);
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new Error('expected one JSON object of parameter names and their values');
  const notText = Object.entries(values).flatMap(([name, value]) =>
    typeof value === 'string' ? [] : [name],
  );
  if (notText.length > 0) throw new Error(`the values of ${notText.join(', ')} are not strings`);
  return values as Record<string, string>;
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
    try {
      const stats = statSync(file, { bigint: true });
      const stamp = `${stats.mtimeNs}:${stats.size}:${stats.ino}`;
      if (cached?.stamp !== stamp) cached = { stamp, values: secretsOf(readFileSync(file, 'utf8')) };
      return cached.values;
    } catch (error) {
      throw new SecretsFileError(`Cannot read secrets file ${file}: ${(error as Error).message}`);
    }
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
    // The local runtime sees a value written at once: nothing to wait for.
    changedAt: async () => undefined,
  };
}

/**
 * The local runtime's file when it names one; in AWS, the Parameters and Secrets extension when the function
 * has its layer (the layer's settings set its port variable, see lib/constructs/house-function.ts), else
 * `withoutExtension`: the SSM store (ssm-secret-store.ts) for a function that may run without the layer.
 * Ingest passes none, so that its bundle holds no SSM client: without the layer it stops at its cold start.
 */
export function createSecretStore(withoutExtension?: SecretStore): SecretStore {
  const file = environment.localSecretsFile();
  if (file) return fileSecretStore(file);
  const port = environment.parametersSecretsExtensionPort();
  if (port)
    return extensionSecretStore({
      port: Number(port),
      token: environment.awsSessionToken,
      maxAgeSeconds: SECRET_MAX_AGE_SECONDS,
    });
  if (withoutExtension) return withoutExtension;
  throw new Error(
    'no secret store: neither LOCAL_SECRETS_FILE nor PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (the extension layer) is set',
  );
}
