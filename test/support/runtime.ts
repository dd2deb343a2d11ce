import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { localSqsClient } from '../../local/emulators.js';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from './fixtures.js';
import { eventually } from './poll.js';

/**
 * The local runtime with the demo configuration, on a free port, the functions' logs silenced: what the
 * end-to-end tests run against. Options override the defaults (an escalator interval, a movable clock…).
 */
export const startDemoRuntime = (options: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> =>
  startLocalRuntime({
    port: 0,
    configFile: 'config/local.json',
    secretsFile: 'config/local.secrets.json',
    logLevel: 'SILENT',
    ...options,
  });

/**
 * Calls the operator API of a running local runtime over HTTP with an operator's token: the answer's status
 * and JSON body. `runtime` is read at each call, since tests start it in `beforeAll`.
 */
export const operatorOverHttp =
  (runtime: () => LocalRuntime, token: string) =>
  async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${runtime().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by each test as it expects them
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

/**
 * Sends a running local runtime VK's callback of one event for the demo community, with its secret, as VK
 * would, and expects the `ok` VK waits for. `runtime` is read at each call, since tests start it in `beforeAll`.
 */
export const vkCallbackTo =
  (runtime: () => LocalRuntime) =>
  async (type: string, eventId: string, object: Record<string, unknown>): Promise<void> => {
    const response = await fetch(`${runtime().url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type,
        event_id: eventId,
        v: '5.199',
        group_id: DEMO_GROUP_ID,
        secret: DEMO_SECRET,
        object,
      }),
    });
    expect(await response.text()).toBe('ok');
  };

/** What a queue holds: messages in sight, received and not yet deleted or put back, and delayed. */
const HELD = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/**
 * Waits until no queue of the runtime holds a message, in sight, in a consumer's hands or delayed (fauxqs
 * counts them exactly): what the events sent will ever do is done, since a consumer deletes a message only
 * once its handler has returned, after it queued what comes next. Returns at once when drained, instead of
 * waiting out empty long polls.
 */
export async function drained(runtime: LocalRuntime, timeoutMs?: number): Promise<void> {
  const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
  const held = async () => {
    let total = 0;
    for (const { url } of Object.values(runtime.queues)) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...HELD] }),
      );
      for (const name of HELD) total += Number(Attributes[name] ?? 0);
    }
    return total;
  };
  await eventually(held, (total) => total === 0, timeoutMs);
}
