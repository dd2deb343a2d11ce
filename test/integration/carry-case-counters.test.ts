import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseCounters } from '../../lambdas/adapters/case-counters.js';
import { CaseSequences } from '../../lambdas/adapters/case-sequences.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { caseCounterKey, caseLookupKey } from '../../lambdas/adapters/inquiry-keys.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { caseYear, formatCaseNumber } from '../../lambdas/domain/inquiry/case-number.js';
import { createInquiryTable } from '../../local/emulators.js';
import { carryCaseCounters, planCarry, yearsSince } from '../../ops/carry-case-counters.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

let aws: TestAws;
let client: DynamoDBDocumentClient;
let communities: AppConfig['communities'];
let tables = 0;
/** A second community, with no case yet. */
const OTHER_GROUP_ID = 555;
const RESTORED_AT = new Date('2027-03-01T06:40:00Z');
const NOW = new Date('2027-03-04T09:00:00Z');
const YEAR = 2027;

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo);
  const [demo] = readConfigFile('config/local.json').communities;
  communities = [demo, { ...demo, groupId: OTHER_GROUP_ID }] as AppConfig['communities'];
});
afterAll(() => aws?.stop());

async function newTable(): Promise<string> {
  const name = `case-counters-${++tables}`;
  await createInquiryTable(aws.dynamo, name);
  return name;
}

/** What a restore to this moment makes: a new table holding the old one's items as they are now. */
async function restoredCopyOf(table: string): Promise<string> {
  const restored = await newTable();
  for (const item of (await client.send(new ScanCommand({ TableName: table }))).Items ?? [])
    await client.send(new PutCommand({ TableName: restored, Item: item }));
  return restored;
}

let inquiries = 0;

/**
 * `count` case numbers of the demo community given by `table`, as the router gives them: drawn, then stored
 * with their inquiry's lookup.
 */
async function give(table: string, count: number, groupId = DEMO_GROUP_ID): Promise<number[]> {
  const sequences = new CaseSequences(client, table);
  const given: number[] = [];
  for (let n = 0; n < count; n++) {
    const sequence = await sequences.nextCaseSequence(groupId, YEAR);
    const caseNumber = formatCaseNumber(YEAR, sequence);
    const lookup = { groupId, caseNumber, inquiryId: `inq-${++inquiries}` };
    await client.send(
      new PutCommand({
        TableName: table,
        Item: { ...caseLookupKey(groupId, caseNumber), entity: 'case', ...lookup },
      }),
    );
    given.push(sequence);
  }
  return given;
}

