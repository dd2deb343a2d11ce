import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COMMUNITY_ERASURES } from '../lambdas/adapters/erased-citizens.js';
import { communityOf, DynamoErasureMarks, type ErasureMark } from '../lambdas/adapters/erasure-marks.js';
import {
  type Failure,
  failureOf,
  MAX_SCAN_SEGMENTS,
  optionsOf,
  type Progress,
  readPrinter,
  runAsCommand,
  SCAN_SEGMENTS,
  segmentsOf,
} from './command-line.js';
import { RESTORE_OPTIONS, restoreOf } from './restore-options.js';
import { confirmedOf, stageOptions } from './stage-options.js';
import { stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

const USAGE = `Copies the erasures' marks made since a time from one table to another: for a table restored from a point
in time (docs/runbook.md, "Restoring the inquiry table from a point in time"), which lacks the marks of the
citizens erased after its restore time. Without them the router stores again a late message of such a citizen
(a replayed dead letter, an edit). It copies no citizen's data and deletes nothing: run each erasure made since
that time again on the new table too (citizen:erase), from your record of them.

  npm run erasures:copy -- --from <old table> --to <new table> --since <restore time> --config <file>
                           [--segments <n>] [--yes]

--from      the table the functions used until now (the Stateless stack's output InquiryTableName)
--to        the restored table
--since     the restore time, with its zone, as restore-table-to-point-in-time took it (2027-03-01T06:40:00Z):
            the marks of erasures at that time or later are copied
--config    the configuration deployed (config/<stage>.json), with no default: the tables are in its region
--segments  the parts of the old table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS})
--yes       copies them; without it the run only counts them, by community, and copies none
--dry-run   counts them and copies none, as a run without --yes does

It reads the whole old table once (a Scan: no index holds the marks), as citizen:erase does, then writes each
mark as it is (its erasure's time and its expiry), the communities' first, unless the new table holds a later
erasure at its key. A mark past its 14 days is not copied: the router reads it as gone. Safe to run again. It
prints counts by community, never a citizen's id or a mark's digest.`;

export interface ErasuresCopied {
  /** Citizens' marks of erasures since the time, by community (group id). */
  citizens: Record<string, number>;
  /** Communities whose latest erasure is since the time. */
  communities: number;
  /** Found, but past their expiry: not copied. */
  expired: number;
  /** Written to the new table (none without `confirmed`). */
  copied: number;
  /** Not written: the new table holds a later erasure at the mark's key. */
  later: number;
}

/**
 * Finds the marks of the erasures made at `since` or later in `from` and, `confirmed`, writes each to `to` as
 * it is (copyMarks).
 */
export async function copyErasures(options: {
  client: DynamoDBDocumentClient;
  from: string;
  to: string;
  since: Date;
  now: Date;
  confirmed: boolean;
  segments?: number;
  pageSize?: number;
}): Promise<ErasuresCopied> {
  const found = await new DynamoErasureMarks(options.client, options.from).since(options.since, {
    segments: options.segments ?? SCAN_SEGMENTS,
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
  });
  const result = countMarks(found, options.now);
  if (!options.confirmed) return result;
  return copyMarks(new DynamoErasureMarks(options.client, options.to), found, options.now, result);
}

const live = (mark: ErasureMark, now: Date) => mark.expiresAt * 1000 > now.getTime();

/** The marks found, counted: citizens' by community, communities', and those past their expiry. */
export function countMarks(found: readonly ErasureMark[], now: Date): ErasuresCopied {
  const result: ErasuresCopied = { citizens: {}, communities: 0, expired: 0, copied: 0, later: 0 };
  for (const mark of found) {
    if (mark.entity === COMMUNITY_ERASURES) result.communities++;
    else {
      const community = String(communityOf(mark));
      result.citizens[community] = (result.citizens[community] ?? 0) + 1;
    }
    if (!live(mark, now)) result.expired++;
  }
  return result;
}

/**
 * Writes each mark not yet past its expiry to `target`: the communities' first, as an erasure writes them, so
 * that the router never reads a citizen's mark while their community's says none.
 */
export async function copyMarks(
  target: DynamoErasureMarks,
  found: readonly ErasureMark[],
  now: Date,
  counted: ErasuresCopied,
): Promise<ErasuresCopied> {
  const result = { ...counted };
  const ordered = [
    ...found.filter((mark) => mark.entity === COMMUNITY_ERASURES),
    ...found.filter((mark) => mark.entity !== COMMUNITY_ERASURES),
  ].filter((mark) => live(mark, now));
  for (const mark of ordered) {
    if (await target.copy(mark)) result.copied++;
    else result.later++;
  }
  return result;
}

const fail: Failure = failureOf('erasures:copy');

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

async function main(progress: Progress) {
  const values = optionsOf(
    {
      ...RESTORE_OPTIONS,
      ...stageOptions('config', 'segments', 'yes', 'dry-run', 'help'),
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  const { from, to, since, configFile } = restoreOf(values, USAGE, fail);
  const confirmed = confirmedOf(values, 'copies', fail);
  const segments = segmentsOf(values.segments, fail);
  const config = stageConfigOrFail(configFile, fail);
  const client = stageDocumentClient(config);
  let read = 0;
  progress(() => `items of ${from} read: ${read}; nothing copied yet`);
  const print = readPrinter();
  let found: ErasureMark[];
  try {
    found = await new DynamoErasureMarks(client, from).since(since, {
      segments,
      onRead: (scanned) => {
        read = scanned;
        print(scanned);
      },
    });
  } catch (error) {
    return fail(tableFailure(error, from, config));
  }
  const now = new Date();
  const counted = countMarks(found, now);
  console.log(
    `erasures since ${since.toISOString()} in ${from}: ${total(counted.citizens)} citizens' marks, in ${counted.communities} communities`,
  );
  console.log(`by community: ${JSON.stringify(counted.citizens)}`);
  if (counted.expired > 0) console.log(`past their 14 days, not copied: ${counted.expired}`);
  if (!confirmed) {
    console.log('copied: none (a dry run: run it again with --yes to copy them)');
    return;
  }
  progress(() => `some marks may be copied to ${to}, not all: run it again`);
  let result: ErasuresCopied;
  try {
    result = await copyMarks(new DynamoErasureMarks(client, to), found, now, counted);
  } catch (error) {
    return fail(`${tableFailure(error, to, config, 'restored')} (run it again: what it copied stays)`);
  }
  console.log(`copied to ${to}: ${result.copied}`);
  if (result.later > 0) console.log(`left as they were, ${to} holding a later erasure: ${result.later}`);
}

runAsCommand(import.meta.url, main, fail);
