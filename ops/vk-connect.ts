import { SSMClient } from '@aws-sdk/client-ssm';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { fileSecretStore } from '../lambdas/adapters/secret-store.js';
import { ssmWritableSecretStore } from '../lambdas/adapters/ssm-writable-secret-store.js';
import { VK_API_BASE_URL } from '../lambdas/adapters/vk-api-client.js';
import { ConfigError } from '../lambdas/domain/config/schema.js';
import { VkApiError } from '../lambdas/domain/vk-api/errors.js';
import { MAX_STAGE_LENGTH } from '../lambdas/domain/vk-api/server-title.js';
import { type Failure, failureOf, optionsOf, requiredOptions } from './command-line.js';
import {
  callbackStatus,
  connectCommunity,
  LEGACY_SERVER_TITLE,
  minuteOf,
  NoRoomForServerError,
  nameServer,
  PreviousSecretInUseError,
  previousSecretStatus,
  SecretNotEverywhereYetError,
  SecretTooLongError,
  ServerNotConfirmedError,
  type ServerStatus,
  serverTitle,
} from './connect-community.js';
import { type PreviousSecretState, RETRY_WINDOW } from './previous-secret.js';
import { ConnectingVkApiClient, VkApiTimeoutError, VkApiUnreachableError } from './vk-connect-client.js';

