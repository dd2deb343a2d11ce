import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CaseCounter, CaseCounters } from '../lambdas/adapters/case-counters.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { caseYear } from '../lambdas/domain/inquiry/case-number.js';
import { type Failure, failureOf, optionsOf, type Progress, runAsCommand } from './command-line.js';
import { RESTORE_OPTIONS, restoreOf } from './restore-options.js';
import { confirmedOf, stageOptions } from './stage-options.js';
import { stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

/** The numbers left for the old table to give until the deploy points the functions at the restored one. */
export const CARRY_MARGIN = 1000;

const USAGE = `Moves the case counters of a table restored from a point in time (docs/runbook.md, "Restoring the inquiry
table from a point in time") on past every case number the table the functions used until now has given: the
restored counters are those of the restore time, and would give citizens again the numbers given since.

  npm run case-counters:carry -- --from <old table> --to <new table> --since <restore time> --config <file>
                                 [--margin <n>] [--yes]

--from      the table the functions used until now (the Stateless stack's output InquiryTableName)
--to        the restored table
--since     the restore time, with its zone (2027-03-01T06:40:00Z): the counters of every year from that
            time's to this one's, in each community's time zone, are carried
--config    the configuration deployed (config/<stage>.json), with no default: its communities are carried,
            and the tables are in its region
--margin    the numbers left for the old table to give until the deploy that points the functions at the new
            table is done (default ${CARRY_MARGIN}): each counter is moved on to the old table's last number
            plus it; gaps in the sequence are harmless
--yes       moves them on; without it the run only says what it would do
--dry-run   only says, as a run without --yes does

A counter is never moved back: one already past is left as it is. Run without --yes after the deploy, it checks
that no number was given by both tables: above what a carry moved each counter on to, or, with no carry, by the
numbers' lookups (each table's inquiry of the number). Exit 1 and the numbers, if one was. It prints
communities' ids and numbers only.`;

/** What became of one community's counter of one year. */
export interface CounterCarried {
  groupId: number;
  year: number;
  /** The last number the old table gave that year (0: none). */
  old: number;
  /** The restored table's counter as found. */
  restored: CaseCounter;
  /** What a carry from the old table before moved the restored counter on to. */
  carried?: number;
  /** What the restored counter is (or, in a dry run, would be) moved on to; none when it needs no move. */
  floor?: number;
  /** Moved on by this run. */
  moved: boolean;
  /**
   * The old table's counter is behind the restored one's, before any carry: deleted or set back since the
   * restore time (the damage restored from), so that the old table may have given numbers twice itself.
   */
  behind: boolean;
  /**
   * The numbers given by both tables: above the floor a carry set, the old table's (given after the carry)
   * and the restored table's own (given once the functions used it).
   */
  twice?: { from: number; to: number };
}

/**
 * Where a restored counter must go (pure): past the old table's last number and its own, by `margin`, unless
 * a carry from the old table (`from`) already put it past the old table's last number. A floor carried from
 * another table (the restored table's source was itself restored) counts for nothing here.
 */
export function planCarry(
  old: CaseCounter,
  restored: CaseCounter,
  from: string,
  margin: number,
): Pick<CounterCarried, 'carried' | 'floor' | 'behind' | 'twice'> {
  const oldLast = old.last ?? 0;
  const restoredLast = restored.last ?? 0;
  const carried = restored.floor?.from === from ? restored.floor.at : undefined;
  const bothTo = Math.min(oldLast, restoredLast);
  const twice = carried !== undefined && bothTo > carried ? { from: carried + 1, to: bothTo } : undefined;
  const plan = {
    behind: carried === undefined && oldLast < restoredLast,
    ...(carried !== undefined && { carried }),
    ...(twice && { twice }),
  };
  if (carried !== undefined && oldLast <= carried) return plan;
  const floor = Math.max(oldLast, restoredLast) + margin;
  return floor > restoredLast ? { ...plan, floor } : plan;
}

/** The years whose counters a restore to `since` may have set back, now, in a community's time zone. */
export function yearsSince(since: Date, now: Date, timeZone: string): number[] {
  const years: number[] = [];
  for (let year = caseYear(since, timeZone); year <= caseYear(now, timeZone); year++) years.push(year);
  return years;
}

/**
 * Reads each community's counters of the years since `since` in both tables and, `confirmed`, moves the
 * restored table's on (planCarry). `failed` says which table an error came from.
 */
export async function carryCaseCounters(options: {
  client: DynamoDBDocumentClient;
  from: string;
  to: string;
  since: Date;
  now: Date;
  communities: AppConfig['communities'];
  margin?: number;
  confirmed: boolean;
  failed?: (table: string, error: unknown) => never;
}): Promise<CounterCarried[]> {
  const old = new CaseCounters(options.client, options.from);
  const restored = new CaseCounters(options.client, options.to);
  const onTable = async <T>(table: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (options.failed) options.failed(table, error);
      throw error;
    }
  };
  const carried: CounterCarried[] = [];
  for (const { groupId, calendar } of options.communities)
    for (const year of yearsSince(options.since, options.now, calendar.timeZone)) {
      const fromOld = await onTable(options.from, () => old.read(groupId, year));
      const found = await onTable(options.to, () => restored.read(groupId, year));
      const planned = planCarry(fromOld, found, options.from, options.margin ?? CARRY_MARGIN);
      const plan =
        planned.carried === undefined
          ? {
              ...planned,
              ...(await onTable(options.to, () =>
                givenTwiceUncarried(old, restored, groupId, year, fromOld, found),
              )),
            }
          : planned;
      const floor = plan.floor;
      const moved =
        options.confirmed && floor !== undefined
          ? await onTable(options.to, () => restored.moveOn(groupId, year, floor, options.from))
          : false;
      carried.push({ groupId, year, old: fromOld.last ?? 0, restored: found, ...plan, moved });
    }
  return carried;
}

