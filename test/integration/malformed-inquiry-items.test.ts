import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { MalformedInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { QUERY_PAGES_PER_REQUEST } from '../../lambdas/adapters/list-pages.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import { statisticsAccumulator } from '../../lambdas/domain/operator/statistics.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { createInquiryTable } from '../../local/emulators.js';
import { moveDepartment } from '../../ops/move-department.js';
import { releaseOperator } from '../../ops/release-operator.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { listCriteria } from '../support/listed-inquiries.js';
import { type OperatorApiCall, operatorApiDepsOn, startOperatorApi } from '../support/operator-api.js';

/**
 * An inquiry item that does not read as an inquiry (an ops engineer's edit in the console, a restore of a
 * half-written state) is that inquiry's trouble alone: the others around it are listed, counted and warned
 * of, and it is told by its id and the attribute at fault, and left as it is in the table.
 */
const ADMIN = 'local-admin-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;
let documents: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  ({ aws, call, documents } = await startOperatorApi('answers'));
});
afterAll(() => aws?.stop());

/** A citizen's message of `category`, routed at `at` into the table (its id `<prefix>-<key>`). */
async function open(tableName: string, key: string, peerId: number, category: Category, at: string) {
  const router = createMessageRouter({
    config,
    inquiries: new DynamoInquiryRepository(documents, tableName),
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `bad-items-${eventKey}`,
  });
  const message = classifiedDirectMessage({ peerId, eventKey: key, text: 'Не вывозят мусор', category, at });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** The item as an ops engineer leaves it after an edit in the console. */
const edit = (
  tableName: string,
  id: string,
  update: string,
  names: Record<string, string>,
  values?: object,
) =>
  documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: inquiryKey(id),
      UpdateExpression: update,
      ExpressionAttributeNames: names,
      ...(values && { ExpressionAttributeValues: values }),
    }),
  );

const itemOf = async (tableName: string, id: string) =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: inquiryKey(id) }))).Item;

