import { parseArgs } from 'node:util';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

const USAGE = `Moves messages from a dead-letter queue back to the queue they came from, to be processed again.

  npm run dlq:replay -- --from <dead-letter queue URL> --to <queue URL> [--max <count>] [--dry-run]

Fix the cause first (a bug, a bad configuration, VK being down): a message replayed into the same failure
comes back to the dead-letter queue after the queue's attempts. Each message is sent to the queue before it is
deleted from the dead-letter queue, so a failure half-way loses nothing (at worst a message is sent twice,
which every consumer tolerates). Set AWS_REGION (and AWS_ENDPOINT_URL_SQS for the local emulator).`;

function fail(message: string, code = 1): never {
  console.error(`dlq:replay: ${message}`);
  process.exit(code);
}

/** Moves up to `max` messages; returns how many were moved. */
export async function replayDeadLetters(
  client: SQSClient,
  from: string,
  to: string,
  max: number,
  dryRun: boolean,
): Promise<number> {
  let moved = 0;
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
    if (dryRun) {
      for (const message of messages)
        console.log(`would move ${message.MessageId} (${message.Body?.length ?? 0} bytes)`);
      // Only looking: make them visible again at once.
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: from,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      return moved + messages.length;
    }
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          MessageAttributes: message.MessageAttributes,
        })),
      }),
    );
    const delivered = (sent.Successful ?? []).map((entry) => messages[Number(entry.Id)]);
    if (delivered.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: delivered.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message?.ReceiptHandle,
          })),
        }),
      );
    }
    moved += delivered.length;
    if ((sent.Failed ?? []).length > 0)
      throw new Error(`the queue refused ${sent.Failed?.length} message(s): ${sent.Failed?.[0]?.Message}`);
  }
  return moved;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      max: { type: 'string', default: '1000' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.from || !values.to) fail(`--from and --to are required\n\n${USAGE}`, 2);
  if (values.from === values.to) fail('--from and --to must be different queues', 2);
  const max = Number(values.max);
  if (!Number.isInteger(max) || max <= 0) fail('--max must be a positive whole number', 2);
  const client = new SQSClient({ useQueueUrlAsEndpoint: false });
  const moved = await replayDeadLetters(client, values.from, values.to, max, values['dry-run']);
  console.log(
    values['dry-run']
      ? `${moved} message(s) would be moved`
      : `moved ${moved} message(s) from ${values.from} to ${values.to}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}
