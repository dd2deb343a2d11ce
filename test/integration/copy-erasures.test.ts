import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { createInquiryTable } from '../../local/emulators.js';
import { copyErasures } from '../../ops/copy-erasures.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { everyTableItem } from '../support/table-items.js';

let aws: TestAws;
let client: DynamoDBDocumentClient;
/** The table restored to `RESTORED_AT`, empty of marks as such a table is of the erasures made since. */
let restored: string;
let tables = 0;
const OTHER_GROUP_ID = 555;
const DAY = 86_400_000;
const now = new Date();
/** The restore time: three days ago. */
const RESTORED_AT = new Date(now.getTime() - 3 * DAY);

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => aws?.stop());

/** A new empty table, as a restore makes one. */
async function newTable(): Promise<string> {
  const name = `restored-${++tables}`;
  await createInquiryTable(aws.dynamo, name);
  return name;
}

const marksOf = (table: string) => new DynamoErasedCitizens(client, table, { now: () => now });

const everyItem = (table: string) => everyTableItem(client, table);

describe('copying the erasures made since a restore time to the restored table', () => {
  it('copies the marks of erasures since the time, as they were, so that the router finds the citizens erased', async () => {
    restored = await newTable();
    const old = marksOf(aws.tableName);
    // Erased before the restore time: the restored table has that mark already (or its expiry passed).
    await old.mark(DEMO_GROUP_ID, 9_700_001, new Date(RESTORED_AT.getTime() - DAY));
    await marksOf(restored).mark(DEMO_GROUP_ID, 9_700_001, new Date(RESTORED_AT.getTime() - DAY));
    // Erased since: the restored table knows nothing of them.
    const erasedSince = new Date(RESTORED_AT.getTime() + DAY);
    await old.mark(DEMO_GROUP_ID, 9_700_002, erasedSince);
    await old.mark(DEMO_GROUP_ID, 9_700_003, new Date(now.getTime() - 60_000));
    await old.mark(OTHER_GROUP_ID, 9_700_002, erasedSince);
    const newer = marksOf(restored);
    expect(await newer.erasedAt(DEMO_GROUP_ID, 9_700_002)).toBeUndefined();
    const before = await everyItem(restored);

    const counted = await copyErasures({
      client,
      from: aws.tableName,
      to: restored,
      since: RESTORED_AT,
      now,
      confirmed: false,
    });
    expect(counted).toEqual({
      citizens: { [DEMO_GROUP_ID]: 2, [OTHER_GROUP_ID]: 1 },
      communities: 2,
      expired: 0,
      copied: 0,
      later: 0,
    });
    expect(await everyItem(restored)).toEqual(before);

    const copied = await copyErasures({
      client,
      from: aws.tableName,
      to: restored,
      since: RESTORED_AT,
      now,
      confirmed: true,
      segments: 2,
      pageSize: 2,
    });
    expect(copied).toMatchObject({ copied: 5, later: 0 });
    // As the old table says: the same erasure and the same expiry.
    expect(await newer.erasedAt(DEMO_GROUP_ID, 9_700_002)).toBe(erasedSince.toISOString());
    expect(await newer.erasedAt(OTHER_GROUP_ID, 9_700_002)).toBe(erasedSince.toISOString());
    expect(await newer.erasedAt(DEMO_GROUP_ID, 9_700_003)).toBe(await old.erasedAt(DEMO_GROUP_ID, 9_700_003));
    const community = await client.send(
      new GetCommand({ TableName: restored, Key: { pk: `ERASURES#${DEMO_GROUP_ID}`, sk: 'ERASURES' } }),
    );
    expect(community.Item?.expiresAt).toBe(
      Math.floor((now.getTime() - 60_000) / 1000) + ERASED_CITIZEN_DAYS * 86_400,
    );
    // Nothing else: only marks were copied.
    expect(
      (await everyItem(restored)).filter(
        (item) => !['erased_citizen', 'community_erasures'].includes(String(item.entity)),
      ),
    ).toEqual([]);

    const again = await copyErasures({
      client,
      from: aws.tableName,
      to: restored,
      since: RESTORED_AT,
      now,
      confirmed: true,
    });
    expect(again).toMatchObject({ copied: 5, later: 0 });
  });

  it('never moves a later erasure of the restored table back, and leaves marks past their expiry', async () => {
    const target = await newTable();
    const source = await newTable();
    const old = marksOf(source);
    const erasedSince = new Date(RESTORED_AT.getTime() + DAY);
    await old.mark(DEMO_GROUP_ID, 9_710_001, erasedSince);
    // Erased again on the restored table since (citizen:erase run there): that erasure stays.
    const erasedAgain = new Date(now.getTime() - 1000);
    await marksOf(target).mark(DEMO_GROUP_ID, 9_710_001, erasedAgain);
    // An erasure since the restore time whose mark's days are past (a restore over a month back).
    const longAgo = new Date(now.getTime() - (ERASED_CITIZEN_DAYS + 1) * DAY);
    await old.mark(OTHER_GROUP_ID, 9_710_002, longAgo);

    const result = await copyErasures({
      client,
      from: source,
      to: target,
      since: new Date(longAgo.getTime() - DAY),
      now,
      confirmed: true,
    });
    expect(result).toEqual({
      citizens: { [DEMO_GROUP_ID]: 1, [OTHER_GROUP_ID]: 1 },
      communities: 2,
      expired: 2,
      copied: 0,
      later: 2,
    });
    expect(await marksOf(target).erasedAt(DEMO_GROUP_ID, 9_710_001)).toBe(erasedAgain.toISOString());
    expect(
      (await everyItem(target)).filter((item) => String(item.pk).startsWith(`ERASURES#${OTHER_GROUP_ID}`)),
    ).toEqual([]);
  });
});

