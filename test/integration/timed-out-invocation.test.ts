import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { documentClient, sqsClient } from '../../lambdas/adapters/aws-clients.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { failingAfterTimeout } from '../../local/calls-after-timeout.js';
import { invoke, TaskTimedOut } from '../../local/invocation.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';

/**
 * Lambda stops a function at its timeout: nothing it would have done after reaches DynamoDB, SQS or VK. Locally
 * the handler runs on, but every call it makes from then on fails, through the same clients its module
 * shares with the invocations still in time.
 */
let aws: TestAws;
let vk: Server;
let vkUrl: string;
let vkCalls = 0;

beforeAll(async () => {
  aws = await startTestAws();
  vk = createServer((_, response) => {
    vkCalls++;
    response.end('{"response":1}');
  });
  await new Promise<void>((resolve) => vk.listen(0, '127.0.0.1', resolve));
  vkUrl = `http://127.0.0.1:${(vk.address() as AddressInfo).port}/method/messages.send`;
});
afterAll(async () => {
  await new Promise((resolve) => vk?.close(resolve));
  await aws?.stop();
});

const itemOf = (pk: string) => ({ TableName: aws.tableName, Item: { pk, sk: 'TEST' } });
const stored = async (pk: string) =>
  (await documentClient().send(new GetCommand({ TableName: aws.tableName, Key: { pk, sk: 'TEST' } }))).Item;
const outcomeOf = (call: Promise<unknown>) =>
  call.then(
    () => 'done',
    (error: unknown) => error,
  );

const digests = recordingNotifier();
const notify = failingAfterTimeout((pk: string) =>
  digests.notify({ department: pk } as Parameters<typeof digests.notify>[0]),
);

/** What a handler does: a write to the table, a message to a queue, a call to VK, a deadline digest. */
const work = (pk: string) => ({
  digest: outcomeOf(notify(pk)),
  table: outcomeOf(documentClient().send(new PutCommand(itemOf(pk)))),
  queue: outcomeOf(
    sqsClient().send(new SendMessageCommand({ QueueUrl: aws.queues.outbox.url, MessageBody: pk })),
  ),
  vk: outcomeOf(fetch(vkUrl, { method: 'POST', body: 'message=1' })),
});

it('lets a handler past its timeout write nothing more, to DynamoDB, SQS or VK', async () => {
  let goOn = () => {};
  const timedOut = new Promise<void>((resolve) => {
    goOn = resolve;
  });
  let after: ReturnType<typeof work> | undefined;
  const invocation = invoke('writer', 0.05, async () => {
    await timedOut;
    after = work('late');
    await Promise.all(Object.values(after));
  });
  await expect(invocation.outcome).rejects.toBeInstanceOf(TaskTimedOut);
  const vkCallsBefore = vkCalls;
  goOn();
  await invocation.handlerEnded;
  expect(await after?.table).toBeInstanceOf(TaskTimedOut);
  expect(await after?.queue).toBeInstanceOf(TaskTimedOut);
  expect(await after?.vk).toBeInstanceOf(TaskTimedOut);
  expect(await after?.digest).toBeInstanceOf(TaskTimedOut);
  expect(await stored('late')).toBeUndefined();
  expect(digests.sent.map(({ department }) => department)).not.toContain('late');
  expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
  expect(vkCalls).toBe(vkCallsBefore);
});

it('leaves the invocations in time, and calls made outside any, their clients as they are', async () => {
  let goOn = () => {};
  const timedOut = new Promise<void>((resolve) => {
    goOn = resolve;
  });
  const late = invoke('writer', 0.05, async () => {
    await timedOut;
    return Promise.all(Object.values(work('late-2')));
  });
  await expect(late.outcome).rejects.toBeInstanceOf(TaskTimedOut);
  // Another invocation of the same function, in time, while the one past its timeout still runs.
  const inTime = invoke('writer', 30, async () => {
    goOn();
    const calls = work('in-time');
    return {
      table: await calls.table,
      queue: await calls.queue,
      vk: await calls.vk,
      digest: await calls.digest,
    };
  });
  expect(await inTime.outcome).toEqual({ table: 'done', queue: 'done', vk: 'done', digest: 'done' });
  await late.handlerEnded;
  expect(await stored('in-time')).toBeDefined();
  expect(await stored('late-2')).toBeUndefined();
  expect(digests.sent.map(({ department }) => department)).toEqual(['in-time']);
  expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual(['in-time']);
  // Outside any invocation (a poller deleting a batch, a test looking): as ever.
  expect(await outcomeOf(documentClient().send(new PutCommand(itemOf('outside'))))).toBe('done');
});
