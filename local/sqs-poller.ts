import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueSpec } from '../lib/resources.js';
import { invoke, TaskTimedOut } from './invocation.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

interface PollerOptions {
  /**
   * The consumer function's name, as its context and its `Task timed out` line give it: one function taking two
   * queues (the responder) is named the same from both, as Lambda names it whatever event source invoked it.
   */
  name: string;
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  spec: QueueSpec;
  handler: SqsHandler;
  /**
   * Seconds before a failed message is received again. Lambda waits for the queue's visibility timeout;
   * locally a shorter wait lets a newcomer see retries and dead-lettering within seconds.
   */
  retryDelaySeconds?: number;
  /**
   * How long a received batch stays invisible to other consumers (default: the queue's). After a consumer
   * is killed, its batch comes back only then; the fault tests shorten it to wait less.
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Batches handled at the same time to start with (default 1). Lambda runs several for a busy queue (five
   * to start with, STARTING_BATCHES, more as the backlog grows):
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   */
  concurrency?: number;
  /**
   * The most batches handled at the same time (default: `concurrency`). While receives come back full, one
   * more is added at a time, at most five a second, as Lambda adds up to 300 a minute while messages are
   * still available; one so added stops when its receive comes back empty.
   */
  maxConcurrency?: number;
  /**
   * Told when a batch is handed to the consumer and when its invocation is over: its messages deleted or
   * released, or (the consumer timed out) left to come back after the visibility timeout.
   */
  onBatch?: (stage: 'start' | 'end', size: number) => void;
  onError?: (error: unknown) => void;
  /** Told when an invocation outruns the consumer's timeout: its execution environment is reset. */
  onTimeout?: () => void;
}

/**
 * The region of a queue's ARN (arn:aws:sqs:<region>:<account id>:<name>), as Lambda names it in each record.
 */
const regionOf = (queueArn: string): string => queueArn.split(':')[3] || 'local';

/**
 * A message as Lambda's event source hands it on: its system attributes, its message attributes (a binary
 * value in base64, as in the event's JSON), the MD5 digests SQS gave, the queue's ARN and its region.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId as string,
  receiptHandle: message.ReceiptHandle as string,
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
  },
  // As Lambda hands them on: the router reads how long a change put back to wait has waited.
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, attribute]) => [
      name,
      {
        dataType: attribute.DataType ?? 'String',
        ...(attribute.StringValue !== undefined && { stringValue: attribute.StringValue }),
        ...(attribute.BinaryValue !== undefined && {
          binaryValue: Buffer.from(attribute.BinaryValue).toString('base64'),
        }),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes !== undefined && {
    md5OfMessageAttributes: message.MD5OfMessageAttributes,
  }),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: regionOf(queueArn),
});

/**
 * The messages a partial batch response names as failed. Lambda takes the response for a complete failure (the
 * whole batch back) when an item identifier is empty, missing (a bad key name) or no message of the batch, or
 * when the response is not what it reads: so does this, throwing.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#sqs-batchfailurereporting-conditions
 */
function reportedFailures(response: SQSBatchResponse | undefined, records: SQSRecord[]): Set<string> {
  const failures: unknown = response?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures))
    throw new Error('invalid partial batch response: batchItemFailures is no list');
  const inBatch = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !inBatch.has(id))
      throw new Error(
        `invalid partial batch response: itemIdentifier ${JSON.stringify(id ?? null)} is no message of the batch`,
      );
    failed.add(id);
  }
  return failed;
}

/** The batches Lambda's SQS event source handles at the same time to start with, when messages are waiting. */
export const STARTING_BATCHES = 5;

/** Lambda adds up to 300 concurrent batches a minute to a busy queue's event source: one every 200 ms. */
const SCALE_UP_INTERVAL_MS = 200;

/**
 * A receive's long poll: the shortest SQS allows (whole seconds, 0 being a short poll), so that `stop`, which
 * lets a receive in progress end, is prompt.
 */
const WAIT_SECONDS = 1;

/**
 * How long `stop` lets a receive in progress take before giving it up: past its long poll, SQS is not
 * answering (an outage), and giving up is what remains.
 */
const STOP_GRACE_MS = (WAIT_SECONDS + 2) * 1000;

/**
 * Between two short polls gathering a batch: SQS answers one at once, so the pause keeps a poller to ten
 * receives a second while messages trickle in.
 */
const GATHER_PAUSE_MS = 100;

