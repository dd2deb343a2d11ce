import { randomBytes } from 'node:crypto';
import { SECRET_MAX_AGE_SECONDS, type WritableSecretStore } from '../lambdas/adapters/secret-store.js';
import { VK_API_VERSION, type VkApiClient } from '../lambdas/adapters/vk-api-client.js';
import type { Community } from '../lambdas/domain/config/schema.js';
import type { SecretStore } from '../lambdas/domain/ports.js';
import { callbackSettingsChanges } from '../lambdas/domain/vk-api/callback-events.js';
import { VkApiError } from '../lambdas/domain/vk-api/errors.js';
import { MAX_STAGE_LENGTH, SERVER_TITLE_PREFIX } from '../lambdas/domain/vk-api/server-title.js';
import {
  addedServerAnswer,
  type CallbackServer,
  callbackServersAnswer,
  callbackSettingsAnswer,
  confirmationCodeAnswer,
  vkAnswer,
} from './callback-server-answers.js';
import {
  noteFor,
  type PreviousSecretState,
  previousSecretState,
  previousSecretStep,
  RETRY_WINDOW,
  replacedAt,
  replacedAtParameter,
} from './previous-secret.js';

/**
 * Our server's title names the stage: communities are shared by stages (dev and prod may connect the same
 * one), and a run must know which servers are its stage's to delete.
 */
export function serverTitle(stage: string): string {
  if (stage.length === 0 || stage.length > MAX_STAGE_LENGTH)
    throw new RangeError(
      `a stage's name must have 1 to ${MAX_STAGE_LENGTH} characters to fit VK's server title: "${stage}"`,
    );
  return `${SERVER_TITLE_PREFIX}${stage}`;
}

/**
 * The title earlier versions gave every stage's server. Such a server is ours, of an unknown stage: taken as
 * this stage's only at the host of `--url` (the same endpoint), else named and never deleted.
 */
export const LEGACY_SERVER_TITLE = 'VK inquiries';

export interface ConnectReport {
  confirmationCode: 'stored' | 'unchanged';
  secret: 'generated' | 'kept';
  /**
   * The previous secret: made the one VK signed with when the run began (`stored`), or `kept` while VK may
   * still retry events signed with it, until `previousSecretKeptUntil`.
   */
  previousSecret: 'stored' | 'unchanged' | 'kept' | 'not configured';
  previousSecretKeptUntil?: Date;
  server: { id: number; change: 'added' | 'updated' | 'unchanged' };
  /**
   * This stage's other servers at another URL (titled with its title, or with the legacy one at the same
   * host): a Stateless stack deleted and deployed anew leaves its old one. Removed with `removeStale` once
   * the server at the URL is confirmed, else left and named.
   */
  stale: { servers: ServerRef[]; removed: boolean };
  /** Servers titled LEGACY_SERVER_TITLE at another host: ours, but perhaps another stage's. Never deleted. */
  unknownStage: ServerRef[];
  events: { switchedOn: string[]; switchedOff: string[] };
  status: CallbackServer['status'];
}

export interface ServerRef {
  id: number;
  url: string;
}

export interface ConnectOptions {
  vk: VkApiClient;
  secrets: WritableSecretStore;
  community: Community;
  /** The stage whose endpoint `url` is: it names our server (serverTitle). */
  stage: string;
  url: string;
  /** How long to wait for VK to report the server `ok`. */
  timeoutMs: number;
  /**
   * Delete this stage's servers at another URL (groups.deleteCallbackServer), once the server at `url` is
   * confirmed: a wrong URL then deletes nothing.
   */
  removeStale?: boolean;
  /**
   * Retire the previous secret even within RETRY_WINDOW_MS of VK being given another (the old one leaked):
   * VK's retries of events signed with it then get 403.
   */
  retirePrevious?: boolean;
  pollMs?: number;
  now?: () => Date;
}

/**
 * How long after a secret's parameter is written a warm function may still use the value before: the
 * Parameters and Secrets extension keeps what it read for SECRET_MAX_AGE_SECONDS, and the function keeps what
 * the extension gave it as long again (lib/constructs/house-function.ts, lambdas/adapters/secret-store.ts).
 */
export const SECRET_CACHES_MS = 2 * SECRET_MAX_AGE_SECONDS * 1000;

/**
 * The longest secret VK takes for a callback server (groups.addCallbackServer's and editCallbackServer's
 * `secret_key`, VKCOM/vk-api-schema groups/methods.json).
 */
const SECRET_MAX_LENGTH = 50;

/** A secret for the callback server: VK allows at most 50 characters; 32 random ones are plenty. */
const generateSecret = () => randomBytes(24).toString('base64url');

