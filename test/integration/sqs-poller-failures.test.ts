import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { TaskTimedOut } from '../../local/invocation.js';
import { type SqsHandler, SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';

/** The local event source settles a failed invocation as Lambda's SQS event source does. */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `handed` holds `count` records (or the time is up). */
async function pollUntil(poller: SqsPoller, handed: SQSRecord[], count: number, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  while (handed.length < count && Date.now() < deadline) await poller.pollOnce();
}

it('a batch that outruns the consumer’s timeout comes back whole after the visibility timeout, its late answer ignored', async () => {
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.events.url, MessageBody: 'slow' }));
  const handed: SQSRecord[] = [];
  const handedAt: number[] = [];
  const errors: unknown[] = [];
  const handler: SqsHandler = async (event) => {
    handed.push(...event.Records);
    handedAt.push(Date.now());
    // The first invocation runs past its 1 s, then says it handled everything.
    if (handed.length === 1) await sleep(1500);
    return { batchItemFailures: [] };
  };
  const poller = new SqsPoller({
    name: 'classifier',
    client: aws.sqs,
    queueUrl: aws.queues.events.url,
    queueArn: 'events',
    spec: { ...QUEUES.events, consumerTimeoutSeconds: 1 },
    visibilityTimeoutSeconds: 3,
    // Applies to failures the consumer reports, not to a timeout: it changes no message's visibility.
    retryDelaySeconds: 0,
    handler,
    onError: (error) => errors.push(error),
  });
  await pollUntil(poller, handed, 2);
  expect(errors.some((error) => error instanceof TaskTimedOut)).toBe(true);
  expect(handed.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  // Back only once its visibility timeout had passed, not at once.
  expect((handedAt[1] ?? 0) - (handedAt[0] ?? 0)).toBeGreaterThanOrEqual(2900);
});
