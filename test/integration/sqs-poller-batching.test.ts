import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { eventually } from '../support/poll.js';

/**
 * The local event source gathers a batch as Lambda's does: until it is full or the queue's batching window
 * (`maxBatchingWindowSeconds`) has passed, not just what one receive brings.
 */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running poller of the outbox (batches of five, a window of a second) recording each batch it hands on. */
function outboxPoller() {
  const batches: { bodies: string[]; at: number }[] = [];
  const poller = new SqsPoller({
    name: 'responder',
    client: aws.sqs,
    queueUrl: aws.queues.outbox.url,
    queueArn: 'outbox',
    spec: QUEUES.outbox,
    handler: async (event) => {
      batches.push({ bodies: event.Records.map((record) => record.body), at: Date.now() });
      return { batchItemFailures: [] };
    },
  });
  poller.start();
  return { poller, batches };
}

const send = (body: string) =>
  aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.outbox.url, MessageBody: body }));

it('hands five messages sent one after another to a queue of batches of five as one batch', async () => {
  expect(QUEUES.outbox).toMatchObject({ batchSize: 5, maxBatchingWindowSeconds: 1 });
  const { poller, batches } = outboxPoller();
  try {
    // The poller's long poll is open on the empty queue when the first arrives.
    await sleep(300);
    for (let n = 1; n <= 5; n++) {
      await send(`quick-${n}`);
      await sleep(100);
    }
    await eventually(
      async () => batches.length,
      (count) => count > 0,
      5_000,
    );
    await sleep(500);
    expect(batches.map((batch) => batch.bodies)).toEqual([
      ['quick-1', 'quick-2', 'quick-3', 'quick-4', 'quick-5'],
    ]);
  } finally {
    await poller.stop();
  }
});

it('hands a batch that does not fill once the window has passed', async () => {
  const { poller, batches } = outboxPoller();
  try {
    await sleep(300);
    const sentAt = Date.now();
    await send('alone-1');
    await send('alone-2');
    await eventually(
      async () => batches.length,
      (count) => count > 0,
      5_000,
    );
    expect(batches[0]?.bodies).toEqual(['alone-1', 'alone-2']);
    // About the window after the first arrived: not at once, and not much later.
    const waited = (batches[0]?.at ?? 0) - sentAt;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(2500);
  } finally {
    await poller.stop();
  }
});
