import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { citizenKey } from '../../lambdas/adapters/inquiry-keys.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { LOCAL_AWS, localDynamoClient } from '../../local/emulators.js';
import { DELETED_AT_ONCE, forgetPermissions } from '../../ops/forget-permissions.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';
import { putLegacyPermission } from '../support/legacy-permission.js';
import { everyTableItem } from '../support/table-items.js';

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
/** A community no longer configured: its citizens' permissions go too. */
const REMOVED_GROUP_ID = 555;

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(client, aws.tableName);
});
afterAll(() => aws?.stop());

type Item = Record<string, unknown>;

async function everyItem(): Promise<Item[]> {
  const items = (await everyTableItem(client, aws.tableName)) as Item[];
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

const isPermission = (item: Item) => String(item.pk).startsWith('CITIZEN#');

/** Each citizen's message_allow or message_deny, as releases up to 13d2507 recorded it. */
async function permissions(groupId: number, userIds: number[]): Promise<void> {
  for (const [n, userId] of userIds.entries())
    await putLegacyPermission(client, aws.tableName, {
      groupId,
      userId,
      allowed: n % 2 === 0,
      at: '2026-01-12T04:00:00.000Z',
    });
}

const range = (first: number, count: number) => Array.from({ length: count }, (_, n) => first + n);

/** Whether the table holds the citizen's permission still. */
async function holds(groupId: number, userId: number): Promise<boolean> {
  const key = citizenKey(groupId, userId);
  return (await everyItem()).some((item) => item.pk === key.pk && item.sk === key.sk);
}

describe('forgetting the messaging permissions of earlier releases', () => {
  it('counts them by default, deletes them when confirmed, and leaves every other item as it was', async () => {
    // Citizens with inquiries (items, history, lookups, pointers, case numbers) and an erasure's mark beside
    // their permissions: only the permissions may go.
    await openInquiry(
      { config, inquiries: repository },
      { peerId: 9_600_001, eventKey: 'potholes', text: 'Яма на дороге у дома 5', category: 'roads' },
    );
    await openInquiry(
      { config, inquiries: repository },
      { peerId: 9_600_002, eventKey: 'thanks', text: 'Спасибо!', category: 'other', notAnInquiry: true },
    );
    await new DynamoErasedCitizens(client, aws.tableName, { now: () => new Date() }).mark(
      DEMO_GROUP_ID,
      9_600_003,
      new Date(),
    );
    await permissions(DEMO_GROUP_ID, [9_600_001, 9_600_002, 9_600_003]);
    await permissions(REMOVED_GROUP_ID, [9_600_001]);
    const before = await everyItem();
    expect(before.filter(isPermission)).toHaveLength(4);

    const counted = await forgetPermissions({ client, tableName: aws.tableName, confirmed: false });
    expect(counted).toEqual({ found: { [DEMO_GROUP_ID]: 3, [REMOVED_GROUP_ID]: 1 }, deleted: 0, gone: 0 });
    expect(await everyItem()).toEqual(before);

    const forgotten = await forgetPermissions({ client, tableName: aws.tableName, confirmed: true });
    expect(forgotten).toEqual({ found: { [DEMO_GROUP_ID]: 3, [REMOVED_GROUP_ID]: 1 }, deleted: 4, gone: 0 });
    const after = await everyItem();
    expect(after.filter(isPermission)).toEqual([]);
    expect(after).toEqual(before.filter((item) => !isPermission(item)));
    // The others still there: inquiries, their history and lookups, pointers, the erasure's marks.
    expect(new Set(after.map((item) => item.entity))).toEqual(
      new Set([
        'inquiry',
        'history',
        'message',
        'conversation',
        'case_counter',
        'case',
        'erased_citizen',
        'community_erasures',
      ]),
    );

    const again = await forgetPermissions({ client, tableName: aws.tableName, confirmed: true });
    expect(again).toEqual({ found: {}, deleted: 0, gone: 0 });
  });

  it('counts a permission whose groupId was lost by the community its key names', async () => {
    await permissions(DEMO_GROUP_ID, [9_605_001]);
    const noGroupId = { ...citizenKey(REMOVED_GROUP_ID, 9_605_002), entity: 'citizen', userId: 9_605_002 };
    await client.send(new PutCommand({ TableName: aws.tableName, Item: noGroupId }));
    // A key no release wrote: counted, never taken for a community.
    await client.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: { pk: 'CITIZEN#x', sk: citizenKey(1, 1).sk, entity: 'citizen', groupId: 'x' },
      }),
    );
    const forgotten = await forgetPermissions({ client, tableName: aws.tableName, confirmed: true });
    expect(forgotten).toEqual({
      found: { [DEMO_GROUP_ID]: 1, [REMOVED_GROUP_ID]: 1, unknown: 1 },
      deleted: 3,
      gone: 0,
    });
  });

  it('deletes only what is still a permission when its delete comes', async () => {
    await permissions(DEMO_GROUP_ID, range(9_610_001, 6));
    // Between the Scan and the deletes, one is erased with its citizen, and another key holds something else.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let deletes = 0;
    let replaced: Item | undefined;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteItemCommand' && ++deletes <= 2) {
          // The document client's key, not yet marshalled at this step.
          const plain = (args.input as { Key: { pk: string; sk: string } }).Key;
          if (deletes === 1) await client.send(new DeleteCommand({ TableName: aws.tableName, Key: plain }));
          else {
            replaced = { ...plain, entity: 'something_else', note: 'not a permission' };
            await client.send(new PutCommand({ TableName: aws.tableName, Item: replaced }));
          }
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const documents = DynamoDBDocumentClient.from(base);
    const result = await forgetPermissions({ client: documents, tableName: aws.tableName, confirmed: true });
    expect(result).toEqual({ found: { [DEMO_GROUP_ID]: 6 }, deleted: 4, gone: 2 });
    expect((await everyItem()).filter(isPermission)).toEqual([replaced]);
    await client.send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: replaced?.pk, sk: replaced?.sk } }),
    );
  });

  it('has deleted what it read when it stops midway, and the next run deletes the rest', async () => {
    const userIds = range(9_620_001, 12);
    await permissions(DEMO_GROUP_ID, userIds);
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let scans = 0;
    let inFlight = 0;
    let most = 0;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand' && ++scans === 4)
          throw new Error('the connection was reset');
        if (context.commandName !== 'DeleteItemCommand') return next(args);
        most = Math.max(most, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize' },
    );
    const documents = DynamoDBDocumentClient.from(base);
    await expect(
      forgetPermissions({
        client: documents,
        tableName: aws.tableName,
        confirmed: true,
        segments: 1,
        pageSize: 5,
      }),
    ).rejects.toThrow(/connection was reset/);
    const kept = (await Promise.all(userIds.map((id) => holds(DEMO_GROUP_ID, id)))).filter(Boolean).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(userIds.length);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(DELETED_AT_ONCE);

    const again = await forgetPermissions({ client, tableName: aws.tableName, confirmed: true });
    expect(again).toEqual({ found: { [DEMO_GROUP_ID]: kept }, deleted: kept, gone: 0 });
    expect((await everyItem()).filter(isPermission)).toEqual([]);
  });
});

