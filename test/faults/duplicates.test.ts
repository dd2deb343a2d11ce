import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { eventually } from '../support/poll.js';
import {
  citizenMessage,
  deliverAsVk,
  duplicateEveryMessage,
  inquiriesOf,
  sqsOf,
  startFaultRuntime,
  waitForInquiries,
} from './harness.js';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startFaultRuntime();
});
afterAll(() => runtime?.stop());

const waiting = async (sqs: SQSClient, queueUrl: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
};

describe('repeated deliveries', () => {
  it('VK delivers every event six times and SQS every message twice: one inquiry with one message each', async () => {
    const run = 'dup';
    const count = 20;
    const sqs = sqsOf(runtime);
    await Promise.all(Object.values(runtime.pollers).map((poller) => poller.stop()));

    for (let n = 0; n < count; n++)
      for (let delivery = 0; delivery < 6; delivery++) {
        const response = await fetch(`${runtime.url}/vk/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-retry-counter': String(delivery) },
          body: JSON.stringify(citizenMessage(run, n)),
        });
        expect(await response.text()).toBe('ok');
      }
    // Ingest does not de-duplicate: six copies of each event wait in the events queue; each is sent twice more.
    expect(await waiting(sqs, runtime.queues.events.url)).toBe(count * 6);
    expect(await duplicateEveryMessage(sqs, runtime.queues.events.url, count * 6)).toBe(count * 6);

    runtime.pollers.events.start();
    await eventually(
      () => waiting(sqs, runtime.queues.events.url),
      (left) => left === 0,
      60_000,
    );
    // Then every routing message is delivered twice to the router.
    expect(await duplicateEveryMessage(sqs, runtime.queues.routing.url, count)).toBe(count);
    runtime.pollers.routing.start();

    const inquiries = await waitForInquiries(runtime, run, count);
    await eventually(
      () => waiting(sqs, runtime.queues.routing.url),
      (left) => left === 0,
      60_000,
    );
    const after = await inquiriesOf(runtime, run);
    expect(after).toHaveLength(count);
    expect(new Set(after.map((inquiry) => inquiry.sourceEventKey)).size).toBe(count);
    expect(after.every((inquiry) => inquiry.messageCount === 1)).toBe(true);
    expect(inquiries).toHaveLength(count);
    expect(await waiting(sqs, runtime.queues.events.deadLetterUrl)).toBe(0);
    expect(await waiting(sqs, runtime.queues.routing.deadLetterUrl)).toBe(0);
    // A delivery as VK makes after all this is still the same inquiry.
    await deliverAsVk(runtime.url, citizenMessage(run, 0));
  });
});
