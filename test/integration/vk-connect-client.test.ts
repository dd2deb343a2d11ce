import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { ConnectingVkApiClient, VkApiTimeoutError } from '../../ops/vk-connect-client.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

const TOKEN = 'community-token-of-the-demo';

let vk: VkStandIn;
const client = (timeoutMs?: number) =>
  new ConnectingVkApiClient(TOKEN, { baseUrl: vk.baseUrl, timeoutMs, retryDelaysMs: [10, 10] });
const callsOf = (method: string, since: number) =>
  vk.calls.slice(since).filter((call) => call.method === method);

beforeAll(async () => {
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN }, 'f00dcafe');
  await vk.start();
});
afterEach(() => vk.clearFaults());
afterAll(async () => {
  await vk?.stop();
});

describe("vk:connect's VK API client, against the stand-in VK API", () => {
  it.each([6, 9, 10, 36])('asks again after error %i, and has the answer', async (code) => {
    vk.failNext(code, 2, ['groups.getCallbackServers']);
    const since = vk.calls.length;
    const servers = await client().call<{ items: unknown[] }>('groups.getCallbackServers', {
      group_id: DEMO_GROUP_ID,
    });
    expect(servers.items).toEqual([]);
    expect(callsOf('groups.getCallbackServers', since).map((call) => call.error)).toEqual([
      code,
      code,
      undefined,
    ]);
  });

  it('gives up after two tries again, with VK’s error', async () => {
    vk.failNext(10, 5, ['groups.getCallbackSettings']);
    const since = vk.calls.length;
    const call = client().call('groups.getCallbackSettings', { group_id: DEMO_GROUP_ID, server_id: 1 });
    await expect(call).rejects.toMatchObject({ name: 'VkApiError', code: 10 });
    expect(callsOf('groups.getCallbackSettings', since)).toHaveLength(3);
  });

  it('never asks VK to add a server twice: it may have added it before failing', async () => {
    vk.failNextAfterDoing(10, 1, ['groups.addCallbackServer']);
    const since = vk.calls.length;
    const call = client().call('groups.addCallbackServer', {
      group_id: DEMO_GROUP_ID,
      url: 'http://127.0.0.1:9/vk/callback',
      title: 'VKinq-local',
    });
    await expect(call).rejects.toBeInstanceOf(VkApiError);
    expect(callsOf('groups.addCallbackServer', since)).toHaveLength(1);
    expect(vk.community(DEMO_GROUP_ID)?.servers).toHaveLength(1);
  });

  it('does not ask again after an error that will not pass (a bad token)', async () => {
    const since = vk.calls.length;
    const revoked = new ConnectingVkApiClient('revoked', { baseUrl: vk.baseUrl, retryDelaysMs: [10, 10] });
    await expect(
      revoked.call('groups.getCallbackServers', { group_id: DEMO_GROUP_ID }),
    ).rejects.toMatchObject({ code: 5 });
    expect(callsOf('groups.getCallbackServers', since)).toHaveLength(1);
  });

  it('says a change VK did not answer in time may have been made, and where to look', async () => {
    vk.answerAfter(500);
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const edit = client(100).call('groups.editCallbackServer', {
      group_id: DEMO_GROUP_ID,
      server_id: server?.id,
      url: 'http://127.0.0.1:9/vk/callback',
      title: 'VKinq-local',
      secret_key: 'a-new-one',
    });
    await expect(edit).rejects.toBeInstanceOf(VkApiTimeoutError);
    await expect(edit).rejects.toThrow(
      'VK did not answer groups.editCallbackServer within 0.1 s: it may have made the change all the same. See what VK holds with --status; a run again is safe',
    );
    const read = client(100).call('groups.getCallbackServers', { group_id: DEMO_GROUP_ID });
    await expect(read).rejects.toThrow('VK did not answer groups.getCallbackServers within 0.1 s: run again');
  });
});
