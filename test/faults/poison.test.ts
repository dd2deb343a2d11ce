import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { eventually } from '../support/poll.js';
import {
  citizenMessage,
  deliverAsVk,
  inquiriesOf,
  sqsOf,
  startFaultRuntime,
  waitForInquiries,
} from './harness.js';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startFaultRuntime({ retryDelaySeconds: 1 });
});
afterAll(() => runtime?.stop());

describe('a poison message', () => {
  it('reaches the dead-letter queue after the configured attempts; the good ones are not held up', async () => {
    const run = 'poison';
    const count = 15;
    const sqs = sqsOf(runtime);
    const poison = JSON.stringify({
      type: 'message_new',
      eventKey: 'e:poison',
      note: 'not a received VK event',
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.events.url, MessageBody: poison }));
    for (let n = 0; n < count; n++) await deliverAsVk(runtime.url, citizenMessage(run, n));

    // The good ones are routed while the poison message is still being retried (1 s apart, 5 attempts).
    const started = Date.now();
    expect(await waitForInquiries(runtime, run, count, 20_000)).toHaveLength(count);
    const routedWithinMs = Date.now() - started;

    const dead = await eventually(
      async () =>
        (
          await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: runtime.queues.events.deadLetterUrl,
              MaxNumberOfMessages: 10,
              MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            }),
          )
        ).Messages ?? [],
      (messages) => messages.length > 0,
      60_000,
    );
    expect(dead.map((message) => message.Body)).toEqual([poison]);
    expect(routedWithinMs).toBeLessThan(QUEUES.events.maxReceiveCount * 1000 * 4);
    const after = await inquiriesOf(runtime, run);
    expect(after).toHaveLength(count);
    expect(after.every((inquiry) => inquiry.messageCount === 1)).toBe(true);
  });
});