/**
 * How many numbers in a row whose lookup a table lacks the search for numbers given twice passes over before it
 * stops: lookups deleted by the damage (or by erasures and the retention sweep) would otherwise have it read
 * every number of the year, two reads each.
 */
const UNKNOWN_IN_A_ROW = 1000;

/**
 * The numbers both tables gave when no carry from the old table moved the restored counter on (the step
 * forgotten before the deploy, or the old counter set back by the damage): the highest number both counters
 * passed, and each below it, down to one whose lookup names the same inquiry in both tables (given before the
 * restore time). A number whose lookup either table lacks (its inquiry deleted since) is passed over, up to
 * UNKNOWN_IN_A_ROW of them.
 */
async function givenTwiceUncarried(
  old: CaseCounters,
  restored: CaseCounters,
  groupId: number,
  year: number,
  fromOld: CaseCounter,
  found: CaseCounter,
): Promise<Pick<CounterCarried, 'twice'>> {
  const top = Math.min(fromOld.last ?? 0, found.last ?? 0);
  let lowest: number | undefined;
  let unknown = 0;
  for (let sequence = top; sequence > 0 && unknown < UNKNOWN_IN_A_ROW; sequence--) {
    const [before, after] = await Promise.all([
      old.holderOf(groupId, year, sequence),
      restored.holderOf(groupId, year, sequence),
    ]);
    if (before === undefined || after === undefined) {
      unknown++;
      continue;
    }
    if (before === after) break;
    unknown = 0;
    lowest = sequence;
  }
  return lowest === undefined ? {} : { twice: { from: lowest, to: top } };
}

/** One line of what became of a counter, for the person running the command. */
export function carriedLine(counter: CounterCarried, confirmed: boolean): string {
  const { groupId, year, old, restored, carried, floor } = counter;
  const found = `the old table gave up to ${old}, the restored one up to ${restored.last ?? 0}`;
  const done =
    floor === undefined
      ? carried !== undefined
        ? `moved on to ${carried} before, past the old table's numbers`
        : 'past the old table already'
      : counter.moved
        ? `moved on to ${floor}`
        : confirmed
          ? `left as it is, already at ${floor} or past it`
          : `would be moved on to ${floor} (a dry run: run it again with --yes)`;
  return `${groupId} ${year}: ${found}; ${done}`;
}

const fail: Failure = failureOf('case-counters:carry');

/** `--margin` as given: a whole number, or the command stops. */
function marginOf(value: string): number {
  if (!/^\d+$/.test(value)) fail(`--margin must be a whole number, not "${value}"`, 2);
  return Number(value);
}

async function main(progress: Progress) {
  const values = optionsOf(
    {
      ...RESTORE_OPTIONS,
      margin: { type: 'string', default: String(CARRY_MARGIN) },
      ...stageOptions('config', 'yes', 'dry-run', 'help'),
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  const { from, to, since, configFile } = restoreOf(values, USAGE, fail);
  const confirmed = confirmedOf(values, 'moves them on', fail);
  const now = new Date();
  if (since > now) fail(`--since is later than now: ${since.toISOString()}`, 2);
  const margin = marginOf(values.margin);
  const config = stageConfigOrFail(configFile, fail);
  if (confirmed) progress(() => `some counters of ${to} may be moved on, not all: run it again`);
  const carried = await carryCaseCounters({
    client: stageDocumentClient(config),
    from,
    to,
    since,
    now,
    communities: config.communities,
    margin,
    confirmed,
    failed: (table, error) => fail(tableFailure(error, table, config, table === to ? 'restored' : 'in use')),
  });
  for (const counter of carried) {
    console.log(carriedLine(counter, confirmed));
    if (counter.behind)
      console.log(
        `${counter.groupId} ${counter.year}: the old table's counter is behind the restored one's: deleted or set back since the restore time, it may have given numbers the restored table holds; look its inquiries of ${counter.year} up by case number`,
      );
  }
  const twice = carried.filter((counter) => counter.twice !== undefined);
  for (const { groupId, year, twice: numbers, carried: floor } of twice)
    console.error(
      `${groupId} ${year}: case numbers ${numbers?.from} to ${numbers?.to} were given by both tables (${
        floor === undefined
          ? 'by their lookups: no carry moved the restored counter on before the functions used it, or the damage set the old one back'
          : `the old table went past ${floor} before the deploy was done`
      }): each is two citizens' case, one inquiry in each table`,
    );
  if (twice.length > 0) process.exit(1);
}

runAsCommand(import.meta.url, main, fail);