/**
 * Connects a community to our endpoint, idempotently: store the confirmation code where ingest reads it,
 * make sure a secret exists (generated once, stored before VK can send anything), keep the previous secret
 * (when configured) the one VK signed with so far, add or update our callback server (with a rotated secret),
 * enable exactly the handled events, and wait until VK reports the server `ok`.
 * Run again, it changes nothing that is already right; within VK's retry window of a rotation it keeps the old
 * secret the previous one (previous-secret.ts).
 */
export async function connectCommunity(options: ConnectOptions): Promise<ConnectReport> {
  const { vk, secrets, community, url } = options;
  const groupId = community.groupId;
  const title = serverTitle(options.stage);

  // The code first: adding the server makes VK send the confirmation request at once.
  const { code } = await vkAnswer(
    vk,
    'groups.getCallbackConfirmationCode',
    { group_id: groupId },
    confirmationCodeAnswer,
  );
  const storedCode = await secrets.get(community.confirmationCode.parameter);
  if (storedCode !== code) await secrets.put(community.confirmationCode.parameter, code);

  let secret = await secrets.get(community.callbackSecret.parameter);
  if (secret && secret.length > SECRET_MAX_LENGTH)
    throw new SecretTooLongError(community.callbackSecret.parameter, secret.length);
  const secretChange = secret ? 'kept' : 'generated';
  if (!secret) {
    secret = generateSecret();
    await secrets.put(community.callbackSecret.parameter, secret);
  }

  const servers = await listServers(vk, groupId);
  let server = servers.find((candidate) => candidate.url === url);
  // This stage's, at another URL: VK may deliver every event to each of them as well, a rotated secret
  // reaches only this one (ingest then refuses theirs), and each takes one of the community's ten servers.
  // Deleted, when asked, only once the server at the URL is confirmed: a wrong URL must not disconnect a
  // community that works. Another stage's servers (another title) are never this run's business.
  const others = servers.filter((candidate) => candidate.url !== url);
  const stale = others
    .filter(
      (candidate) =>
        candidate.title === title ||
        (candidate.title === LEGACY_SERVER_TITLE && sameHost(candidate.url, url)),
    )
    .map(toRef);
  const unknownStage = others
    .filter((candidate) => candidate.title === LEGACY_SERVER_TITLE && !sameHost(candidate.url, url))
    .map(toRef);

  // Before VK is given a new secret, ingest must accept the one VK signs with now: events VK sent before the
  // change still carry it, and VK may retry them for over an hour. Set before the server is edited. The
  // previous rotation's secret is retired with it only once VK's retries of it are over: a run again right
  // after VK was given the new secret (its answer lost, a timeout) must not cut them short.
  const now = options.now ?? (() => new Date());
  const signing = server?.secret_key || secret;
  let previousSecret: ConnectReport['previousSecret'] = 'not configured';
  let previousSecretKeptUntil: Date | undefined;
  if (community.previousCallbackSecret) {
    const parameter = community.previousCallbackSecret.parameter;
    const stored = await secrets.get(parameter);
    const note = stored === undefined ? undefined : await secrets.get(replacedAtParameter(parameter));
    const step = previousSecretStep({
      previous: stored,
      signing,
      secret,
      replacedAt: stored === undefined ? undefined : replacedAt(note, stored),
      now: now(),
      retire: options.retirePrevious === true,
    });
    if (step.kind === 'store') await secrets.put(parameter, signing);
    if ((step.kind === 'keep' || step.kind === 'refuse') && !step.noted && stored !== undefined)
      await secrets.put(replacedAtParameter(parameter), JSON.stringify(noteFor(stored, now())));
    if (step.kind === 'refuse') throw new PreviousSecretInUseError(server?.id, step.until);
    previousSecret = step.kind === 'store' ? 'stored' : step.kind === 'keep' ? 'kept' : 'unchanged';
    if (step.kind === 'keep') previousSecretKeptUntil = step.until;
  }
  // Editing the server makes VK send the confirmation request at once, signed with our secret, and every event
  // after it. A warm ingest keeps the values it read before they were stored for up to SECRET_CACHES_MS: it
  // would refuse them (403), or answer the confirmation with the code VK gave before (it changes from time to
  // time), and VK would mark the server failed. Adding a server is not held: it connects a community, or a URL,
  // that no event reached through, so no ingest read a value before; nor is a secret this run generated.
  const edits =
    server !== undefined &&
    (server.secret_key !== secret || server.title !== title || server.status === 'failed');
  if (edits) {
    const recent = [
      ...(secretChange === 'kept' ? [['callback secret', community.callbackSecret.parameter] as const] : []),
      ...(storedCode !== code ? [['confirmation code', community.confirmationCode.parameter] as const] : []),
    ];
    for (const [what, parameter] of recent) {
      const changedAt = await secrets.changedAt(parameter);
      const everywhereAt = changedAt && new Date(changedAt.getTime() + SECRET_CACHES_MS);
      if (everywhereAt && everywhereAt > now())
        throw new SecretNotEverywhereYetError(what, parameter, everywhereAt);
    }
  }
  let serverChange: ConnectReport['server']['change'] = 'unchanged';
  if (!server) {
    let added: { server_id: number };
    try {
      added = await vkAnswer(
        vk,
        'groups.addCallbackServer',
        { group_id: groupId, url, title, secret_key: secret },
        addedServerAnswer,
      );
    } catch (error) {
      // No room: deleting a stale server first would free one, but a wrong URL would then leave the
      // community with no working server. A person checks the URL and chooses which to delete.
      if (error instanceof VkApiError && error.code === TOO_MANY_SERVERS)
        throw new NoRoomForServerError(groupId, url, stale, unknownStage);
      throw error;
    }
    serverChange = 'added';
    server = { id: added.server_id, title, url, secret_key: secret, status: 'wait' };
  } else if (edits) {
    // Editing also makes VK send the confirmation request again, which is what a failed server needs; it
    // also gives a server of an earlier version this stage's title.
    // Noted before the call: VK may make the change and its answer be lost.
    if (server.secret_key !== secret && community.previousCallbackSecret)
      await secrets.put(
        replacedAtParameter(community.previousCallbackSecret.parameter),
        JSON.stringify(noteFor(signing, now())),
      );
    await vk.call('groups.editCallbackServer', {
      group_id: groupId,
      server_id: server.id,
      url,
      title,
      secret_key: secret,
    });
    serverChange = 'updated';
  }

  const current = await vkAnswer(
    vk,
    'groups.getCallbackSettings',
    { group_id: groupId, server_id: server.id },
    callbackSettingsAnswer,
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

  let status: CallbackServer['status'];
  try {
    status = await waitForStatus(vk, groupId, server.id, options.timeoutMs, options.pollMs ?? 1000);
  } catch (error) {
    if (error instanceof ServerNotConfirmedError && options.removeStale && stale.length > 0)
      throw new ServerNotConfirmedError(
        `${error.message}; no other server was deleted (${stale.map(nameServer).join(', ')} left)`,
      );
    throw error;
  }
  if (options.removeStale)
    for (const { id } of stale)
      await vk.call('groups.deleteCallbackServer', { group_id: groupId, server_id: id });
  return {
    confirmationCode: storedCode === code ? 'unchanged' : 'stored',
    secret: secretChange,
    previousSecret,
    ...(previousSecretKeptUntil && { previousSecretKeptUntil }),
    server: { id: server.id, change: serverChange },
    stale: { servers: stale, removed: options.removeStale === true },
    unknownStage,
    events: {
      switchedOn: Object.keys(changes).filter((event) => changes[event] === 1),
      switchedOff: Object.keys(changes).filter((event) => changes[event] === 0),
    },
    status,
  };
}

/** One callback server of a community as VK reports it, without its secret. */
export interface ServerStatus extends ServerRef {
  title: string;
  status: CallbackServer['status'];
  /** For a server of this stage (titled so): its API version and the events it is not set to as we set them. */
  settings?: { apiVersion: string | undefined; eventsToChange: number };
}

/**
 * The community's callback servers and their status, read only (groups.getCallbackServers, and
 * groups.getCallbackSettings for this stage's): nothing is written to VK or to the secret store, nor is the
 * secret store read (previousSecretStatus reads it). When only the status is wanted, this is what to run.
 */
export async function callbackStatus(options: {
  vk: VkApiClient;
  groupId: number;
  stage: string;
}): Promise<ServerStatus[]> {
  const { vk, groupId } = options;
  const title = serverTitle(options.stage);
  const servers = await listServers(vk, groupId);
  const statuses: ServerStatus[] = [];
  for (const server of servers) {
    const status: ServerStatus = { ...toRef(server), title: server.title, status: server.status };
    if (server.title === title) {
      const current = await vkAnswer(
        vk,
        'groups.getCallbackSettings',
        { group_id: groupId, server_id: server.id },
        callbackSettingsAnswer,
      );
      status.settings = {
        apiVersion: current.api_version,
        eventsToChange: Object.keys(callbackSettingsChanges(current.events ?? {})).length,
      };
    }
    statuses.push(status);
  }
  return statuses;
}

/**
 * Whether ingest still accepts the community's previous callback secret, and until when: read from the secret
 * store (the two secrets and the note beside the previous one), nothing written. Undefined when the
 * configuration names no previous secret.
 */
export async function previousSecretStatus(options: {
  secrets: SecretStore;
  community: Community;
  now: Date;
}): Promise<PreviousSecretState | undefined> {
  const { secrets, community } = options;
  if (!community.previousCallbackSecret) return undefined;
  const parameter = community.previousCallbackSecret.parameter;
  const previous = await secrets.get(parameter);
  return previousSecretState({
    previous,
    secret: await secrets.get(community.callbackSecret.parameter),
    note: previous === undefined ? undefined : await secrets.get(replacedAtParameter(parameter)),
    now: options.now,
  });
}

/** VK's error 2000: the community has the most callback servers VK allows (ten). */
const TOO_MANY_SERVERS = 2000;

const toRef = ({ id, url }: CallbackServer): ServerRef => ({ id, url });
export const nameServer = ({ id, url }: ServerRef) => `#${id} ${url}`;

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host === new URL(b).host;
  } catch {
    return false;
  }
}