/** A client on the emulator that adds a mark to `reads` for each request it sends. */
function countingReads(reads: number[]): DynamoDBDocumentClient {
  const counting = DynamoDBDocumentClient.from(aws.dynamo);
  counting.middlewareStack.add(
    (next) => async (args) => {
      reads.push(1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return counting;
}

const carry = (from: string, to: string, options: { margin?: number; confirmed: boolean }) =>
  carryCaseCounters({ client, from, to, since: RESTORED_AT, now: NOW, communities, ...options });

describe('carrying the case counters to a table restored from a point in time', () => {
  it('leaves the restored table no number to give that the old one gave since the restore time', async () => {
    const old = await newTable();
    const before = await give(old, 2);
    const restored = await restoredCopyOf(old);
    const since = await give(old, 2);
    // Without the carry, the restored table gives the citizen a number someone else already holds.
    const unCarried = await restoredCopyOf(restored);
    expect([...before, ...since]).toContain((await give(unCarried, 1))[0]);
    // Which the check finds by the numbers' lookups, the step forgotten: 3 is two citizens' case.
    const [forgotten] = await carry(old, unCarried, { margin: 10, confirmed: false });
    expect(forgotten?.twice).toEqual({ from: 3, to: 3 });

    const dry = await carry(old, restored, { margin: 10, confirmed: false });
    expect(dry).toEqual([
      expect.objectContaining({ groupId: DEMO_GROUP_ID, year: YEAR, old: 4, floor: 14, moved: false }),
      expect.objectContaining({ groupId: OTHER_GROUP_ID, year: YEAR, old: 0, floor: 10, moved: false }),
    ]);
    expect(await new CaseCounters(client, restored).read(DEMO_GROUP_ID, YEAR)).toEqual({ last: 2 });

    const carried = await carry(old, restored, { margin: 10, confirmed: true });
    expect(carried.map(({ floor, moved, behind }) => ({ floor, moved, behind }))).toEqual([
      { floor: 14, moved: true, behind: false },
      { floor: 10, moved: true, behind: false },
    ]);
    // The old table gives more until the deploy; within the margin, a run again moves nothing.
    const meanwhile = await give(old, 3);
    const again = await carry(old, restored, { margin: 10, confirmed: true });
    expect(again[0]).toMatchObject({ old: 7, moved: false });
    expect(again[0]?.floor).toBeUndefined();
    // The functions on the restored table: numbers no citizen holds, and the check after the deploy finds none
    // given twice.
    const after = await give(restored, 2);
    expect(after).toEqual([15, 16]);
    for (const number of after) expect([...before, ...since, ...meanwhile]).not.toContain(number);
    expect((await give(restored, 1, OTHER_GROUP_ID))[0]).toBe(11);
    const check = await carry(old, restored, { margin: 10, confirmed: false });
    expect(check.map((counter) => counter.twice)).toEqual([undefined, undefined]);
    expect(check.map((counter) => counter.floor)).toEqual([undefined, undefined]);
  });

  it('never moves a counter back, and goes past the restored counter when the old table lost its own', async () => {
    const old = await newTable();
    await give(old, 40);
    const restored = await restoredCopyOf(old);
    // The damage restored from: a script deleted the counter, and the old table started again from 1.
    await client.send(new DeleteCommand({ TableName: old, Key: caseCounterKey(DEMO_GROUP_ID, YEAR) }));
    await give(old, 2);
    const [lost] = await carry(old, restored, { margin: 10, confirmed: true });
    expect(lost).toMatchObject({ old: 2, behind: true, floor: 50, moved: true });
    // The old table gave 1 and 2 again, which the restored table holds as given before.
    expect(lost?.twice).toEqual({ from: 1, to: 2 });
    expect((await give(restored, 1))[0]).toBe(51);

    // A counter already past the floor, whoever drew from it meanwhile, is left as it is.
    const counters = new CaseCounters(client, restored);
    expect(await counters.moveOn(DEMO_GROUP_ID, YEAR, 20, old)).toBe(false);
    // Nor one exactly at it: its floor, and the table it is past, stay as they are.
    expect(await counters.moveOn(DEMO_GROUP_ID, YEAR, 51, 'elsewhere')).toBe(false);
    expect(await counters.read(DEMO_GROUP_ID, YEAR)).toEqual({ last: 51, floor: { at: 50, from: old } });
  });

  it('finds the numbers both tables gave when the old one went past the margin before the deploy', async () => {
    const old = await newTable();
    await give(old, 5);
    const restored = await restoredCopyOf(old);
    await carry(old, restored, { margin: 3, confirmed: true });
    await give(old, 5);
    await give(restored, 4);
    const [checked] = await carry(old, restored, { margin: 3, confirmed: false });
    // Carried to 8: the old table gave 9 and 10, the restored one 9 to 12.
    expect(checked?.twice).toEqual({ from: 9, to: 10 });
  });

  it('takes a floor its table had from its own source for none of this carry’s, after a restore of a restored table', async () => {
    const first = await newTable();
    await give(first, 5);
    const second = await restoredCopyOf(first);
    await carry(first, second, { margin: 10, confirmed: true });
    // The functions on the second table (15 the floor), then damage there, and a restore of it.
    await give(second, 5);
    const third = await restoredCopyOf(second);
    const since = await give(second, 3);
    const [carried] = await carry(second, third, { margin: 10, confirmed: true });
    // 15 is the floor past the first table, not the second's: 23 given, moved on to 33, and nothing twice.
    expect(carried).toMatchObject({ old: 23, floor: 33, moved: true, behind: false });
    expect(carried?.twice).toBeUndefined();
    const next = (await give(third, 1))[0];
    expect(since).not.toContain(next);
    expect(next).toBe(34);
  });

  it('passes over at most 1000 numbers in a row whose lookups are gone, rather than read the whole year', async () => {
    const old = await newTable();
    await give(old, 2);
    const restored = await restoredCopyOf(old);
    // Both counters at 1102, no carry between them, and no lookup of 3 to 1102 in either (the damage deleted
    // them): 1100 numbers to look at.
    for (const table of [old, restored])
      await new CaseCounters(client, table).moveOn(DEMO_GROUP_ID, YEAR, 1102, 'elsewhere');
    const reads: number[] = [];
    const [checked] = await carryCaseCounters({
      client: countingReads(reads),
      from: old,
      to: restored,
      since: RESTORED_AT,
      now: NOW,
      communities: communities.slice(0, 1),
      confirmed: false,
    });
    expect(checked?.twice).toBeUndefined();
    // Two counters, then two lookups a number for 1000 numbers.
    expect(reads).toHaveLength(2 + 2 * 1000);
  }, 60_000);

  it('stops at the highest number whose lookup names one inquiry in both tables', async () => {
    const old = await newTable();
    await give(old, 2);
    const restored = await restoredCopyOf(old);
    await give(old, 2);
    await give(restored, 1);
    const reads: number[] = [];
    const [checked] = await carryCaseCounters({
      client: countingReads(reads),
      from: old,
      to: restored,
      since: RESTORED_AT,
      now: NOW,
      communities: communities.slice(0, 1),
      confirmed: false,
    });
    expect(checked?.twice).toEqual({ from: 3, to: 3 });
    // Two counters, then the lookups of 3 (two inquiries) and of 2 (one, given before the restore): not of 1.
    expect(reads).toHaveLength(2 + 2 * 2);
  });

  it('counts only the numbers in a row whose lookups are gone, starting again at each found twice', async () => {
    const old = await newTable();
    const restored = await newTable();
    const lookup = (table: string, sequence: number, inquiryId: string) =>
      client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...caseLookupKey(DEMO_GROUP_ID, formatCaseNumber(YEAR, sequence)),
            entity: 'case',
            inquiryId,
          },
        }),
      );
    // 1 given before the restore time; 2 and 1002 given by both tables; 1003 and 3 to 1001 with no lookup.
    for (const table of [old, restored]) {
      await new CaseCounters(client, table).moveOn(DEMO_GROUP_ID, YEAR, 1003, 'elsewhere');
      await lookup(table, 1, 'inq-before');
      await lookup(table, 2, `inq-2-${table}`);
      await lookup(table, 1002, `inq-1002-${table}`);
    }
    const [checked] = await carry(old, restored, { confirmed: false });
    // 1000 numbers without a lookup in all, but never more than 999 in a row.
    expect(checked?.twice).toEqual({ from: 2, to: 1003 });
  }, 60_000);

  it('plans no move for a counter past the old table already, nor for one carried to where the old table stopped', () => {
    // The old table gave exactly up to the floor the carry set: nothing given twice, nothing to move, not behind.
    expect(planCarry({ last: 8 }, { last: 12, floor: { at: 8, from: 'old' } }, 'old', 3)).toEqual({
      carried: 8,
      behind: false,
    });
    // No margin asked for, and the restored counter at the old one's number or past it.
    expect(planCarry({ last: 3 }, { last: 5 }, 'old', 0)).toEqual({ behind: true });
    expect(planCarry({ last: 5 }, { last: 5 }, 'old', 0)).toEqual({ behind: false });
  });

  it('carries every year from the restore time’s to this one’s, in the community’s time zone', () => {
    // 18:00 UTC of 31 December is 23:00 in Yekaterinburg, 20:00 already the next year there.
    expect(yearsSince(new Date('2026-12-31T18:00:00Z'), NOW, 'Asia/Yekaterinburg')).toEqual([2026, 2027]);
    expect(yearsSince(new Date('2026-12-31T20:00:00Z'), NOW, 'Asia/Yekaterinburg')).toEqual([2027]);
  });
});

