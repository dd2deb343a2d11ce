import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue } from '../domain/ports.js';
import { type Pending, SameTurnBatch } from './same-turn-batch.js';
import { toSqsMessageBody } from './sqs-message-body.js';

/** SQS's limits for one SendMessageBatch: ten entries, and a payload of 256 KiB in all. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;

type PendingSend = Pending<string>;

/** An entry of a SendMessageBatch that SQS did not store. */
export class SqsBatchEntryError extends Error {
  override name = 'SqsBatchEntryError';
  constructor(
    readonly code: string,
    message: string,
    readonly senderFault: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends message bodies to one queue, gathering the sends made in the same turn of the event loop (the
 * records of a batch, handled side by side) into SendMessageBatch calls: one round trip for up to ten
 * messages instead of one each. Each send settles on its own entry: it resolves only once SQS has stored that
 * message, and rejects if SQS refused it or the call failed. A lone send is a plain SendMessage.
 */
export class SqsSendGatherer {
  private readonly sends = new SameTurnBatch<string>((sends) => this.flush(sends));

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(body: string): Promise<void> {
    return this.sends.add(body);
  }

  private flush(sends: PendingSend[]): void {
    let chunk: PendingSend[] = [];
    let bytes = 0;
    for (const send of sends) {
      const size = Buffer.byteLength(send.value);
      if (chunk.length === BATCH_ENTRIES || (chunk.length > 0 && bytes + size > BATCH_BYTES)) {
        void this.sendChunk(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(send);
      bytes += size;
    }
    if (chunk.length > 0) void this.sendChunk(chunk);
  }

  private async sendChunk(chunk: PendingSend[]): Promise<void> {
    try {
      if (chunk.length === 1) {
        const [only] = chunk as [PendingSend];
        await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: only.value }));
        only.resolve();
        return;
      }
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((send, index) => ({ Id: String(index), MessageBody: send.value })),
        }),
      );
      const stored = new Set((result.Successful ?? []).map((entry) => entry.Id));
      const failed = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
      for (const [index, send] of chunk.entries()) {
        const id = String(index);
        if (stored.has(id)) {
          send.resolve();
          continue;
        }
        const failure = failed.get(id);
        send.reject(
          new SqsBatchEntryError(
            failure?.Code ?? 'Unknown',
            `SQS did not store the message: ${failure?.Message ?? 'no result for its entry'}`,
            failure?.SenderFault ?? false,
          ),
        );
      }
    } catch (error) {
      for (const send of chunk) send.reject(error);
    }
  }
}

/** Sends JSON messages to one SQS queue. Resolves only once SQS has stored the message durably. */
export class SqsMessageQueue<T> implements MessageQueue<T> {
  private readonly gatherer: SqsSendGatherer | undefined;

  /**
   * `gather`: sends made side by side (a consumer's batch) share SendMessageBatch calls (SqsSendGatherer).
   * Left off where each invocation sends one message (ingest): a lone send would only wait a turn.
   */
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    options: { gather?: boolean } = {},
  ) {
    this.gatherer = options.gather ? new SqsSendGatherer(client, queueUrl) : undefined;
  }

  async send(message: T): Promise<void> {
    const body = toSqsMessageBody(message);
    if (this.gatherer) return this.gatherer.send(body);
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }
}

/**
 * Sends a message body to a queue to be received after `delaySeconds` (SQS allows up to 15 minutes): a message
 * put back to wait leaves its old copy, so the queue's oldest-message age does not grow while it waits.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 */
export async function sendLater(
  client: SQSClient,
  queueUrl: string,
  body: string,
  delaySeconds: number,
): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
    }),
  );
}