describe('npm run permissions:forget', () => {
  const env = () => opsCommandEnvironment(aws);
  const run = (args: string[], environment: Record<string, string> = env()) =>
    runTsx('ops/forget-permissions.ts', args, undefined, environment);

  it('counts them without --yes, deletes them with it, and never prints a VK id', async () => {
    const userIds = range(9_630_001, 3);
    await permissions(DEMO_GROUP_ID, userIds);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run permissions:forget -- --table <table name> --config <file>');
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('permissions:forget: --table and --config are required');
    const configured = ['--table', aws.tableName, '--config', 'config/local.json'];
    const both = await run([...configured, '--yes', '--dry-run']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--yes deletes, --dry-run does not');

    const dry = await run(configured);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('messaging permissions recorded by releases up to 13d2507: 3');
    expect(dry.stdout).toContain(`by community: {"${DEMO_GROUP_ID}":3}`);
    expect(dry.stdout).toContain('deleted: none (a dry run: run it again with --yes to delete them)');
    expect(await Promise.all(userIds.map((id) => holds(DEMO_GROUP_ID, id)))).toEqual([true, true, true]);

    const confirmed = await run([...configured, '--yes', '--segments', '2']);
    expect(confirmed.stderr).toBe('');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('deleted: 3');
    expect(await Promise.all(userIds.map((id) => holds(DEMO_GROUP_ID, id)))).toEqual([false, false, false]);
    for (const output of [dry.stdout, confirmed.stdout])
      for (const id of userIds) expect(output).not.toContain(String(id));
  }, 60_000);

  it('says in one line why when the table cannot be reached', async () => {
    const configured = ['--table', aws.tableName, '--config', 'config/local.json'];
    const unreachable = await run(configured, {
      ...env(),
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^permissions:forget: table ${aws.tableName} in ${LOCAL_AWS.region} cannot be reached: ECONNREFUSED`,
        ),
      ),
    ]);

    const missing = await run(['--table', 'no-such-table', '--config', 'config/local.json', '--yes']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^permissions:forget: table no-such-table in \S+ cannot be reached: no such table/,
      ),
    ]);
  }, 60_000);
});
