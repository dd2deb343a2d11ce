import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../lambdas/adapters/clock.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { DynamoUnlistedInquiries } from '../lambdas/adapters/unlisted-inquiries.js';
import { atMostAtOnce } from '../lambdas/domain/concurrency.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import type { Inquiry } from '../lambdas/domain/inquiry/inquiry.js';
import { dueForDeletion } from '../lambdas/domain/inquiry/retention.js';
import type { Clock } from '../lambdas/domain/ports.js';
import type { OperatorApiDeps } from '../lambdas/operator-api/api.js';
import { changeInquiry } from '../lambdas/operator-api/change-inquiry.js';
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
import { requiredOf, stageOptions } from './stage-options.js';
import { stageConfigOrFail } from './stage-table.js';
import { runOverTable } from './table-run.js';

/**
 * How many messages of a page each part of the table lists at once: a run makes at most `segments` times
 * this many changes at a time, a few write units each, far below what the table serves.
 */
export const LISTED_AT_ONCE = 4;

const USAGE = `Lists under their community's triage department the messages a stage rejected as not inquiries before
it listed rejected messages there. Those have no department, so no index holds them: the triage operators
never see them, and the nightly retention sweep, which finds inquiries through the index by department, never
deletes them, however long past the retention period. Listed, each stays rejected and out of open work, with
its retention period counted as before (from its last change then), and the next night's sweep deletes those
past it, with everything that names them.

  npm run rejected:to-triage -- --table <table name> --config <file> [--segments <n>] [--dry-run]

--config    the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with no
            default: the table is in its region, and it names the communities and their triage departments
--segments  the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and take
            more of the read capacity the functions share
--dry-run   counts them, and those past the retention period, and lists none

It reads the whole table once (a Scan: no index holds them), in parts side by side, lists the messages of each
page as it reads it (${LISTED_AT_ONCE} at a time in each part), and says every minute how many items it has read
and how many it has listed: a table of tens of GB takes from a quarter of an hour to over an hour
(docs/updating.md, "c5f1ff7"). Run it once after deploying; a second run finds none left, and one after a run that stopped
lists what that run had not. A message of a community no longer configured is not listed (named, with the
reason). It prints ids and counts, never what the citizens wrote. It works in the configuration's region (the
stacks'), whatever the AWS profile's: AWS_REGION counts only for a configuration that names none (set
AWS_ENDPOINT_URL_DYNAMODB for the local emulator).`;

export interface RejectedListing {
  /** Inquiries found with no department, by status. */
  found: Record<string, number>;
  /** The rejected ones among them past the retention period: the next sweep deletes them once listed. */
  pastPeriod: number;
  /** Rejected messages listed under their community's triage department (a dry run: that would be). */
  listed: number;
  /** Those not listed, and why: not rejected, their community no longer configured, refused. */
  notListed: { id: string; reason: string }[];
}

/**
 * Lists the messages rejected with no department under their community's triage department, as the Scan reads
 * them: each page's a few at a time before its part reads on, so that a run stopped midway (an error, Ctrl-C)
 * has listed what it read, and the next run, which finds only those still with no department, lists the rest.
 */
