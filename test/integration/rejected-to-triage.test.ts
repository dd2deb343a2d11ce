import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { LISTED_AT_ONCE, listRejectedUnderTriage } from '../../ops/list-rejected-under-triage.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { listCriteria } from '../support/listed-inquiries.js';
import { everyTableItem } from '../support/table-items.js';

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
const [community] = config.communities;

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(client, aws.tableName);
});
afterAll(() => aws?.stop());

/**
 * A thank-you the router took for no inquiry at `at`, stored as versions before the listing under triage
 * stored it: no department (so none of the index keys that go with one) and no `finishedAt`.
 */
async function rejectedLongAgo(peerId: number, at: string, groupId?: number): Promise<string> {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, key) => `old-${key}`,
  });
  const message = classifiedDirectMessage({
    peerId,
    eventKey: `thanks-${peerId}`,
    at,
    text: 'Спасибо за помощь!',
    category: 'other',
    notAnInquiry: true,
  });
  const { inquiryId } = await router.routeCitizenMessage(message);
  const stored = await repository.getInquiry(inquiryId);
  if (!stored) throw new Error(`no inquiry ${inquiryId}`);
  const { department, finishedAt, ...before } = stored;
  expect(department).toBe(community?.triageDepartment);
  // `groupId`: of a community since removed from the configuration.
  const item = toInquiryItem({ ...before, ...(groupId !== undefined && { groupId }) });
  await client.send(new PutCommand({ TableName: aws.tableName, Item: item }));
  return inquiryId;
}

async function itemsOf(id: string): Promise<Record<string, unknown>[]> {
  return (await everyTableItem(client, aws.tableName)).filter(
    (item) => String(item.pk).includes(id) || item.inquiryId === id,
  );
}

const sweepAt = (at: string) =>
  createRetentionSweep({
    config,
    store: new DynamoRetentionStore(client, aws.tableName),
    clock: { now: () => new Date(at) },
  })(() => true);

const clockAt = (at: string) => ({ now: () => new Date(at) });

