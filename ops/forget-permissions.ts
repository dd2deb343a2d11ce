import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLegacyPermissions, type LegacyPermission } from '../lambdas/adapters/legacy-permissions.js';
import { atMostAtOnce } from '../lambdas/domain/concurrency.js';
import {
  type Failure,
  failureOf,
  MAX_SCAN_SEGMENTS,
  optionsOf,
  type Progress,
  runAsCommand,
  SCAN_SEGMENTS,
  segmentsOf,
} from './command-line.js';
import { confirmedOf, requiredOf, stageOptions } from './stage-options.js';
import { stageConfigOrFail } from './stage-table.js';
import { runOverTable } from './table-run.js';

/**
 * How many permissions each part of the table deletes at once: a write unit each, so that a run makes at most
 * `segments` times this many at a time, far below the 4,000 write units a second an on-demand table serves
 * from the start. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
 */
export const DELETED_AT_ONCE = 4;

const USAGE = `Deletes the citizens' messaging permissions (items CITIZEN#<group id>#<user id>: a citizen's VK id and their
last message_allow or message_deny) that releases up to 13d2507 recorded and nothing writes or reads since.
They are personal data kept for no purpose, and nothing else deletes them: the nightly retention sweep never
reads them, and citizen:erase deletes one citizen's at a time.

  npm run permissions:forget -- --table <table name> --config <file> [--segments <n>] [--yes]

--config    the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with no
            default: the table is in its region
--segments  the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and take
            more of the read capacity the functions share
--yes       deletes them; without it the run only counts them, by community, and deletes none
--dry-run   counts them and deletes none, as a run without --yes does

It reads the whole table once (a Scan: no index holds them), in parts side by side, deletes those of each page
as it reads it (${DELETED_AT_ONCE} at a time in each part), each on condition that it is still a messaging permission,
and says every minute how many items it has read and how many permissions it has found: a table of tens of GB
takes from a quarter of an hour to over an hour (docs/runbook.md). Run it once on each stage after deploying
(docs/updating.md); a second run finds none left. Safe to stop (Ctrl-C, an error) and run again: what it
deleted stays deleted, and the next run deletes the rest. It prints counts by community, never a citizen's
id. It works in the configuration's region (the stacks'), whatever the AWS profile's: AWS_REGION counts only
for a configuration that names none (set AWS_ENDPOINT_URL_DYNAMODB for the local emulator).`;

export interface PermissionsForgotten {
  /** The messaging permissions found, by community (group id). */
  found: Record<string, number>;
  /** Deleted (none without `confirmed`). */
  deleted: number;
  /** Found, then no longer a permission when its delete came (an erasure, or another run, deleted it). */
  gone: number;
}

/**
 * Finds every messaging permission in the table and, `confirmed`, deletes it, as the Scan reads them: each
 * page's a few at a time before its part reads on, so that a run stopped midway has deleted what it read, and
 * the next run, which finds only those left, deletes the rest.
 */
export async function forgetPermissions(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Delete them; otherwise only count them. */
  confirmed: boolean;
  /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
  segments?: number;
  /** The items a Scan request reads at most (default: what fits in its 1 MB). */
  pageSize?: number;
  /** Told the items of the table read so far, and the work so far, after each Scan request. */
  onRead?: (scanned: number, sofar: Readonly<PermissionsForgotten>) => void;
}): Promise<PermissionsForgotten> {
  const permissions = new DynamoLegacyPermissions(options.client, options.tableName);
  const result: PermissionsForgotten = { found: {}, deleted: 0, gone: 0 };
  const forget = async ({ key }: LegacyPermission) => {
    if (await permissions.delete(key)) result.deleted++;
    else result.gone++;
  };
  await permissions.scan({
    segments: options.segments ?? SCAN_SEGMENTS,
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    ...(options.onRead && { onRead: (scanned: number) => options.onRead?.(scanned, result) }),
    onPage: async (page) => {
      for (const { groupId } of page) result.found[groupId] = (result.found[groupId] ?? 0) + 1;
      if (options.confirmed) await atMostAtOnce(page, DELETED_AT_ONCE, forget);
    },
  });
  return result;
}

const fail: Failure = failureOf('permissions:forget');

const total = (found: Record<string, number>) => Object.values(found).reduce((sum, n) => sum + n, 0);

async function main(progress: Progress) {
  const values = optionsOf(
    stageOptions('table', 'config', 'segments', 'yes', 'dry-run', 'help'),
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  // No default configuration: the local demo's would send the deletion to its region.
  const { table, config: configFile } = requiredOf(values, ['table', 'config'], USAGE, fail);
  const confirmed = confirmedOf(values, 'deletes', fail);
  const segments = segmentsOf(values.segments, fail);
  const config = stageConfigOrFail(configFile, fail);
  const result = await runOverTable<PermissionsForgotten>({
    table,
    config,
    changing: confirmed,
    counts: {
      found: { label: 'permissions found', count: (work) => total(work.found) },
      changed: { label: 'deleted', count: (work) => work.deleted },
    },
    progress,
    fail,
    run: (client, onRead) => forgetPermissions({ client, tableName: table, confirmed, segments, onRead }),
  });
  console.log(`messaging permissions recorded by releases up to 13d2507: ${total(result.found)}`);
  console.log(`by community: ${JSON.stringify(result.found)}`);
  if (!confirmed) {
    console.log('deleted: none (a dry run: run it again with --yes to delete them)');
    return;
  }
  console.log(`deleted: ${result.deleted}`);
  if (result.gone > 0) console.log(`gone before their delete (an erasure or another run): ${result.gone}`);
}

runAsCommand(import.meta.url, main, fail);