/**
 * Feeds a queue to a consumer the way Lambda's SQS event source mapping does: long-polled batches of up to
 * `batchSize` messages, gathered for at most the queue's batching window; the consumer's partial batch
 * response honoured (only the failed messages come back; one naming no message of the batch fails it whole),
 * a failed whole invocation retrying the whole batch, an invocation past the consumer's timeout ending in
 * `Task timed out` (its batch back after the visibility timeout), and the queue's redrive policy moving a
 * message that keeps failing to its dead-letter queue.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export class SqsPoller {
  private running = false;
  /** Set by `stop`: a batch being gathered is handed on (or given back) with what it has. */
  private stopping = false;
  private readonly loops = new Set<Promise<void>>();
  private abort = new AbortController();
  private active = 0;
  private lastAddedAt = 0;

  constructor(private readonly options: PollerOptions) {}

  /** Batches that may be in hand at this moment: `concurrency`, plus those added while receives came back full. */
  get concurrencyNow(): number {
    return this.active;
  }

  /** The function it invokes, as the invocation's context names it. */
  get functionName(): string {
    return this.options.name;
  }

  /** The most batches it may have in hand at once (`maxConcurrency`). */
  get mostConcurrency(): number {
    return this.options.maxConcurrency ?? this.options.concurrency ?? 1;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.abort = new AbortController();
    this.active = this.options.concurrency ?? 1;
    for (let loop = 0; loop < this.active; loop++) this.track(this.run(false));
  }

  /**
   * Stops receiving and waits for the batches in hand. A receive in progress is let end rather than given
   * up: SQS (and fauxqs) hides what it returns even if the request was abandoned, which would keep those
   * messages from the next poller for the visibility timeout. What it returns is given back at once.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    const giveUp = setTimeout(() => this.abort.abort(), STOP_GRACE_MS);
    try {
      await Promise.all(this.loops);
    } finally {
      clearTimeout(giveUp);
    }
  }

  /** Kept until it ends, so that `stop` waits for every batch in hand. */
  private track(loop: Promise<void>): void {
    this.loops.add(loop);
    void loop.finally(() => this.loops.delete(loop));
  }

  private async run(added: boolean): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.gather();
        if (!this.running) {
          await this.release(messages);
          break;
        }
        const handled = await this.hand(messages);
        if (handled === 0 && added) break;
        if (handled === this.options.spec.batchSize) this.addOne();
      } catch (error) {
        if (!this.running) break;
        this.options.onError?.(error);
        // The queue is unreachable: back off as the event source mapping does, then poll again.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    if (added) this.active--;
  }

  /** One more batch at a time, while the queue keeps receives full (see `maxConcurrency`). */
  private addOne(): void {
    const now = Date.now();
    if (!this.running || this.active >= this.mostConcurrency || now - this.lastAddedAt < SCALE_UP_INTERVAL_MS)
      return;
    this.lastAddedAt = now;
    this.active++;
    this.track(this.run(true));
  }

  /** One batch, gathered as Lambda gathers it, and one invocation; returns the number of messages handled. */
  async pollOnce(): Promise<number> {
    return this.hand(await this.gather());
  }

  /**
   * A batch as Lambda gathers one: a long poll, then, once it has brought messages, more receives until the
   * batch is full or the queue's batching window has passed (`maxBatchingWindowSeconds`: "the maximum amount
   * of time Lambda spends gathering records before invoking the function"). Within the window's last second
   * the receives are short polls, a pause apart, so that the batch is handed on when the window ends; before
   * it, long polls of a second. A receive that fails, or the poller stopping, ends the gathering with what it
   * has.
   * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-MaximumBatchingWindowInSeconds
   */
  private async gather(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.options.spec;
    const batch = await this.receive(batchSize, WAIT_SECONDS);
    if (batch.length === 0) return batch;
    const windowEndsAt = Date.now() + maxBatchingWindowSeconds * 1000;
    while (!this.stopping && batch.length < batchSize) {
      const left = windowEndsAt - Date.now();
      if (left <= 0) break;
      // Never a longer poll than the first: `stop` gives a receive in progress only so long.
      const waitSeconds = Math.min(WAIT_SECONDS, Math.floor(left / 1000));
      try {
        batch.push(...(await this.receive(batchSize - batch.length, waitSeconds)));
      } catch (error) {
        this.options.onError?.(error);
        break;
      }
      if (waitSeconds === 0 && batch.length < batchSize)
        await new Promise((resolve) => setTimeout(resolve, Math.min(GATHER_PAUSE_MS, left)));
    }
    return batch;
  }

  private async receive(most: number, waitSeconds: number): Promise<Message[]> {
    const { client, queueUrl, spec } = this.options;
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: most,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: this.options.visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return received.Messages ?? [];
  }

  /**
   * Messages received as the poller stopped, visible again at once for the next poller, unhandled (their
   * receive count is up by one, as for any receive).
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
   */
  private async release(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.options.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle as string,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }

  /** One invocation of the consumer with `messages`, then each deleted or released; returns how many. */
  private async hand(messages: Message[]): Promise<number> {
    const { client, queueUrl, spec } = this.options;
    if (messages.length === 0) return 0;
    const records = messages.map((message) => toRecord(message, this.options.queueArn));
    this.options.onBatch?.('start', records.length);
    let failedIds: Set<string>;
    try {
      const { onTimeout } = this.options;
      const response = await invoke(
        this.options.name,
        spec.consumerTimeoutSeconds,
        (context) => this.options.handler({ Records: records }, context),
        { ...(onTimeout && { onTimeout }) },
      ).outcome;
      failedIds = reportedFailures(response, records);
    } catch (error) {
      this.options.onError?.(error);
      if (error instanceof TaskTimedOut) {
        // As in AWS: the invocation failed and reported nothing, so nothing is deleted or released; the whole
        // batch comes back once its visibility timeout has passed, whatever the handler answers later.
        this.options.onBatch?.('end', records.length);
        return messages.length;
      }
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const succeeded = records.filter((record) => !failedIds.has(record.messageId));
    const failed = records.filter((record) => failedIds.has(record.messageId));
    if (succeeded.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: succeeded.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
          })),
        }),
      );
    }
    if (failed.length > 0 && this.options.retryDelaySeconds !== undefined) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: failed.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: this.options.retryDelaySeconds,
          })),
        }),
      );
    }
    this.options.onBatch?.('end', records.length);
    return messages.length;
  }
}
