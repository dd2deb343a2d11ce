import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAYABLE_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { createInquiryRecording } from '../../lambdas/responder/record-on-inquiry.js';
import { WAITING_SINCE_ATTRIBUTE } from '../../lambdas/router/overtaken.js';
import { LOCAL_AWS, localSqsClient } from '../../local/emulators.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { regionOfQueueUrl, replayDeadLetters } from '../../ops/replay-dead-letters.js';
import { drainQueue } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { callbackBody } from '../support/fixtures.js';
import { startHeldEndpoint } from '../support/held-endpoint.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { eventually } from '../support/poll.js';
import { startDemoRuntime } from '../support/runtime.js';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime();
});
afterAll(() => runtime?.stop());

const localAwsEnvironment = () => ({
  AWS_ENDPOINT_URL_SQS: runtime.emulators.sqsEndpoint,
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
});

const depth = async (queueUrl: string) => {
  const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};

/** An operator's answer to the citizen `peerId` in a direct message, as the operator API queues it. */
const operatorAnswer = (inquiryId: string, peerId: number, text: string): OutboxMessage => ({
  kind: 'message_to_citizen',
  id: `${inquiryId}:answer:op-1:reply:k1`,
  inquiryId,
  groupId: 123456789,
  purpose: 'answer',
  replyTo: { channel: 'direct_message', peerId },
  citizenId: peerId,
  text,
  requestedAt: new Date().toISOString(),
  requestedBy: 'operator-1',
});

