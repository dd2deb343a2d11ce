import { Agent, request } from 'node:http';
import type { SecretStore } from '../domain/ports.js';

/** The extension's default port, when PARAMETERS_SECRETS_EXTENSION_HTTP_PORT is not set. */
const EXTENSION_DEFAULT_PORT = 2773;

/**
 * The extension listens on the IPv4 loopback. `localhost` would cost a lookup on the cold start and may
 * resolve to ::1 first, where nothing listens.
 */
export const EXTENSION_HOST = '127.0.0.1';

/** The extension is on the same host: anything slower than this is a stuck extension, not a slow network. */
const TIMEOUT_MS = 1500;

/** The extension answered something other than the parameter. */
export class SecretExtensionError extends Error {
  override name = 'SecretExtensionError';
  constructor(
    readonly parameter: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface ExtensionSecretStoreOptions {
  /** PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, or the extension's default. */
  port?: number;
  host?: string;
  /** AWS_SESSION_TOKEN, read on each request: the extension refuses a request without it. */
  token: () => string | undefined;
  /** How long a value is kept in this process before the extension is asked again. */
  maxAgeSeconds: number;
  timeoutMs?: number;
  now?: () => number;
}

interface Cached {
  value: Promise<string | undefined>;
  expiresAt: number;
}

/**
 * SSM Parameter Store SecureStrings through the AWS Parameters and Secrets Lambda Extension: a GET on
 * the loopback address, no SDK client to load on the cold start. The extension keeps its own cache (its TTL
 * is set with the layer); this one spares a warm request even the local call.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
 *
 * The extension answers any failure of GetParameter (no such parameter, access denied, throttling) with 400
 * and the same text, "an unexpected error occurred while executing request". A missing parameter cannot be
 * told from a refused read, so every answer but 200 is an error, never `undefined`: a reply is then retried
 * rather than recorded as undeliverable for want of a token, and ingest answers 503 when it cannot read the
 * current callback secret (a previous one it cannot read is taken for none: accept-callback.ts).
 */
export function extensionSecretStore(options: ExtensionSecretStoreOptions): SecretStore {
  const host = options.host ?? EXTENSION_HOST;
  const port = options.port ?? EXTENSION_DEFAULT_PORT;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const cache = new Map<string, Cached>();

  /** One GET. `retryable`: it failed on a kept-alive connection that the extension had closed meanwhile. */
  const fetchOnce = (parameter: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      const path = `/systemsmanager/parameters/get?name=${encodeURIComponent(parameter)}&withDecryption=true`;
      const token = options.token();
      const headers: Record<string, string> = token ? { 'X-Aws-Parameters-Secrets-Token': token } : {};
      const call = request(
        { host, port, path, method: 'GET', headers, agent, timeout: timeoutMs },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', reject);
          answer.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = answer.statusCode ?? 0;
            // The extension's error text names no value; cut short all the same.
            if (status !== 200)
              return reject(
                new SecretExtensionError(
                  parameter,
                  status,
                  `the secrets extension answered ${status} for ${parameter}: ${text.slice(0, 200)}`,
                ),
              );
            try {
              const parsed = JSON.parse(text) as { Parameter?: { Value?: string | null } };
              resolve(parsed.Parameter?.Value ?? undefined);
            } catch {
              reject(
                new SecretExtensionError(
                  parameter,
                  status,
                  `the secrets extension's answer for ${parameter} is not JSON`,
                ),
              );
            }
          });
        },
      );
      call.on('timeout', () =>
        call.destroy(
          new SecretExtensionError(
            parameter,
            undefined,
            `the secrets extension did not answer within ${timeoutMs} ms`,
          ),
        ),
      );
      call.on('error', (error: NodeJS.ErrnoException) => {
        const stale = call.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(stale ? Object.assign(error, { retryable: true }) : error);
      });
      call.end();
    });

  // A GET is safe to send again when its kept-alive connection turned out closed.
  const read = (parameter: string) =>
    fetchOnce(parameter).catch((error: { retryable?: boolean }) => {
      if (error.retryable) return fetchOnce(parameter);
      throw error;
    });

  return {
    get: (parameter) => {
      const cached = cache.get(parameter);
      if (cached && cached.expiresAt > now()) return cached.value;
      const value = read(parameter);
      cache.set(parameter, { value, expiresAt: now() + options.maxAgeSeconds * 1000 });
      // A failed read is not kept: the next request asks again.
      value.catch(() => {
        if (cache.get(parameter)?.value === value) cache.delete(parameter);
      });
      return value;
    },
    forget: (parameter) => {
      cache.delete(parameter);
    },
  };
}