describe('npm run case-counters:carry', () => {
  const run = (args: string[]) =>
    runTsx('ops/carry-case-counters.ts', args, undefined, opsCommandEnvironment(aws));

  it('says what it would do without --yes, moves the counters on with it, exits 1 on numbers given twice, and stops on a table out of reach', async () => {
    const timeZone = communities[0]?.calendar.timeZone as string;
    const year = caseYear(new Date(), timeZone);
    const old = await newTable();
    const sequences = new CaseSequences(client, old);
    for (let n = 0; n < 3; n++) await sequences.nextCaseSequence(DEMO_GROUP_ID, year);
    const restored = await newTable();
    const since = ['--since', new Date(Date.now() - 60_000).toISOString()];
    const options = ['--from', old, '--to', restored, ...since, '--config', 'config/local.json'];

    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run case-counters:carry -- --from <old table> --to <new table>');
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('case-counters:carry: --from, --to, --since and --config are required');
    const margin = await run([...options, '--margin', '10k']);
    expect(margin.code).toBe(2);
    expect(margin.stderr).toContain('--margin must be a whole number, not "10k"');
    const later = await run([...options.slice(0, 4), '--since', '2999-01-01T00:00:00Z', ...options.slice(6)]);
    expect(later.code).toBe(2);
    expect(later.stderr).toContain('--since is later than now: 2999-01-01T00:00:00.000Z');

    const dry = await run(options);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `${DEMO_GROUP_ID} ${year}: the old table gave up to 3, the restored one up to 0; would be moved on to 1003`,
    );
    expect(await new CaseCounters(client, restored).read(DEMO_GROUP_ID, year)).toEqual({});

    const moved = await run([...options, '--yes']);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(
      `${DEMO_GROUP_ID} ${year}: the old table gave up to 3, the restored one up to 0; moved on to 1003`,
    );
    expect(await new CaseCounters(client, restored).read(DEMO_GROUP_ID, year)).toEqual({
      last: 1003,
      floor: { at: 1003, from: old },
    });

    // The old table past the margin before the deploy was done, and the restored one in use: both gave 1004-1008.
    await new CaseCounters(client, old).moveOn(DEMO_GROUP_ID, year, 1010, 'elsewhere');
    for (let n = 0; n < 5; n++)
      await new CaseSequences(client, restored).nextCaseSequence(DEMO_GROUP_ID, year);
    const checked = await run(options);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(
      `${DEMO_GROUP_ID} ${year}: case numbers 1004 to 1008 were given by both tables`,
    );

    const missing = await run([
      '--from',
      'no-such-table',
      '--to',
      restored,
      ...since,
      '--config',
      'config/local.json',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^case-counters:carry: table no-such-table in \S+ cannot be reached: no such table/,
      ),
    ]);
    expect(missing.stderr).toContain("the Stateless stack's output InquiryTableName names it");

    // The restored table mistyped: before the deploy no stack output names it.
    const unrestored = await run([
      '--from',
      old,
      '--to',
      'no-such-restored-table',
      ...since,
      '--config',
      'config/local.json',
    ]);
    expect(unrestored.code).toBe(1);
    expect(unrestored.stderr).toContain('table no-such-restored-table in');
    expect(unrestored.stderr).toContain(
      'the name given to restore-table-to-point-in-time as --target-table-name',
    );
    expect(unrestored.stderr).not.toContain('InquiryTableName');
  }, 60_000);
});