describe('npm run dlq:replay, against fauxqs and the local runtime', () => {
  it('moves dead letters back to their queue, where the pipeline processes them', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const { events } = runtime.queues;
    const sentFrom = Date.now();
    // What a dead letter of the events queue looks like: an accepted VK event that failed to be classified.
    for (const [index, id] of ['dlq-1', 'dlq-2', 'dlq-3'].entries()) {
      const event = callbackBody('03_message_new__vknet.json', { event_id: id });
      delete event.secret;
      // Three citizens, so that each message opens its own inquiry.
      const { message } = event.object as { message: Record<string, unknown> };
      event.object = { message: { ...message, from_id: 700 + index, peer_id: 700 + index } };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: events.deadLetterUrl,
          MessageBody: JSON.stringify({
            eventKey: `e:${id}`,
            groupId: event.group_id,
            type: 'message_new',
            receivedAt: new Date().toISOString(),
            event,
          }),
        }),
      );
    }
    expect(await depth(events.deadLetterUrl)).toBe(3);

    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--to', events.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/3 message\(s\) would be moved/);
    // Each named as the consumers' logs name it, and nothing of what the citizen wrote; with the time SQS
    // deletes it, the dead-letter queue's retention after it was sent.
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: events.deadLetterUrl,
        AttributeNames: ['MessageRetentionPeriod'],
      }),
    );
    const retentionMs = Number(Attributes?.MessageRetentionPeriod) * 1000;
    const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const deadlines = new Set([minute(sentFrom + retentionMs), minute(Date.now() + retentionMs)]);
    for (const key of ['e:dlq-1', 'e:dlq-2', 'e:dlq-3']) {
      const line = new RegExp(
        `^would move \\S+ \\(\\d+ bytes, deleted by SQS after (\\S+ \\S+) UTC\\): eventKey ${key}$`,
        'm',
      ).exec(dryRun.stdout);
      expect(line, key).not.toBeNull();
      expect(deadlines).toContain(line?.[1]);
    }
    expect(dryRun.stdout).not.toMatch(/мусор|Во дворе/i);
    await eventually(
      () => depth(events.deadLetterUrl),
      (count) => count === 3,
    );

    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--to', events.url],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/moved 3 message/);
    expect(await depth(events.deadLetterUrl)).toBe(0);

    const replayed = await eventually(
      () => runtime.inquiries.listAll(),
      (all) =>
        ['e:dlq-1', 'e:dlq-2', 'e:dlq-3'].every((key) =>
          all.some((inquiry) => inquiry.sourceEventKey === key),
        ),
    );
    expect(replayed.filter((inquiry) => inquiry.sourceEventKey.startsWith('e:dlq-'))).toHaveLength(3);
  });

  it('counts the whole dead-letter queue in a dry run, each message once, and leaves every one of them there', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const { routing } = runtime.queues;
    for (let start = 0; start < 25; start += 10)
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: routing.deadLetterUrl,
          Entries: Array.from({ length: Math.min(10, 25 - start) }, (_, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ dryRun: start + index }),
          })),
        }),
      );
    expect(await depth(routing.deadLetterUrl)).toBe(25);

    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', routing.deadLetterUrl, '--to', routing.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toMatch(/^25 message\(s\) would be moved$/m);
    expect(new Set(dryRun.stdout.match(/would move \S+/g)).size).toBe(25);
    // Visible again at once, all of them, for the replay that follows.
    expect(await depth(routing.deadLetterUrl)).toBe(25);
    await drainQueue(sqs, routing.deadLetterUrl);
  });

  it('names an outbox dead letter in a dry run by its outboxId, and a message it cannot read by nothing of it', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const { outbox } = runtime.queues;
    const outboxId = 'inq-1:answer:op:reply-1';
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: outbox.deadLetterUrl,
        Entries: [
          {
            Id: 'reply',
            MessageBody: JSON.stringify({
              kind: 'message_to_citizen',
              id: outboxId,
              inquiryId: 'inq-1',
              groupId: 123456789,
              purpose: 'answer',
              replyTo: { channel: 'direct_message', peerId: 5550001 },
              citizenId: 5550001,
              text: 'Контейнеры вывезены, спасибо за обращение',
              requestedAt: new Date().toISOString(),
              requestedBy: 'operator-1',
            }),
          },
          { Id: 'unreadable', MessageBody: 'Контейнеры не вывезены' },
        ],
      }),
    );

    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', outbox.deadLetterUrl, '--to', outbox.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toContain(`: outboxId ${outboxId}\n`);
    expect(dryRun.stdout).toContain(': no eventKey or outboxId\n');
    expect(dryRun.stdout).not.toMatch(/Контейнеры/);
    await drainQueue(sqs, outbox.deadLetterUrl);
  });

  it("moves an operator's answer from the answers queue's dead letters back to that queue, where the responder sends it", async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const { answers } = runtime.queues;
    const answer = operatorAnswer('inq-dlq-answer', 5550042, 'Контейнеры вывезены');
    await storeInquiryOf(runtime.inquiries, answer);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: answers.deadLetterUrl, MessageBody: JSON.stringify(answer) }),
    );

    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', answers.deadLetterUrl, '--to', answers.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.stdout).toContain(`: outboxId ${answer.id}\n`);
    await eventually(
      () => depth(answers.deadLetterUrl),
      (count) => count === 1,
    );
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', answers.deadLetterUrl, '--to', answers.url],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.stdout).toMatch(/moved 1 message/);
    const sent = await eventually(
      async () => runtime.vk?.delivered.filter((call) => call.params.peer_id === '5550042') ?? [],
      (calls) => calls.length > 0,
    );
    expect(sent.map((call) => call.params.message)).toEqual(['Контейнеры вывезены']);
  });

  it("moves an answer left on a queue with no consumer, not a dead-letter queue, to the outbox, where the responder sends it: a rolled-back deploy's answers queue", async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    // A queue with a dead-letter queue of its own and nothing reading it: the answers queue after the
    // Stateless stack's rollback took its event source away.
    const deadLetters = (await sqs.send(new CreateQueueCommand({ QueueName: 'orphaned-answers-dlq' })))
      .QueueUrl as string;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['QueueArn'] }),
    );
    const orphaned = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'orphaned-answers',
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 20 }),
          },
        }),
      )
    ).QueueUrl as string;
    const answer = operatorAnswer('inq-orphaned-answer', 5550043, 'Освещение во дворе восстановлено');
    await storeInquiryOf(runtime.inquiries, answer);
    await sqs.send(new SendMessageCommand({ QueueUrl: orphaned, MessageBody: JSON.stringify(answer) }));

    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', orphaned, '--to', runtime.queues.outbox.url, '--from-live-queue'],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.stdout).toMatch(/moved 1 message/);
    expect(await depth(orphaned)).toBe(0);
    const sent = await eventually(
      async () => runtime.vk?.delivered.filter((call) => call.params.peer_id === '5550043') ?? [],
      (calls) => calls.length > 0,
    );
    expect(sent.map((call) => call.params.message)).toEqual(['Освещение во дворе восстановлено']);
  });

  it('reports the dead letters it sent but could not delete, instead of counting them as moved and gone', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const from = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-from-dlq' })))
      .QueueUrl as string;
    const to = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-to' }))).QueueUrl as string;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: from,
        Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: JSON.stringify({ id }) })),
      }),
    );
    // The dead-letter queue refuses to delete the first message of each batch, as SQS may, entry by entry.
    sqs.middlewareStack.add(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per command
      (next: any, context: { commandName?: string }) => async (args: any) => {
        if (context.commandName !== 'DeleteMessageBatchCommand') return next(args);
        const [refused, ...rest] = args.input.Entries as { Id: string }[];
        const result = await next({ ...args, input: { ...args.input, Entries: rest } });
        result.output.Failed = [
          ...(result.output.Failed ?? []),
          { Id: refused?.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' },
        ];
        return result;
      },
      { name: 'refuseOneDelete', step: 'initialize' },
    );

    const result = await replayDeadLetters(sqs, from, to, 100);
    expect(result.moved).toBe(3);
    expect(result.notDeleted).toHaveLength(1);
    expect(await depth(to)).toBe(3);
    // The one not deleted is still a dead letter (out of sight until its receive's visibility ends).
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: from,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Number(Attributes?.ApproximateNumberOfMessagesNotVisible)).toBe(1);
  });

  it('sends large dead letters back in as many calls as SQS takes in one, with their attributes', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const from = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-large-dlq' })))
      .QueueUrl as string;
    const to = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-large' }))).QueueUrl as string;
    // Ten events of 300 KB (a long chain of forwarded messages): one receive of ten is three times the 1 MiB
    // SQS takes in one SendMessageBatch. fauxqs refuses such a call as SQS does (BatchRequestTooLong).
    for (let index = 0; index < 10; index++)
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: from,
          MessageBody: JSON.stringify({ index, text: 'ж'.repeat(150_000) }),
          MessageAttributes: { origin: { DataType: 'String', StringValue: 'events' } },
        }),
      );
    const calls: number[] = [];
    sqs.middlewareStack.add(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per command
      (next: any, context: { commandName?: string }) => async (args: any) => {
        if (context.commandName === 'SendMessageBatchCommand')
          calls.push(
            (args.input.Entries as { MessageBody: string }[]).reduce(
              (bytes, entry) => bytes + Buffer.byteLength(entry.MessageBody),
              0,
            ),
          );
        return next(args);
      },
      { name: 'measureBatches', step: 'initialize' },
    );

    expect(await replayDeadLetters(sqs, from, to, 100)).toEqual({ moved: 10, notDeleted: [] });
    expect(await depth(from)).toBe(0);
    expect(await depth(to)).toBe(10);
    expect(calls.length).toBeGreaterThanOrEqual(10);
    for (const bytes of calls) expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: to, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(Messages.length).toBeGreaterThan(0);
    for (const message of Messages)
      expect(message.MessageAttributes?.origin).toMatchObject({ StringValue: 'events' });
  });

  it('replays a change without how long it waited, so that it waits again for the message replayed beside it', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const from = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-waited-dlq' })))
      .QueueUrl as string;
    const to = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay-waited' }))).QueueUrl as string;
    // A change put back to wait, which then failed every attempt (DynamoDB throttled): SQS kept it as it was.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: from,
        MessageBody: JSON.stringify({ kind: 'message_changed', eventKey: 'e:waited' }),
        MessageAttributes: {
          [WAITING_SINCE_ATTRIBUTE]: { DataType: 'String', StringValue: '2026-03-02T06:00:00.000Z' },
          origin: { DataType: 'String', StringValue: 'routing' },
        },
      }),
    );
    expect(await replayDeadLetters(sqs, from, to, 10)).toEqual({ moved: 1, notDeleted: [] });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: to, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(Messages.map((message) => Object.keys(message.MessageAttributes ?? {}))).toEqual([['origin']]);
  });

  it('drops the dead letters named by id, once looked at, and leaves every other one in sight', async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const from = (await sqs.send(new CreateQueueCommand({ QueueName: 'drop-dlq' }))).QueueUrl as string;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: from,
        Entries: ['keep-1', 'drop-1', 'keep-2', 'drop-2'].map((id) => ({
          Id: id,
          MessageBody: JSON.stringify({ id }),
        })),
      }),
    );
    const idOf = (entry: string) => sent.Successful?.find((result) => result.Id === entry)?.MessageId ?? '';

    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', from, '--drop', `${idOf('drop-1')},${idOf('drop-2')}`],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dropped 2 message\(s\)/);
    // The others are in sight again at once, not in five minutes.
    expect(await depth(from)).toBe(2);

    const unknown = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', from, '--drop', 'no-such-message'],
      undefined,
      localAwsEnvironment(),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found.*no-such-message/);
    expect(await depth(from)).toBe(2);
    const left = await drainQueue(sqs, from);
    expect(left.map((body) => JSON.parse(body).id).sort()).toEqual(['keep-1', 'keep-2']);
  });

  it("drops an operator's answer only with the table, telling its inquiry, flagged for it, that it was given up", async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const from = (await sqs.send(new CreateQueueCommand({ QueueName: 'drop-words-dlq' }))).QueueUrl as string;
    const answer = operatorAnswer('inq-dlq-drop', 5550043, 'Контейнеры вывезены');
    await storeInquiryOf(runtime.inquiries, answer);
    // As the responder recorded it on its last receive, before SQS kept it in the dead letters.
    const { recordUndelivered } = createInquiryRecording({
      config: runtime.config,
      inquiries: runtime.inquiries,
      clock: { now: () => new Date() },
    });
    await recordUndelivered(answer, {
      at: new Date().toISOString(),
      reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
    });
    const { MessageId: id } = await sqs.send(
      new SendMessageCommand({ QueueUrl: from, MessageBody: JSON.stringify(answer) }),
    );
    const withTable = ['--table', runtime.tableName, '--config', 'config/local.json'];
    const environment = {
      ...localAwsEnvironment(),
      AWS_ENDPOINT_URL_DYNAMODB: runtime.emulators.dynamoEndpoint,
    };

    // The old usage: the answer is kept, named, and its inquiry left as it was.
    const without = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', from, '--drop', id as string],
      undefined,
      environment,
    );
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(new RegExp(`kept.*${id}.*outboxId ${answer.id}.*--table and --config`));
    expect(without.stderr).not.toMatch(/Контейнеры/);
    expect(await depth(from)).toBe(1);

    // The dry run says the inquiry is flagged for it.
    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', from, '--to', runtime.queues.answers.url, '--dry-run', ...withTable],
      undefined,
      environment,
    );
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toContain(`: outboxId ${answer.id}; its inquiry is flagged for these words\n`);
    await eventually(
      () => depth(from),
      (count) => count === 1,
    );

    const dropped = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', from, '--drop', id as string, ...withTable],
      undefined,
      environment,
    );
    expect(dropped.stderr).toBe('');
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toMatch(/dropped 1 message\(s\)/);
    expect(await depth(from)).toBe(0);
    // Still owed to the citizen, but no longer one to replay.
    expect(await runtime.inquiries.getInquiry(answer.inquiryId)).toMatchObject({
      undelivered: {
        outboxId: answer.id,
        reason: 'given up: dropped from the dead-letter queue by ops',
      },
    });
    // Its history says it was dropped, never sent: not "sent again".
    const { entries } = await runtime.inquiries.historyPage(answer.inquiryId, { limit: 100 });
    expect(entries.filter((entry) => entry.kind === 'undelivered').at(-1)?.reason).toBe(
      'the answer kept in the dead-letter queue was dropped from it, never sent: given up: dropped from the ' +
        'dead-letter queue by ops',
    );
  });

  // The three runs that follow reach no queue: side by side, each a process of its own.
  it.concurrent('refuses to run without both queues', async () => {
    const result = await runTsx('ops/replay-dead-letters.ts', ['--from', 'http://127.0.0.1:1/q']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--from and --to are required/);
  });

  it.concurrent('says in its usage that the queue URLs name the region, not AWS_REGION', async () => {
    const result = await runTsx('ops/replay-dead-letters.ts', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('It works in the region the queue URLs name');
    expect(result.stdout).not.toContain('Set AWS_REGION (and');
  });

  it.concurrent('shows its usage for a mistyped option, and moves nothing', async () => {
    const result = await runTsx('ops/replay-dead-letters.ts', ['--from', 'a', '--to', 'b', '--dryrun']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--dryrun'/);
    expect(result.stderr).toContain('npm run dlq:replay -- --from <dead-letter queue URL> --to <queue URL>');
  });
});

