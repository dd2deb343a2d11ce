import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type NamedQueue, queueNamed } from '../queue-kinds.js';
import { OPS_REQUEST_HANDLER } from '../stage-table.js';

/**
 * The region an SQS queue URL names: the queues' own, whatever the profile's. AWS's URLs name it
 * (https://sqs.<region>.amazonaws.com/…), and so do the local emulator's (http://sqs.<region>.127.0.0.1:<port>/…).
 */
export const regionOfQueueUrl = (url: string): string | undefined =>
  /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\//.exec(url)?.[1] ??
  /^http:\/\/sqs\.([a-z0-9-]+)\.127\.0\.0\.1(?::\d+)?\//.exec(url)?.[1];

/** A client in the region the queue's URL names, with the ops commands' time limits. */
export function queueClient(queueUrl: string): SQSClient {
  const region = regionOfQueueUrl(queueUrl);
  return new SQSClient({
    useQueueUrlAsEndpoint: false,
    requestHandler: OPS_REQUEST_HANDLER,
    ...(region && { region }),
  });
}

/** What dlq:replay needs to know of a queue before it touches any message. */
export interface QueueFacts {
  url: string;
  /** No redrive policy: every other queue of the stacks has one, naming its dead-letter queue. */
  deadLetters: boolean;
  /** Which of the stage's queues its name says it is, if it says. */
  named: NamedQueue | undefined;
  /** How long it keeps a message (MessageRetentionPeriod), in seconds, if SQS said. */
  retentionSeconds: number | undefined;
}

/**
 * Looks at a queue (GetQueueAttributes), or says plainly which queue could not be reached and why, before a
 * message of either queue is received and hidden.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
export async function queueFacts(client: SQSClient, url: string): Promise<QueueFacts> {
  try {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['QueueArn', 'RedrivePolicy', 'MessageRetentionPeriod'],
      }),
    );
    const retention = Number(Attributes?.MessageRetentionPeriod);
    return {
      url,
      deadLetters: !Attributes?.RedrivePolicy,
      named: queueNamed(url),
      retentionSeconds: Number.isFinite(retention) && retention > 0 ? retention : undefined,
    };
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
