/**
 * `npm run vk:catch-up`: the command line, then vk-catch-up/catch-up.ts over VK (vk-catch-up/history.ts) and,
 * with --yes, the events queue.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { fileSecretStore } from '../lambdas/adapters/secret-store.js';
import { SqsMessageQueue } from '../lambdas/adapters/sqs-queue.js';
import { ssmWritableSecretStore } from '../lambdas/adapters/ssm-writable-secret-store.js';
import { VK_API_BASE_URL } from '../lambdas/adapters/vk-api-client.js';
import { ConfigError } from '../lambdas/domain/config/schema.js';
import type { ReceivedVkEvent } from '../lambdas/domain/vk/envelope.js';
import { handlingOf, tokenErrorHint, VkApiError } from '../lambdas/domain/vk-api/errors.js';
import {
  type Failure,
  failureOf,
  optionsOf,
  type Progress,
  requiredOptions,
  runAsCommand,
} from './command-line.js';
import { regionOfQueueUrl } from './dlq-replay/queues.js';
import { queueNamed } from './queue-kinds.js';
import { confirmedOf, STAGE_OPTIONS } from './stage-options.js';
import { OPS_REQUEST_HANDLER } from './stage-table.js';
import { type CatchUpReport, catchUp } from './vk-catch-up/catch-up.js';
import { CATCH_UP_DAYS, USAGE } from './vk-catch-up/usage.js';
import { ConnectingVkApiClient, VkApiTimeoutError, VkApiUnreachableError } from './vk-connect-client.js';

const fail: Failure = failureOf('vk:catch-up');

const OPTIONS = {
  config: STAGE_OPTIONS.config,
  community: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  queue: { type: 'string' },
  secrets: { type: 'string' },
  'vk-api': { type: 'string', default: VK_API_BASE_URL },
  yes: STAGE_OPTIONS.yes,
  'dry-run': STAGE_OPTIONS['dry-run'],
  help: STAGE_OPTIONS.help,
} as const;

const DAY_MS = 86_400_000;
/** An ISO 8601 time with its zone: one without is read in the local zone of whoever runs it. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the date written is a day of its month: Date.parse takes 2026-02-30 for 2 March. */
const isCalendarDay = (value: string): boolean => {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
};

/** The time an option gives, or the command stopped (exit 2). */
export function timeOf(option: string, value: string, failure: Failure): Date {
  const time = Date.parse(value);
  if (!ISO_TIME.test(value) || !Number.isFinite(time) || !isCalendarDay(value))
    failure(
      `--${option} must be an ISO time with its zone (2026-03-02T10:00:00Z, 2026-03-02T15:00+05:00), not "${value}"`,
      2,
    );
  return new Date(time);
}

/** The window asked for, checked against `now`, or the command stopped (exit 2). */
export function windowOf(
  values: { since: string; until?: string | undefined },
  now: Date,
  failure: Failure,
): { since: Date; until: Date } {
  const since = timeOf('since', values.since, failure);
  const until = values.until === undefined ? now : timeOf('until', values.until, failure);
  if (until.getTime() > now.getTime()) failure(`--until is in the future: leave it out to read up to now`, 2);
  if (since.getTime() >= until.getTime()) failure(`--since must be before --until`, 2);
  if (now.getTime() - since.getTime() > CATCH_UP_DAYS * DAY_MS)
    failure(
      `--since is more than ${CATCH_UP_DAYS} days ago: a catch-up reaches back ${CATCH_UP_DAYS} days at most (--help says why)`,
      2,
    );
  return { since, until };
}

/** What ops should do about VK's error: a token's as the responder names it (errors.ts, tokenErrorHint). */
export function vkErrorMessage(error: VkApiError): string {
  const hint =
    handlingOf(error.code) === 'token'
      ? `${tokenErrorHint(error.code)} (the community token, with the "messages" right)`
      : error.code === 6 || error.code === 9 || error.code === 29
        ? 'VK went on limiting the calls: wait a few minutes and run again'
        : error.code === 10 || error.code === 36
          ? 'VK failed inside: run again'
          : undefined;
  return `VK answered error ${error.code} to ${error.method} (${error.vkMessage})${hint ? `: ${hint}` : ''}`;
}

