import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import type { Outbox } from '../domain/outbox/ports.js';
import { SqsMessageQueue } from './sqs-queue.js';

/** The outbox queue: messages to citizens go in here; the responder takes them out. */
export class SqsOutbox implements Outbox {
  private readonly queue: SqsMessageQueue<OutboxMessage>;

  /** `gather`: sends made side by side (the router's batch) share SendMessageBatch calls. */
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    options: { gather?: boolean } = {},
  ) {
    this.queue = new SqsMessageQueue(client, queueUrl, options);
  }

  send(message: OutboxMessage): Promise<void> {
    return this.queue.send(message);
  }

  /**
   * Puts a message the responder gives back out of sight for `seconds`: the backoff before SQS delivers it
   * again (Lambda's event source itself would wait the whole visibility timeout).
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
   */
  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }
}
