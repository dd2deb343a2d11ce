import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionSecretStore } from '../../lambdas/adapters/extension-secret-store.js';
import type { WritableSecretStore } from '../../lambdas/adapters/secret-store.js';

import type { Community } from '../../lambdas/domain/config/schema.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor } from '../../lambdas/ingest/accept-callback.js';
import { answerAsSecretsExtension } from '../../local/secrets-extension-stand-in.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import {
  connectCommunity,
  SECRET_CACHES_MS,
  SecretNotEverywhereYetError,
} from '../../ops/connect-community.js';
import { ConnectingVkApiClient } from '../../ops/vk-connect-client.js';
import { callbackBody, DEMO_GROUP_ID } from '../support/fixtures.js';

/**
 * A rotation of the callback secret against an ingest that keeps the secrets it read as it does in AWS (through
 * the Parameters and Secrets extension, here its stand-in), where `npm start` reads the secrets file anew: step
 * 3 must not give VK a secret that a warm ingest may not have yet.
 */
const PARAMETER = (name: string) => `/vk-inquiries/dev/communities/${DEMO_GROUP_ID}/${name}`;
const TOKEN = 'community-token-of-the-demo';
const SESSION = 'session-token';

const community = {
  groupId: DEMO_GROUP_ID,
  name: 'Demo',
  callbackSecret: { parameter: PARAMETER('callback-secret') },
  previousCallbackSecret: { parameter: PARAMETER('previous-callback-secret') },
  confirmationCode: { parameter: PARAMETER('confirmation-code') },
  tokens: { community: { parameter: PARAMETER('community-token') } },
} as Community;

let clock = Date.parse('2026-03-03T12:00:00Z');
const now = () => new Date(clock);

/** SSM as ops see it: values, and when each was written. */
const values: Record<string, string> = { [PARAMETER('community-token')]: TOKEN };
const writtenAt = new Map<string, Date>();
const ssm: WritableSecretStore = {
  get: async (parameter) => values[parameter],
  put: async (parameter, value) => {
    values[parameter] = value;
    writtenAt.set(parameter, now());
  },
  changedAt: async (parameter) => writtenAt.get(parameter),
};

const servers: Server[] = [];
const listen = async (server: Server) => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
};

let vk: VkStandIn;
let url: string;
const queued: ReceivedVkEvent[] = [];

beforeAll(async () => {
  const extensionPort = await listen(createServer(answerAsSecretsExtension(values, SESSION)));
  const accept = createCallbackAcceptor({
    config: { communities: [community] },
    secrets: extensionSecretStore({
      port: extensionPort,
      token: () => SESSION,
      maxAgeSeconds: 300,
      now: () => clock,
    }),
    queue: { send: async (event) => void queued.push(event) },
    clock: { now },
  });
  const ingestPort = await listen(
    createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      const answer = await accept({ method: request.method ?? '', body });
      response.writeHead(answer.status).end(answer.body);
    }),
  );
  url = `http://127.0.0.1:${ingestPort}/vk/callback`;
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN }, 'f00dcafe');
  await vk.start();
});
afterAll(async () => {
  await vk?.stop();
  for (const server of servers) server.close();
});

const connect = () =>
  connectCommunity({
    vk: new ConnectingVkApiClient(TOKEN, { baseUrl: vk.baseUrl }),
    secrets: ssm,
    community,
    stage: 'dev',
    url,
    timeoutMs: 5000,
    pollMs: 100,
    now,
  });
const post = async (secret: string, eventId: string) =>
  (
    await fetch(url, {
      method: 'POST',
      body: JSON.stringify(callbackBody('03_message_new__vknet.json', { secret, event_id: eventId })),
    })
  ).status;

describe('vk:connect against an ingest that keeps the secrets it read, as in AWS', () => {
  it('gives VK a new callback secret only once no warm ingest may still hold the one before', async () => {
    expect((await connect()).status).toBe('ok');
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const old = values[PARAMETER('callback-secret')] as string;
    // Ingest reads the secret, and keeps it.
    expect(await post(old, 'cached-1')).toBe(200);

    // 2. A new value in SSM; 3. vk:connect at once.
    await ssm.put(PARAMETER('callback-secret'), 'the-new-secret-of-the-demo');
    clock += 60_000;
    const tooSoon = connect();
    await expect(tooSoon).rejects.toThrow(SecretNotEverywhereYetError);
    await expect(tooSoon).rejects.toThrow(/Nothing was changed in VK\. Run again from 2026-03-03 12:10 UTC/);
    // VK still signs with the old secret, its server confirmed, and ingest takes what it sends.
    expect(server?.secret_key).toBe(old);
    expect(server?.status).toBe('ok');
    expect(await post(old, 'cached-2')).toBe(200);

    // Once the caches' reach is over, the run gives VK the new secret, and ingest takes it.
    clock += SECRET_CACHES_MS;
    const switched = await connect();
    expect(switched.server.change).toBe('updated');
    expect(switched.status).toBe('ok');
    expect(server?.secret_key).toBe('the-new-secret-of-the-demo');
    expect(await post('the-new-secret-of-the-demo', 'cached-3')).toBe(200);
    // VK's retries of what it signed before still carry the old secret: the previous one.
    expect(await post(old, 'cached-4')).toBe(200);
  });

  it('confirms a server again only once no warm ingest may still answer with the code VK gave before', async () => {
    // VK's confirmation of the last run is fresh in ingest; VK's code has changed since, and the server failed.
    const vkCommunity = vk.community(DEMO_GROUP_ID);
    const [server] = vkCommunity?.servers ?? [];
    if (!vkCommunity || !server) throw new Error('the community is not connected');
    vkCommunity.confirmationCode = 'c0ffee01';
    server.status = 'failed';
    const edits = () => vk.calls.filter((call) => call.method === 'groups.editCallbackServer').length;
    const before = edits();
    const tooSoon = connect();
    await expect(tooSoon).rejects.toThrow(SecretNotEverywhereYetError);
    await expect(tooSoon).rejects.toThrow(
      /confirmation code .* Were VK to confirm the server now, a warm ingest would answer its confirmation request with the code VK gave before/,
    );
    expect(edits()).toBe(before);
    // The new code is stored: once the caches' reach is over, ingest answers with it.
    expect(values[PARAMETER('confirmation-code')]).toBe('c0ffee01');
    clock += SECRET_CACHES_MS;
    expect((await connect()).status).toBe('ok');
    expect(edits()).toBe(before + 1);
  });
});
