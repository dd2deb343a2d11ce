import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import { HANDLED_CALLBACK_EVENTS } from '../../lambdas/domain/vk-api/callback-events.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { LEGACY_SERVER_TITLE, serverTitle } from '../../ops/connect-community.js';
import { RETRY_WINDOW_MS, replacedAtParameter } from '../../ops/previous-secret.js';
import { runTsx } from '../support/cli.js';
import { callbackBody, DEMO_GROUP_ID } from '../support/fixtures.js';
import { temporaryDirectory } from '../support/temp-dir.js';

const TOKEN = 'community-token-of-the-demo';
const TOKEN_PARAMETER = '/vk-inquiries/local/communities/123456789/community-token';
const SECRET_PARAMETER = '/vk-inquiries/local/communities/123456789/callback-secret';
const CODE_PARAMETER = '/vk-inquiries/local/communities/123456789/confirmation-code';
const PREVIOUS_PARAMETER = '/vk-inquiries/local/communities/123456789/previous-callback-secret';

let vk: VkStandIn;
let runtime: LocalRuntime;
let configFile: string;
let secretsFile: string;

const OUR_TITLE = serverTitle('local');

const connect = (url = `${runtime.url}/vk/callback`, ...options: string[]) =>
  runTsx('ops/vk-connect.ts', [
    '--stage',
    'local',
    '--group-id',
    String(DEMO_GROUP_ID),
    '--url',
    url,
    '--config',
    configFile,
    '--secrets',
    secretsFile,
    '--vk-api',
    vk.baseUrl,
    '--timeout',
    '10',
    ...options,
  ]);
/** `--status`, which changes nothing. */
const status = (config = configFile) =>
  runTsx('ops/vk-connect.ts', [
    '--stage',
    'local',
    '--group-id',
    String(DEMO_GROUP_ID),
    '--status',
    '--config',
    config,
    '--secrets',
    secretsFile,
    '--vk-api',
    vk.baseUrl,
  ]);
