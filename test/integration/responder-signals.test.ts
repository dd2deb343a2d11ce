import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../lambdas/adapters/aws-clients.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger, recordKey } from '../../lambdas/adapters/outbox-ledger.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { afterTheirInquiries, storeInquiryOf } from '../support/inquiries.js';
import { directAnswer } from '../support/responder.js';
import { sqsEvent } from '../support/sqs-events.js';

/**
 * What the responder tells ops, as Lambda runs it: a message it gives back to the queue fails no invocation
 * (the batch is answered item by item), Powertools' batch processor logs nothing of it, and, received three
 * times, it leaves the queue's oldest-message age; so what the responder logs and the metrics it writes are
 * all that show VK down or the responder failing.
 */
type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = {
  functionName: 'responder',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 90_000,
} as Context;
const CITIZEN_WORDS = 'Во дворе дома 12 не горит фонарь, мой телефон 8 912 000-11-22';

let aws: TestAws;
let vk: VkStandIn;
let responder: Consumer;
/** The handler itself: a message whose inquiry is not stored stays so. */
let bare: Consumer;
let outbox: SqsOutbox;
/** The ledger of another responder. */
let elsewhere: DynamoOutboxLedger;

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: 'test-community-token-123456789' });
  Object.assign(process.env, {
    VK_API_BASE_URL: await vk.start(),
    OUTBOX_QUEUE_URL: aws.queues.outbox.url,
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_DEV: '',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  bare = (await import('../../lambdas/responder/handler.js')).handler as unknown as Consumer;
  responder = afterTheirInquiries(new DynamoInquiryRepository(documents, aws.tableName), bare);
  outbox = new SqsOutbox(aws.sqs, aws.queues.outbox.url);
  elsewhere = new DynamoOutboxLedger(documents, aws.tableName);
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});
beforeEach(() => vk.clearFaults());

const message = (id: string, peerId: number): OutboxMessage =>
  directAnswer(id, peerId, { text: CITIZEN_WORDS });

/** The event of one message put on the outbox and received from it, sent `ageMs` ago as SQS says. */
async function fromTheQueue(sent: OutboxMessage, ageMs: number): Promise<SQSEvent> {
  await outbox.send(sent);
  const received = await aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: aws.queues.outbox.url,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 1,
    }),
  );
  const [record] = received.Messages ?? [];
  const event = sqsEvent([sent]);
  const [first] = event.Records;
  if (!first || !record?.ReceiptHandle) throw new Error('the outbox gave nothing back');
  first.receiptHandle = record.ReceiptHandle;
  first.messageId = record.MessageId ?? sent.id;
  first.attributes.SentTimestamp = String(Date.now() - ageMs);
  return event;
}

interface Written {
  /** The log lines, as JSON. */
  logs: Record<string, unknown>[];
  /** Each metric written: its name, value and dimensions (embedded metric format). */
  metrics: { name: string; value: unknown; dimensions: Record<string, string> }[];
  text: string;
}

/** What a call wrote to stdout and stderr, logs and metrics apart. */
async function writtenBy(call: () => Promise<unknown>): Promise<Written> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await call();
  } finally {
    write.mockRestore();
    writeError.mockRestore();
  }
  const text = chunks.join('');
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const metrics = lines.flatMap((line) => {
    const emf = line._aws as
      | { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }
      | undefined;
    return (emf?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        name: metric.Name,
        value: line[metric.Name],
        dimensions: Object.fromEntries(
          (directive.Dimensions[0] ?? []).map((dimension) => [dimension, String(line[dimension])]),
        ),
      })),
    );
  });
  return { logs: lines.filter((line) => !line._aws), metrics, text };
}

