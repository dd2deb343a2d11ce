import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * How long a dry run keeps the messages it has counted out of sight, so that it does not count them again:
 * long enough to look at thousands; if the run is cut short, they reappear by themselves after it.
 */
export const LOOK_SECONDS = 300;

/**
 * Receives the messages of a queue, up to `max`, each once: each one received stays out of sight until all are
 * seen (none is seen twice), then those `visit` did not delete are made visible again at once. Stops early
 * when `enough` says so. Returns how many it saw; `onNotShown` is told how many of them stay out of sight.
 */
export async function lookThrough(
  client: SQSClient,
  from: string,
  max: number,
  visit: (message: Message) => Promise<'kept' | 'deleted'>,
  enough: () => boolean = () => false,
  onNotShown?: (count: number) => void,
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
          // When it was first sent to its queue: a standard queue's dead letter keeps it, and is deleted
          // its retention after it (count.ts).
          MessageSystemAttributeNames: ['SentTimestamp'],
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
    // Only looking: make them visible again at once.
    const notShown = await showAgain(
      client,
      from,
      [...seen].flatMap(([id, handle]) => (deleted.has(id) ? [] : [handle])),
    );
    if (notShown > 0) onNotShown?.(notShown);
  }
  return Math.min(seen.size, max);
}

/** Makes the messages of these receipt handles visible again at once, ten to a call; returns how many stay hidden. */
export async function showAgain(
  client: SQSClient,
  from: string,
  handles: readonly (string | undefined)[],
): Promise<number> {
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
  return notShown;
}

/** Deletes a message received by lookThrough. */
export async function deleteLetter(client: SQSClient, from: string, message: Message): Promise<void> {
  await client.send(new DeleteMessageCommand({ QueueUrl: from, ReceiptHandle: message.ReceiptHandle }));
}

/**
 * Receives up to `count` messages (at most 10) to move, with their attributes, out of sight long enough to
 * send and delete them; if this process dies, they reappear in the queue.
 */
export async function receiveToMove(client: SQSClient, from: string, count: number): Promise<Message[]> {
  const received = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: from,
      MaxNumberOfMessages: count,
      WaitTimeSeconds: 1,
      VisibilityTimeout: 60,
      MessageAttributeNames: ['All'],
    }),
  );
  return received.Messages ?? [];
}

/** A message sent to the queue that the queue it came from refused to delete, as SQS said it. */
export interface NotDeleted {
  id: string;
  code: string | undefined;
  message: string | undefined;
}

/** What became of a batch sent on: how many the queue took, which of those stay behind, what it refused. */
interface BatchSent {
  delivered: number;
  notDeleted: NotDeleted[];
  /** How many messages the queue refused, and the first one's reason: they stay where they were. */
  refused: { count: number; first: string | undefined } | undefined;
}

/**
 * Sends a batch of messages, as given, to `to` (one SendMessageBatch: sqs-queue.ts, sendBatches, makes batches
 * it takes), then deletes from `from` those it took: a failure half-way loses nothing.
 */
export async function sendAndDelete(
  client: SQSClient,
  from: string,
  to: string,
  batch: readonly Message[],
): Promise<BatchSent> {
  const sent = await client.send(
    new SendMessageBatchCommand({
      QueueUrl: to,
      Entries: batch.map((message, index) => ({
        Id: String(index),
        MessageBody: message.Body ?? '',
        MessageAttributes: message.MessageAttributes,
      })),
    }),
  );
  const delivered = (sent.Successful ?? []).flatMap((entry) => batch[Number(entry.Id)] ?? []);
  const notDeleted: NotDeleted[] = [];
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
    for (const failure of deleted.Failed ?? [])
      notDeleted.push({
        id: delivered[Number(failure.Id)]?.MessageId ?? `entry ${failure.Id}`,
        code: failure.Code,
        message: failure.Message,
      });
  }
  const failed = sent.Failed ?? [];
  return {
    delivered: delivered.length,
    notDeleted,
    refused: failed.length > 0 ? { count: failed.length, first: failed[0]?.Message } : undefined,
  };
}
