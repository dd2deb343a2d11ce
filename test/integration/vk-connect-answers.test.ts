import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../lambdas/adapters/secret-store.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { Community } from '../../lambdas/domain/config/schema.js';
import { callbackStatus, connectCommunity } from '../../ops/connect-community.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const GROUP_ID = 123456789;
const CODE_PARAMETER = '/vk-inquiries/local/communities/123456789/confirmation-code';
const SECRET_PARAMETER = '/vk-inquiries/local/communities/123456789/callback-secret';
const STORED = { [CODE_PARAMETER]: 'code-stored-before', [SECRET_PARAMETER]: 'secret-stored-before' };
const community = {
  groupId: GROUP_ID,
  name: 'Demo',
  callbackSecret: { parameter: SECRET_PARAMETER },
  confirmationCode: { parameter: CODE_PARAMETER },
} as Community;

/** A stand-in for VK that answers each method with the `response` given, whatever its shape. */
let answers: Record<string, unknown>;
let calls: string[];
let server: Server;
let baseUrl: string;
let secretsFile: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const method = request.url?.split('/').pop() ?? '';
    calls.push(method);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ response: answers[method] ?? 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/method`;
});
afterAll(() => server.close());
beforeEach(() => {
  calls = [];
  secretsFile = join(temporaryDirectory('vk-answers-'), 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify(STORED));
});

const connect = () =>
  connectCommunity({
    vk: new VkApiClient('community-token', { baseUrl }),
    secrets: fileSecretStore(secretsFile),
    community,
    stage: 'local',
    url: 'https://example.org/vk/callback',
    timeoutMs: 300,
    pollMs: 50,
  });
const stored = () => JSON.parse(readFileSync(secretsFile, 'utf8'));
const servers = {
  count: 1,
  items: [
    {
      id: 7,
      title: 'VKinq-local',
      url: 'https://example.org/vk/callback',
      secret_key: 'secret-stored-before',
      status: 'ok',
    },
  ],
};

describe('vk:connect reads VK’s answers before it acts on them', () => {
  it.each([
    ['no code', {}, 'code: invalid_type'],
    ['a code that is no text', { code: 12345 }, 'code: invalid_type'],
    ['an empty code', { code: '' }, 'code: too_small'],
  ])(
    'stores no confirmation code from an answer with %s, and says what was wrong',
    async (_, answer, fault) => {
      answers = { 'groups.getCallbackConfirmationCode': answer };
      await expect(connect()).rejects.toThrow(
        `VK's answer to groups.getCallbackConfirmationCode is not as VK documents it (${fault})`,
      );
      expect(stored()).toEqual(STORED);
      expect(calls).toEqual(['groups.getCallbackConfirmationCode']);
    },
  );

  it('says which field of the servers VK lists is wrong, never a secret it holds', async () => {
    answers = {
      'groups.getCallbackConfirmationCode': { code: 'code-stored-before' },
      'groups.getCallbackServers': { count: 1, items: [{ ...servers.items[0], id: 'seven' }] },
    };
    const run = connect();
    await expect(run).rejects.toThrow(
      "VK's answer to groups.getCallbackServers is not as VK documents it (items.0.id: invalid_type)",
    );
    await expect(run).rejects.not.toThrow(/secret-stored-before/);
    answers['groups.getCallbackServers'] = {};
    await expect(connect()).rejects.toThrow('(items: invalid_type)');
    await expect(
      callbackStatus({ vk: new VkApiClient('t', { baseUrl }), groupId: GROUP_ID, stage: 'local' }),
    ).rejects.toThrow(
      "VK's answer to groups.getCallbackServers is not as VK documents it (items: invalid_type)",
    );
  });

  it('does not wait for a server VK named no id of when it added it', async () => {
    answers = {
      'groups.getCallbackConfirmationCode': { code: 'code-stored-before' },
      'groups.getCallbackServers': { count: 0, items: [] },
      'groups.addCallbackServer': { id: 7 },
    };
    await expect(connect()).rejects.toThrow(
      "VK's answer to groups.addCallbackServer is not as VK documents it (server_id: invalid_type)",
    );
    expect(calls).not.toContain('groups.getCallbackSettings');
  });

  it('takes VK’s answers as they are documented, with fields it does not use and a status VK may add', async () => {
    const another = { id: 8, title: 'Bot', url: 'https://bot.example/', secret_key: '', status: 'paused' };
    answers = {
      'groups.getCallbackConfirmationCode': { code: 'code-stored-before', extra: true },
      'groups.getCallbackServers': { ...servers, items: [...servers.items, another] },
      'groups.getCallbackSettings': { api_version: '5.199', events: { message_new: 1 }, extra: [] },
    };
    const report = await connect();
    expect(report.status).toBe('ok');
    expect(report.confirmationCode).toBe('unchanged');
  });
});
