import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository, toInquiryItem } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { listInquiriesQuery } from '../../lambdas/domain/operator/schemas.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { LOCAL_AWS } from '../../local/emulators.js';
import { listRejectedUnderTriage } from '../../ops/list-rejected-under-triage.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { classifiedDirectMessage } from '../support/inquiries.js';

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
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: aws.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []).filter((item) => String(item.pk).includes(id) || item.inquiryId === id));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
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
      queries.listInquiries(
        ['triage'],
        listInquiriesQuery.parse({ limit: '100', ...query }),
        new Date(pastOld),
      );
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
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: aws.emulators.dynamoEndpoint,
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    };
    const bare = await runTsx('ops/list-rejected-under-triage.ts', [], undefined, env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--table is required');
    const dryRun = await runTsx(
      'ops/list-rejected-under-triage.ts',
      ['--table', aws.tableName, '--dry-run'],
      undefined,
      env,
    );
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toContain('would be listed under their triage department: 1');
    expect((await repository.getInquiry(id))?.department).toBeUndefined();
    const run = await runTsx('ops/list-rejected-under-triage.ts', ['--table', aws.tableName], undefined, env);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('listed under their triage department: 1');
    expect(run.stdout).not.toContain('Спасибо');
    expect((await repository.getInquiry(id))?.department).toBe('triage');
  });
});
