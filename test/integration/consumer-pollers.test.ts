import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES, type QueueName } from '../../lib/resources.js';
import { createConsumerPollers } from '../../local/runtime.js';
import type { SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';

/**
 * The consumers of `npm start`, the end-to-end tests and the fault suite take their queues as Lambda's event
 * sources do in AWS: several batches at a time, up to each queue's maximum concurrency, so that what batches
 * side by side do to each other (two claims on one event, two writes to one inquiry) happens locally too.
 */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

const byQueue = <T>(pollers: Record<QueueName, SqsPoller>, read: (poller: SqsPoller) => T) =>
  Object.fromEntries(Object.entries(pollers).map(([name, poller]) => [name, read(poller)]));

it("by default start with five batches at a time (fewer when the queue's maximum is) and go up to its maximum concurrency", async () => {
  const pollers = await createConsumerPollers(aws.sqs, aws.queues, {});
  for (const poller of Object.values(pollers)) poller.start();
  try {
    expect(byQueue(pollers, (poller) => poller.concurrencyNow)).toEqual({
      events: 5,
      routing: 5,
      outbox: 5,
      answers: 2,
    });
    expect(byQueue(pollers, (poller) => poller.mostConcurrency)).toEqual(
      Object.fromEntries(Object.entries(QUEUES).map(([name, spec]) => [name, spec.maxConcurrency])),
    );
  } finally {
    await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
  }
});

it('keeps to the batches asked for, and never above the queue’s maximum', async () => {
  const pollers = await createConsumerPollers(aws.sqs, aws.queues, { consumerConcurrency: 3 });
  expect(byQueue(pollers, (poller) => poller.mostConcurrency)).toEqual({
    events: 3,
    routing: 3,
    outbox: 3,
    answers: 2,
  });
});

it('names each function as itself, not after its queue: the responder the same from both its queues', async () => {
  const pollers = await createConsumerPollers(aws.sqs, aws.queues, {});
  expect(byQueue(pollers, (poller) => poller.functionName)).toEqual({
    events: 'classifier',
    routing: 'router',
    outbox: 'responder',
    answers: 'responder',
  });
});