describe('npm run erasures:copy', () => {
  const run = (args: string[], environment: Record<string, string> = opsCommandEnvironment(aws)) =>
    runTsx('ops/copy-erasures.ts', args, undefined, environment);

  it('counts the marks without --yes, copies them with it, and prints no id and no digest', async () => {
    const source = await newTable();
    const target = await newTable();
    const erasedSince = new Date(RESTORED_AT.getTime() + DAY);
    await marksOf(source).mark(DEMO_GROUP_ID, 9_720_001, erasedSince);
    const options = ['--from', source, '--to', target, '--config', 'config/local.json'];

    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run erasures:copy -- --from <old table> --to <new table> --since');
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('erasures:copy: --from, --to, --since and --config are required');
    const zoneless = await run([...options, '--since', '2027-03-01T06:40:00']);
    expect(zoneless.code).toBe(2);
    expect(zoneless.stderr).toContain('--since must be a time with its zone');
    const same = await run([
      '--from',
      source,
      '--to',
      source,
      '--since',
      RESTORED_AT.toISOString(),
      '--config',
      'config/local.json',
    ]);
    expect(same.code).toBe(2);

    const since = ['--since', RESTORED_AT.toISOString()];
    const dry = await run([...options, ...since]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`in ${source}: 1 citizens' marks, in 1 communities`);
    expect(dry.stdout).toContain(`by community: {"${DEMO_GROUP_ID}":1}`);
    expect(dry.stdout).toContain('copied: none (a dry run: run it again with --yes to copy them)');
    expect(await marksOf(target).erasedAt(DEMO_GROUP_ID, 9_720_001)).toBeUndefined();

    const copied = await run([...options, ...since, '--yes']);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toContain(`copied to ${target}: 2`);
    expect(await marksOf(target).erasedAt(DEMO_GROUP_ID, 9_720_001)).toBe(erasedSince.toISOString());
    const [mark] = (await everyItem(target)).filter((item) => item.entity === 'erased_citizen');
    const digest = String(mark?.pk).split('#')[2] as string;
    for (const output of [dry.stdout, copied.stdout]) {
      expect(output).not.toContain('9720001');
      expect(output).not.toContain(digest);
    }
  }, 60_000);

  it('says in one line why when the old table cannot be reached', async () => {
    const missing = await run([
      '--from',
      'no-such-table',
      '--to',
      aws.tableName,
      '--since',
      RESTORED_AT.toISOString(),
      '--config',
      'config/local.json',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^erasures:copy: table no-such-table in \S+ cannot be reached: no such table/),
    ]);
    expect(missing.stderr).toContain("the Stateless stack's output InquiryTableName names it");
  }, 60_000);

  it('names where a restored table that cannot be found got its name: no stack output names it yet', async () => {
    const missing = await run([
      '--from',
      aws.tableName,
      '--to',
      'no-such-restored-table',
      '--since',
      RESTORED_AT.toISOString(),
      '--config',
      'config/local.json',
      '--yes',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^erasures:copy: table no-such-restored-table in \S+ cannot be reached: no such table/,
      ),
    ]);
    expect(missing.stderr).toContain(
      'the name given to restore-table-to-point-in-time as --target-table-name',
    );
    expect(missing.stderr).not.toContain('InquiryTableName');
  }, 60_000);
});