// Ops run these on Node 20 as well (Lambda runs 22): the AWS SDK's multi-line reminder about that is only
// noise here, as in local/main.ts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Connects a VK community to the deployed callback endpoint.

  npm run vk:connect -- --stage <stage> --group-id <id> --url <https://…/vk/callback> [options]
  npm run vk:connect -- --stage <stage> --group-id <id> --status

  --status            only show the community's callback servers and their status (and, for this stage's,
                      the API version and events that differ), and whether ingest still accepts a previous
                      callback secret and until when, changing nothing in VK or the secrets

  --stage <stage>     the stage whose CallbackUrl --url is, required, with no default: our server is titled
                      "${serverTitle('<stage>')}", and the stage's configuration names the secrets it writes
  --config <file>     the configuration the stack was deployed with (default config/<stage>.json, of the
                      --stage given)
  --secrets <file>    a local secrets file instead of SSM Parameter Store (the local runtime's stand-in)
  --vk-api <url>      the VK API base URL (default ${VK_API_BASE_URL})
  --timeout <seconds> how long to wait for VK to report the server ok (default 60)
  --remove-stale      once the server at --url is confirmed, delete this stage's servers at another URL, such
                      as a deleted and re-created Stateless stack's; without it they are only named. Those an
                      earlier version titled "${LEGACY_SERVER_TITLE}" count only at the host of --url; at
                      another host they may be another stage's and are never deleted
  --retire-previous   retire the previous callback secret now (it leaked), even while VK may still retry
                      events signed with it: those then get 403. Without it, the previous secret is kept
                      until ${RETRY_WINDOW} after VK was given another one, whatever runs meanwhile

The community token is read from the parameter the configuration names in tokens.community; it needs the
community's "manage" right (and "messages", for the responder's direct replies). The confirmation code and the generated secret are stored in the parameters
the configuration names, where ingest reads them; so is, in previousCallbackSecret, the secret VK signs
with before the run, which ingest still accepts while a rotated one reaches it and while VK retries events
signed with it; when VK was given another is noted beside it, in <previousCallbackSecret>-replaced-at
(docs/runbook.md). VK is not made to confirm a server again within ten minutes of the callback secret, or a
changed confirmation code, being stored: a warm ingest may still hold the value before it. VK's errors 6, 9, 10 and 36 are tried again twice, a second and
two seconds apart.`;

/** What ops should do about the VK errors this command meets. */
const HINTS: Record<number, string> = {
  5: 'the community token is invalid or revoked: issue a new one in the community settings and store it',
  6: 'VK went on refusing more calls per second: wait a minute and run again',
  9: "VK's flood control: wait a few minutes and run again",
  10: 'VK failed inside, and may have made the change all the same: see what VK holds with --status; a run again is safe',
  15: 'the token lacks the "manage" right of the community',
  27: 'the community token is invalid for this method',
  28: 'the application token is invalid',
  36: 'VK ran out of time, and may have made the change all the same: see what VK holds with --status; a run again is safe',
  100: 'VK refused a parameter: check the URL (https, publicly reachable)',
  2000: 'the community already has the most callback servers VK allows (10): remove an unused one in its settings',
};

const fail: Failure = failureOf('vk:connect');

async function main(): Promise<void> {
  const options = {
    stage: { type: 'string' },
    'group-id': { type: 'string' },
    url: { type: 'string' },
    config: { type: 'string' },
    secrets: { type: 'string' },
    'vk-api': { type: 'string', default: VK_API_BASE_URL },
    timeout: { type: 'string', default: '60' },
    'remove-stale': { type: 'boolean', default: false },
    'retire-previous': { type: 'boolean', default: false },
    status: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  } as const;
  const values = optionsOf(options, USAGE, fail);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const stage = values.stage;
  // No default stage: the configuration, and so the secrets written, follow the one named.
  if (!stage) fail(`${requiredOptions('--stage')}\n\n${USAGE}`, 2);
  // The stacks' rule (lib/app.ts), and short enough for VK's server title.
  if (!/^[a-z][a-z0-9]*$/.test(stage) || stage.length > MAX_STAGE_LENGTH)
    fail(
      `stage "${stage}" is not a stage's name, or longer than the ${MAX_STAGE_LENGTH} characters VK's server title leaves it`,
      2,
    );
  const configFile = values.config ?? `config/${stage}.json`;
  // Digits only: Number() would also take "0x10" or "1e3" for another community's id.
  const groupId = Number(values['group-id']);
  if (!/^\d+$/.test(values['group-id'] ?? '') || !Number.isSafeInteger(groupId) || groupId <= 0)
    fail(`--group-id must be the community's numeric id\n\n${USAGE}`, 2);
  if (values.status && values['remove-stale']) fail(`--status changes nothing: not with --remove-stale`, 2);
  if (values.status && values['retire-previous'])
    fail(`--status changes nothing: not with --retire-previous`, 2);
  if (!values.status && (!values.url || !/^https?:\/\/\S+$/.test(values.url)))
    fail(`--url must be the endpoint's URL\n\n${USAGE}`, 2);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    fail(`--timeout must be a number of seconds, not "${values.timeout}"`, 2);

  const config = readConfigFile(configFile);
  const community = config.communities.find((candidate) => candidate.groupId === groupId);
  if (!community) fail(`community ${groupId} is not in ${configFile}: add it there and deploy first`);
  const tokenRef = community.tokens?.community;
  if (!tokenRef) fail(`community ${groupId} has no tokens.community reference in ${configFile}`);

  // The stage's region, not the profile's: ingest reads the secrets where the stacks are.
  const secrets = values.secrets
    ? fileSecretStore(values.secrets)
    : ssmWritableSecretStore(new SSMClient(config.region ? { region: config.region } : {}));
  const token = await secrets.get(tokenRef.parameter);
  if (!token) fail(`no community token stored at ${tokenRef.parameter}`);
  const vk = new ConnectingVkApiClient(token, { baseUrl: values['vk-api'] });
  if (values.status) {
    printStatus(groupId, community.name, stage, await callbackStatus({ vk, groupId, stage }), values.url);
    const now = new Date();
    console.log(
      `  previous secret: ${previousSecretLine(await previousSecretStatus({ secrets, community, now }), now)}`,
    );
    return;
  }
  const url = values.url as string;

  const report = await connectCommunity({
    vk,
    secrets,
    community,
    stage,
    url,
    timeoutMs: timeoutSeconds * 1000,
    removeStale: values['remove-stale'],
    retirePrevious: values['retire-previous'],
  });
  const { server, events, stale, unknownStage } = report;
  console.log(`community ${groupId} (${community.name}) is connected to ${url}`);
  console.log(`  confirmation code: ${report.confirmationCode}`);
  console.log(`  secret:            ${report.secret}`);
  console.log(
    `  previous secret:   ${report.previousSecretKeptUntil ? `kept until ${minuteOf(report.previousSecretKeptUntil)}: VK may retry events signed with it until then` : report.previousSecret}`,
  );
  console.log(`  callback server:   #${server.id}, ${server.change}`);
  console.log(
    `  events:            ${events.switchedOn.length + events.switchedOff.length === 0 ? 'unchanged' : `${events.switchedOn.length} switched on, ${events.switchedOff.length} switched off`}`,
  );
  console.log(`  status:            ${report.status}`);
  const named = stale.servers.map(nameServer).join(', ');
  console.log(
    `  other servers:     ${stale.servers.length === 0 ? 'none' : `${stale.removed ? 'removed' : 'left'} ${named}`}`,
  );
  if (unknownStage.length > 0)
    console.log(`  unknown stage:     left ${unknownStage.map(nameServer).join(', ')}`);
  if (stale.servers.length > 0 && !stale.removed)
    console.error(
      `vk:connect: warning: community ${groupId} has other callback servers of stage ${stage} (titled "${serverTitle(stage)}") at another URL: ${named}. VK may send them every event too, a rotated secret reaches only ${url}, and each takes one of the ten servers VK allows. If they are a deleted stack's, run again with --remove-stale.`,
    );
  if (unknownStage.length > 0)
    console.error(
      `vk:connect: warning: community ${groupId} has callback servers an earlier version made (titled "${LEGACY_SERVER_TITLE}") at another host: ${unknownStage.map(nameServer).join(', ')}. They may be another stage's, so --remove-stale leaves them: connect each stage with this version (which gives its server the stage's title), or delete one no stage uses in the community's settings (API usage → Callback API).`,
    );
}