describe('a malformed inquiry item', () => {
  it("leaves its department's list answering the rest, and is told by its id and attribute", async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const before = await open(aws.tableName, 'list-before', 4_100_001, 'waste', ago(30));
    const bad = await open(aws.tableName, 'list-bad', 4_100_002, 'waste', ago(20));
    const after = await open(aws.tableName, 'list-after', 4_100_003, 'waste', ago(10));
    await edit(aws.tableName, bad, 'REMOVE #replyTo', { '#replyTo': 'replyTo' });
    const stored = await itemOf(aws.tableName, bad);

    const list = await call('GET', '/api/v1/inquiries?department=housing&limit=100', ADMIN);
    expect(list.status).toBe(200);
    const listed = (list.body.items as { id: string }[]).map((item) => item.id);
    expect(listed).toEqual(expect.arrayContaining([before, after]));
    expect(listed).not.toContain(bad);
    // Its own detail, read by key, says what is wrong, for ops to mend.
    const detail = await call('GET', `/api/v1/inquiries/${bad}`, ADMIN);
    expect(detail).toMatchObject({ status: 500, body: { code: 'stored_item_malformed' } });
    expect(detail.body.message).toContain('replyTo');
    // As does a lookup by the case number the citizen reads out.
    expect(stored?.caseNumber).toEqual(expect.any(String));
    const byCase = await call('GET', `/api/v1/inquiries?caseNumber=${String(stored?.caseNumber)}`, ADMIN);
    expect(byCase).toMatchObject({ status: 500, body: { code: 'stored_item_malformed' } });

    const told: MalformedInquiryItem[] = [];
    const queries = new DynamoOperatorQueries(documents, aws.tableName, QUERY_PAGES_PER_REQUEST, (found) =>
      told.push(found),
    );
    const page = await queries.listInquiries(['housing'], listCriteria({ limit: '100' }), new Date());
    expect(page.items.map((inquiry) => inquiry.id)).not.toContain(bad);
    expect(told.map(({ inquiryId, attributes }) => ({ inquiryId, attributes }))).toEqual([
      { inquiryId: bad, attributes: ['replyTo'] },
    ]);
    // Read, not mended with defaults: the item is as the edit left it.
    expect(await itemOf(aws.tableName, bad)).toEqual(stored);
  });

  it("leaves its department's statistics counting the rest", async () => {
    const tableName = `bad-items-${++tables}`;
    await createInquiryTable(aws.dynamo, tableName);
    await open(tableName, 'stats-good', 4_200_001, 'waste', '2026-03-16T04:00:00.000Z');
    const bad = await open(tableName, 'stats-bad', 4_200_002, 'waste', '2026-03-16T04:01:00.000Z');
    await edit(tableName, bad, 'SET #at = :at', { '#at': 'firstRespondedAt' }, { ':at': '16.03.2026 10:00' });

    const told: MalformedInquiryItem[] = [];
    const queries = new DynamoOperatorQueries(documents, tableName, QUERY_PAGES_PER_REQUEST, (found) =>
      told.push(found),
    );
    const accumulator = statisticsAccumulator(
      new Date('2026-03-20T00:00:00.000Z'),
      () => config.communities[0]?.calendar,
    );
    for await (const page of queries.openedBetween(
      'housing',
      '2026-03-16T00:00:00.000Z',
      '2026-03-17T00:00:00.000Z',
    ))
      accumulator.add(page.inquiries);
    expect(accumulator.groups().map((group) => group.total)).toEqual([1]);
    expect(told.map(({ inquiryId, attributes }) => ({ inquiryId, attributes }))).toEqual([
      { inquiryId: bad, attributes: ['firstRespondedAt'] },
    ]);
  });

  // Both stopped the whole run, in the digest, before: a reply target gone, a flag of words not delivered
  // that is no map.
  it.each([
    { attribute: 'replyTo', update: 'REMOVE #attribute', values: undefined },
    { attribute: 'undelivered', update: 'SET #attribute = :value', values: { ':value': 'нет' } },
  ])(
    "stops not the escalator's run, $attribute malformed: every other inquiry is warned, and it is counted",
    async ({ attribute, update, values }) => {
      const tableName = `bad-items-${++tables}`;
      await createInquiryTable(aws.dynamo, tableName);
      const repository = new DynamoInquiryRepository(documents, tableName);
      // Monday 16 March 2026, 09:00 in Perm: all three overdue by Thursday.
      const bad = await open(
        tableName,
        `esc-bad-${attribute}`,
        4_300_001,
        'waste',
        '2026-03-16T04:00:00.000Z',
      );
      const housing = await open(
        tableName,
        `esc-housing-${attribute}`,
        4_300_002,
        'waste',
        '2026-03-16T04:01:00.000Z',
      );
      const roads = await open(
        tableName,
        `esc-roads-${attribute}`,
        4_300_003,
        'roads',
        '2026-03-16T04:02:00.000Z',
      );
      await edit(tableName, bad, update, { '#attribute': attribute }, values);
      const stored = await itemOf(tableName, bad);
      const notifier = recordingNotifier();
      const metrics = recordingMetrics();
      const logged: { text: string; fields: Record<string, unknown> }[] = [];
      const escalate = createEscalator({
        config,
        inquiries: repository,
        clock: { now: () => new Date('2026-03-19T10:00:00.000Z') },
        notifier,
        metrics,
        logError: (text, fields) => void logged.push({ text, fields }),
      });

      expect(await escalate()).toMatchObject({ checked: 3, breached: 2, notified: 2, failed: 1 });
      const told = notifier.sent.flatMap((digest) => digest.notifications.map((notice) => notice.inquiryId));
      expect(told.sort()).toEqual([housing, roads].sort());
      expect(metrics.counts).toContainEqual({
        name: 'EscalationErrors',
        dimensions: { department: 'housing' },
      });
      expect(logged).toEqual([
        {
          text: 'escalator: an inquiry could not be checked',
          fields: {
            inquiryId: bad,
            department: 'housing',
            error: {
              name: 'MalformedInquiryItem',
              message: `the stored inquiry ${bad} is malformed: ${attribute}`,
            },
          },
        },
      ]);
      expect(await itemOf(tableName, bad)).toEqual(stored);
    },
  );

  it('stops not a department move: the rest are moved, and it is named refused with its attributes', async () => {
    const tableName = `bad-items-${++tables}`;
    await createInquiryTable(aws.dynamo, tableName);
    const repository = new DynamoInquiryRepository(documents, tableName);
    const at = new Date(Date.now() - 60 * 60_000).toISOString();
    const ids = [];
    for (const peer of [4_400_001, 4_400_002, 4_400_003])
      ids.push(await open(tableName, `move-${peer}`, peer, 'roads', at));
    const [first, bad, last] = ids as [string, string, string];
    await edit(tableName, bad, 'REMOVE #causes', { '#causes': 'causes' });
    const stored = await itemOf(tableName, bad);

    const moved = await moveDepartment({
      client: documents,
      tableName,
      config,
      from: 'roads',
      to: 'housing',
    });
    expect(moved).toMatchObject({
      moved: 2,
      refused: [{ id: bad, reason: expect.stringContaining('causes') }],
    });
    for (const id of [first, last]) expect((await repository.getInquiry(id))?.department).toBe('housing');
    expect(await itemOf(tableName, bad)).toEqual(stored);
  });

  it('lets any other failure of a department move stop it, nothing named refused for it', async () => {
    const tableName = `bad-items-${++tables}`;
    await createInquiryTable(aws.dynamo, tableName);
    const at = new Date(Date.now() - 60 * 60_000).toISOString();
    const id = await open(tableName, 'move-failing', 4_400_011, 'roads', at);
    const stored = await itemOf(tableName, id);
    // DynamoDB refusing every write: the move is not made, and ops are told so, not that the item is malformed.
    const reads = new Set(['GetCommand', 'BatchGetCommand', 'QueryCommand', 'ScanCommand']);
    const refusingWrites = {
      send: (command: { constructor: { name: string } }) =>
        reads.has(command.constructor.name)
          ? documents.send(command as GetCommand)
          : Promise.reject(new Error('ProvisionedThroughputExceededException')),
    } as unknown as DynamoDBDocumentClient;

    await expect(
      moveDepartment({ client: refusingWrites, tableName, config, from: 'roads', to: 'housing' }),
    ).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(await itemOf(tableName, id)).toEqual(stored);
  });

  it('stops not the release of what an operator holds: the rest are released, and it is named not released', async () => {
    const { deps, repository } = operatorApiDepsOn(aws, config);
    const operator = { id: 'sub-leaving', name: 'Анна Иванова', admin: false, departments: ['housing'] };
    const at = new Date(Date.now() - 60 * 60_000).toISOString();
    const ids = [];
    for (const peer of [4_500_001, 4_500_002, 4_500_003]) {
      const id = await open(aws.tableName, `release-${peer}`, peer, 'waste', at);
      const taken = await takeInquiry(
        { operator, params: { id }, query: {}, body: {}, idempotencyKey: `take-${id}` },
        deps,
      );
      expect(taken.status).toBe(200);
      ids.push(id);
    }
    const [first, bad, last] = ids as [string, string, string];
    await edit(aws.tableName, bad, 'SET #version = :version', { '#version': 'version' }, { ':version': '4' });
    const stored = await itemOf(aws.tableName, bad);

    const released = await releaseOperator({
      client: documents,
      tableName: aws.tableName,
      config,
      operatorId: operator.id,
      reason: 'уволилась',
    });
    expect(released).toMatchObject({
      released: 2,
      refused: [{ id: bad, reason: expect.stringContaining('version') }],
    });
    for (const id of [first, last]) expect((await repository.getInquiry(id))?.assignee).toBeUndefined();
    expect(await itemOf(aws.tableName, bad)).toEqual(stored);
  });

  it('stops not the retention sweep: the rest are deleted, and it is kept whole and named', async () => {
    const tableName = `bad-items-${++tables}`;
    await createInquiryTable(aws.dynamo, tableName);
    const repository = new DynamoInquiryRepository(documents, tableName);
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    const answered = async (peer: number) => {
      const at = '2020-03-16T04:00:00.000Z';
      const id = await open(tableName, `sweep-${peer}`, peer, 'waste', at);
      const inquiry = await repository.getInquiry(id);
      if (!inquiry) throw new Error(`no inquiry ${id}`);
      const event = {
        type: 'final_answer',
        cause: `op:${id}`,
        at,
        operatorId: 'op',
        text: 'Вывезли',
        via: 'console',
      };
      const result = applyEvent(inquiry, event as never, {
        calendar,
        warnAtFraction: 0.8,
        now: new Date(at),
      });
      if (result.outcome !== 'changed') throw new Error(`the answer of ${id} was ${result.outcome}`);
      await repository.update(result.inquiry, inquiry.version, result.history);
      return id;
    };
    const [first, bad, last] = [
      await answered(4_600_001),
      await answered(4_600_002),
      await answered(4_600_003),
    ];
    // Its community as a string: the items naming it under its community would be left behind, deleted.
    await edit(tableName, bad, 'SET #groupId = :groupId', { '#groupId': 'groupId' }, { ':groupId': 'x' });
    const stored = await itemOf(tableName, bad);
    const logged: { text: string; fields: Record<string, unknown> }[] = [];
    const sweep = createRetentionSweep({
      config: { ...config, retention: { ...config.retention, closedInquiryDays: 30 } },
      store: new DynamoRetentionStore(documents, tableName),
      clock: { now: () => new Date('2026-03-19T10:00:00.000Z') },
      logError: (text, fields) => void logged.push({ text, fields }),
    });

    expect(await sweep(() => true)).toMatchObject({ deleted: 2, failed: 1 });
    for (const id of [first, last]) expect(await itemOf(tableName, id)).toBeUndefined();
    expect(await itemOf(tableName, bad)).toEqual(stored);
    expect(logged).toEqual([
      {
        text: 'retention: an inquiry could not be read',
        fields: {
          inquiryId: bad,
          error: { name: 'MalformedInquiryItem', message: `the stored inquiry ${bad} is malformed: groupId` },
        },
      },
    ]);
  });
});
