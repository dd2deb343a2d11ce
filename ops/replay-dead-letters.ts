import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { systemClock } from '../lambdas/adapters/clock.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { messageSize, sendBatches } from '../lambdas/adapters/sqs-queue.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { deliveryFailedCause } from '../lambdas/domain/inquiry/state-machine.js';
import { type OutboxMessage, outboxMessageSchema } from '../lambdas/domain/outbox/outbox-message.js';
import { createInquiryRecording } from '../lambdas/responder/record-on-inquiry.js';
import { WAITING_SINCE_ATTRIBUTE } from '../lambdas/router/overtaken.js';
import {
  type Failure,
  failureOf,
  optionsOf,
  type Progress,
  requiredOptions,
  runAsCommand,
} from './command-line.js';
import { misfit, type NamedQueue, queueNamed } from './queue-kinds.js';
import { STAGE_OPTIONS, stageOptions } from './stage-options.js';
import { OPS_REQUEST_HANDLER, stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

/**
 * How long a dry run keeps the messages it has counted out of sight, so that it does not count them again:
 * long enough to look at thousands; if the run is cut short, they reappear by themselves after it.
 */
const LOOK_SECONDS = 300;

const USAGE = `Moves messages from a dead-letter queue back to the queue they came from, to be processed again.

  npm run dlq:replay -- --from <dead-letter queue URL> --to <queue URL> [--max <count>] [--dry-run]
                        [--table <table name> --config <file>]
  npm run dlq:replay -- --from <queue URL> --to <queue URL> --from-live-queue [--max <count>] [--dry-run]
  npm run dlq:replay -- --from <dead-letter queue URL> --drop <message id>[,<message id>…] [--max <count>]
                        [--table <table name> --config <file>]

It looks at both queues first, and refuses (exit 2, before it moves anything) a queue that does not exist, a
--to that is a dead-letter queue when --from is not one (the URLs swapped: it would move a queue's work into
its dead letters), and a --from that is not a dead-letter queue without --from-live-queue. A dead-letter queue
is one with no redrive policy: every other queue of the stacks has one, naming its dead-letter queue.

--from-live-queue moves the messages of a queue that is not a dead-letter queue: after a failed deploy whose
Stateless stack was rolled back, the answers queue, which nothing reads then, is moved to the outbox this way
(docs/runbook.md). Never a queue its consumer still reads: it takes its work away from it.

A message whose body belongs to another of the stage's queues than --to (an event ingest accepted, one of the
classifier's for the router, a message to a citizen, by its fields; the queue by its name) is refused: the run
stops there (exit 1) and leaves it, and the others not moved yet, where they were. The dry run names each such
message and exits 1. An answer moved to the outbox belongs there.

--dry-run counts the messages (up to --max) and moves none, naming each by what the consumers' logs name it
(eventKey, or an outbox message's outboxId): it keeps each out of sight until all are counted, then makes
them visible again (if it is cut short, they reappear within ${LOOK_SECONDS / 60} minutes). With --table and
--config (the stage's inquiry table and configuration, for its region), it also says of each operator's answer
or intermediate answer whether its inquiry is still flagged for it (undelivered): one the department has dealt
with since (answered again, closed) is not sent by a replay.

--max stops it after that many messages, saying so when some may be left.

--drop deletes the dead letters of those ids (a consumer's log and the dry run name them), once looked at and
not worth replaying, and leaves every other one as it was: it looks through the queue as a dry run does. An
operator's answer or intermediate answer is dropped only with --table and --config: its inquiry, if still
flagged for it, is first told it was given up (the flag stays, its reason "given up: dropped from the
dead-letter queue by ops" instead of "kept in the dead-letter queue"). Without them such a letter is kept,
named on stderr, and the command exits 1; any other letter is dropped as before.

Fix the cause first (a bug, a bad configuration, VK being down): a message replayed into the same failure
comes back to the dead-letter queue after the queue's attempts. Each message is sent to the queue before it is
deleted from the dead-letter queue, so a failure half-way loses nothing (at worst a message is sent twice,
which every consumer tolerates).

The queues have no default: their URLs (a stage's stack outputs, docs/runbook.md) name the stage. It works in
the region the queue URLs name (https://sqs.<region>.amazonaws.com/…), whatever the AWS profile's. The local
runtime's queues (http://sqs.<region>.127.0.0.1:<port>/…, as npm start prints them) name one too, on a host
that does not resolve: set AWS_ENDPOINT_URL_SQS to the SQS endpoint npm start prints, with the credentials of
the line it prints for the ops commands.`;

/**
 * The region an SQS queue URL names: the queues' own, whatever the profile's. AWS's URLs name it
 * (https://sqs.<region>.amazonaws.com/…), and so do the local emulator's (http://sqs.<region>.127.0.0.1:<port>/…).
 */
export const regionOfQueueUrl = (url: string): string | undefined =>
  /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\//.exec(url)?.[1] ??
  /^http:\/\/sqs\.([a-z0-9-]+)\.127\.0\.0\.1(?::\d+)?\//.exec(url)?.[1];

const fail: Failure = failureOf('dlq:replay');

/**
 * What names a dead letter in the consumers' logs, and nothing personal (never the text): the VK event's
 * `eventKey` (events and routing queues), or the outbox message's id, logged as `outboxId`.
 */
export function deadLetterKey(body: string | undefined): string {
  try {
    const message = JSON.parse(body ?? '') as { kind?: unknown; id?: unknown; eventKey?: unknown };
    if (message.kind === 'message_to_citizen' && typeof message.id === 'string')
      return `outboxId ${message.id}`;
    if (typeof message.eventKey === 'string') return `eventKey ${message.eventKey}`;
  } catch {
    // Not JSON: what the consumer could not read is named by its SQS message id alone.
  }
  return 'no eventKey or outboxId';
}

/**
 * Receives the messages of a queue, up to `max`, each once: each one received stays out of sight until all are
 * seen (none is seen twice), then those `visit` did not delete are made visible again at once. Stops early
 * when `enough` says so. Returns how many it saw.
 */
async function lookThrough(
  client: SQSClient,
  from: string,
  max: number,
  visit: (message: Message) => Promise<'kept' | 'deleted'>,
  enough: () => boolean = () => false,
): Promise<number> {
  /** Message id → the receipt handle of its latest receive. */
  const seen = new Map<string, string>();
  const deleted = new Set<string>();
  try {
    while (seen.size < max && !enough()) {
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: from,
          MaxNumberOfMessages: Math.min(10, max - seen.size),
          WaitTimeSeconds: 1,
          VisibilityTimeout: LOOK_SECONDS,
        }),
      );
      const messages = received.Messages ?? [];
      let fresh = 0;
      for (const message of messages) {
        const id = message.MessageId ?? '';
        const first = !seen.has(id);
        seen.set(id, message.ReceiptHandle ?? '');
        if (!first) continue;
        fresh++;
        if ((await visit(message)) === 'deleted') deleted.add(id);
      }
      // Nothing left in sight, or only messages seen already (back after LOOK_SECONDS): all are seen.
      if (fresh === 0) break;
    }
  } finally {
    // Only looking: make them visible again at once, ten to a call.
    const handles = [...seen].flatMap(([id, handle]) => (deleted.has(id) ? [] : [handle]));
    let notShown = 0;
    for (let start = 0; start < handles.length; start += 10) {
      const shown = await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: from,
          Entries: handles.slice(start, start + 10).map((handle, index) => ({
            Id: String(index),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      notShown += shown.Failed?.length ?? 0;
    }
    if (notShown > 0)
      console.error(`${notShown} message(s) stay out of sight for up to ${LOOK_SECONDS} s, then reappear`);
  }
  return Math.min(seen.size, max);
}

/**
 * Counts the messages of a queue, up to `max`, without moving any: each one received stays out of sight until
 * the count is done (none is counted twice), then all are made visible again at once. Those `refuse` gives a
 * reason for are named and counted apart, as a replay would refuse them.
 */
export async function countDeadLetters(
  client: SQSClient,
  from: string,
  max: number,
  refuse: (body: string | undefined) => string | undefined = () => undefined,
  onCounted?: (counted: number) => void,
  /** What more to say of a message (its inquiry's flag), if anything. */
  describe?: (body: string | undefined) => Promise<string | undefined>,
): Promise<{ count: number; refused: number }> {
  let refused = 0;
  let counted = 0;
  const count = await lookThrough(client, from, max, async (message) => {
    const more = await describe?.(message.Body);
    const named = `${message.MessageId} (${message.Body?.length ?? 0} bytes): ${deadLetterKey(message.Body)}${more ? `; ${more}` : ''}`;
    const reason = refuse(message.Body);
    if (reason === undefined) console.log(`would move ${named}`);
    else {
      refused++;
      console.log(`would refuse ${named}: ${reason}`);
    }
    onCounted?.(++counted);
    return 'kept';
  });
  return { count, refused };
}

/** What dlq:replay needs to know of a queue before it touches any message. */
export interface QueueFacts {
  url: string;
  /** No redrive policy: every other queue of the stacks has one, naming its dead-letter queue. */
  deadLetters: boolean;
  /** Which of the stage's queues its name says it is, if it says. */
  named: NamedQueue | undefined;
}

/**
 * Looks at a queue (GetQueueAttributes), or says plainly which queue could not be reached and why, before a
 * message of either queue is received and hidden.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
export async function queueFacts(client: SQSClient, url: string): Promise<QueueFacts> {
  try {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    return { url, deadLetters: !Attributes?.RedrivePolicy, named: queueNamed(url) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    const code = (error as { code?: unknown }).code;
    if (/QueueDoesNotExist|NonExistentQueue/.test(name))
      throw new Error(
        `queue ${url} cannot be reached: no such queue (the Stateful stack's outputs name the stage's queues, in the region the URL names)`,
      );
    const said = [typeof code === 'string' && code !== name ? code : name, message].filter(Boolean);
    throw new Error(`queue ${url} cannot be reached: ${said.join(': ')}`);
  }
}

/** Why dlq:replay refuses to move from `from` to `to`, or undefined when it may. */
export function refusedPair(from: QueueFacts, to: QueueFacts, fromLiveQueue: boolean): string | undefined {
  if (to.deadLetters && !from.deadLetters)
    return `--to ${to.url} is a dead-letter queue and --from ${from.url} is not: swapped? It would move a queue's work into dead letters`;
  if (!from.deadLetters && !fromLiveQueue)
    return `--from ${from.url} is not a dead-letter queue (it has a redrive policy): its consumer's work would be taken from it; give --from-live-queue to move it all the same (docs/runbook.md)`;
  return undefined;
}

/**
 * Deletes the dead letters of the given message ids, looking through up to `max` messages as a dry run does;
 * every other one is made visible again. A dead letter keeps the id its message had in its queue, which the
 * consumers log. Returns the ids dropped and those not found.
 */
export async function dropDeadLetters(
  client: SQSClient,
  from: string,
  ids: readonly string[],
  max: number,
  /** Done before a letter is deleted; a reason given keeps it. */
  beforeDrop: (body: string | undefined) => Promise<string | undefined> = async () => undefined,
): Promise<{ dropped: string[]; notFound: string[]; kept: { id: string; reason: string }[] }> {
  const wanted = new Set(ids);
  const dropped: string[] = [];
  const kept: { id: string; reason: string }[] = [];
  await lookThrough(
    client,
    from,
    max,
    async (message) => {
      const id = message.MessageId ?? '';
      if (!wanted.has(id)) return 'kept';
      const reason = await beforeDrop(message.Body);
      if (reason !== undefined) {
        kept.push({ id, reason });
        return 'kept';
      }
      await client.send(new DeleteMessageCommand({ QueueUrl: from, ReceiptHandle: message.ReceiptHandle }));
      dropped.push(id);
      console.log(`dropped ${id}`);
      return 'deleted';
    },
    () => dropped.length + kept.length === wanted.size,
  );
  const seen = new Set([...dropped, ...kept.map(({ id }) => id)]);
  return { dropped, kept, notFound: [...wanted].filter((id) => !seen.has(id)) };
}

/** The dead letter's operator's answer or intermediate answer to a citizen, if it is one (their inquiry may be flagged). */
export function operatorWordsOf(body: string | undefined): OutboxMessage | undefined {
  try {
    const parsed = outboxMessageSchema.safeParse(JSON.parse(body ?? ''));
    if (!parsed.success) return undefined;
    const { purpose } = parsed.data;
    return purpose === 'answer' || purpose === 'intermediate_answer' ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What dlq:replay reads and writes of the stage's inquiries, given --table and --config. */
export function deadLetterInquiries(tableName: string, config: AppConfig) {
  const inquiries = new DynamoInquiryRepository(stageDocumentClient(config), tableName);
  const { recordDropped } = createInquiryRecording({ config, inquiries, clock: systemClock });
  return {
    /** Whether the words' inquiry is still flagged for them, in a few words for the dry run. */
    async flagOf(words: OutboxMessage): Promise<string> {
      const inquiry = await inquiries.getInquiry(words.inquiryId);
      if (!inquiry) return 'its inquiry is gone (a replay sends nothing)';
      if (inquiry.undelivered?.outboxId === words.id) return 'its inquiry is flagged for these words';
      // As send-time.ts tells words recorded undelivered and dealt with since.
      const recorded =
        inquiry.undeliveredWords?.includes(words.id) ||
        inquiry.causes.includes(deliveryFailedCause(words.id));
      return recorded
        ? 'its inquiry is no longer flagged for these words: the department reached the citizen since (a replay skips them)'
        : 'its inquiry is not flagged for these words: nothing recorded them undelivered';
    },
    /** The words dropped, on their inquiry if it is still flagged for them: given up. */
    dropped: (words: OutboxMessage) => recordDropped(words, systemClock.now().toISOString()),
  };
}

/**
 * The attributes a dead letter is replayed with: its own, but for how long a change has waited for its
 * message (lambdas/router/overtaken.ts), so that a replayed change waits again for the message it may be
 * replayed beside. Undefined when none is left.
 */
export function replayedAttributes(
  attributes: Message['MessageAttributes'],
): Message['MessageAttributes'] | undefined {
  const kept = Object.entries(attributes ?? {}).filter(([name]) => name !== WAITING_SINCE_ATTRIBUTE);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

export interface ReplayResult {
  /** Messages sent to the queue. */
  moved: number;
  /** A message refused before it was sent, and why: the run stopped there. */
  refused?: { id: string; reason: string };
  /**
   * Ids of messages sent to the queue that the dead-letter queue refused to delete: they reappear there and
   * would be sent again by the next replay.
   */
  notDeleted: string[];
}

/**
 * Moves up to `max` messages; returns how many were moved and which of them are still dead letters. Stops at
 * the first message `refuse` gives a reason for, before it sends the receive it came in, and makes that
 * receive's messages visible again at once.
 */
export async function replayDeadLetters(
  client: SQSClient,
  from: string,
  to: string,
  max: number,
  options: {
    refuse?: (body: string | undefined) => string | undefined;
    onMoved?: (moved: number) => void;
  } = {},
): Promise<ReplayResult> {
  let moved = 0;
  const notDeleted: string[] = [];
  while (moved < max) {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: from,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        // Long enough to send and delete; if this process dies, the messages reappear in the dead-letter queue.
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    for (const message of messages) {
      const reason = options.refuse?.(message.Body);
      if (reason === undefined) continue;
      // Back in sight at once, all of this receive: a dry run right after counts them all.
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: from,
          Entries: messages.map((each, index) => ({
            Id: String(index),
            ReceiptHandle: each.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      return { moved, notDeleted, refused: { id: message.MessageId ?? '', reason } };
    }
    // Ten messages may be far more than one call may carry (BatchRequestTooLong): as many calls as they need.
    for (const batch of sendBatches(messages, (message) =>
      messageSize(message.Body ?? '', replayedAttributes(message.MessageAttributes)),
    )) {
      const sent = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: to,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? '',
            MessageAttributes: replayedAttributes(message.MessageAttributes),
          })),
        }),
      );
      const delivered = (sent.Successful ?? []).flatMap((entry) => batch[Number(entry.Id)] ?? []);
      if (delivered.length > 0) {
        const deleted = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: from,
            Entries: delivered.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
        for (const failure of deleted.Failed ?? []) {
          const id = delivered[Number(failure.Id)]?.MessageId ?? `entry ${failure.Id}`;
          notDeleted.push(id);
          console.error(
            `${id} was sent, but not deleted from the dead-letter queue: ${failure.Code} ${failure.Message ?? ''}`,
          );
        }
      }
      moved += delivered.length;
      options.onMoved?.(moved);
      // The messages of this receive not sent yet reappear in the dead-letter queue after its visibility.
      if ((sent.Failed ?? []).length > 0)
        throw new Error(`the queue refused ${sent.Failed?.length} message(s): ${sent.Failed?.[0]?.Message}`);
    }
  }
  return { moved, notDeleted };
}

/** A client in the region the queue's URL names, with the ops commands' time limits. */
function client(queueUrl: string): SQSClient {
  const region = regionOfQueueUrl(queueUrl);
  return new SQSClient({
    useQueueUrlAsEndpoint: false,
    requestHandler: OPS_REQUEST_HANDLER,
    ...(region && { region }),
  });
}

async function main(progress: Progress): Promise<void> {
  const options = {
    from: { type: 'string' },
    to: { type: 'string' },
    max: { type: 'string', default: '1000' },
    'dry-run': STAGE_OPTIONS['dry-run'],
    'from-live-queue': { type: 'boolean', default: false },
    drop: { type: 'string' },
    ...stageOptions('table', 'config', 'help'),
  } as const;
  const values = optionsOf(options, USAGE, fail);
  if (values.help) return void console.log(USAGE);
  if ((values.table === undefined) !== (values.config === undefined))
    fail(`${requiredOptions('--table', '--config')} together\n\n${USAGE}`, 2);
  const table =
    values.table !== undefined && values.config !== undefined
      ? {
          name: values.table,
          config: stageConfigOrFail(values.config, fail),
        }
      : undefined;
  const inquiries = table && deadLetterInquiries(table.name, table.config);
  /** A failure of the table said plainly, with its name and region. */
  const onTable = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!table) throw error;
      return fail(tableFailure(error, table.name, table.config));
    }
  };
  const max = Number(values.max);
  if (!Number.isInteger(max) || max <= 0) fail('--max must be a positive whole number', 2);
  const more = (count: number) => (count >= max ? ` (--max ${max}: there may be more)` : '');
  if (values.drop !== undefined) {
    const ids = values.drop
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!values.from || ids.length === 0) fail(`--drop needs --from and message ids\n\n${USAGE}`, 2);
    if (values.to || values['dry-run']) fail('--drop moves nothing: give it neither --to nor --dry-run', 2);
    const sqs = client(values.from);
    await queueFacts(sqs, values.from);
    progress(() => 'dropped before it stopped: the ones it printed; the others reappear within 5 minutes');
    const { dropped, notFound, kept } = await onTable(() =>
      dropDeadLetters(sqs, values.from as string, ids, max, async (body) => {
        const words = operatorWordsOf(body);
        if (!words) return undefined;
        if (!inquiries)
          return `an operator's ${words.purpose === 'answer' ? 'answer' : 'intermediate answer'} (outboxId ${words.id}): give --table and --config, so that its inquiry, if still flagged for it, is told it was given up`;
        // Told first: a drop cut short leaves the letter, and the next one finds the change made.
        if ((await inquiries.dropped(words)) === 'changed')
          console.log(`outboxId ${words.id}: its inquiry is flagged for these words, now as given up`);
        return undefined;
      }),
    );
    console.log(`dropped ${dropped.length} message(s) from ${values.from}`);
    if (kept.length > 0)
      fail(
        `kept, nothing done for them: ${kept.map(({ id, reason }) => `${id}, ${reason}`).join('; ')}${notFound.length > 0 ? `; not found: ${notFound.join(', ')}` : ''}`,
      );
    if (notFound.length > 0)
      fail(
        `not found, nothing done for them (already gone, or out of sight for another reader for a few minutes): ${notFound.join(', ')}`,
      );
    return;
  }
  if (!values.from || !values.to) fail(`--from and --to are required\n\n${USAGE}`, 2);
  if (values.from === values.to) fail('--from and --to must be different queues', 2);
  const sqs = client(values.from);
  const from = await queueFacts(sqs, values.from);
  const to = await queueFacts(sqs, values.to);
  const refusal = refusedPair(from, to, values['from-live-queue']);
  if (refusal) fail(refusal, 2);
  const refuse = (body: string | undefined) => misfit(body, to.named);
  if (values['dry-run']) {
    let counted = 0;
    progress(
      () =>
        `counted ${counted} message(s), moved none; they reappear in ${values.from} within ${LOOK_SECONDS / 60} minutes`,
    );
    const { count, refused } = await onTable(() =>
      countDeadLetters(
        sqs,
        values.from as string,
        max,
        refuse,
        (sofar) => {
          counted = sofar;
        },
        inquiries &&
          (async (body) => {
            const words = operatorWordsOf(body);
            return words && inquiries.flagOf(words);
          }),
      ),
    );
    console.log(`${count - refused} message(s) would be moved${more(count)}`);
    if (refused > 0)
      fail(`${refused} message(s) would be refused: they do not belong on ${values.to} (named above)`);
    return;
  }
  let moved = 0;
  progress(
    () =>
      `moved ${moved} message(s) from ${values.from} to ${values.to}; those received and not moved reappear in ${values.from} within a minute`,
  );
  const result = await replayDeadLetters(sqs, values.from, values.to, max, {
    refuse,
    onMoved: (sofar) => {
      moved = sofar;
    },
  });
  const { notDeleted, refused } = result;
  console.log(
    `moved ${result.moved} message(s) from ${values.from} to ${values.to}${refused ? '' : more(result.moved)}`,
  );
  if (refused)
    fail(
      `stopped at ${refused.id}, left in ${values.from} with those not moved yet: ${refused.reason}. Is --to the right queue? A dry run names each message`,
    );
  if (notDeleted.length > 0)
    fail(
      `${notDeleted.length} of them could not be deleted from the dead-letter queue and will be sent again by the next replay (every consumer tolerates it): ${notDeleted.join(', ')}`,
    );
}

runAsCommand(import.meta.url, main, fail);