/** A queue with its dead-letter queue and redrive policy, as the Stateful stack makes them. */
async function queueWithDeadLetters(name: string): Promise<{ url: string; deadLetterUrl: string }> {
  const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
  const deadLetterUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` })))
    .QueueUrl as string;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
  );
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 5 }),
        },
      }),
    )
  ).QueueUrl as string;
  return { url, deadLetterUrl };
}

const send = async (queueUrl: string, bodies: unknown[]) => {
  const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
  for (let start = 0; start < bodies.length; start += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(start, start + 10).map((body, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(body),
        })),
      }),
    );
};

describe('dlq:replay refuses what would move the wrong messages', () => {
  it("refuses swapped URLs, a queue's work into its dead-letter queue, and moves nothing", async () => {
    const { url, deadLetterUrl } = await queueWithDeadLetters('swapped-routing');
    await send(url, [{ kind: 'citizen_message', eventKey: 'e:swapped' }]);
    // Each refused before it receives anything: the three run side by side.
    const runs = await Promise.all(
      [[], ['--from-live-queue'], ['--dry-run']].map((extra) =>
        runTsx(
          'ops/replay-dead-letters.ts',
          ['--from', url, '--to', deadLetterUrl, ...extra],
          undefined,
          localAwsEnvironment(),
        ),
      ),
    );
    for (const result of runs) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `--to ${deadLetterUrl} is a dead-letter queue and --from ${url} is not`,
      );
      expect(result.stdout).toBe('');
    }
    expect(await depth(url)).toBe(1);
    expect(await depth(deadLetterUrl)).toBe(0);
  });

  it('refuses a --from that is not a dead-letter queue unless --from-live-queue says so', async () => {
    const live = await queueWithDeadLetters('live-events');
    const other = await queueWithDeadLetters('other-events');
    await send(live.url, [{ eventKey: 'e:live', event: {} }]);
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', live.url, '--to', other.url],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a dead-letter queue .*--from-live-queue/);
    expect(await depth(live.url)).toBe(1);
  });

  it("refuses another stage's queue as --to, one of the same account and region, and moves nothing", async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    // Named as CloudFormation names each stage's queues: alike but for the Stateful stack's name.
    const create = async (name: string, deadLetterTargetArn?: string) => {
      const Attributes = deadLetterTargetArn && {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 5 }),
      };
      return (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(Attributes && { Attributes }) })))
        .QueueUrl as string;
    };
    const arnOf = async (url: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn;
    const prodLetters = await create('VkInquiries-prod-Stateful-EventsDlqACDA5DFF-Qx1aZ9kLm2');
    const devLetters = await create('VkInquiries-dev-Stateful-EventsDlqACDA5DFF-Rt5cX7hJo6');
    const devEvents = await create(
      'VkInquiries-dev-Stateful-EventsD32975C2-Su7dW6gIp8',
      await arnOf(devLetters),
    );
    await send(prodLetters, [{ eventKey: 'e:other-stage', event: {} }]);
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', prodLetters, '--to', devEvents],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--from ${prodLetters} is VkInquiries-prod-Stateful's and --to ${devEvents} is VkInquiries-dev-Stateful's: another stage's queue`,
    );
    expect(result.stdout).toBe('');
    expect(await depth(prodLetters)).toBe(1);
    expect(await depth(devEvents)).toBe(0);
  });

  it("refuses another stage's table beside the dead letters, before it drops one", async () => {
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    const letters = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: 'VkInquiries-prod-Stateful-AnswersDlq6BB2EB55-Vw9eV5fHq1' }),
      )
    ).QueueUrl as string;
    const answer = operatorAnswer('inq-other-stage-table', 5550077, 'Ответ');
    await send(letters, [answer]);
    const table = 'VkInquiries-dev-Stateful-Inquiries5DACAF3F-1ABCDEF2GHIJ';
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', letters, '--drop', 'any-id', '--table', table, '--config', 'config/local.json'],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--table ${table} is stage dev's and --from ${letters} stage prod's`);
    expect(await depth(letters)).toBe(1);
  });

  it('refuses a message that belongs to another queue than --to, and leaves it and the rest in sight', async () => {
    const outbox = await queueWithDeadLetters('misfit-outbox');
    const events = await queueWithDeadLetters('misfit-events');
    // An event ingest accepted, replayed by mistake to the outbox.
    await send(events.deadLetterUrl, [
      {
        eventKey: 'e:misfit-1',
        groupId: 1,
        type: 'message_new',
        receivedAt: '2026-03-02T06:00:00Z',
        event: {},
      },
      {
        eventKey: 'e:misfit-2',
        groupId: 1,
        type: 'message_new',
        receivedAt: '2026-03-02T06:00:00Z',
        event: {},
      },
    ]);
    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--to', outbox.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.code).toBe(1);
    expect(dryRun.stdout).toMatch(
      /^would refuse \S+ \(\d+ bytes, deleted by SQS after [^)]+ UTC\): eventKey e:misfit-1: a message of the events queue, not of the outbox queue$/m,
    );
    expect(dryRun.stdout).toMatch(/^0 message\(s\) would be moved$/m);
    expect(dryRun.stderr).toMatch(/2 message\(s\) would be refused/);

    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--to', outbox.url],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/moved 0 message/);
    expect(result.stderr).toMatch(
      /stopped at \S+, left in .*a message of the events queue, not of the outbox queue/,
    );
    expect(await depth(outbox.url)).toBe(0);
    // In sight at once, not in a minute.
    expect(await depth(events.deadLetterUrl)).toBe(2);
  });

  it("refuses an event's dead letter first queued longer ago than one replay of each queue allows, and moves the rest once it is dropped", async () => {
    const events = await queueWithDeadLetters('aged-events');
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const event = (eventKey: string, receivedAt: string) => ({
      eventKey,
      groupId: 1,
      type: 'message_new',
      receivedAt,
      event: {},
    });
    const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
    // Replayed once and failed again on its last day: a new message to SQS, its dead letter kept 14 days anew.
    const aged = await sqs.send(
      new SendMessageCommand({
        QueueUrl: events.deadLetterUrl,
        MessageBody: JSON.stringify(event('e:aged-1', daysAgo(REPLAYABLE_DAYS + 1))),
      }),
    );
    // As old as one replay of each dead-letter queue makes an event: replayed.
    await send(events.deadLetterUrl, [event('e:aged-2', daysAgo(REPLAYABLE_DAYS - 1))]);

    const dryRun = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--to', events.url, '--dry-run'],
      undefined,
      localAwsEnvironment(),
    );
    expect(dryRun.code).toBe(1);
    expect(dryRun.stdout).toMatch(
      new RegExp(
        `^would refuse ${aged.MessageId} \\(\\d+ bytes[^)]*\\): eventKey e:aged-1: first queued \\S+, more than ${REPLAYABLE_DAYS} days ago .*drop it`,
        'm',
      ),
    );
    expect(dryRun.stdout).toMatch(/^would move \S+ .*eventKey e:aged-2$/m);
    expect(dryRun.stdout).toMatch(/^1 message\(s\) would be moved$/m);

    const replay = () =>
      runTsx(
        'ops/replay-dead-letters.ts',
        ['--from', events.deadLetterUrl, '--to', events.url],
        undefined,
        localAwsEnvironment(),
      );
    const stopped = await replay();
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(
      new RegExp(`stopped at ${aged.MessageId}, .*more than ${REPLAYABLE_DAYS} days ago`),
    );
    const dropped = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', events.deadLetterUrl, '--drop', aged.MessageId ?? ''],
      undefined,
      localAwsEnvironment(),
    );
    expect(dropped.code).toBe(0);
    // Run again, safe to: it moves what is left, the letter it refused gone from both queues.
    expect((await replay()).code).toBe(0);
    expect(await depth(events.deadLetterUrl)).toBe(0);
    const moved = (await drainQueue(sqs, events.url)).map((body) => JSON.parse(body).eventKey);
    expect(moved).toEqual(['e:aged-2']);
  });
});

