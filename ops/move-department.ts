import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { type AppConfig, ConfigError } from '../lambdas/domain/config/schema.js';
import type { OperatorApiDeps } from '../lambdas/operator-api/api.js';
import { changeInquiry } from '../lambdas/operator-api/change-inquiry.js';
import { INQUIRY_TABLE } from '../lib/resources.js';
import { type Failure, failureOf, runAsCommand } from './command-line.js';

const USAGE = `Hands every inquiry of a department to another one, as an operator's move would, with the reason in
each inquiry's history. For a department renamed, merged or removed in the configuration: the lists, the
statistics and the escalator read the configured departments only, so inquiries left under an old id would be
seen, warned of and escalated by nobody. Messages rejected as not inquiries, listed under a triage department
for review, are listed under the new one, still rejected: moving them puts nothing into work.

  npm run departments:move -- --table <table name> --from <old id> --to <new id> [--config <file>] [--dry-run]

--config   the configuration deployed (default config/local.json); it must name the new department
--dry-run  counts the old department's inquiries by status and moves none

Deploy the configuration with the new department first (new inquiries then go there), then run this; run it
again a minute later for any inquiry routed to the old one while the deploy went out: it moves each inquiry
once, so a second run changes only what the first did not. Set AWS_REGION (and AWS_ENDPOINT_URL_DYNAMODB for
the local emulator).`;

export interface DepartmentMove {
  /** The old department's inquiries, by status. */
  found: Record<string, number>;
  moved: number;
  /** Inquiries the state machine does not let move, with its reason. */
  refused: { id: string; reason: string }[];
}

/** The ids of every inquiry a department has had, from the index of inquiries by department and opening. */
async function inquiriesOf(client: DynamoDBDocumentClient, tableName: string, department: string) {
  const { byDepartmentOpened: index } = INQUIRY_TABLE.indexes;
  const found: { id: string; status: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#id': 'id', '#status': 'status' },
        ExpressionAttributeValues: { ':pk': `DEPT#${department}` },
        ProjectionExpression: '#id, #status',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) found.push({ id: String(item.id), status: String(item.status) });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

export async function moveDepartment(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  from: string;
  to: string;
  dryRun?: boolean;
}): Promise<DepartmentMove> {
  const { client, tableName, config, from, to } = options;
  if (!config.departments.some((department) => department.id === to))
    throw new ConfigError(`department "${to}" is not in the configuration: add it there and deploy first`);
  const inquiries = await inquiriesOf(client, tableName, from);
  const found: Record<string, number> = {};
  for (const { status } of inquiries) found[status] = (found[status] ?? 0) + 1;
  const result: DepartmentMove = { found, moved: 0, refused: [] };
  if (options.dryRun) return result;

  const deps: OperatorApiDeps = {
    config,
    inquiries: new DynamoInquiryRepository(client, tableName),
    queries: new DynamoOperatorQueries(client, tableName),
    outbox: {
      send: () => Promise.reject(new Error('moving a department sends the citizens nothing')),
    },
    clock: { now: () => new Date() },
  };
  // The history names who moved it: ops, by this tool; an admin may touch every department.
  const operator = {
    id: 'ops:departments-move',
    name: 'npm run departments:move',
    admin: true,
    departments: [],
  };
  const reason = `department ${from} is now ${to}`;
  for (const { id } of inquiries) {
    // A plain move, not the operator API's: there, moving a rejected message routes it into work.
    const answer = await changeInquiry(
      {
        operator,
        params: { id },
        query: {},
        body: {},
        // One cause per move of this department to that one: a second run finds it made.
        idempotencyKey: `departments-move:${from}:${to}`,
      },
      deps,
      (_inquiry, cause, at) => ({
        type: 'move',
        cause,
        at,
        reason,
        operatorId: operator.id,
        operatorName: operator.name,
        department: to,
      }),
    );
    if (answer.status === 200) result.moved++;
    else result.refused.push({ id, reason: (answer.body as { message: string }).message });
  }
  return result;
}

const fail: Failure = failureOf('departments:move');

async function main() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        table: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        config: { type: 'string', default: 'config/local.json' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { table, from, to } = values;
  if (typeof table !== 'string' || typeof from !== 'string' || typeof to !== 'string')
    fail(`--table, --from and --to are required\n\n${USAGE}`);
  if (from === to) fail('--from and --to name the same department');
  try {
    const config = readConfigFile(String(values.config));
    const result = await moveDepartment({
      // The stage's region, not the profile's: the table is where the stacks are.
      client: DynamoDBDocumentClient.from(
        new DynamoDBClient(config.region ? { region: config.region } : {}),
        {
          marshallOptions: { removeUndefinedValues: true },
        },
      ),
      tableName: table,
      config,
      from,
      to,
      dryRun: values['dry-run'] === true,
    });
    const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
    console.log(`${total} inquiries of ${from}: ${JSON.stringify(result.found)}`);
    if (values['dry-run']) return;
    console.log(`moved to ${to}: ${result.moved}`);
    for (const { id, reason } of result.refused) console.log(`not moved: ${id} (${reason})`);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

runAsCommand(import.meta.url, main, fail);
