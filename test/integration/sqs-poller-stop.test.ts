import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { eventually } from '../support/poll.js';

/**
 * Stopping a poller hides nothing: a receive in progress when it stops still takes what reaches the queue
 * (fauxqs answers it even if the request was given up), so the poller lets it end and gives back what it took.
 */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

const pollerOf = (name: string, handled: string[]) =>
  new SqsPoller({
    name,
    client: aws.sqs,
    queueUrl: aws.queues.routing.url,
    queueArn: 'routing',
    spec: QUEUES.routing,
    handler: async (event) => {
      handled.push(...event.Records.map((record) => record.body));
      return { batchItemFailures: [] };
    },
  });

it('a message that arrives while a stopping poller waits goes to the next poller at once, not after the visibility timeout', async () => {
  const first: string[] = [];
  const stopping = pollerOf('stopping', first);
  stopping.start();
  // Its long poll of the empty queue is open in fauxqs.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const startedAt = Date.now();
  const stopped = stopping.stop();
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.routing.url, MessageBody: 'arrived' }));
  await stopped;
  // Stopping waits at most for that long poll (1 s) and the message's release.
  expect(Date.now() - startedAt).toBeLessThan(3000);
  expect(first).toEqual([]);

  const second: string[] = [];
  const next = pollerOf('next', second);
  next.start();
  try {
    // The routing queue hides a received message for minutes (QUEUES.routing): seconds here mean it was given back.
    expect(QUEUES.routing.visibilityTimeoutSeconds).toBeGreaterThan(60);
    await eventually(
      async () => second,
      (handled) => handled.length > 0,
      5_000,
    );
    expect(second).toEqual(['arrived']);
  } finally {
    await next.stop();
  }
});

it('stops within about a second while its queue stays empty', async () => {
  const poller = pollerOf('idle', []);
  poller.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const startedAt = Date.now();
  await poller.stop();
  expect(Date.now() - startedAt).toBeLessThan(2000);
});
