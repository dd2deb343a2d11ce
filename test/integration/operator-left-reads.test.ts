import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toHistoryItem } from '../../lambdas/adapters/history-items.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { ApiRequest, OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { getHistory } from '../../lambdas/operator-api/use-cases/get-history.js';
import { getInquiry } from '../../lambdas/operator-api/use-cases/get-inquiry.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';

/**
 * What the detail of an inquiry out of the operator's reach reads of its history to tell whether they had it
 * (operator-api/left-departments.ts): the use case against dynalite, its history reads counted.
 */

let aws: TestAws;
let repository: DynamoInquiryRepository;
let deps: OperatorApiDeps;
let documents: DynamoDBDocumentClient;
const config = readConfigFile('config/local.json');
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const boris: Operator = { id: 'sub-boris', name: 'Борис Сидоров', admin: false, departments: ['roads'] };
const vera: Operator = { id: 'sub-vera', name: 'Вера Котова', admin: false, departments: ['nobody'] };
const tanya: Operator = { id: 'sub-tanya', name: 'Татьяна Петрова', admin: false, departments: ['triage'] };

/** How many history pages and searches for a trace the use cases began. */
const reads = { pages: 0, traces: 0 };
/** The Queries of the inquiry table sent, and the read units they consumed, as DynamoDB reports them. */
const queries = { calls: 0, units: 0 };

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'QueryCommand') return next(args);
      queries.calls++;
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      queries.units += output.ConsumedCapacity?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize' },
  );
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  const counted: OperatorApiDeps['inquiries'] = Object.assign(Object.create(repository), {
    historyPage: (...args: Parameters<DynamoInquiryRepository['historyPage']>) => {
      reads.pages++;
      return repository.historyPage(...args);
    },
    historyTraces: (...args: Parameters<DynamoInquiryRepository['historyTraces']>) => {
      reads.traces++;
      return repository.historyTraces(...args);
    },
  });
  deps = {
    config,
    inquiries: counted,
    queries: new DynamoOperatorQueries(documents, aws.tableName),
    outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
    clock: systemClock,
  };
});
afterAll(() => aws?.stop());

const read = (operator: Operator, id: string): ApiRequest => ({
  operator,
  params: { id },
  query: {},
  body: undefined,
  idempotencyKey: 'read',
});

describe('the detail of an inquiry that left the operator’s departments', () => {
  it('reads its history once where the newest page holds all of it, for who had it and for anyone else', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8801, eventKey: 'left-reads', text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not opened');
    expect(inquiry.department).toBe('housing');
    await repository.update(
      { ...inquiry, department: 'roads', version: inquiry.version + 1 },
      inquiry.version,
      [],
    );

    for (const [operator, status] of [
      [anna, 403],
      [tanya, 404],
    ] as const) {
      reads.pages = 0;
      reads.traces = 0;
      expect((await getInquiry(read(operator, id), deps)).status, operator.id).toBe(status);
      expect(reads, operator.id).toEqual({ pages: 1, traces: 0 });
    }
    // Who has had it answers that, and is not told to the department it is in.
    expect(await repository.getInquiry(id)).toMatchObject({
      pastHolders: { departments: ['housing'], operators: [] },
    });
    const theirs = await getInquiry(read(boris, id), deps);
    expect(theirs.status).toBe(200);
    expect((theirs.body as { inquiry: object }).inquiry).not.toHaveProperty('pastHolders');
  });
});

describe('an inquiry of another department with a long history', () => {
  it('is answered 404 to an operator who never had it on one read of the inquiry, whatever its history', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8802, eventKey: 'left-long', text: 'Яма на дороге у дома', category: 'waste' },
    );
    // Hundreds of the citizen's messages of some 8 KB each: several MB of history.
    const from = Date.now() + 60_000;
    for (let first = 0; first < 650; first += 100) {
      const inquiry = await repository.getInquiry(id);
      if (!inquiry) throw new Error('not opened');
      const entries = Array.from({ length: 100 }, (_entry, index) => {
        const at = new Date(from + (first + index) * 1000).toISOString();
        return {
          inquiryId: id,
          key: `${at}#later-${first + index}#0`,
          at,
          kind: 'message' as const,
          actor: 'citizen' as const,
          actorId: inquiry.authorId,
          detail: { text: `Ещё одно сообщение ${first + index}. `.repeat(200) },
        };
      });
      await repository.update({ ...inquiry, version: inquiry.version + 1 }, inquiry.version, entries);
    }

    const asks = {
      detail: () => getInquiry(read(tanya, id), deps),
      history: () => getHistory({ ...read(tanya, id), query: { limit: 100 }, body: {} }, deps),
    };
    for (const [name, ask] of Object.entries(asks)) {
      reads.pages = 0;
      reads.traces = 0;
      queries.calls = 0;
      queries.units = 0;
      expect((await ask()).status, name).toBe(404);
      // The detail reads its newest page before it knows (as it does for any inquiry), and nothing more.
      const pages = name === 'detail' ? 1 : 0;
      expect({ reads, queries: queries.calls }, name).toEqual({
        reads: { pages, traces: 0 },
        queries: pages,
      });
      // A page is at most 100 entries: some 200 read units of these, against some 850 for the whole history.
      expect(queries.units, name).toBeLessThan(300);
    }
  });
});

