import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../lambdas/adapters/clock.js';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { DynamoInquiryRepository, fromInquiryItem } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { type AppConfig, ConfigError } from '../lambdas/domain/config/schema.js';
import type { Inquiry } from '../lambdas/domain/inquiry/inquiry.js';
import { dueForDeletion } from '../lambdas/domain/inquiry/retention.js';
import type { Clock } from '../lambdas/domain/ports.js';
import type { OperatorApiDeps } from '../lambdas/operator-api/api.js';
import { changeInquiry } from '../lambdas/operator-api/change-inquiry.js';
import { type Failure, failureOf, optionsOf, runAsCommand } from './command-line.js';

const USAGE = `Lists under their community's triage department the messages a stage rejected as not inquiries before
it listed rejected messages there. Those have no department, so no index holds them: the triage operators
never see them, and the nightly retention sweep, which finds inquiries through the index by department, never
deletes them, however long past the retention period. Listed, each stays rejected and out of open work, with
its retention period counted as before (from its last change then), and the next night's sweep deletes those
past it, with everything that names them.

  npm run rejected:to-triage -- --table <table name> [--config <file>] [--dry-run]

--config   the configuration deployed (default config/local.json)
--dry-run  counts them, and those past the retention period, and lists none

It reads the whole table once (a Scan: no index holds them), so it takes a while on a large one. Run it once
after deploying; a second run finds none left. A message of a community no longer configured is not listed
(named, with the reason). It prints ids and counts, never what the citizens wrote. Set AWS_REGION (and
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
 * Every inquiry item without a department, read consistently (a second run right after the first sees its
 * changes): a Scan, as nothing else finds them. It reads every item of the table once.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
async function unlisted(client: DynamoDBDocumentClient, tableName: string): Promise<Inquiry[]> {
  const found: Inquiry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: '#entity = :inquiry AND attribute_not_exists(#department)',
        ExpressionAttributeNames: { '#entity': 'entity', '#department': 'department' },
        ExpressionAttributeValues: { ':inquiry': 'inquiry' },
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...(page.Items ?? []).map(fromInquiryItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

export async function listRejectedUnderTriage(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  dryRun?: boolean;
  clock?: Clock;
}): Promise<RejectedListing> {
  const { client, tableName, config } = options;
  const clock = options.clock ?? systemClock;
  const result: RejectedListing = { found: {}, pastPeriod: 0, listed: 0, notListed: [] };
  const rejected: Inquiry[] = [];
  for (const inquiry of await unlisted(client, tableName)) {
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
  if (options.dryRun) {
    result.listed = rejected.length;
    return result;
  }

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
  for (const { id } of rejected) {
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
  }
  return result;
}

const fail: Failure = failureOf('rejected:to-triage');

async function main() {
  const values = optionsOf(
    {
      table: { type: 'string' },
      config: { type: 'string', default: 'config/local.json' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  if (values.table === undefined) fail(`--table is required\n\n${USAGE}`, 2);
  const dryRun = values['dry-run'];
  try {
    const config = readConfigFile(values.config);
    const result = await listRejectedUnderTriage({
      // The stage's region, not the profile's: the table is where the stacks are.
      client: DynamoDBDocumentClient.from(
        new DynamoDBClient(config.region ? { region: config.region } : {}),
        { marshallOptions: { removeUndefinedValues: true } },
      ),
      tableName: values.table,
      config,
      dryRun,
    });
    const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
    console.log(`${total} inquiries with no department: ${JSON.stringify(result.found)}`);
    console.log(`past the retention period: ${result.pastPeriod}`);
    console.log(`${dryRun ? 'would be listed' : 'listed'} under their triage department: ${result.listed}`);
    for (const { id, reason } of result.notListed) console.log(`not listed: ${id} (${reason})`);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

runAsCommand(import.meta.url, main, fail);