/** The servers as VK reports them, this stage's marked; never a secret. */
function printStatus(
  groupId: number,
  name: string,
  stage: string,
  servers: ServerStatus[],
  url: string | undefined,
): void {
  console.log(`community ${groupId} (${name}): ${servers.length} callback server(s), nothing changed`);
  for (const server of servers) {
    const whose =
      server.title === serverTitle(stage)
        ? `this stage's${url !== undefined && server.url !== url ? `, not at ${url}` : ''}`
        : server.title === LEGACY_SERVER_TITLE
          ? 'an earlier version’s'
          : 'not this stage’s';
    const settings = server.settings
      ? `, API ${server.settings.apiVersion ?? 'unset'}, events ${server.settings.eventsToChange === 0 ? 'as set' : `${server.settings.eventsToChange} to change`}`
      : '';
    console.log(`  #${server.id} "${server.title}" ${server.url}: ${server.status} (${whose}${settings})`);
  }
  if (!servers.some((server) => server.title === serverTitle(stage)))
    console.log(`  no server titled "${serverTitle(stage)}": run vk:connect without --status to add it`);
}

/**
 * Whether ingest still takes the previous secret, and until when: in UTC, rounded up to the minute as `minuteOf`
 * is (a run at the time shown is not too early), with the whole minutes left. Never the secret.
 */
function previousSecretLine(state: PreviousSecretState | undefined, now: Date): string {
  if (state === undefined)
    return 'not configured (previousCallbackSecret): ingest accepts the callback secret only';
  if (state.kind === 'none') return 'none: ingest accepts the callback secret only';
  if (state.kind === 'unnoted')
    return `accepted, with no note of VK being given another secret: kept until ${RETRY_WINDOW} after the run of vk:connect that finds VK holding another (--retire-previous: at once)`;
  const until = new Date(Math.ceil(state.until.getTime() / 60_000) * 60_000);
  const at = until.toISOString().replace('.000Z', 'Z');
  if (state.kind === 'due')
    return `accepted until the next run of vk:connect retires it: VK's retries signed with it ended at ${at}`;
  // Whole minutes of the window itself, not of the minute shown: a window that began seconds into a minute
  // would otherwise show a minute more than it has.
  const left = Math.max(0, Math.floor((state.until.getTime() - now.getTime()) / 60_000));
  return `accepted until ${at} (${left} min left), while VK may retry events signed with it; the first run of vk:connect from then retires it (--retire-previous: at once)`;
}

main().catch((error: unknown) => {
  if (error instanceof VkApiError)
    fail(
      `VK answered error ${error.code} to ${error.method} (${error.vkMessage})${HINTS[error.code] ? `: ${HINTS[error.code]}` : ''}`,
    );
  if (
    error instanceof ConfigError ||
    error instanceof ServerNotConfirmedError ||
    error instanceof NoRoomForServerError ||
    error instanceof PreviousSecretInUseError ||
    error instanceof SecretNotEverywhereYetError ||
    error instanceof SecretTooLongError ||
    error instanceof VkApiUnreachableError ||
    error instanceof VkApiTimeoutError
  )
    fail(error.message);
  fail(error instanceof Error ? error.message : String(error));
});
