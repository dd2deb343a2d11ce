import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extensionSecretStore, SecretExtensionError } from '../../lambdas/adapters/extension-secret-store.js';
import { createSecretStore, SECRET_MAX_AGE_SECONDS } from '../../lambdas/adapters/secret-store.js';
import { answerAsSecretsExtension } from '../../local/secrets-extension-stand-in.js';

/** The extension runs only inside Lambda: local/secrets-extension-stand-in.ts answers as it does. */
const TOKEN = 'session-token-of-the-function';
const VALUES: Record<string, string> = { '/vk/123/callback-secret': 'секрет value/with+signs' };
const asTheExtension = answerAsSecretsExtension(VALUES, TOKEN);
const seen: IncomingMessage[] = [];
let answer: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;

const server = createServer((request, response) => {
  seen.push(request);
  (answer ?? asTheExtension)(request, response);
});
let port: number;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  answer = undefined;
});

const storeAt = (clock = { now: 0 }) =>
  extensionSecretStore({
    host: '127.0.0.1',
    port,
    token: () => TOKEN,
    maxAgeSeconds: SECRET_MAX_AGE_SECONDS,
    now: () => clock.now,
  });

describe('the secret store through the Parameters and Secrets extension', () => {
  it('asks for the decrypted parameter by its encoded name, with the session token', async () => {
    expect(await storeAt().get('/vk/123/callback-secret')).toBe('секрет value/with+signs');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(
      '/systemsmanager/parameters/get?name=%2Fvk%2F123%2Fcallback-secret&withDecryption=true',
    );
    expect(seen[0]?.headers['x-aws-parameters-secrets-token']).toBe(TOKEN);
  });

  it('answers a warm request from its own cache until the max age, then asks again', async () => {
    const clock = { now: 1_000_000 };
    const store = storeAt(clock);
    await store.get('/vk/123/callback-secret');
    clock.now += SECRET_MAX_AGE_SECONDS * 1000 - 1;
    expect(await store.get('/vk/123/callback-secret')).toBe('секрет value/with+signs');
    expect(seen).toHaveLength(1);
    clock.now += 1;
    await store.get('/vk/123/callback-secret');
    expect(seen).toHaveLength(2);
  });

  it('makes one request for reads side by side', async () => {
    const store = storeAt();
    await Promise.all([1, 2, 3].map(() => store.get('/vk/123/callback-secret')));
    expect(seen).toHaveLength(1);
  });

  it('fails on a missing parameter (the extension cannot tell it from a refused read), and keeps no failure', async () => {
    const store = storeAt();
    const error = await store.get('/vk/404/nothing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretExtensionError);
    expect(error).toMatchObject({ status: 400, parameter: '/vk/404/nothing' });
    await store.get('/vk/404/nothing').catch(() => undefined);
    expect(seen).toHaveLength(2);
  });

  it('fails on any other answer than 200, naming the status', async () => {
    answer = (_request, response) => response.writeHead(500).end('extension error');
    await expect(storeAt().get('/vk/123/callback-secret')).rejects.toThrow(
      /answered 500 for \/vk\/123\/callback-secret/,
    );
  });

  it('fails when the extension does not answer in time', async () => {
    answer = () => {};
    const store = extensionSecretStore({
      host: '127.0.0.1',
      port,
      token: () => TOKEN,
      maxAgeSeconds: 1,
      timeoutMs: 50,
    });
    await expect(store.get('/vk/123/callback-secret')).rejects.toThrow(/did not answer within 50 ms/);
  });

  it('is the store createSecretStore picks when the extension’s port is set and no local file is', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.LOCAL_SECRETS_FILE;
      process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(port);
      process.env.AWS_SESSION_TOKEN = TOKEN;
      // No host given: the store goes to the extension's address, where the stand-in listens.
      expect(await createSecretStore().get('/vk/123/callback-secret')).toBe('секрет value/with+signs');
      expect(seen).toHaveLength(1);
      // The IPv4 literal, not `localhost`: no lookup, and never ::1, where the extension does not listen.
      expect(seen[0]?.headers.host).toBe(`127.0.0.1:${port}`);

      process.env.LOCAL_SECRETS_FILE = 'config/local.secrets.json';
      expect(await createSecretStore().get('/vk-inquiries/local/communities/123456789/callback-secret')).toBe(
        'demo-secret-change-me',
      );
      expect(seen).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });
});