describe('messages rejected before they were listed under triage', () => {
  it('are never swept, until listed under their triage department: then the sweep deletes them past their period', async () => {
    // Thanked on Mon 12 January 2026 and on Mon 4 January 2027; one of a community since removed.
    const old = await rejectedLongAgo(9_500_001, '2026-01-12T06:00:00.000Z');
    const newer = await rejectedLongAgo(9_500_002, '2027-01-04T06:00:00.000Z');
    const removed = await rejectedLongAgo(9_500_003, '2026-01-12T06:00:00.000Z', 777_002);
    const oldItems = await itemsOf(old);
    expect(oldItems.map((item) => item.entity)).toEqual(expect.arrayContaining(['inquiry', 'message']));
    expect(oldItems.some((item) => 'gsi4pk' in item)).toBe(false);

    // Past the period (1826 days) by far, and the sweep does not see it: no index lists it.
    const pastOld = '2031-06-01T06:00:00.000Z';
    expect(await sweepAt(pastOld)).toMatchObject({ deleted: 0, complete: true });
    expect(await itemsOf(old)).toEqual(oldItems);

    // Listed on 1 June 2031: counted first, then listed, the period still counted from the rejection.
    const dryRun = await listRejectedUnderTriage({
      client,
      tableName: aws.tableName,
      config,
      dryRun: true,
      clock: clockAt(pastOld),
    });
    expect(dryRun).toEqual({
      found: { rejected: 3 },
      pastPeriod: 1,
      listed: 2,
      notListed: [{ id: removed, reason: 'its community 777002 is no longer configured' }],
    });
    expect(await itemsOf(old)).toEqual(oldItems);
    const listing = await listRejectedUnderTriage({
      client,
      tableName: aws.tableName,
      config,
      clock: clockAt(pastOld),
    });
    expect(listing).toEqual({ ...dryRun, listed: 2 });
    const stored = await repository.get(newer);
    expect(stored?.inquiry).toMatchObject({
      status: 'rejected',
      department: 'triage',
      finishedAt: '2027-01-04T06:00:00.000Z',
    });
    expect(stored?.inquiry.clock).toBeUndefined();
    expect(stored?.history.at(-1)).toMatchObject({
      kind: 'moved',
      actorId: 'ops:rejected-to-triage',
      detail: { toDepartment: 'triage' },
    });
    // The triage operators see them with the other rejected messages, in no open work.
    const queries = new DynamoOperatorQueries(client, aws.tableName);
    const list = (query: Record<string, string>) =>
      queries.listInquiries(['triage'], listCriteria({ limit: '100', ...query }), new Date(pastOld));
    expect((await list({ status: 'rejected' })).items.map((inquiry) => inquiry.id).sort()).toEqual(
      [old, newer].sort(),
    );
    expect((await list({ order: 'urgent' })).items).toEqual([]);

    // The next night deletes the one past its period, with everything of it, and keeps the newer one.
    expect(await sweepAt('2031-06-02T00:00:30.000Z')).toMatchObject({ deleted: 1, failed: 0 });
    expect(await itemsOf(old)).toEqual([]);
    expect(await repository.getInquiry(newer)).toBeDefined();
    expect(await sweepAt('2032-01-05T00:00:30.000Z')).toMatchObject({ deleted: 1, failed: 0 });
    expect(await itemsOf(newer)).toEqual([]);

    // Nothing left to list but the removed community's.
    expect(
      await listRejectedUnderTriage({ client, tableName: aws.tableName, config, clock: clockAt(pastOld) }),
    ).toEqual({ ...dryRun, found: { rejected: 1 }, pastPeriod: 0, listed: 0 });
  });

  it('runs as npm run rejected:to-triage, and says what it needs when called without it', async () => {
    const id = await rejectedLongAgo(9_500_004, '2026-02-02T06:00:00.000Z');
    const env = opsCommandEnvironment(aws);
    const help = await runTsx('ops/list-rejected-under-triage.ts', ['--help'], undefined, env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run rejected:to-triage -- --table <table name> --config <file>');
    expect(help.stdout).not.toContain('default config/local.json');
    const bare = await runTsx('ops/list-rejected-under-triage.ts', [], undefined, env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--table and --config are required');
    // Without --config it lists nothing: the local demo's configuration is no stand-in for the one deployed.
    const unconfigured = await runTsx(
      'ops/list-rejected-under-triage.ts',
      ['--table', aws.tableName],
      undefined,
      env,
    );
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toContain('--table and --config are required');
    expect(unconfigured.stdout).toBe('');
    expect((await repository.getInquiry(id))?.department).toBeUndefined();
    const configured = ['--table', aws.tableName, '--config', 'config/local.json'];
    const parts = await runTsx(
      'ops/list-rejected-under-triage.ts',
      [...configured, '--segments', '17'],
      undefined,
      env,
    );
    expect(parts.code).toBe(2);
    expect(parts.stderr).toContain('--segments must be a whole number from 1 to 16, not "17"');
    const unknown = await runTsx(
      'ops/list-rejected-under-triage.ts',
      [...configured, '--force'],
      undefined,
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--force'/);
    expect(unknown.stdout).toBe('');
    const dryRun = await runTsx(
      'ops/list-rejected-under-triage.ts',
      [...configured, '--dry-run'],
      undefined,
      env,
    );
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toContain('would be listed under their triage department: 1');
    expect((await repository.getInquiry(id))?.department).toBeUndefined();
    const run = await runTsx(
      'ops/list-rejected-under-triage.ts',
      [...configured, '--segments', '2'],
      undefined,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('listed under their triage department: 1');
    expect(run.stdout).not.toContain('Спасибо');
    expect((await repository.getInquiry(id))?.department).toBe('triage');
  });
});

describe('a malformed item among them', () => {
  it('stops not the listing: the rest are listed, and it is named not listed with its attributes', async () => {
    const before = await rejectedLongAgo(9_500_101, '2026-01-12T06:00:00.000Z');
    const bad = await rejectedLongAgo(9_500_102, '2026-01-12T06:01:00.000Z');
    const after = await rejectedLongAgo(9_500_103, '2026-01-12T06:02:00.000Z');
    // Its `version` saved as a string in the console.
    await client.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: inquiryKey(bad),
        UpdateExpression: 'SET #version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': '4' },
      }),
    );
    const stored = (await itemsOf(bad)).find((item) => item.entity === 'inquiry');

    const listing = await listRejectedUnderTriage({
      client,
      tableName: aws.tableName,
      config,
      clock: clockAt('2026-03-02T08:00:00.000Z'),
      segments: 1,
    });
    expect(listing.notListed.filter(({ id }) => [before, bad, after].includes(id))).toEqual([
      { id: bad, reason: `the stored inquiry ${bad} is malformed: version` },
    ]);
    for (const id of [before, after])
      expect((await repository.getInquiry(id))?.department).toBe(community?.triageDepartment);
    expect((await itemsOf(bad)).find((item) => item.entity === 'inquiry')).toEqual(stored);
  });
});

