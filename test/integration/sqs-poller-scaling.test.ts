import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';

/**
 * The local event source scales out as Lambda's does for a busy queue: more batches in hand while receives
 * come back full, never more than its maximum, and back to where it started once the queue is empty.
 */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

async function fill(count: number) {
  for (let first = 0; first < count; first += 10)
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: aws.queues.events.url,
        Entries: Array.from({ length: Math.min(10, count - first) }, (_, index) => ({
          Id: String(index),
          MessageBody: String(first + index),
        })),
      }),
    );
}

/** Consumes `count` messages with a poller; what was handled and the most batches in hand at once. */
async function consume(count: number, concurrency: number, maxConcurrency: number) {
  await fill(count);
  const handled: string[] = [];
  let inHand = 0;
  let mostInHand = 0;
  const poller = new SqsPoller({
    name: 'scaling',
    client: aws.sqs,
    queueUrl: aws.queues.events.url,
    queueArn: 'events',
    spec: QUEUES.events,
    concurrency,
    maxConcurrency,
    handler: async (event: SQSEvent) => {
      inHand++;
      mostInHand = Math.max(mostInHand, inHand);
      // A batch that takes a while, as one making several calls does.
      await new Promise((resolve) => setTimeout(resolve, 40));
      handled.push(...event.Records.map((record) => record.body));
      inHand--;
      return { batchItemFailures: [] };
    },
  });
  poller.start();
  try {
    const deadline = Date.now() + 20_000;
    while (handled.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const scaledTo = poller.concurrencyNow;
    // Empty receives take a second each (long polling): the batches added stop after one.
    const settleBy = Date.now() + 5_000;
    while (poller.concurrencyNow > concurrency && Date.now() < settleBy)
      await new Promise((r) => setTimeout(r, 100));
    return { handled, mostInHand, scaledTo, settledAt: poller.concurrencyNow };
  } finally {
    await poller.stop();
  }
}

it('adds batches while receives come back full, up to its maximum, then goes back to its start', async () => {
  const { handled, mostInHand, scaledTo, settledAt } = await consume(300, 1, 4);
  expect(new Set(handled).size).toBe(300);
  expect(handled).toHaveLength(300);
  expect(mostInHand).toBeGreaterThan(1);
  expect(mostInHand).toBeLessThanOrEqual(4);
  expect(scaledTo).toBeGreaterThan(1);
  expect(settledAt).toBe(1);
});

it('keeps to one batch at a time when its maximum is its start', async () => {
  const { handled, mostInHand } = await consume(100, 1, 1);
  expect(new Set(handled).size).toBe(100);
  expect(mostInHand).toBe(1);
});
