import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../lambdas/adapters/clock.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { QUERY_PAGES_PER_REQUEST } from '../lambdas/adapters/list-pages.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { communityOf } from '../lambdas/domain/config/community-of.js';
import { type AppConfig, ConfigError } from '../lambdas/domain/config/schema.js';
import { type Inquiry, isFinished } from '../lambdas/domain/inquiry/inquiry.js';
import type { InquiryEvent } from '../lambdas/domain/inquiry/state-machine.js';
import { settledAtOf, withinReopeningWindow } from '../lambdas/domain/inquiry/threading.js';
import type { Clock } from '../lambdas/domain/ports.js';
import { type ApiAnswer, type OperatorApiDeps, problem } from '../lambdas/operator-api/api.js';
import { changeInquiry, UNCHANGED } from '../lambdas/operator-api/change-inquiry.js';
import { releaseBody } from '../lambdas/operator-api/contract/changes.js';
import { type Failure, failureOf, optionsOf, runAsCommand } from './command-line.js';
import { inParallel } from './in-parallel.js';
import { confirmedOf, requiredOf, STAGE_OPTIONS, stageOptions } from './stage-options.js';
import { stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

/** How many inquiries are released at once: each release is a read and a write, one after the other. */
export const RELEASES_AT_ONCE = 8;

/** The exit code of a run that left inquiries held by the operator (or, dry, would leave them). */
export const LEFT_HELD = 3;

const USAGE = `Lets go of every inquiry an operator holds, in every configured department and every status, as an
admin's release in the operator API would, with the reason in each one's history: for an operator who left,
or is away for weeks, whose work nobody else sees as theirs to take meanwhile (their open inquiries are in no
colleague's assignee=none list, and a citizen's follow-up reopens an answered one in their name). Released,
an open inquiry is back in its department's work to take; an answered or closed one a citizen's word can still
reopen (within threading.reopenClosedWithinHours) stays as it is, no one's, so that a follow-up reopens it for
anyone to take. One answered or closed longer ago, or finished under a community no longer configured, is left
theirs: nothing the citizen writes reopens it, and its holder says who answered it. Its status, deadlines and
answers are kept.

  npm run operators:release -- --table <table name> --config <file> --operator <their sub> --reason <why> [--yes]
                              [--department <id>]…

--operator the operator's id: their sub in the user pool, as assignee.id on any inquiry they took gives it
           (not their e-mail: \`aws cognito-idp admin-get-user\` gives the sub, docs/runbook.md)
--reason   why, for each inquiry's history (\`Анна Иванова уволилась\`)
--config   the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with no
           default: the table is in its region, and its departments are those read
--yes      releases them; without it the run only counts what the operator holds by status, and releases none
--dry-run  counts them and releases none, as a run without --yes does
--department
           only what they hold in that department (each given: any of them), for an operator moved to another
           department, whose work in the new one stays theirs

It releases the open inquiries first, then the others, ${RELEASES_AT_ONCE} at a time. One taken over by a colleague
after the run listed it is left theirs, and named. Run it again: it releases only what the first run did not.
It works in the configuration's region (the stacks'), whatever the AWS profile's: AWS_REGION counts only for a
configuration that names none. Set AWS_ENDPOINT_URL_DYNAMODB for the local emulator.

Exit codes: 0 every inquiry they held released (or, without --yes, would be tried); ${LEFT_HELD} some were not:
each is named with the reason; 1 the run failed; 2 a mistake in the command line.`;

export interface OperatorRelease {
  /** What the operator held when the run listed it, by status. */
  found: Record<string, number>;
  released: number;
  /**
   * Answered or closed longer ago than the reopening window, or finished under a community no longer
   * configured: left theirs, as a citizen's word opens a new inquiry then (threading.ts) or reaches none,
   * and the holder still says who answered it.
   */
  pastReopening: number;
  /** Inquiries not released, with the reason. */
  refused: { id: string; reason: string }[];
}

/** Every inquiry the operator holds in the departments given, as an admin's `assignee=<id>` list reads them. */
async function heldBy(
  queries: DynamoOperatorQueries,
  departments: string[],
  operatorId: string,
  now: Date,
): Promise<Inquiry[]> {
  const held: Inquiry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queries.listInquiries(
      departments,
      { order: 'newest', assignee: { heldBy: operatorId }, limit: 100, ...(cursor && { cursor }) },
      now,
    );
    held.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return held;
}

export async function releaseOperator(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  /** The operator's id (their `sub`). */
  operatorId: string;
  reason: string;
  /** Only what they hold in these departments; in every configured one without it. */
  departments?: readonly string[];
  dryRun?: boolean;
  clock?: Clock;
}): Promise<OperatorRelease> {
  const { client, tableName, config, operatorId, reason } = options;
  const clock = options.clock ?? systemClock;
  // One item edited out of shape is not listed: named among those not released, for ops to mend (docs/runbook.md,
  // "A malformed inquiry item"), the rest released.
  const malformed: { id: string; reason: string }[] = [];
  const queries = new DynamoOperatorQueries(client, tableName, QUERY_PAGES_PER_REQUEST, (found) =>
    malformed.push({ id: found.inquiryId, reason: found.message }),
  );
  const departments = options.departments ?? config.departments.map((department) => department.id);
  for (const department of departments)
    if (!config.departments.some((configured) => configured.id === department))
      throw new ConfigError(`department "${department}" is not in the configuration`);
  const held = await heldBy(queries, [...departments], operatorId, clock.now());
  const result: OperatorRelease = { found: {}, released: 0, pastReopening: 0, refused: [...malformed] };
  for (const { status } of held) result.found[status] = (result.found[status] ?? 0) + 1;
  const now = clock.now().getTime();
  const pastReopening = (inquiry: Inquiry) => {
    // Of a community taken out of the configuration, no citizen's word reaches it, and the operator API
    // changes none of its inquiries (docs/runbook.md, "Removing a community").
    if (isFinished(inquiry.status) && !communityOf(config, inquiry.groupId)) return true;
    const settledAt = settledAtOf(inquiry);
    return settledAt !== undefined && !withinReopeningWindow(settledAt, now, config.threading);
  };
  result.pastReopening = held.filter(pastReopening).length;
  if (options.dryRun) return result;

  const deps: OperatorApiDeps = {
    config,
    inquiries: new DynamoInquiryRepository(client, tableName),
    queries,
    outbox: {
      send: () => Promise.reject(new Error('releasing an operator’s inquiries sends the citizens nothing')),
    },
    clock,
  };
  // The history names who released it: ops, by this tool, with an admin's right to release anybody's.
  const operator = {
    id: 'ops:operators-release',
    name: 'npm run operators:release',
    admin: true,
    departments: [],
  };
  /**
   * The release of the inquiry as read now, if the operator still holds it: one a colleague took over since
   * the run listed it is theirs now, and left so, named; one no one holds is answered as it is. A repeat of
   * this run's release is answered as made.
   */
  const releaseIfStillHeld = (
    inquiry: Inquiry,
    cause: string,
    at: string,
  ): InquiryEvent | ApiAnswer | typeof UNCHANGED => {
    const release: InquiryEvent = {
      type: 'release',
      cause,
      at,
      reason,
      operatorId: operator.id,
      operatorName: operator.name,
      admin: true,
    };
    if (inquiry.causes.includes(cause)) return release;
    if (inquiry.assignee === undefined) return UNCHANGED;
    if (inquiry.assignee.id !== operatorId)
      return problem(
        409,
        'changed_meanwhile',
        `taken by ${inquiry.assignee.name} since it was listed: left theirs`,
      );
    return release;
  };
  const release = async ({ id, version }: Inquiry) => {
    const answer = await changeInquiry(
      {
        operator,
        params: { id },
        query: {},
        body: {},
        // One cause per release of the inquiry as listed: a second run, or a twin, finds it made.
        idempotencyKey: `operators-release:${operatorId}:${version}`,
      },
      deps,
      releaseIfStillHeld,
    );
    if (answer.status !== 200)
      return void result.refused.push({ id, reason: (answer.body as { message: string }).message });
    result.released++;
  };
  // Open work first: it is what colleagues must take up now.
  const open = held.filter((inquiry) => !isFinished(inquiry.status));
  await inParallel(open, RELEASES_AT_ONCE, release);
  await inParallel(
    held.filter((inquiry) => isFinished(inquiry.status) && !pastReopening(inquiry)),
    RELEASES_AT_ONCE,
    release,
  );
  return result;
}