describe('a message the responder could not handle', () => {
  it('is logged by its outbox and message ids with the error, never its words, and counted with its age', async () => {
    // DynamoDB refusing every call, as with a missing grant or a KMS denial.
    const refuse = 'refuseEveryCall';
    documentClient().middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('User is not authorized to perform: dynamodb:GetItem'), {
          name: 'AccessDeniedException',
        });
      },
      { name: refuse, step: 'initialize' },
    );
    const valid = message('unhandled', 7601);
    let result: SQSBatchResponse | undefined;
    const written = await writtenBy(async () => {
      result = await responder(sqsEvent([valid, CITIZEN_WORDS], 'unhandled'), context);
    }).finally(() => documentClient().middlewareStack.remove(refuse));

    // The batch's messages are handled at the same time: they fail in any order.
    expect(result?.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'unhandled-0',
      'unhandled-1',
    ]);
    const failures = written.logs
      .filter((line) => String(line.message).startsWith('message to citizen not handled'))
      .sort((one, other) => String(one.messageId).localeCompare(String(other.messageId)));
    expect(failures).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        outboxId: valid.id,
        messageId: 'unhandled-0',
        error: expect.objectContaining({ name: 'AccessDeniedException' }),
      }),
      expect.objectContaining({
        level: 'ERROR',
        messageId: 'unhandled-1',
        error: { name: 'UnreadableMessage', message: 'the body is not JSON' },
      }),
    ]);
    expect(failures[1]).not.toHaveProperty('outboxId');
    // Neither the words of the message nor those of the body that is not one.
    expect(written.text).not.toContain('фонарь');
    expect(written.metrics.filter((metric) => metric.name === 'MessagesDeferred')).toEqual([
      { name: 'MessagesDeferred', value: 1, dimensions: { service: 'responder', reason: 'error' } },
      { name: 'MessagesDeferred', value: 1, dimensions: { service: 'responder', reason: 'error' } },
    ]);
    expect(written.metrics.filter((metric) => metric.name === 'OutboxMessageAge')).toHaveLength(2);
  });

  it('says which fields of a body that is no message are wrong, and not what they hold', async () => {
    const written = await writtenBy(() =>
      responder(sqsEvent([{ ...message('half', 7602), kind: 'other', text: '' }], 'half'), context),
    );
    const [failure] = written.logs.filter((line) =>
      String(line.message).startsWith('message to citizen not handled'),
    );
    expect(failure).toMatchObject({
      outboxId: 'inq-half:answer:half',
      error: { name: 'UnreadableMessage', message: expect.stringMatching(/kind: .*text: too_small/) },
    });
  });
});

describe('a message whose inquiry or record is malformed in the table', () => {
  it('fails alone, named by its id and the attributes, while the rest of its batch goes', async () => {
    const documents = DynamoDBDocumentClient.from(aws.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const inquiries = new DynamoInquiryRepository(documents, aws.tableName);
    const [good, badInquiry, badRecord] = [
      message('beside-bad-items', 7611),
      message('bad-inquiry-item', 7612),
      message('bad-outbox-record', 7613),
    ];
    for (const sent of [good, badInquiry, badRecord]) await storeInquiryOf(inquiries, sent);
    // An inquiry edited in the console without its `replyTo`; a record restored without its time.
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: inquiryKey(badInquiry.inquiryId),
        UpdateExpression: 'REMOVE replyTo',
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: {
          ...recordKey(badRecord.id),
          entity: 'outbox',
          id: badRecord.id,
          inquiryId: badRecord.inquiryId,
          status: 'delivered',
          attempts: 1,
        },
      }),
    );
    let result: SQSBatchResponse | undefined;
    const written = await writtenBy(async () => {
      result = await bare(sqsEvent([good, badInquiry, badRecord], 'bad-items'), context);
    });

    expect(result?.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'bad-items-1',
      'bad-items-2',
    ]);
    expect(written.logs).toContainEqual(
      expect.objectContaining({ message: 'message to citizen: delivered', outboxId: good.id }),
    );
    const failures = written.logs
      .filter((line) => String(line.message).startsWith('message to citizen not handled'))
      .sort((one, other) => String(one.messageId).localeCompare(String(other.messageId)));
    expect(failures).toEqual([
      expect.objectContaining({
        outboxId: badInquiry.id,
        error: {
          name: 'MalformedInquiryItem',
          message: `the stored inquiry ${badInquiry.inquiryId} is malformed: replyTo`,
        },
      }),
      expect.objectContaining({
        outboxId: badRecord.id,
        error: {
          name: 'MalformedOutboxRecord',
          message: `the outbox record ${badRecord.id} is malformed: at`,
        },
      }),
    ]);
    // Neither is sent: the one for want of whom to, the other for it may have gone already.
    for (const peerId of [7612, 7613])
      expect(vk.calls.filter((call) => call.params.peer_id === String(peerId))).toHaveLength(0);
    expect(written.text).not.toContain('фонарь');
  });
});

