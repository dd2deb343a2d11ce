import { randomBytes } from 'node:crypto';
import type { WritableSecretStore } from '../lambdas/adapters/secret-store.js';
import { VK_API_VERSION, type VkApiClient } from '../lambdas/adapters/vk-api-client.js';
import type { Community } from '../lambdas/domain/config/schema.js';
import { callbackSettingsChanges } from '../lambdas/domain/vk-api/callback-events.js';

/** VK shows at most 14 characters of a server's title. */
export const SERVER_TITLE = 'VK inquiries';

interface CallbackServer {
  id: number;
  title: string;
  url: string;
  secret_key: string;
  status: 'unconfigured' | 'wait' | 'ok' | 'failed';
}

export interface ConnectReport {
  confirmationCode: 'stored' | 'unchanged';
  secret: 'generated' | 'kept';
  /** The previous secret, made the one VK signed with when the run began. */
  previousSecret: 'stored' | 'unchanged' | 'not configured';
  server: { id: number; change: 'added' | 'updated' | 'unchanged' };
  /**
   * Other servers of ours (titled SERVER_TITLE) at another URL: a Stateless stack deleted and deployed anew
   * leaves its old one. Removed with `removeStale`, else left and named.
   */
  stale: { servers: { id: number; url: string }[]; removed: boolean };
  events: { switchedOn: string[]; switchedOff: string[] };
  status: CallbackServer['status'];
}

export interface ConnectOptions {
  vk: VkApiClient;
  secrets: WritableSecretStore;
  community: Community;
  url: string;
  /** How long to wait for VK to report the server `ok`. */
  timeoutMs: number;
  /** Delete the other servers of ours, at another URL (groups.deleteCallbackServer). */
  removeStale?: boolean;
  pollMs?: number;
}

/** A secret for the callback server: VK allows at most 50 characters; 32 random ones are plenty. */
const generateSecret = () => randomBytes(24).toString('base64url');

/**
 * Connects a community to our endpoint, idempotently: store the confirmation code where ingest reads it,
 * make sure a secret exists (generated once, stored before VK can send anything), keep the previous secret
 * (when configured) the one VK signed with so far, add or update our callback server (with a rotated secret),
 * enable exactly the handled events, and wait until VK reports the server `ok`.
 * Run again, it changes nothing that is already right.
 */
export async function connectCommunity(options: ConnectOptions): Promise<ConnectReport> {
  const { vk, secrets, community, url } = options;
  const groupId = community.groupId;

  // The code first: adding the server makes VK send the confirmation request at once.
  const { code } = await vk.call<{ code: string }>('groups.getCallbackConfirmationCode', {
    group_id: groupId,
  });
  const storedCode = await secrets.get(community.confirmationCode.parameter);
  if (storedCode !== code) await secrets.put(community.confirmationCode.parameter, code);

  let secret = await secrets.get(community.callbackSecret.parameter);
  const secretChange = secret ? 'kept' : 'generated';
  if (!secret) {
    secret = generateSecret();
    await secrets.put(community.callbackSecret.parameter, secret);
  }

  const servers = await listServers(vk, groupId);
  let server = servers.find((candidate) => candidate.url === url);
  // Ours, by title, at another URL: VK may deliver every event to each of them as well, a rotated secret
  // reaches only this one (ingest then refuses theirs), and each takes one of the community's ten servers.
  // Removed first, when asked, so that their slots are free for ours.
  const stale = servers
    .filter((candidate) => candidate.title === SERVER_TITLE && candidate.url !== url)
    .map(({ id, url: staleUrl }) => ({ id, url: staleUrl }));
  if (options.removeStale)
    for (const { id } of stale)
      await vk.call('groups.deleteCallbackServer', { group_id: groupId, server_id: id });

  // Before VK is given a new secret, ingest must accept the one VK signs with now: events VK sent before the
  // change still carry it, and VK may retry them for over an hour. Set before the server is edited, and the
  // previous rotation's secret retired with it.
  let previousSecret: ConnectReport['previousSecret'] = 'not configured';
  if (community.previousCallbackSecret) {
    const signing = server?.secret_key || secret;
    const stored = await secrets.get(community.previousCallbackSecret.parameter);
    previousSecret = stored === signing ? 'unchanged' : 'stored';
    if (stored !== signing) await secrets.put(community.previousCallbackSecret.parameter, signing);
  }
  let serverChange: ConnectReport['server']['change'] = 'unchanged';
  if (!server) {
    const { server_id } = await vk.call<{ server_id: number }>('groups.addCallbackServer', {
      group_id: groupId,
      url,
      title: SERVER_TITLE,
      secret_key: secret,
    });
    serverChange = 'added';
    server = { id: server_id, title: SERVER_TITLE, url, secret_key: secret, status: 'wait' };
  } else if (server.secret_key !== secret || server.title !== SERVER_TITLE || server.status === 'failed') {
    // Editing also makes VK send the confirmation request again, which is what a failed server needs.
    await vk.call('groups.editCallbackServer', {
      group_id: groupId,
      server_id: server.id,
      url,
      title: SERVER_TITLE,
      secret_key: secret,
    });
    serverChange = 'updated';
  }

  const current = await vk.call<{ api_version?: string; events?: Record<string, number> }>(
    'groups.getCallbackSettings',
    {
      group_id: groupId,
      server_id: server.id,
    },
  );
  const changes = callbackSettingsChanges(current.events ?? {});
  if (Object.keys(changes).length > 0 || current.api_version !== VK_API_VERSION) {
    await vk.call('groups.setCallbackSettings', {
      group_id: groupId,
      server_id: server.id,
      api_version: VK_API_VERSION,
      ...changes,
    });
  }

  const status = await waitForStatus(vk, groupId, server.id, options.timeoutMs, options.pollMs ?? 1000);
  return {
    confirmationCode: storedCode === code ? 'unchanged' : 'stored',
    secret: secretChange,
    previousSecret,
    server: { id: server.id, change: serverChange },
    stale: { servers: stale, removed: options.removeStale === true },
    events: {
      switchedOn: Object.keys(changes).filter((event) => changes[event] === 1),
      switchedOff: Object.keys(changes).filter((event) => changes[event] === 0),
    },
    status,
  };
}

async function listServers(vk: VkApiClient, groupId: number): Promise<CallbackServer[]> {
  const { items } = await vk.call<{ items: CallbackServer[] }>('groups.getCallbackServers', {
    group_id: groupId,
  });
  return items;
}

export class ServerNotConfirmedError extends Error {
  override name = 'ServerNotConfirmedError';
}

async function waitForStatus(
  vk: VkApiClient,
  groupId: number,
  serverId: number,
  timeoutMs: number,
  pollMs: number,
): Promise<CallbackServer['status']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = (await listServers(vk, groupId)).find((candidate) => candidate.id === serverId);
    if (server?.status === 'ok') return 'ok';
    if (server?.status === 'failed')
      throw new ServerNotConfirmedError(
        `VK could not confirm server ${serverId}: the endpoint must answer the confirmation request with the stored code (is the stack deployed and the URL right?)`,
      );
    if (Date.now() > deadline)
      throw new ServerNotConfirmedError(
        `VK did not report server ${serverId} ok within ${Math.round(timeoutMs / 1000)} s (status: ${server?.status ?? 'missing'})`,
      );
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