const fail: Failure = failureOf('operators:release');

async function main() {
  const values = optionsOf(
    {
      table: STAGE_OPTIONS.table,
      operator: { type: 'string' },
      reason: { type: 'string' },
      department: { type: 'string', multiple: true },
      ...stageOptions('config', 'yes', 'dry-run', 'help'),
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  const {
    table,
    config: configFile,
    operator,
    reason,
  } = requiredOf(values, ['table', 'config', 'operator', 'reason'], USAGE, fail);
  if (!/^[^\s\p{Cc}]{1,128}$/u.test(operator))
    fail(`--operator ${JSON.stringify(operator)} is no operator's id (their sub: no spaces)`, 2);
  // An e-mail would match no inquiry, and "0 inquiries held" would read as their work already released.
  if (operator.includes('@'))
    fail(
      `--operator ${operator} is an e-mail: give their sub (aws cognito-idp admin-get-user, docs/runbook.md, "An operator who leaves")`,
      2,
    );
  // The reason as the operator API's release takes it (one line, not empty, of a bounded length).
  const parsedReason = releaseBody.safeParse({ reason });
  if (!parsedReason.success)
    fail(`--reason ${parsedReason.error.issues.map((issue) => issue.message).join('; ')}`, 2);
  // Without --yes it only looks: a mistyped id would otherwise hand a colleague's work round.
  const dry = !confirmedOf(values, 'releases', fail);
  const config = stageConfigOrFail(configFile, fail);
  for (const department of values.department ?? [])
    if (!config.departments.some((configured) => configured.id === department))
      fail(`--department ${department} is not a department of ${configFile}`, 2);
  try {
    const result = await releaseOperator({
      client: stageDocumentClient(config),
      tableName: table,
      config,
      operatorId: operator,
      reason: parsedReason.data.reason,
      ...(values.department?.length && { departments: values.department }),
      dryRun: dry,
    });
    const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
    const where = values.department?.length ? ` in ${values.department.join(', ')}` : '';
    console.log(`${total} inquiries held by ${operator}${where}: ${JSON.stringify(result.found)}`);
    console.log(
      dry
        ? 'released: none (a dry run: run it again with --yes to release them)'
        : `released: ${result.released}`,
    );
    if (result.pastReopening > 0)
      console.log(
        `left theirs, answered or closed more than ${config.threading.reopenClosedWithinHours} hours ago (a citizen's word opens a new inquiry) or under a community no longer configured: ${result.pastReopening}`,
      );
    for (const { id, reason: why } of result.refused) console.log(`not released: ${id} (${why})`);
    if (result.refused.length > 0)
      fail(`${result.refused.length} inquiries stay held (named above, with the reason)`, LEFT_HELD);
  } catch (error) {
    fail(tableFailure(error, table, config));
  }
}

runAsCommand(import.meta.url, main, fail);