export async function listRejectedUnderTriage(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  dryRun?: boolean;
  clock?: Clock;
  /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
  segments?: number;
  /** The items a Scan request reads at most (default: what fits in its 1 MB). */
  pageSize?: number;
  /** Told the items of the table read so far, and the listing so far, after each Scan request. */
  onRead?: (scanned: number, listing: Readonly<RejectedListing>) => void;
}): Promise<RejectedListing> {
  const { client, tableName, config } = options;
  const clock = options.clock ?? systemClock;
  const result: RejectedListing = { found: {}, pastPeriod: 0, listed: 0, notListed: [] };

  const deps: OperatorApiDeps = {
    config,
    inquiries: new DynamoInquiryRepository(client, tableName),
    queries: new DynamoOperatorQueries(client, tableName),
    outbox: { send: () => Promise.reject(new Error('listing a rejected message sends the citizen nothing')) },
    clock,
  };
  // The history names who listed it: ops, by this tool; an admin may touch an inquiry of no department.
  const operator = {
    id: 'ops:rejected-to-triage',
    name: 'npm run rejected:to-triage',
    admin: true,
    departments: [],
  };
  const list = async ({ id }: Inquiry) => {
    // When its period runs from: its last change, as the sweep counts it for one stored before `finishedAt`
    // was kept. Kept as `finishedAt`, so that the listing, a change, does not start the period anew.
    let finishedAt = '';
    const answer = await changeInquiry(
      {
        operator,
        params: { id },
        query: {},
        body: {},
        // One cause for the listing: a second run finds it made.
        idempotencyKey: 'rejected-to-triage',
      },
      deps,
      // A plain move, not the operator API's, which routes a rejected message into work: it stays rejected.
      (inquiry, cause, at, community) => {
        finishedAt = inquiry.finishedAt ?? inquiry.updatedAt;
        return {
          type: 'move',
          cause,
          at,
          reason: 'rejected before rejected messages were listed under the triage department',
          operatorId: operator.id,
          operatorName: operator.name,
          department: community.triageDepartment,
        };
      },
      undefined,
      async (changed) => ({ ...changed, finishedAt: changed.finishedAt ?? finishedAt }),
    );
    if (answer.status === 200) result.listed++;
    else
      result.notListed.push({
        id,
        reason: (answer.body as { message?: string } | undefined)?.message ?? `answered ${answer.status}`,
      });
  };

  const onPage = async (page: Inquiry[]) => {
    const rejected: Inquiry[] = [];
    for (const inquiry of page) {
      result.found[inquiry.status] = (result.found[inquiry.status] ?? 0) + 1;
      // Only the router's rejected messages were ever stored without a department.
      if (inquiry.status !== 'rejected')
        result.notListed.push({ id: inquiry.id, reason: `${inquiry.status}, not rejected: left as it is` });
      else if (!config.communities.some((community) => community.groupId === inquiry.groupId))
        result.notListed.push({
          id: inquiry.id,
          reason: `its community ${inquiry.groupId} is no longer configured`,
        });
      else {
        rejected.push(inquiry);
        if (dueForDeletion(inquiry, clock.now(), config.retention)) result.pastPeriod++;
      }
    }
    if (options.dryRun) result.listed += rejected.length;
    else await atMostAtOnce(rejected, LISTED_AT_ONCE, list);
  };

  await new DynamoUnlistedInquiries(client, tableName).scan({
    onPage,
    // Named among those not listed, the rest listed (docs/runbook.md, "A malformed inquiry item").
    malformed: (found) => result.notListed.push({ id: found.inquiryId, reason: found.message }),
    segments: options.segments ?? SCAN_SEGMENTS,
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    ...(options.onRead && { onRead: (scanned: number) => options.onRead?.(scanned, result) }),
  });
  // In one order whatever the parts' pace.
  result.notListed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return result;
}

const fail: Failure = failureOf('rejected:to-triage');

async function main(progress: Progress) {
  const values = optionsOf(stageOptions('table', 'config', 'segments', 'dry-run', 'help'), USAGE, fail);
  if (values.help) return void console.log(USAGE);
  // No default configuration: the local demo's would send the listing to its region and communities.
  const { table, config: configFile } = requiredOf(values, ['table', 'config'], USAGE, fail);
  const segments = segmentsOf(values.segments, fail);
  const dryRun = values['dry-run'];
  const config = stageConfigOrFail(configFile, fail);
  const result = await runOverTable<RejectedListing>({
    table,
    config,
    changing: !dryRun,
    counts: { changed: { label: 'listed', dryLabel: 'would be listed', count: (listing) => listing.listed } },
    progress,
    fail,
    run: (client, onRead) =>
      listRejectedUnderTriage({ client, tableName: table, config, dryRun, segments, onRead }),
  });
  const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
  console.log(`${total} inquiries with no department: ${JSON.stringify(result.found)}`);
  console.log(`past the retention period: ${result.pastPeriod}`);
  console.log(`${dryRun ? 'would be listed' : 'listed'} under their triage department: ${result.listed}`);
  for (const { id, reason } of result.notListed) console.log(`not listed: ${id} (${reason})`);
}

runAsCommand(import.meta.url, main, fail);