describe('a message whose inquiry was deleted', () => {
  it('is dropped unsent, in a line that names neither the inquiry nor the message', async () => {
    const gone = message('deleted-long-ago', 7606);
    let result: SQSBatchResponse | undefined;
    const written = await writtenBy(async () => {
      result = await bare(sqsEvent([gone], 'gone'), context);
    });
    expect(result?.batchItemFailures).toEqual([]);
    expect(vk.calls.filter((call) => call.params.peer_id === '7606')).toEqual([]);
    expect(written.logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'message to citizen: inquiry_gone',
        purpose: 'answer',
      }),
    );
    expect(written.text).not.toContain('deleted-long-ago');
    expect(written.text).not.toContain('7606');
    expect(written.metrics).toEqual([]);
  });
});

describe('a message given back to the queue unsent', () => {
  it('is counted with the reason and its age while VK fails: what the late-replies alarm watches', async () => {
    // Three tries in the invocation, all refused with error 10 (VK's internal error).
    vk.failNext(10, 3, ['messages.send']);
    const event = await fromTheQueue(message('vk-down', 7603), 11 * 60_000);
    let result: SQSBatchResponse | undefined;
    const written = await writtenBy(async () => {
      result = await responder(event, context);
    });

    // The invocation succeeds: Lambda's Errors metric, and its alarm, see nothing.
    expect(result?.batchItemFailures).toHaveLength(1);
    expect(written.logs).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'message to citizen deferred: retry', code: 10 }),
    );
    expect(written.metrics).toContainEqual({
      name: 'MessagesDeferred',
      value: 1,
      dimensions: { service: 'responder', reason: 'retry' },
    });
    const [age] = written.metrics.filter((metric) => metric.name === 'OutboxMessageAge');
    expect(age?.dimensions).toEqual({ service: 'responder' });
    expect(age?.value).toBeGreaterThanOrEqual(660);
    expect(age?.value).toBeLessThan(700);
  });

  it('is counted as a retry and logged as held to a limit of VK’s on error 9, after one call', async () => {
    vk.failNext(9, 3, ['messages.send']);
    const event = await fromTheQueue(message('flood', 7605), 0);
    const written = await writtenBy(() => responder(event, context));
    // One call: a try at once would meet the same limit.
    expect(vk.calls.filter((call) => call.params.peer_id === '7605')).toHaveLength(1);
    expect(written.logs).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'message to citizen deferred: retry',
        code: 9,
        limited: true,
      }),
    );
    expect(written.metrics).toContainEqual({
      name: 'MessagesDeferred',
      value: 1,
      dimensions: { service: 'responder', reason: 'retry' },
    });
  });

  it('is counted, but gives no age, when held for its token: VkTokenErrors alarms for it already', async () => {
    vk.failNext(5, 1, ['messages.send']);
    const event = await fromTheQueue(message('token-held', 7604), 3 * 3600_000);
    const written = await writtenBy(() => responder(event, context));
    expect(written.metrics.map((metric) => [metric.name, metric.dimensions.reason])).toEqual([
      ['VkTokenErrors', undefined],
      ['MessagesDeferred', 'token'],
    ]);
  });

  it('is neither counted nor aged, only logged, while another responder is sending it', async () => {
    const copy = message('held-elsewhere', 7606);
    // SQS handed the same message to another responder, which has claimed it and is calling VK.
    expect(await elsewhere.claim(copy)).toMatchObject({ kind: 'claimed' });
    const event = await fromTheQueue(copy, 11 * 60_000);
    let result: SQSBatchResponse | undefined;
    const written = await writtenBy(async () => {
      result = await responder(event, context);
    });
    expect(result?.batchItemFailures).toHaveLength(1);
    expect(vk.calls.filter((call) => call.params.peer_id === '7606')).toHaveLength(0);
    expect(written.metrics).toEqual([]);
    expect(written.logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'message to citizen given back: another responder is sending it',
        outboxId: copy.id,
      }),
    );
    // Out of sight until the claim would have run out, in the queue it came from.
    const again = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: aws.queues.outbox.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(again.Messages ?? []).toEqual([]);
  });

  it('is neither counted nor aged once delivered', async () => {
    const written = await writtenBy(() => responder(sqsEvent([message('sent', 7605)], 'sent'), context));
    expect(written.metrics).toEqual([
      { name: 'MessagesDelivered', value: 1, dimensions: { service: 'responder', purpose: 'answer' } },
    ]);
  });
});