describe('listing them in a large table', () => {
  /** A client of the table that records its requests: the Scan's parts, and how many others at once. */
  function watched(failScan?: number) {
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    const requests: { command: string; segment?: number; of?: number }[] = [];
    let scans = 0;
    let inFlight = { scans: 0, others: 0 };
    const most = { scans: 0, others: 0 };
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? '';
        const input = args.input as { Segment?: number; TotalSegments?: number };
        const scan = command === 'ScanCommand';
        requests.push({ command, ...(scan && { segment: input.Segment, of: input.TotalSegments }) });
        if (scan && ++scans === failScan) throw new Error('the connection was reset');
        const kind = scan ? 'scans' : 'others';
        inFlight = { ...inFlight, [kind]: inFlight[kind] + 1 };
        most[kind] = Math.max(most[kind], inFlight[kind]);
        try {
          return await next(args);
        } finally {
          inFlight = { ...inFlight, [kind]: inFlight[kind] - 1 };
        }
      },
      { step: 'initialize' },
    );
    const documents = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    });
    return { documents, requests, most };
  }

  /** Messages rejected long ago by `count` citizens from `firstPeer` on. */
  async function manyRejected(firstPeer: number, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++)
      ids.push(await rejectedLongAgo(firstPeer + n, '2026-03-02T06:00:00.000Z'));
    return ids;
  }

  const departmentsOf = async (ids: string[]) =>
    Promise.all(ids.map(async (id) => (await repository.getInquiry(id))?.department));

  it('reads the table in parts side by side and lists every part’s messages as it reads them', async () => {
    const ids = await manyRejected(9_510_001, 12);
    // Each of the four parts holds one of them at least: a part left unread would leave one behind.
    const segments = 4;
    for (let segment = 0; segment < segments; segment++) {
      const part = await client.send(
        new ScanCommand({
          TableName: aws.tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: '#entity = :inquiry AND attribute_not_exists(#department)',
          ExpressionAttributeNames: { '#entity': 'entity', '#department': 'department' },
          ExpressionAttributeValues: { ':inquiry': 'inquiry' },
        }),
      );
      expect(part.LastEvaluatedKey).toBeUndefined();
      expect(
        part.Items?.filter((item) => ids.includes(String(item.id))).length,
        `part ${segment}`,
      ).toBeGreaterThan(0);
    }

    const { documents, requests, most } = watched();
    const items = (await client.send(new ScanCommand({ TableName: aws.tableName }))).Count;
    const read: number[] = [];
    const listing = await listRejectedUnderTriage({
      client: documents,
      tableName: aws.tableName,
      config,
      clock: clockAt('2026-06-01T06:00:00.000Z'),
      segments,
      pageSize: 10,
      onRead: (scanned) => void read.push(scanned),
    });
    expect(listing.listed).toBe(ids.length);
    expect(await departmentsOf(ids)).toEqual(ids.map(() => 'triage'));
    const scans = requests.filter(({ command }) => command === 'ScanCommand');
    expect(new Set(scans.map(({ segment, of }) => `${segment} of ${of}`))).toEqual(
      new Set(['0 of 4', '1 of 4', '2 of 4', '3 of 4']),
    );
    expect(most.scans).toBe(segments);
    // Listed as the pages come, not once the whole table is read: the first change goes before the last read.
    const firstChange = requests.findIndex(({ command }) => command !== 'ScanCommand');
    expect(firstChange).toBeGreaterThan(-1);
    expect(firstChange).toBeLessThan(requests.lastIndexOf(scans.at(-1) as (typeof requests)[number]));
    // What the command prints as it goes: the items read so far, all parts together; at the end, every one.
    expect(read.at(-1)).toBe(items);
  });

  it('lists a page’s messages a few at a time', async () => {
    const ids = await manyRejected(9_520_001, 12);
    const { documents, most } = watched();
    const listing = await listRejectedUnderTriage({
      client: documents,
      tableName: aws.tableName,
      config,
      clock: clockAt('2026-06-01T06:00:00.000Z'),
      segments: 1,
    });
    expect(listing.listed).toBe(ids.length);
    expect(most.others).toBeGreaterThan(1);
    expect(most.others).toBeLessThanOrEqual(LISTED_AT_ONCE);
  });

  it('has listed what it read when it stops midway, and the next run lists the rest', async () => {
    const ids = await manyRejected(9_530_001, 12);
    const stopped = watched(4);
    await expect(
      listRejectedUnderTriage({
        client: stopped.documents,
        tableName: aws.tableName,
        config,
        clock: clockAt('2026-06-01T06:00:00.000Z'),
        segments: 1,
        pageSize: 40,
      }),
    ).rejects.toThrow(/connection was reset/);
    const listedFirst = (await departmentsOf(ids)).filter((department) => department === 'triage').length;
    expect(listedFirst).toBeGreaterThan(0);
    expect(listedFirst).toBeLessThan(ids.length);
    const again = await listRejectedUnderTriage({
      client,
      tableName: aws.tableName,
      config,
      clock: clockAt('2026-06-01T06:00:00.000Z'),
    });
    expect(again.listed).toBe(ids.length - listedFirst);
    expect(await departmentsOf(ids)).toEqual(ids.map(() => 'triage'));
  });
});