const secrets = () => JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
/** When the note beside the previous secret says its window ends, as --status shows it: UTC, to the minute up. */
const windowEnd = () => {
  const { replacedAt } = JSON.parse(secrets()[replacedAtParameter(PREVIOUS_PARAMETER)] ?? '{}');
  const end = Date.parse(replacedAt) + RETRY_WINDOW_MS;
  return new Date(Math.ceil(end / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
};
const putSecret = (parameter: string, value: string) =>
  writeFileSync(secretsFile, JSON.stringify({ ...secrets(), [parameter]: value }));
/** The time passes: VK was given the callback secret longer ago than it retries an event. */
const retryWindowOver = () => {
  const parameter = replacedAtParameter(PREVIOUS_PARAMETER);
  const note = JSON.parse(secrets()[parameter] ?? '{}');
  note.replacedAt = new Date(Date.now() - RETRY_WINDOW_MS - 60_000).toISOString();
  putSecret(parameter, JSON.stringify(note));
};
const post = async (secret: string | undefined, eventId: string) =>
  (
    await fetch(`${runtime.url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(callbackBody('03_message_new__vknet.json', { secret, event_id: eventId })),
    })
  ).status;

beforeAll(async () => {
  const dir = temporaryDirectory('vk-connect-');
  configFile = join(dir, 'config.json');
  secretsFile = join(dir, 'secrets.json');
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  config.communities[0].tokens = { community: { parameter: TOKEN_PARAMETER } };
  config.communities[0].previousCallbackSecret = { parameter: PREVIOUS_PARAMETER };
  // No local operators: without their tokens in the secrets file the runtime would not start.
  delete config.localOperators;
  writeFileSync(configFile, JSON.stringify(config));
  // A community not connected yet: a token, but no secret and a stale confirmation code.
  writeFileSync(secretsFile, JSON.stringify({ [TOKEN_PARAMETER]: TOKEN, [CODE_PARAMETER]: 'stale' }));

  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN }, 'f00dcafe');
  await vk.start();
  runtime = await startLocalRuntime({ port: 0, configFile, secretsFile, logLevel: 'SILENT' });
});
afterAll(async () => {
  await runtime?.stop();
  await vk?.stop();
});

describe('npm run vk:connect, against the stand-in VK API and the local runtime', () => {
  it('connects a new community end to end: code and secret stored, server added and confirmed, events on', async () => {
    const result = await connect();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/confirmation code: stored/);
    expect(result.stdout).toMatch(/secret: +generated/);
    expect(result.stdout).toMatch(/previous secret: +stored/);
    expect(result.stdout).toMatch(/callback server: +#\d+, added/);
    expect(result.stdout).toMatch(/status: +ok/);

    expect(secrets()[CODE_PARAMETER]).toBe('f00dcafe');
    const secret = secrets()[SECRET_PARAMETER];
    expect(secret).toMatch(/^[\w-]{20,50}$/);
    expect(secrets()[PREVIOUS_PARAMETER]).toBe(secret);
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    expect(server).toMatchObject({
      url: `${runtime.url}/vk/callback`,
      title: 'VKinq-local',
      secret_key: secret,
      status: 'ok',
    });
    const settings = vk.community(DEMO_GROUP_ID)?.settings.get(server?.id ?? -1);
    expect(settings?.api_version).toBe('5.199');
    for (const event of HANDLED_CALLBACK_EVENTS) expect(settings?.events[event]).toBe(1);
  });

  it('changes nothing when run again', async () => {
    const before = vk.calls.length;
    const result = await connect();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/confirmation code: unchanged/);
    expect(result.stdout).toMatch(/secret: +kept/);
    expect(result.stdout).toMatch(/previous secret: +unchanged/);
    expect(result.stdout).toMatch(/callback server: +#\d+, unchanged/);
    expect(result.stdout).toMatch(/events: +unchanged/);
    const writes = vk.calls.slice(before).filter((call) => /add|edit|set/.test(call.method));
    expect(writes).toEqual([]);
    expect(vk.community(DEMO_GROUP_ID)?.servers).toHaveLength(1);
  });

  it('switches off an event someone enabled by hand and on one they disabled, and only those', async () => {
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    await new VkApiClient(TOKEN, { baseUrl: vk.baseUrl }).call('groups.setCallbackSettings', {
      group_id: DEMO_GROUP_ID,
      server_id: server?.id,
      audio_new: 1,
      // A citizen's post on an open wall, or a suggested post: an inquiry like any comment.
      wall_post_new: 0,
    });
    const result = await connect();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/events: +1 switched on, 1 switched off/);
    const events = vk.community(DEMO_GROUP_ID)?.settings.get(server?.id ?? -1)?.events;
    expect(events?.audio_new).toBe(0);
    expect(events?.wall_post_new).toBe(1);
  });

  it("rotates the callback secret as the runbook says, refusing none of VK's events on the way", async () => {
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const old = secrets()[SECRET_PARAMETER];
    // 1. vk:connect: the previous secret is the one VK signs with (it is already).
    expect((await connect()).stdout).toMatch(/previous secret: +unchanged/);
    // 2. A new value in SSM: ingest sees it (here at once, in AWS within ten minutes) while VK signs with the old.
    writeFileSync(
      secretsFile,
      JSON.stringify({ ...secrets(), [SECRET_PARAMETER]: 'the-new-secret-of-the-demo' }),
    );
    expect(await post(old, 'rotation-1')).toBe(200);
    // 3. vk:connect again: VK signs with the new one; what it sent with the old one is still taken.
    const switched = await connect();
    expect(switched.stdout).toMatch(/callback server: +#\d+, updated/);
    expect(switched.stdout).toMatch(/previous secret: +unchanged/);
    expect(server?.secret_key).toBe('the-new-secret-of-the-demo');
    expect(server?.status).toBe('ok');
    expect(await post('the-new-secret-of-the-demo', 'rotation-2')).toBe(200);
    expect(await post(old, 'rotation-3')).toBe(200);
    expect(await post('a-guess', 'rotation-4')).toBe(403);
    // 4. A run while VK may still retry events signed with the old secret keeps it…
    expect((await connect()).stdout).toMatch(
      /previous secret: +kept until \d{4}-\d\d-\d\d \d\d:\d\d UTC: VK may retry events signed with it/,
    );
    expect(secrets()[PREVIOUS_PARAMETER]).toBe(old);
    expect(await post(old, 'rotation-5')).toBe(200);
    // … and the first run after VK's retries are over retires it.
    retryWindowOver();
    expect((await connect()).stdout).toMatch(/previous secret: +stored/);
    expect(secrets()[PREVIOUS_PARAMETER]).toBe('the-new-secret-of-the-demo');
    expect(await post(old, 'rotation-6')).toBe(403);
  });

  it('shows the servers and their status with --status, writing nothing: the old secret stays taken within a rotation', async () => {
    // Within a rotation: VK has just been given a new secret, and still retries with the one before.
    const before = secrets()[SECRET_PARAMETER];
    writeFileSync(secretsFile, JSON.stringify({ ...secrets(), [SECRET_PARAMETER]: 'rotated-while-watched' }));
    expect((await connect()).stdout).toMatch(/callback server: +#\d+, updated/);
    const stored = readFileSync(secretsFile, 'utf8');
    const calls = vk.calls.length;

    const result = await status();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    expect(result.stdout).toContain(
      `#${server?.id} "${OUR_TITLE}" ${runtime.url}/vk/callback: ok (this stage's`,
    );
    expect(result.stdout).toMatch(/API 5\.199, events as set/);
    expect(result.stdout).not.toContain('rotated-while-watched');
    // VK was given the new secret just now: the old one is taken for the whole retry window.
    expect(result.stdout).toMatch(
      new RegExp(
        `previous secret: accepted until ${windowEnd()} \\(10[45] min left\\), while VK may retry events signed with it; the first run of vk:connect from then retires it \\(--retire-previous: at once\\)`,
      ),
    );
    expect(result.stdout).not.toContain(before);
    expect(vk.calls.slice(calls).map((call) => call.method)).toEqual([
      'groups.getCallbackServers',
      'groups.getCallbackSettings',
    ]);
    // Nothing written: the secret VK signed with before is still the previous one, and still taken.
    expect(readFileSync(secretsFile, 'utf8')).toBe(stored);
    expect(secrets()[PREVIOUS_PARAMETER]).toBe(before);
    expect(await post(before, 'watched-1')).toBe(200);
  });

  it('says with --status when the previous secret is due for retiring, has no note, is none or is not configured', async () => {
    const kept = readFileSync(secretsFile, 'utf8');
    // The window is over, and no run has retired the old secret yet: ingest still takes it.
    retryWindowOver();
    const due = await status();
    expect(due.code).toBe(0);
    expect(due.stdout).toContain(
      `previous secret: accepted until the next run of vk:connect retires it: VK's retries signed with it ended at ${windowEnd()}`,
    );
    // A previous secret stored by hand, or by an earlier version: no note about it.
    putSecret(PREVIOUS_PARAMETER, 'stored-by-hand');
    expect((await status()).stdout).toContain(
      'previous secret: accepted, with no note of VK being given another secret: kept until 1 h 45 min after the run of vk:connect that finds VK holding another',
    );
    // The previous secret is the callback secret: nothing else is taken.
    putSecret(PREVIOUS_PARAMETER, secrets()[SECRET_PARAMETER] as string);
    expect((await status()).stdout).toContain(
      'previous secret: none: ingest accepts the callback secret only',
    );
    // A community whose configuration names no previous secret.
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    delete config.communities[0].previousCallbackSecret;
    const withoutPrevious = join(dirname(configFile), 'without-previous.json');
    writeFileSync(withoutPrevious, JSON.stringify(config));
    expect((await status(withoutPrevious)).stdout).toContain(
      'previous secret: not configured (previousCallbackSecret): ingest accepts the callback secret only',
    );
    writeFileSync(secretsFile, kept);
  });

  it('keeps the old secret when step 3 is run again after VK made the change but its answer was lost', async () => {
    retryWindowOver();
    // 1. The previous secret is the one VK signs with.
    expect((await connect()).stdout).toMatch(/previous secret: +stored/);
    const old = secrets()[SECRET_PARAMETER] as string;
    // 2. A new secret.
    putSecret(SECRET_PARAMETER, 'given-while-vk-failed');
    // 3. VK gives the server the new secret, then answers error 10, each time it is asked.
    vk.failNextAfterDoing(10, 3, ['groups.editCallbackServer']);
    const before = vk.calls.length;
    const lost = await connect();
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain(
      'VK answered error 10 to groups.editCallbackServer (Internal server error): VK failed inside, and may have made the change all the same: see what VK holds with --status; a run again is safe',
    );
    const edits = vk.calls.slice(before).filter((call) => call.method === 'groups.editCallbackServer');
    expect(edits).toHaveLength(3);
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    expect(server?.secret_key).toBe('given-while-vk-failed');
    // … and, as the message says, run again: VK's retries of what it signed with the old one are still taken.
    const again = await connect();
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/previous secret: +kept until/);
    expect(again.stdout).toMatch(/callback server: +#\d+, unchanged/);
    expect(secrets()[PREVIOUS_PARAMETER]).toBe(old);
    expect(await post(old, 'lost-answer-1')).toBe(200);
    expect(await post('given-while-vk-failed', 'lost-answer-2')).toBe(200);
  });

  it('gives VK no third secret while it may retry with the old one, unless told to retire the old one', async () => {
    const old = secrets()[PREVIOUS_PARAMETER] as string;
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    // callbackSecret changed again within the window: VK signs with neither it nor the previous one.
    putSecret(SECRET_PARAMETER, 'changed-again-too-soon');
    const refused = await connect();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `VK's server #${server?.id} signs with neither the callback secret nor the previous one`,
    );
    expect(refused.stderr).toContain('Nothing was changed in VK');
    expect(refused.stderr).toContain('or run again with --retire-previous');
    expect(server?.secret_key).toBe('given-while-vk-failed');
    expect(secrets()[PREVIOUS_PARAMETER]).toBe(old);
    expect(await post(old, 'too-soon-1')).toBe(200);

    const retired = await connect(undefined, '--retire-previous');
    expect(retired.code).toBe(0);
    expect(retired.stdout).toMatch(/previous secret: +stored/);
    expect(retired.stdout).toMatch(/callback server: +#\d+, updated/);
    expect(server?.secret_key).toBe('changed-again-too-soon');
    expect(secrets()[PREVIOUS_PARAMETER]).toBe('given-while-vk-failed');
    expect(await post('given-while-vk-failed', 'too-soon-2')).toBe(200);
    expect(await post(old, 'too-soon-3')).toBe(403);
  });

  it('asks VK again after a transient error, and goes on', async () => {
    vk.failNext(6, 1, ['groups.getCallbackConfirmationCode']);
    const before = vk.calls.length;
    const result = await connect();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(
      vk.calls
        .slice(before)
        .filter((call) => call.method === 'groups.getCallbackConfirmationCode')
        .map((call) => call.error),
    ).toEqual([6, undefined]);
  });

  it('names a server of ours that a re-created stack left at its old URL, and leaves it there', async () => {
    // The Stateless stack deleted and deployed anew: the old CallbackUrl is dead, its server still in VK.
    const client = new VkApiClient(TOKEN, { baseUrl: vk.baseUrl });
    const { server_id: old } = await client.call<{ server_id: number }>('groups.addCallbackServer', {
      group_id: DEMO_GROUP_ID,
      url: 'http://127.0.0.1:9/vk/callback',
      title: OUR_TITLE,
      secret_key: secrets()[SECRET_PARAMETER],
    });
    const result = await connect();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`other servers:     left #${old} http://127.0.0.1:9/vk/callback`);
    expect(result.stderr).toMatch(
      new RegExp(`warning: .*#${old} http://127\\.0\\.0\\.1:9/vk/callback.*run again with --remove-stale`),
    );
    expect(vk.community(DEMO_GROUP_ID)?.servers.map((server) => server.id)).toContain(old);
  });

  it('removes the servers of ours at another URL with --remove-stale, and nobody else’s', async () => {
    const client = new VkApiClient(TOKEN, { baseUrl: vk.baseUrl });
    const [ours, old] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const { server_id: theirs } = await client.call<{ server_id: number }>('groups.addCallbackServer', {
      group_id: DEMO_GROUP_ID,
      url: 'http://127.0.0.1:9/crm/callback',
      title: 'CRM',
    });
    const result = await connect(`${runtime.url}/vk/callback`, '--remove-stale');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`other servers:     removed #${old?.id} http://127.0.0.1:9/vk/callback`);
    expect(vk.calls.filter((call) => call.method === 'groups.deleteCallbackServer')).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ server_id: String(old?.id) }) }),
    ]);
    expect(vk.community(DEMO_GROUP_ID)?.servers.map((server) => server.id)).toEqual([ours?.id, theirs]);
    expect((await connect()).stdout).toMatch(/other servers: +none/);
    await client.call('groups.deleteCallbackServer', { group_id: DEMO_GROUP_ID, server_id: theirs });
  });

  it('deletes nothing with --remove-stale when the server at a wrong URL is not confirmed', async () => {
    const client = new VkApiClient(TOKEN, { baseUrl: vk.baseUrl });
    const [working] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const before = vk.calls.length;
    // A typo in --url: VK cannot confirm it, and the working server must stay.
    const typo = `${runtime.url}/vk/calback`;
    const result = await connect(typo, '--remove-stale');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not confirm server`);
    expect(result.stderr).toContain(
      `no other server was deleted (#${working?.id} ${runtime.url}/vk/callback left)`,
    );
    expect(vk.calls.slice(before).filter((call) => call.method === 'groups.deleteCallbackServer')).toEqual(
      [],
    );
    expect(working).toMatchObject({ url: `${runtime.url}/vk/callback`, status: 'ok' });
    const failed = vk.community(DEMO_GROUP_ID)?.servers.find((server) => server.url === typo);
    expect(failed?.status).toBe('failed');
    await client.call('groups.deleteCallbackServer', { group_id: DEMO_GROUP_ID, server_id: failed?.id });
  });

  it("leaves another stage's servers alone with --remove-stale, and an earlier version's unless at our host", async () => {
    const client = new VkApiClient(TOKEN, { baseUrl: vk.baseUrl });
    const add = async (url: string, title: string) =>
      (
        await client.call<{ server_id: number }>('groups.addCallbackServer', {
          group_id: DEMO_GROUP_ID,
          url,
          title,
        })
      ).server_id;
    const prod = await add('https://prod.example/vk/callback', serverTitle('prod'));
    // Made by an earlier version, which titled every stage's server alike: at another host, perhaps prod's…
    const legacyElsewhere = await add('https://old.example/vk/callback', LEGACY_SERVER_TITLE);
    // … at the host of --url, this stage's endpoint.
    const legacyHere = await add(`${runtime.url}/old/callback`, LEGACY_SERVER_TITLE);
    const result = await connect(`${runtime.url}/vk/callback`, '--remove-stale');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`other servers:     removed #${legacyHere} ${runtime.url}/old/callback`);
    expect(result.stdout).toContain(
      `unknown stage:     left #${legacyElsewhere} https://old.example/vk/callback`,
    );
    expect(result.stderr).toMatch(
      new RegExp(`warning: .*earlier version.*#${legacyElsewhere} https://old\\.example/vk/callback`),
    );
    const left = vk.community(DEMO_GROUP_ID)?.servers.map((server) => server.id);
    expect(left).toContain(prod);
    expect(left).toContain(legacyElsewhere);
    expect(left).not.toContain(legacyHere);
    for (const id of [prod, legacyElsewhere])
      await client.call('groups.deleteCallbackServer', { group_id: DEMO_GROUP_ID, server_id: id });
  });

  it('names the VK API it could not reach, and the option that points elsewhere', async () => {
    // A port nothing listens on: the address of a server just closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runTsx('ops/vk-connect.ts', [
      '--stage',
      'local',
      '--group-id',
      String(DEMO_GROUP_ID),
      '--url',
      `${runtime.url}/vk/callback`,
      '--config',
      configFile,
      '--secrets',
      secretsFile,
      '--vk-api',
      `http://127.0.0.1:${port}/method`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `could not call groups.getCallbackConfirmationCode at http://127.0.0.1:${port}/method (ECONNREFUSED): is --vk-api right?`,
    );
  });

  it('shows its usage for an option it does not know', async () => {
    const result = await runTsx('ops/vk-connect.ts', ['--group', String(DEMO_GROUP_ID)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--group'/);
    expect(result.stderr).toContain('npm run vk:connect -- --stage <stage> --group-id <id>');
  });

  it('refuses to run without --stage, which names the configuration and the secrets it writes', async () => {
    const result = await runTsx('ops/vk-connect.ts', [
      '--group-id',
      String(DEMO_GROUP_ID),
      '--url',
      `${runtime.url}/vk/callback`,
      '--config',
      'config/local.json',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vk:connect: --stage is required');
    expect(result.stdout).toBe('');
  });

  it('refuses a community id that is not plain digits, before reading any secret', async () => {
    const result = await runTsx('ops/vk-connect.ts', [
      '--stage',
      'local',
      '--group-id',
      `0x${DEMO_GROUP_ID.toString(16)}`,
      '--url',
      `${runtime.url}/vk/callback`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--group-id must be the community's numeric id");
  });

  it('gives VK no callback secret longer than the 50 characters VK takes, and says so', async () => {
    const kept = readFileSync(secretsFile, 'utf8');
    const [server] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const signing = server?.secret_key;
    putSecret(SECRET_PARAMETER, 'x'.repeat(51));
    const result = await connect();
    const after = readFileSync(secretsFile, 'utf8');
    writeFileSync(secretsFile, kept);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `the callback secret (${SECRET_PARAMETER}) has 51 characters, and VK takes at most 50`,
    );
    expect(result.stderr).toContain('Nothing was changed in VK');
    expect(server?.secret_key).toBe(signing);
    expect(JSON.parse(after)[PREVIOUS_PARAMETER]).toBe(JSON.parse(kept)[PREVIOUS_PARAMETER]);
  });

  it('ends with a clear message and a non-zero exit on a bad token', async () => {
    writeFileSync(secretsFile, JSON.stringify({ ...secrets(), [TOKEN_PARAMETER]: 'revoked' }));
    const result = await connect();
    writeFileSync(secretsFile, JSON.stringify({ ...secrets(), [TOKEN_PARAMETER]: TOKEN }));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/VK answered error 5 .*token is invalid or revoked/);
    expect(result.stdout).toBe('');
  });

  it('ends with a clear message when the community has no room for another server, deleting none', async () => {
    const client = new VkApiClient(TOKEN, { baseUrl: vk.baseUrl });
    for (let index = 0; index < 9; index++)
      await client.call('groups.addCallbackServer', {
        group_id: DEMO_GROUP_ID,
        url: `https://elsewhere.example/${index}`,
        title: 'other',
      });
    const [ours] = vk.community(DEMO_GROUP_ID)?.servers ?? [];
    const before = vk.calls.length;
    // Deleting ours first would free a slot, but the new URL may be wrong: a person chooses.
    const result = await connect(`${runtime.url}/vk/callback?second`, '--remove-stale');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already has the ten callback servers VK allows (error 2000)');
    expect(result.stderr).toContain(
      `nothing was deleted. Ours at another URL: #${ours?.id} ${runtime.url}/vk/callback`,
    );
    expect(vk.calls.slice(before).filter((call) => call.method === 'groups.deleteCallbackServer')).toEqual(
      [],
    );
    expect(vk.community(DEMO_GROUP_ID)?.servers).toHaveLength(10);
  });

  it('refuses a stage whose name would not fit in the server title', async () => {
    const result = await runTsx('ops/vk-connect.ts', [
      '--stage',
      'preproduction',
      '--group-id',
      '1',
      '--url',
      'https://x/',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('longer than the 8 characters');
  });
});