/** The counts found, and what was queued; never a citizen's id or words. */
export function reportLines(
  groupId: number,
  name: string,
  window: { since: Date; until: Date },
  report: CatchUpReport,
  queue: string | undefined,
): string[] {
  const lines = [
    `community ${groupId} (${name}), ${window.since.toISOString()} to ${window.until.toISOString()}:`,
    `  dialogues with a message since then: ${report.conversations}`,
    ...(report.chats > 0
      ? [
          `  group chats with a message since then, not read (VK gives a community no chat's history): ${report.chats}`,
        ]
      : []),
    `  citizens' messages written in the window: ${report.messages}`,
    ...[...report.byDay].map(([day, count]) => `    ${day}: ${count}`),
  ];
  lines.push(
    queue === undefined
      ? '  nothing queued (dry run): run again with --yes --queue <events queue URL> to queue them'
      : `  queued: ${report.queued} on ${queue}; the router drops each message it holds already`,
  );
  return lines;
}

async function main(progress: Progress): Promise<void> {
  const values = optionsOf(OPTIONS, USAGE, fail);
  if (values.help) return void console.log(USAGE);
  if (values.config === undefined || values.community === undefined || values.since === undefined)
    fail(`${requiredOptions('--config', '--community', '--since')}\n\n${USAGE}`, 2);
  const confirmed = confirmedOf(values, 'queues', fail);
  const groupId = Number(values.community);
  if (!/^\d+$/.test(values.community) || !Number.isSafeInteger(groupId) || groupId <= 0)
    fail(`--community must be the community's numeric group id, not "${values.community}"`, 2);
  const window = windowOf({ since: values.since, until: values.until }, new Date(), fail);
  const queueUrl = values.queue;
  if (confirmed && queueUrl === undefined)
    fail(`--yes needs --queue, the events queue's URL (the Stateful stack's output EventsQueueUrl)`, 2);
  if (!confirmed && queueUrl !== undefined) fail('--queue is only for a run with --yes', 2);
  if (queueUrl !== undefined) {
    const named = queueNamed(queueUrl);
    if (named !== undefined && (named.queue !== 'events' || named.deadLetters))
      fail(
        `--queue names the ${named.queue} queue${named.deadLetters ? "'s dead letters" : ''}, not the events queue`,
        2,
      );
  }

  let config: ReturnType<typeof readConfigFile>;
  try {
    config = readConfigFile(values.config);
  } catch (error) {
    return fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
  }
  const community = config.communities.find((candidate) => candidate.groupId === groupId);
  if (!community) return fail(`community ${groupId} is not in ${values.config}`);
  const tokenRef = community.tokens?.community;
  if (!tokenRef) return fail(`community ${groupId} has no tokens.community reference in ${values.config}`);
  const secrets = values.secrets
    ? fileSecretStore(values.secrets)
    : ssmWritableSecretStore(new SSMClient(config.region ? { region: config.region } : {}));
  const token = await secrets.get(tokenRef.parameter);
  if (!token) return fail(`no community token stored at ${tokenRef.parameter}`);
  const vk = new ConnectingVkApiClient(token, { baseUrl: values['vk-api'] });

  const region = queueUrl === undefined ? undefined : regionOfQueueUrl(queueUrl);
  const queue =
    queueUrl === undefined
      ? undefined
      : new SqsMessageQueue<ReceivedVkEvent>(
          new SQSClient({
            useQueueUrlAsEndpoint: false,
            requestHandler: OPS_REQUEST_HANDLER,
            ...(region && { region }),
          }),
          queueUrl,
        );
  let read = 0;
  let queued = 0;
  progress(() => `dialogues read: ${read}; events queued: ${queued}`);
  let report: CatchUpReport;
  try {
    report = await catchUp({
      vk,
      groupId,
      window,
      ...(queue && { queue }),
      now: () => new Date(),
      onConversation: (sofar) => {
        read = sofar;
      },
      onQueued: (sofar) => {
        queued = sofar;
      },
    });
  } catch (error) {
    if (error instanceof VkApiError) return fail(vkErrorMessage(error));
    if (error instanceof VkApiUnreachableError || error instanceof VkApiTimeoutError)
      return fail(error.message);
    if (queued > 0 || queue !== undefined)
      return fail(`${(error as Error).message} (events queued before it: ${queued}; a run again is safe)`);
    throw error;
  }
  for (const line of reportLines(groupId, community.name, window, report, queueUrl)) console.log(line);
}

runAsCommand(import.meta.url, main, fail);