/** No room for our server: nothing was deleted, a person must choose what to. */
export class NoRoomForServerError extends Error {
  override name = 'NoRoomForServerError';
  constructor(groupId: number, url: string, stale: ServerRef[], unknownStage: ServerRef[]) {
    const named = [
      ...stale.map((server) => `${nameServer(server)} (this stage's)`),
      ...unknownStage.map((server) => `${nameServer(server)} (an earlier version's, of an unknown stage)`),
    ];
    super(
      `community ${groupId} already has the ten callback servers VK allows (error 2000), so none could be added for ${url}; nothing was deleted. ${named.length > 0 ? `Ours at another URL: ${named.join(', ')}. ` : ''}Check that ${url} is this stage's CallbackUrl, then delete an unused server in the community's settings (API usage → Callback API) and run again.`,
    );
  }
}

async function listServers(vk: VkApiClient, groupId: number): Promise<CallbackServer[]> {
  const { items } = await vkAnswer(
    vk,
    'groups.getCallbackServers',
    { group_id: groupId },
    callbackServersAnswer,
  );
  return items;
}

/**
 * VK signs with neither our secret nor the previous one (callbackSecret changed again within a rotation's retry
 * window), and the previous one may still sign VK's retries: giving VK our secret would retire it early.
 */
export class PreviousSecretInUseError extends Error {
  override name = 'PreviousSecretInUseError';
  constructor(serverId: number | undefined, until: Date) {
    super(
      `VK's server #${serverId} signs with neither the callback secret nor the previous one (was callbackSecret changed again within ${RETRY_WINDOW} of a rotation?), so ingest refuses its events (403, and VK retries them). Giving VK the callback secret would make the one VK signs with the previous secret, retiring the one before it, with which VK may still retry events until ${minuteOf(until)}. Nothing was changed in VK. Put the secret VK signs with back into callbackSecret and run again after ${minuteOf(until)}, or run again with --retire-previous to retire the old one now (VK's retries signed with it then get 403).`,
    );
  }
}

