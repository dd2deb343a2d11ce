import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableReadGatherer, tableReads } from '../../lambdas/adapters/dynamo-batch-get.js';
import { TableWriteGatherer } from '../../lambdas/adapters/dynamo-batch-write.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import { SqsSendGatherer } from '../../lambdas/adapters/sqs-queue.js';
import { DynamoVkEventLedger } from '../../lambdas/adapters/vk-event-ledger.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { drainQueue, recordCommands, startTestAws, type TestAws } from '../support/aws.js';

/**
 * Reads and writes made side by side by a consumer's records share calls to AWS (SqsSendGatherer for SQS,
 * TableReadGatherer and TableWriteGatherer for DynamoDB). What matters is that each caller's promise tells the truth about its own
 * message or item: checked against the real emulators, counting the calls the SDK makes.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo);
  recordCommands(documents, calls);
  recordCommands(aws.sqs, calls);
});
afterAll(() => aws?.stop());

const clock = { now: () => new Date('2026-11-27T10:00:00Z') };

describe('TableReadGatherer', () => {
  it('reads the keys of one turn in one consistent BatchGetItem, each caller finding its own items', async () => {
    for (const n of [1, 2, 3, 5])
      await documents.send(
        new PutCommand({ TableName: aws.tableName, Item: { pk: `read#${n}`, sk: 'X', n } }),
      );
    const reads = new TableReadGatherer(documents, aws.tableName);
    const key = (n: number) => ({ pk: `read#${n}`, sk: 'X' });
    calls.length = 0;
    const [first, second] = await Promise.all([
      reads.get([key(1), key(2), key(4)]),
      reads.get([key(2), key(3), key(5)]),
    ]);
    expect(calls).toEqual(['BatchGetItemCommand']);
    expect([1, 2, 4].map((n) => first.find(key(n))?.n)).toEqual([1, 2, undefined]);
    // Another caller's item is not handed to this one.
    expect(first.find(key(3))).toBeUndefined();
    expect([2, 3, 5].map((n) => second.find(key(n))?.n)).toEqual([2, 3, 5]);
  });

  it('reads a lone key with GetItem, consistently, and the keys of readers sharing the table in one call', async () => {
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: { pk: 'lone', sk: 'X', n: 9 } }));
    const reads = tableReads(documents, aws.tableName);
    calls.length = 0;
    expect(await reads.item({ pk: 'lone', sk: 'X' })).toMatchObject({ n: 9 });
    expect(await reads.item({ pk: 'lone', sk: 'absent' })).toBeUndefined();
    expect(calls).toEqual(['GetItemCommand', 'GetItemCommand']);
    // Two adapters reading the same table through the same client share one gatherer.
    expect(tableReads(documents, aws.tableName)).toBe(reads);
    calls.length = 0;
    const [lone, absent] = await Promise.all([
      tableReads(documents, aws.tableName).item({ pk: 'lone', sk: 'X' }),
      reads.item({ pk: 'lone', sk: 'absent' }),
    ]);
    expect([lone?.n, absent]).toEqual([9, undefined]);
    expect(calls).toEqual(['BatchGetItemCommand']);
  });

  it('asks more than a hundred keys in calls of a hundred', async () => {
    const reads = new TableReadGatherer(documents, aws.tableName);
    calls.length = 0;
    const keys = Array.from({ length: 150 }, (_, n) => ({ pk: `absent#${n}`, sk: 'X' }));
    const found = await reads.get(keys);
    expect(calls).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(keys.every((key) => found.find(key) === undefined)).toBe(true);
  });
});

describe('TableWriteGatherer', () => {
  it('writes the items of one turn in one BatchWriteItem; a lone item as one PutItem', async () => {
    const writes = new TableWriteGatherer(documents, aws.tableName);
    calls.length = 0;
    await Promise.all([
      writes.put([{ pk: 'write#1', sk: 'A', v: 1 }]),
      writes.put([
        { pk: 'write#1', sk: 'B', v: 2 },
        { pk: 'write#2', sk: 'A', v: 3 },
      ]),
      // The same key again in the same turn: written once, the later item.
      writes.put([{ pk: 'write#1', sk: 'A', v: 4 }]),
    ]);
    expect(calls).toEqual(['BatchWriteItemCommand']);
    await writes.put([{ pk: 'write#3', sk: 'A', v: 5 }]);
    expect(calls).toEqual(['BatchWriteItemCommand', 'PutItemCommand']);
    const value = async (pk: string, sk: string) =>
      (await documents.send(new GetCommand({ TableName: aws.tableName, Key: { pk, sk } }))).Item?.v;
    expect(await value('write#1', 'A')).toBe(4);
    expect(await value('write#1', 'B')).toBe(2);
    expect(await value('write#2', 'A')).toBe(3);
    expect(await value('write#3', 'A')).toBe(5);
  });
});

describe('case numbers', () => {
  it("draws a turn's numbers of one community and year in one ADD, each caller its own, in the order asked", async () => {
    const repository = new DynamoInquiryRepository(documents, aws.tableName);
    expect(await repository.nextCaseSequence(11, 2026)).toBe(1);
    calls.length = 0;
    const drawn = await Promise.all([
      repository.nextCaseSequence(11, 2026),
      repository.nextCaseSequence(11, 2026),
      repository.nextCaseSequence(12, 2026),
      repository.nextCaseSequence(11, 2027),
      repository.nextCaseSequence(11, 2026),
    ]);
    // One counter item per community and year: three calls, not five.
    expect(calls).toEqual(['UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    expect(drawn).toEqual([2, 3, 1, 1, 4]);
    // Nothing was drawn that no caller got: the next number follows on.
    expect(await repository.nextCaseSequence(11, 2026)).toBe(5);
  });

  it('never gives one number twice to routers drawing side by side, in one container or several', async () => {
    const containers = [1, 2, 3].map(() => new DynamoInquiryRepository(documents, aws.tableName));
    const drawn = (
      await Promise.all(
        Array.from({ length: 5 }, async (_, round) => {
          await new Promise((resolve) => setTimeout(resolve, round));
          return Promise.all(
            containers.flatMap((container) => [1, 2, 3].map(() => container.nextCaseSequence(13, 2026))),
          );
        }),
      )
    ).flat();
    expect([...drawn].sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, n) => n + 1));
  });

  it('rejects every draw of a call that fails, so that the records are retried', async () => {
    const lost = new DynamoInquiryRepository(documents, 'no-such-table');
    const outcomes = await Promise.allSettled([
      lost.nextCaseSequence(14, 2026),
      lost.nextCaseSequence(14, 2026),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('the VK event ledger', () => {
  it("takes a claim refused by its own put, applied but answered too late and tried again, for the attempt's own", async () => {
    // The SDK tries a put again after its 2 s per try: DynamoDB may have applied the first. Its answer lost is
    // played here by sending the put twice and answering the second, as the SDK's retry would.
    const twice = Object.create(documents) as DynamoDBDocumentClient;
    twice.send = (async (command: PutCommand) => {
      if (command instanceof PutCommand) await documents.send(command).catch(() => undefined);
      return documents.send(command);
    }) as DynamoDBDocumentClient['send'];
    const ledger = new DynamoVkEventLedger(twice, aws.tableName, clock);
    expect(await ledger.claim(7, 'answered-late')).toBe('claimed');
    // Another copy of the event, meanwhile, still finds it claimed by someone else.
    expect(await new DynamoVkEventLedger(documents, aws.tableName, clock).claim(7, 'answered-late')).toBe(
      'busy',
    );
  });

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
    await Promise.all(bodies.map((body) => gatherer.send({ body })));
    expect(calls).toEqual(['SendMessageBatchCommand', 'SendMessageBatchCommand', 'SendMessageBatchCommand']);
    expect((await drainQueue(aws.sqs, aws.queues.routing.url)).sort()).toEqual([...bodies].sort());
  });

  it('rejects only the message SQS refuses; the others of the call are stored', async () => {
    const gatherer = new SqsSendGatherer(aws.sqs, aws.queues.routing.url);
    // SQS refuses a message body with characters outside its allowed set (here U+0000).
    const outcomes = await Promise.allSettled([
      gatherer.send({ body: '{"n":"kept"}' }),
      gatherer.send({ body: 'refused \u0000' }),
      gatherer.send({ body: '{"n":"also kept"}' }),
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

describe('SqsOutbox', () => {
  /**
   * fauxqs keeps no message group on a standard queue (AWS's fair queues act on the server), so the test
   * reads the group each send asked for from the SDK's requests, and the messages from the queue.
   */
  const groupsSent: (string | undefined)[] = [];
  beforeAll(() => {
    aws.sqs.middlewareStack.add(
      (next, context) => (args) => {
        const input = args.input as {
          MessageGroupId?: string;
          Entries?: { MessageGroupId?: string }[];
        };
        if (context.commandName === 'SendMessageCommand') groupsSent.push(input.MessageGroupId);
        if (context.commandName === 'SendMessageBatchCommand')
          groupsSent.push(...(input.Entries ?? []).map((entry) => entry.MessageGroupId));
        return next(args);
      },
      { name: 'recordMessageGroups', step: 'initialize' },
    );
  });

  const message = (groupId: number, n: number): OutboxMessage => ({
    kind: 'message_to_citizen',
    id: `inquiry-${groupId}-${n}:acknowledgement:event`,
    inquiryId: `inquiry-${groupId}-${n}`,
    groupId,
    purpose: 'acknowledgement',
    replyTo: { channel: 'direct_message', peerId: 7770000 + n },
    citizenId: 7770000 + n,
    text: 'Обращение зарегистрировано',
    requestedAt: '2026-11-27T10:00:00.000Z',
    requestedBy: 'router',
  });

  it.each([
    ['one at a time', false],
    ['gathered into batches', true],
  ])('names each message’s community as its tenant, sent %s', async (_case, gather) => {
    const outbox = new SqsOutbox(aws.sqs, aws.queues.outbox.url, { gather });
    const messages = [message(1, 1), message(2, 2), message(1, 3)];
    groupsSent.length = 0;
    if (gather) await Promise.all(messages.map((each) => outbox.send(each)));
    else for (const each of messages) await outbox.send(each);
    expect(groupsSent).toEqual(['community-1', 'community-2', 'community-1']);
    const received = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
      (body) => (JSON.parse(body) as OutboxMessage).id,
    );
    expect(received.sort()).toEqual(messages.map((each) => each.id).sort());
  });
});