describe('dlq:replay says what the engineer needs', () => {
  it('names a queue that does not exist, before it hides a message of the other', async () => {
    const { deadLetterUrl } = await queueWithDeadLetters('named-missing');
    await send(
      deadLetterUrl,
      Array.from({ length: 12 }, (_, index) => ({ index })),
    );
    const missing = deadLetterUrl.replace(/named-missing-dlq$/, 'no-such-queue');
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', deadLetterUrl, '--to', missing],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`queue ${missing} cannot be reached: no such queue`);
    expect(await depth(deadLetterUrl)).toBe(12);
  });

  it('says that a replay stopped by --max may have left some', async () => {
    const { url, deadLetterUrl } = await queueWithDeadLetters('max-replay');
    await send(
      deadLetterUrl,
      Array.from({ length: 5 }, (_, index) => ({ index })),
    );
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', deadLetterUrl, '--to', url, '--max', '3'],
      undefined,
      localAwsEnvironment(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^moved 3 message\(s\) from \S+ to \S+ \(--max 3: there may be more\)$/m);
    expect(await depth(deadLetterUrl)).toBe(2);
  });

  it('says on Ctrl-C how many it had moved, and exits 130', async () => {
    const { url, deadLetterUrl } = await queueWithDeadLetters('interrupted-replay');
    await send(
      deadLetterUrl,
      Array.from({ length: 15 }, (_, index) => ({ index })),
    );
    // SQS answers the first receive, its send and its delete, then nothing more.
    const held = await startHeldEndpoint(runtime.emulators.sqsEndpoint, (request) =>
      String(request.headers['x-amz-target']).endsWith('DeleteMessageBatch'),
    );
    try {
      const result = await runTsx(
        'ops/replay-dead-letters.ts',
        ['--from', deadLetterUrl, '--to', url],
        undefined,
        { ...localAwsEnvironment(), AWS_ENDPOINT_URL_SQS: held.endpoint },
        (child) => void held.holding.then(() => child.kill('SIGINT')),
      );
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(
        new RegExp(
          `^dlq:replay: stopped \\(Ctrl-C\\): moved 10 message\\(s\\) from ${deadLetterUrl} to ${url}`,
          'm',
        ),
      );
    } finally {
      await held.close();
    }
  });
});

