import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageQueue } from '../domain/ports.js';
import { type Pending, SameTurnBatch } from './same-turn-batch.js';
import { toSqsMessageBody } from './sqs-message-body.js';

/**
 * Our limits for one SendMessageBatch: ten entries, SQS's most, and 256 KiB of messages in all, well inside
 * the 1 MiB SQS takes (BatchRequestTooLong past it), so that a large message mostly goes alone.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;

/** A message's size as SQS counts it: its body, and each attribute's name, type and value. */
export function messageSize(body: string, attributes: Record<string, MessageAttributeValue> = {}): number {
  let size = Buffer.byteLength(body);
  for (const [name, attribute] of Object.entries(attributes))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(attribute.DataType ?? '') +
      Buffer.byteLength(attribute.StringValue ?? '') +
      (attribute.BinaryValue?.byteLength ?? 0);
  return size;
}

/**
 * Entries split, in order, into SendMessageBatch calls within our limits: at most ten each and at most
 * BATCH_BYTES of messages in all, an entry larger than that alone.
 */
export function sendBatches<T>(entries: readonly T[], sizeOf: (entry: T) => number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sizeOf(entry);
    if (batch.length === BATCH_ENTRIES || (batch.length > 0 && bytes + size > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * A message to send: its body and, for a queue shared by communities, its tenant, sent as its
 * `MessageGroupId`. On a standard queue that only names the tenant for SQS's fair queues, which serve a quiet
 * tenant's messages ahead of a backlog of another's; it orders nothing and deduplicates nothing.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues.html
 */
interface OutgoingMessage {
  body: string;
  tenant?: string;
}

type PendingSend = Pending<OutgoingMessage>;

const groupOf = (message: OutgoingMessage) =>
  message.tenant === undefined ? {} : { MessageGroupId: message.tenant };

/** An entry of a SendMessageBatch that SQS did not store. */
class SqsBatchEntryError extends Error {
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
  private readonly sends = new SameTurnBatch<OutgoingMessage>((sends) => this.flush(sends));

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(message: OutgoingMessage): Promise<void> {
    return this.sends.add(message);
  }

  private async flush(sends: PendingSend[]): Promise<void> {
    await Promise.all(
      sendBatches(sends, (send) => messageSize(send.value.body)).map((chunk) => this.sendChunk(chunk)),
    );
  }

  private async sendChunk(chunk: PendingSend[]): Promise<void> {
    try {
      if (chunk.length === 1) {
        const [only] = chunk as [PendingSend];
        await this.client.send(
          new SendMessageCommand({
            QueueUrl: this.queueUrl,
            MessageBody: only.value.body,
            ...groupOf(only.value),
          }),
        );
        only.resolve();
        return;
      }
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((send, index) => ({
            Id: String(index),
            MessageBody: send.value.body,
            ...groupOf(send.value),
          })),
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

  private readonly tenantOf: ((message: T) => string) | undefined;

  /**
   * `gather`: sends made side by side (a consumer's batch) share SendMessageBatch calls (SqsSendGatherer).
   * Left off where each invocation sends one message (ingest): a lone send would only wait a turn.
   * `tenantOf`: who a message is for, among those sharing the queue (OutgoingMessage).
   */
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    options: { gather?: boolean; tenantOf?: (message: T) => string } = {},
  ) {
    this.gatherer = options.gather ? new SqsSendGatherer(client, queueUrl) : undefined;
    this.tenantOf = options.tenantOf;
  }

  async send(message: T): Promise<void> {
    const outgoing: OutgoingMessage = {
      body: toSqsMessageBody(message),
      ...(this.tenantOf && { tenant: this.tenantOf(message) }),
    };
    if (this.gatherer) return this.gatherer.send(outgoing);
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: outgoing.body, ...groupOf(outgoing) }),
    );
  }
}

/**
 * Sends a message body to a queue to be received after `delaySeconds` (SQS allows up to 15 minutes): a message
 * put back to wait leaves its old copy, so the queue's oldest-message age does not grow while it waits. Its
 * `attributes` (string message attributes) tell its consumer what it needs of the wait so far.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 */
export async function sendLater(
  client: SQSClient,
  queueUrl: string,
  body: string,
  delaySeconds: number,
  attributes: Record<string, string> = {},
): Promise<void> {
  const entries = Object.entries(attributes);
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
      ...(entries.length > 0 && {
        MessageAttributes: Object.fromEntries(
          entries.map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      }),
    }),
  );
}

/**
 * Puts a message body into a dead-letter queue by hand, as SQS moves one there after its last attempt: for a
 * message its consumer knows it cannot handle yet, without failing it over the queue's attempts. The body
 * alone, none of its attributes: replayed, it starts afresh.
 */
export async function sendToDeadLetters(
  client: SQSClient,
  deadLetterQueueUrl: string,
  body: string,
): Promise<void> {
  await client.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: body }));
}
