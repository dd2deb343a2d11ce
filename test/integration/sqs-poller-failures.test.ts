import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('a partial batch response', () => {
  /**
   * Two messages on the routing queue, handed to a consumer that answers `batchItemFailures` on their first
   * receive and nothing after; returns the receive counts each was handed with, by body.
   */
  async function handedWith(failures: (batch: SQSRecord[]) => unknown[]) {
    const bodies = [`a-${Math.random()}`, `b-${Math.random()}`];
    for (const body of bodies)
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.routing.url, MessageBody: body }));
    const handed: SQSRecord[] = [];
    const poller = new SqsPoller({
      name: 'router',
      client: aws.sqs,
      queueUrl: aws.queues.routing.url,
      queueArn: 'routing',
      // Both messages are in the queue before the first receive, which takes them both: no batching window
      // to wait out, at each receive, for more that will not come.
      spec: { ...QUEUES.routing, maxBatchingWindowSeconds: 0 },
      retryDelaySeconds: 0,
      handler: async (event) => {
        handed.push(...event.Records);
        const first = event.Records.filter((record) => record.attributes.ApproximateReceiveCount === '1');
        return { batchItemFailures: first.length > 0 ? failures(first) : [] } as SQSBatchResponse;
      },
      onError: () => undefined,
    });
    // Each handed once, then again if it failed (at once: no retry delay), until two receives find nothing.
    const deadline = Date.now() + 8_000;
    for (let empty = 0; empty < 2 && handed.length < 4 && Date.now() < deadline; )
      empty = (await poller.pollOnce()) === 0 ? empty + 1 : 0;
    return Object.fromEntries(
      bodies.map((body, index) => [
        index === 0 ? 'first' : 'second',
        handed.filter((record) => record.body === body).map((r) => r.attributes.ApproximateReceiveCount),
      ]),
    );
  }

  it('naming a message of the batch brings back only that message', async () => {
    expect(await handedWith((batch) => [{ itemIdentifier: batch[0]?.messageId }])).toEqual({
      first: ['1', '2'],
      second: ['1'],
    });
  });

  it.each([
    ['an empty item identifier', [{ itemIdentifier: '' }]],
    ['a null item identifier', [{ itemIdentifier: null }]],
    ['a bad key name', [{ itemId: 'x' }]],
    ['an id that is no message of the batch', [{ itemIdentifier: 'no-such-message' }]],
  ])('with %s fails the whole batch, as Lambda takes it', async (_, failures) => {
    expect(await handedWith(() => failures)).toEqual({ first: ['1', '2'], second: ['1', '2'] });
  });
});