describe('an inquiry stored before who had it was kept on it', () => {
  it('is told by its history, and a change of it keeps it so rather than keep a part', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8803, eventKey: 'left-earlier', text: 'Не убирают снег во дворе', category: 'waste' },
    );
    // As the release before wrote it: no `pastHolders`.
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: inquiryKey(id),
        UpdateExpression: 'REMOVE pastHolders',
      }),
    );
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not opened');
    expect(inquiry).not.toHaveProperty('pastHolders');
    const at = new Date().toISOString();
    await repository.update(
      { ...inquiry, department: 'roads', version: inquiry.version + 1 },
      inquiry.version,
      [
        {
          inquiryId: id,
          key: `${at}#move-earlier#1`,
          at,
          kind: 'moved',
          actor: 'operator',
          actorId: 'sub-admin',
          detail: { fromDepartment: 'housing', toDepartment: 'roads' },
        },
      ],
    );
    expect(await repository.getInquiry(id)).not.toHaveProperty('pastHolders');

    for (const [operator, status] of [
      [anna, 403],
      [tanya, 404],
    ] as const) {
      reads.traces = 0;
      const history = await getHistory({ ...read(operator, id), query: { limit: 100 }, body: {} }, deps);
      expect(history.status, operator.id).toBe(status);
      expect(reads.traces, operator.id).toBe(1);
      // The detail finds it, or not, on the page of history it read already, the whole of it.
      reads.pages = 0;
      reads.traces = 0;
      expect((await getInquiry(read(operator, id), deps)).status, operator.id).toBe(status);
      expect(reads, operator.id).toEqual({ pages: 1, traces: 0 });
    }
  });

  it('is told to one who had it by their trace however many pages of history back it lies', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8805, eventKey: 'left-deep', text: 'Не горят фонари во дворе', category: 'waste' },
    );
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: inquiryKey(id),
        UpdateExpression: 'REMOVE pastHolders',
      }),
    );
    const opened = await repository.getInquiry(id);
    if (!opened) throw new Error('not opened');
    expect(opened.department).toBe('housing');
    const movedAt = new Date().toISOString();
    await repository.update({ ...opened, department: 'roads', version: opened.version + 1 }, opened.version, [
      {
        inquiryId: id,
        key: `${movedAt}#move-deep#1`,
        at: movedAt,
        kind: 'moved',
        actor: 'operator',
        actorId: 'sub-admin',
        detail: { fromDepartment: 'housing', toDepartment: 'roads' },
      },
    ]);
    // Then 400 of the citizen's messages of some 8 KB each in roads: some 3 MB, Queries of 1 MB each.
    const from = Date.now() + 60_000;
    for (let first = 0; first < 400; first += 100) {
      const inquiry = await repository.getInquiry(id);
      if (!inquiry) throw new Error('gone');
      const entries = Array.from({ length: 100 }, (_entry, index) => {
        const at = new Date(from + (first + index) * 1000).toISOString();
        return {
          inquiryId: id,
          key: `${at}#deep-${first + index}#0`,
          at,
          kind: 'message' as const,
          actor: 'citizen' as const,
          actorId: inquiry.authorId,
          detail: { text: `Фонари так и не горят ${first + index}. `.repeat(200) },
        };
      });
      await repository.update({ ...inquiry, version: inquiry.version + 1 }, inquiry.version, entries);
    }
    expect(await repository.getInquiry(id)).not.toHaveProperty('pastHolders');

    queries.calls = 0;
    expect((await getInquiry(read(anna, id), deps)).status).toBe(403);
    // The detail's page, then more than one page of traces back to the move.
    expect(queries.calls).toBeGreaterThan(2);
    expect((await getInquiry(read(tanya, id), deps)).status).toBe(404);
  });

  it('is told by its history once an earlier release changed it, carrying along who had it as it was', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8804, eventKey: 'left-rolled-back', text: 'Течёт крыша', category: 'housing' },
    );
    expect((await repository.getInquiry(id))?.pastHolders?.departments).toEqual(['housing']);
    // After a rollback, the release before moves it to roads, then to triage: it writes the moves' entries,
    // and keeps `pastHolders` as it found it.
    for (const [step, [from, to]] of [
      ['housing', 'roads'],
      ['roads', 'triage'],
    ].entries()) {
      const at = new Date(Date.now() + step * 1000).toISOString();
      await documents.send(
        new PutCommand({
          TableName: aws.tableName,
          Item: toHistoryItem({
            inquiryId: id,
            key: `${at}#rolled-back-${step}#1`,
            at,
            kind: 'moved',
            actor: 'operator',
            actorId: 'sub-admin',
            detail: { fromDepartment: from, toDepartment: to },
          }),
        }),
      );
      await documents.send(
        new UpdateCommand({
          TableName: aws.tableName,
          Key: inquiryKey(id),
          UpdateExpression: 'SET department = :to, version = version + :one',
          ExpressionAttributeValues: { ':to': to, ':one': 1 },
        }),
      );
    }
    // Roads had it, as its history says, though what it carries does not.
    expect((await repository.getInquiry(id))?.pastHolders?.departments).toEqual(['housing']);
    for (const [operator, status] of [
      [boris, 403],
      [anna, 403],
      [vera, 404],
    ] as const) {
      const history = await getHistory({ ...read(operator, id), query: { limit: 100 }, body: {} }, deps);
      expect(history.status, operator.id).toBe(status);
    }
    // The next change writes it without: its history goes on telling.
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('gone');
    await repository.update({ ...inquiry, version: inquiry.version + 1 }, inquiry.version, []);
    expect(await repository.getInquiry(id)).not.toHaveProperty('pastHolders');
  });
});