describe('the region of the queues', () => {
  it('is the one their URLs name, whatever the profile says; a local URL names none', () => {
    expect(regionOfQueueUrl('https://sqs.eu-central-1.amazonaws.com/123456789012/outbox-dlq')).toBe(
      'eu-central-1',
    );
    expect(regionOfQueueUrl('http://127.0.0.1:4566/000000000000/outbox-dlq')).toBeUndefined();
  });

  it('is read from the URLs of the local runtime as npm start prints them (fauxqs names the region too)', () => {
    expect(runtime.queues.events.deadLetterUrl).toMatch(/^http:\/\/sqs\.eu-central-1\.127\.0\.0\.1:\d+\//);
    expect(regionOfQueueUrl(runtime.queues.events.deadLetterUrl)).toBe(LOCAL_AWS.region);
    expect(regionOfQueueUrl('http://sqs.ap-southeast-2.127.0.0.1:4566/000000000000/local-outbox-dlq')).toBe(
      'ap-southeast-2',
    );
  });

  it('lets dlq:replay find the local queues with no AWS_REGION set', async () => {
    const result = await runTsx(
      'ops/replay-dead-letters.ts',
      ['--from', runtime.queues.routing.deadLetterUrl, '--to', runtime.queues.routing.url, '--dry-run'],
      undefined,
      // Set empty, the SDK takes it for unset.
      { ...localAwsEnvironment(), AWS_REGION: '' },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ message\(s\) would be moved/);
  });
});
