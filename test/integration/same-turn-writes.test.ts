import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsSendGatherer } from '../../lambdas/adapters/sqs-queue.js';
import { DynamoVkEventLedger } from '../../lambdas/adapters/vk-event-ledger.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';

/**
 * Writes made side by side by a consumer's records share one call to AWS (SqsSendGatherer for SQS, the
 * ledger's marks for DynamoDB). What matters is that each caller's promise tells the truth about its own
 * message or item: checked against the real emulators, counting the calls the SDK makes.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo);
  const count = (name: string) => ({ name, step: 'initialize' as const });
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per client
  const middleware = (next: any, context: { commandName?: string }) => (args: unknown) => {
    calls.push(context.commandName ?? 'unknown');
    return next(args);
  };
  documents.middlewareStack.add(middleware, count('countDynamoCalls'));
  aws.sqs.middlewareStack.add(middleware, count('countSqsCalls'));
});
afterAll(() => aws?.stop());

const clock = { now: () => new Date('2026-11-27T10:00:00Z') };

describe('the VK event ledger', () => {
  it('marks the events of one turn handed on in one BatchWriteItem, each resolved once written', async () => {
    const ledger = new DynamoVkEventLedger(documents, aws.tableName, clock);
    const keys = Array.from({ length: 30 }, (_, index) => `batch-${index}`);
    for (const key of keys) expect(await ledger.claim(7, key)).toBe('claimed');
    calls.length = 0;
    await Promise.all(keys.map((key) => ledger.complete(7, key)));
    // 30 marks: two calls of at most 25 items, not 30 puts.
    expect(calls).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    for (const key of keys) expect(await ledger.claim(7, key)).toBe('done');
  });

  it('writes one item when the same event is marked twice in a turn (DynamoDB refuses a key twice)', async () => {
    const ledger = new DynamoVkEventLedger(documents, aws.tableName, clock);
    expect(await ledger.claim(7, 'twice')).toBe('claimed');
    expect(await ledger.claim(7, 'other')).toBe('claimed');
    await Promise.all([
      ledger.complete(7, 'twice'),
      ledger.complete(7, 'twice'),
      ledger.complete(7, 'other'),
    ]);
    const item = await documents.send(
      new GetCommand({ TableName: aws.tableName, Key: { pk: 'EVENT#7#twice', sk: 'EVENT' } }),
    );
    expect(item.Item?.state).toBe('forwarded');
    expect(await ledger.claim(7, 'other')).toBe('done');
  });

  it('rejects every mark of a call that fails, so that the records are retried', async () => {
    const ledger = new DynamoVkEventLedger(documents, 'no-such-table', clock);
    const outcomes = await Promise.allSettled([ledger.complete(7, 'lost-a'), ledger.complete(7, 'lost-b')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('SqsSendGatherer', () => {
  it('sends the messages of one turn in SendMessageBatch calls of ten, each stored once', async () => {
    const gatherer = new SqsSendGatherer(aws.sqs, aws.queues.routing.url);
    calls.length = 0;
    const bodies = Array.from({ length: 23 }, (_, index) => JSON.stringify({ n: index }));
    await Promise.all(bodies.map((body) => gatherer.send(body)));
    expect(calls).toEqual(['SendMessageBatchCommand', 'SendMessageBatchCommand', 'SendMessageBatchCommand']);
    expect((await drainQueue(aws.sqs, aws.queues.routing.url)).sort()).toEqual([...bodies].sort());
  });

  it('rejects only the message SQS refuses; the others of the call are stored', async () => {
    const gatherer = new SqsSendGatherer(aws.sqs, aws.queues.routing.url);
    // SQS refuses a message body with characters outside its allowed set (here U+0000).
    const outcomes = await Promise.allSettled([
      gatherer.send('{"n":"kept"}'),
      gatherer.send('refused \u0000'),
      gatherer.send('{"n":"also kept"}'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const received = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: aws.queues.routing.url, MaxNumberOfMessages: 10 }),
    );
    expect((received.Messages ?? []).map((message) => message.Body).sort()).toEqual([
      '{"n":"also kept"}',
      '{"n":"kept"}',
    ]);
  });
});
