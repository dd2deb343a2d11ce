import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import type { Outbox } from '../domain/outbox/ports.js';
import { SqsMessageQueue } from './sqs-queue.js';

/** The tenant of a message to a citizen: its community's `group_id`. */
const communityOf = (message: OutboxMessage) => `community-${message.groupId}`;

/**
 * A queue of messages to citizens, which the responder takes out: the outbox (the router's acknowledgements)
 * or the answers queue (the operators' words). Each message names its community as its tenant: VK takes a
 * limited number of calls a second from each community's token, so a storm in one community queues more
 * messages than its token can send, and fair queues keep the other communities' messages from waiting
 * behind them (OutgoingMessage).
 */
export class SqsOutbox implements Outbox {
  private readonly queue: SqsMessageQueue<OutboxMessage>;

  /** `gather`: sends made side by side (the router's batch) share SendMessageBatch calls. */
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
    options: { gather?: boolean } = {},
  ) {
    this.queue = new SqsMessageQueue(client, queueUrl, { ...options, tenantOf: communityOf });
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

/** A queue's name: the last part of its URL (…/<account id>/<name>) or ARN (arn:aws:sqs:<region>:<account id>:<name>). */
const queueNameOf = (urlOrArn: string): string =>
  urlOrArn.slice(Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':')) + 1);

/**
 * Of the responder's queues, the one a record came from, which Lambda's event source names by its ARN
 * (`eventSourceARN`): a message is given back to wait in its own queue. The first (the outbox) for a record
 * that names neither.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export function queueOfRecord(
  queues: readonly [SqsOutbox, ...SqsOutbox[]],
  eventSourceArn: string | undefined,
): SqsOutbox {
  const name = eventSourceArn === undefined ? undefined : queueNameOf(eventSourceArn);
  return queues.find((queue) => queueNameOf(queue.queueUrl) === name) ?? queues[0];
}