/**
 * The callback secret or the confirmation code was stored too recently for VK to confirm the server: a warm
 * ingest may still hold the value before it, and would refuse VK's confirmation request (and events signed
 * with the new secret), or answer it with the old code.
 */
export class SecretNotEverywhereYetError extends Error {
  override name = 'SecretNotEverywhereYetError';
  constructor(what: 'callback secret' | 'confirmation code', parameter: string, everywhereAt: Date) {
    const consequence =
      what === 'callback secret'
        ? 'its confirmation request and its events would be signed with a secret a warm ingest refuses (403)'
        : 'a warm ingest would answer its confirmation request with the code VK gave before';
    super(
      `the ${what} (${parameter}) was stored less than ${SECRET_CACHES_MS / 60_000} minutes ago, and a warm ingest may go on using the value before it until ${minuteOf(everywhereAt)} (the secrets' caches). Were VK to confirm the server now, ${consequence}, and VK would mark it failed. Nothing was changed in VK. Run again from ${minuteOf(everywhereAt)}.`,
    );
  }
}

/** The stored callback secret is longer than VK takes: VK would refuse it, or keep only a part of it. */
export class SecretTooLongError extends Error {
  override name = 'SecretTooLongError';
  constructor(parameter: string, length: number) {
    super(
      `the callback secret (${parameter}) has ${length} characters, and VK takes at most ${SECRET_MAX_LENGTH}: store a shorter one (docs/runbook.md, "Rotating a token or the callback secret", step 2). Nothing was changed in VK.`,
    );
  }
}

/** A moment for ops, in UTC, rounded up to the minute: a run at the minute shown is not too early. */
export const minuteOf = (at: Date) =>
  `${new Date(Math.ceil(at.getTime() / 60_000) * 60_000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

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
