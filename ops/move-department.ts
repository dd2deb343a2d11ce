import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAnswerTemplates } from '../lambdas/adapters/answer-templates.js';
import { systemClock } from '../lambdas/adapters/clock.js';
import { MalformedInquiryItem } from '../lambdas/adapters/inquiry-items.js';
import { ANSWER_TEMPLATE_SK_PREFIX, answerTemplatesPk } from '../lambdas/adapters/inquiry-keys.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { type AppConfig, ConfigError } from '../lambdas/domain/config/schema.js';
import { type Inquiry, type InquiryStatus, isFinished } from '../lambdas/domain/inquiry/inquiry.js';
import { type InquiryEvent, TRANSITIONS } from '../lambdas/domain/inquiry/state-machine.js';
import type { Clock } from '../lambdas/domain/ports.js';
import { CATEGORIES, type Category } from '../lambdas/domain/taxonomy.js';
import { type OperatorApiDeps, problem } from '../lambdas/operator-api/api.js';
import { changeInquiry } from '../lambdas/operator-api/change-inquiry.js';
import { INQUIRY_TABLE } from '../lib/resources.js';
import { carryAnswerTemplates, type TemplatesCarried } from './carry-answer-templates.js';
import { type Failure, failureOf, optionsOf, runAsCommand } from './command-line.js';
import { inParallel } from './in-parallel.js';
import { confirmedOf, requiredOf, STAGE_OPTIONS, stageOptions } from './stage-options.js';
import { stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

/**
 * How many inquiries are moved at once. Each move is three calls one after the other (read, history, inquiry),
 * on an inquiry of its own: 8 at a time make it 8 times faster. Every moved inquiry is written to one key of
 * the index by department (the new one's), which takes 1,000 write units a second: 8 at a time from the
 * stage's region, some 250 moves of 2 units, stay below that.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export const MOVES_AT_ONCE = 8;

/** The exit code of a run that left inquiries in the old department (or, dry, would leave them). */
export const LEFT_BEHIND = 3;

const USAGE = `Hands every inquiry of a department (or, with --category or --community, some of them) to another
one, as an operator's move would, with the reason in each inquiry's history. For a department renamed, merged,
split or removed in the configuration: the lists, the statistics and the escalator read the configured
departments only, so inquiries left under an old id would be seen by nobody (the escalator hands the open ones
to their community's triage department, a safety net, not where they belong). Messages
rejected as not inquiries, listed under a triage department for review, are listed under the new one, still
rejected: moving them puts nothing into work.

  npm run departments:move -- --table <table name> --config <file> --from <old id> --to <new id> [--yes]
                             [--category <code>]… [--community <group id>]…

--config   the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with no
           default: the table is in its region, and it must name the new department (and, while it has
           inquiries, the old one: an id it does not name that has none is taken for a mistyped one)
--yes      moves them; without it the run only counts the old department's inquiries by status, names
           those it would not move and why, and moves none
--dry-run  counts and names them and moves none, as a run without --yes does
--category moves only the inquiries of that category (each given: any of them), for a department split in
           two or a category's routing given to another one; the others stay, and are counted
--community
           moves only the inquiries of that community (each given: any of them), as --category does; with
           both, an inquiry must match both

Deploy the configuration with the new department first (new inquiries then go there), then run this, without
--yes to look, then with it; run it with --yes again a minute later for any inquiry routed to the old one
while the deploy went out: a second run changes only what the first did not. An inquiry moved out of the old
department after the run listed it (by an operator, or by the escalator to triage), or given a category
--category does not take, is left there, and named. It moves the open inquiries first, nearest
deadline first, then the finished ones, newest first, ${MOVES_AT_ONCE} at a time, and says how far it got as
it goes: a department with years of finished inquiries takes a while, its open work does not wait for them.
The finished inquiries (answered, closed, rejected) of a community no longer configured move too, and
nothing else of them: its open ones stay (end them while it is configured, docs/runbook.md).
Without --category and --community, the department's answer templates go to the new one too, last, as they
were; one whose id the new department has already, with other words, stays and is named (rename one and run
again), and so do those past the most a department keeps (delete some and run again). A split leaves them in the old department.
It works in the configuration's region (the stacks'), whatever the AWS profile's: AWS_REGION counts only for a
configuration that names none. Set AWS_ENDPOINT_URL_DYNAMODB for the local emulator.

Exit codes: 0 every inquiry moved (or, without --yes, would be); ${LEFT_BEHIND} some were not (or would not be),
or an answer template: each is named with the reason, and the old department is not empty yet; 1 the move failed; 2 a mistake in
the command line (--from naming no department of --config and no inquiry among them).`;

export interface DepartmentMove {
  /** The old department's inquiries (those `only` takes, when given), by status. */
  found: Record<string, number>;
  moved: number;
  /** Inquiries not moved (with `dryRun`: that would not be), with the reason. */
  refused: { id: string; reason: string }[];
  /** With `only`: the old department's inquiries it does not take, left there. */
  passedOver?: number;
  /**
   * Without `only`, where the old department had any: its answer templates carried to the new one (with
   * `dryRun`: that would be). A split (`only`) leaves them all in the old department, which still answers the
   * rest.
   */
  templates?: TemplatesCarried;
}

/**
 * Which of the old department's inquiries a move takes, for a department split in two or a category's routing
 * given to another: those of one of the `categories`, and of one of the `communities`, each when given.
 */
export interface MoveFilter {
  categories?: readonly Category[];
  communities?: readonly number[];
}

/** How far a move has got: after the open inquiries, and then as it goes on with the finished ones. */
export interface MoveProgress {
  /** `open` while and once the open inquiries are moved; `rest` while the others are. */
  stage: 'open' | 'rest';
  moved: number;
  refused: number;
}

type Listed = { id: string; status: string; groupId: number; category: string; version: number };

/**
 * A department's inquiries, a page at a time, from one of the indexes by department: its open ones by
 * deadline (`gsi1`, nearest first), or every one by opening time (`gsi4`, newest first). Moved ones leave the
 * index's partition; the query goes on from the last key it read, so that takes nothing from it.
 */
async function* pagesOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: { name: string; partitionKey: string },
  department: string,
  newestFirst = false,
): AsyncGenerator<Listed[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          '#id': 'id',
          '#status': 'status',
          '#groupId': 'groupId',
          '#version': 'version',
          '#category': 'category',
        },
        ExpressionAttributeValues: { ':pk': `DEPT#${department}` },
        ProjectionExpression: '#id, #status, #groupId, #category, #version',
        ScanIndexForward: !newestFirst,
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => ({
      id: String(item.id),
      status: String(item.status),
      groupId: Number(item.groupId),
      category: String(item.category),
      version: Number(item.version),
    }));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Why the move of a listed inquiry would be refused, as changeInquiry would refuse it, from what the index
 * gives (a dry run reads nothing else): a status no move leaves (applyEvent's words), or, its community no
 * longer configured, an open one (removed-community.ts: only a finished one may be moved then).
 */
function moveRefusal({ status, groupId }: Listed, config: AppConfig): string | undefined {
  if (TRANSITIONS[status as InquiryStatus]?.move === undefined)
    return `move is not allowed when the inquiry is ${status}`;
  if (isFinished(status as InquiryStatus)) return undefined;
  if (!config.communities.some((community) => community.groupId === groupId))
    return `the inquiry's community ${groupId} is no longer configured`;
  return undefined;
}

/** Whether the move takes a listed inquiry: every one without a filter. */
function takes(
  { category, groupId }: Pick<Listed, 'category' | 'groupId'>,
  only: MoveFilter | undefined,
): boolean {
  if (only?.categories && !only.categories.includes(category as Category)) return false;
  if (only?.communities && !only.communities.includes(groupId)) return false;
  return true;
}

/** The filter in words, for the history's reason and the command's lines ('' for none). */
function filterWords(only: MoveFilter | undefined): string {
  const words: string[] = [];
  const list = (one: string, many: string, items: readonly (string | number)[]) =>
    `${items.length === 1 ? one : many} ${items.join(', ')}`;
  if (only?.categories) words.push(list('category', 'categories', only.categories));
  if (only?.communities) words.push(list('community', 'communities', only.communities));
  return words.join(' and ');
}

export async function moveDepartment(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  from: string;
  to: string;
  dryRun?: boolean;
  /** Only these of the old department's inquiries; every one without it. */
  only?: MoveFilter;
  /** Told after the open inquiries are moved, and after each page of the others. */
  onProgress?: (progress: MoveProgress) => void;
  clock?: Clock;
}): Promise<DepartmentMove> {
  const { client, tableName, config, from, to, only } = options;
  if (!config.departments.some((department) => department.id === to))
    throw new ConfigError(`department "${to}" is not in the configuration: add it there and deploy first`);
  const { byDepartmentDeadline: open, byDepartmentOpened: every } = INQUIRY_TABLE.indexes;
  const result: DepartmentMove = { found: {}, moved: 0, refused: [], ...(only && { passedOver: 0 }) };
  const seen = new Set<string>();
  /**
   * The page's inquiries not listed before (an open one is in both indexes) that the move takes, counted by
   * status; those it does not take, counted once.
   */
  const unseen = (page: Listed[]) =>
    page.filter((listed) => {
      if (seen.has(listed.id)) return false;
      seen.add(listed.id);
      if (!takes(listed, only)) {
        result.passedOver = (result.passedOver ?? 0) + 1;
        return false;
      }
      result.found[listed.status] = (result.found[listed.status] ?? 0) + 1;
      return true;
    });
  const carryTemplates = async () => {
    if (only) return;
    // One of the old department's items edited out of shape is no template the list gives: named, not left
    // behind unseen when the old department is removed from the configuration.
    const unreadable: string[] = [];
    const store = new DynamoAnswerTemplates(client, tableName, (key) => {
      if (key.pk === answerTemplatesPk(from)) unreadable.push(key.sk.slice(ANSWER_TEMPLATE_SK_PREFIX.length));
    });
    const templates = await carryAnswerTemplates(store, from, to, options.dryRun === true);
    for (const id of unreadable)
      templates.left.push({
        id,
        reason: `does not read as a template: mend or delete it (docs/runbook.md, "A malformed inquiry item") and run again`,
      });
    if (templates.carried > 0 || templates.left.length > 0) result.templates = templates;
  };
  if (options.dryRun) {
    for await (const page of pagesOf(client, tableName, every, from))
      for (const listed of unseen(page)) {
        const reason = moveRefusal(listed, config);
        if (reason !== undefined) result.refused.push({ id: listed.id, reason });
      }
    await carryTemplates();
    return result;
  }

  const deps: OperatorApiDeps = {
    config,
    inquiries: new DynamoInquiryRepository(client, tableName),
    queries: new DynamoOperatorQueries(client, tableName),
    outbox: {
      send: () => Promise.reject(new Error('moving a department sends the citizens nothing')),
    },
    clock: options.clock ?? systemClock,
  };
  // The history names who moved it: ops, by this tool; an admin may touch every department.
  const operator = {
    id: 'ops:departments-move',
    name: 'npm run departments:move',
    admin: true,
    departments: [],
  };
  const reason = only
    ? `department ${from} is now ${to} for ${filterWords(only)}`
    : `department ${from} is now ${to}`;
  const moveEvent = (cause: string, at: string): InquiryEvent => ({
    type: 'move',
    cause,
    at,
    reason,
    operatorId: operator.id,
    operatorName: operator.name,
    department: to,
    // A department renamed: whoever holds one of its inquiries, it moves (and is no one's after).
    force: true,
  });
  /**
   * The move of the inquiry as read now, if the run still takes it: one moved since it was listed (an
   * operator's move, the escalator's hand-over to triage of a department no longer configured), or given
   * another category than `only` takes, is left where it is, named, rather than taken from there. A repeat of
   * this run's move is answered as made.
   */
  const moveIfStillTaken = (inquiry: Inquiry, cause: string, at: string) => {
    if (inquiry.causes.includes(cause)) return moveEvent(cause, at);
    const leftThere = (what: string) =>
      problem(409, 'changed_meanwhile', `${what} since it was listed: left there`);
    if (inquiry.department !== from) return leftThere(`moved to ${inquiry.department ?? 'no department'}`);
    if (!takes({ category: inquiry.category, groupId: inquiry.groupId }, only))
      return leftThere(`of category ${inquiry.category}`);
    return moveEvent(cause, at);
  };
  const move = async (listed: Listed) => {
    try {
      await moveOne(listed);
    } catch (error) {
      // One item edited out of shape is refused by name, not the end of the move (docs/runbook.md, "A
      // malformed inquiry item"): it stays as it is, under the old department, until it is mended.
      if (!(error instanceof MalformedInquiryItem)) throw error;
      result.refused.push({ id: listed.id, reason: error.message });
    }
  };
  const moveOne = async ({ id, version }: Listed) => {
    // A plain move, not the operator API's: there, moving a rejected message routes it into work.
    const answer = await changeInquiry(
      {
        operator,
        params: { id },
        query: {},
        body: {},
        // One cause per move of the inquiry as listed: a second run, or a twin, finds it made. Not one per
        // pair of departments: the state machine remembers causes, and an inquiry moved back since would
        // take a second move from..to for one made, and stay (state-machine.ts, applyChange).
        idempotencyKey: `departments-move:${from}:${to}:${version}`,
      },
      deps,
      moveIfStillTaken,
      undefined,
      undefined,
      // Of a community no longer configured, the finished ones move too: the department can then go. An open
      // one stays, for no operator can end it there.
      (inquiry, cause, at) => (isFinished(inquiry.status) ? moveIfStillTaken(inquiry, cause, at) : undefined),
    );
    if (answer.status !== 200)
      return void result.refused.push({ id, reason: (answer.body as { message: string }).message });
    // Moved only if it is under the new department now, whatever answered 200 (a change found made).
    const { department } = answer.body as { department?: string };
    if (department === to) result.moved++;
    else result.refused.push({ id, reason: `still under ${department ?? 'no department'}: run again` });
  };
  const progress = (stage: MoveProgress['stage']) =>
    options.onProgress?.({ stage, moved: result.moved, refused: result.refused.length });

  // Open work first, so that the new department has it within minutes, whatever the old one's past holds.
  for await (const page of pagesOf(client, tableName, open, from))
    await inParallel(unseen(page), MOVES_AT_ONCE, move);
  progress('open');
  // Then every other inquiry (and an open one the first query missed), the most recent first.
  for await (const page of pagesOf(client, tableName, every, from, true)) {
    await inParallel(unseen(page), MOVES_AT_ONCE, move);
    progress('rest');
  }
  // Last: the operators of the new department have its work before they have its words.
  await carryTemplates();
  return result;
}

const fail: Failure = failureOf('departments:move');

/** The --category and --community given, checked (a mistake exits 2), or no filter when neither is. */
function filterOf(
  categories: readonly string[] | undefined,
  communities: readonly string[] | undefined,
): MoveFilter | undefined {
  for (const category of categories ?? [])
    if (!(CATEGORIES as readonly string[]).includes(category))
      fail(`--category ${category} is no category: one of ${CATEGORIES.join(', ')}`, 2);
  for (const community of communities ?? [])
    if (!/^[1-9]\d*$/.test(community)) fail(`--community ${community} is no group id (a positive number)`, 2);
  if (!categories?.length && !communities?.length) return undefined;
  return {
    ...(categories?.length && { categories: categories as Category[] }),
    ...(communities?.length && { communities: communities.map(Number) }),
  };
}

/** Prints how far the move got: once the open inquiries are moved, then at most every 30 seconds. */
function progressPrinter(): (progress: MoveProgress) => void {
  const started = Date.now();
  let printed = 0;
  return ({ stage, moved, refused }) => {
    const now = Date.now();
    if (stage === 'rest' && now - printed < 30_000) return;
    printed = now;
    const minutes = ((now - started) / 60_000).toFixed(1);
    const what = stage === 'open' ? 'open inquiries moved' : 'moved so far';
    console.log(`${what}: ${moved}, not moved: ${refused} (${minutes} min)`);
  };
}

async function main() {
  const values = optionsOf(
    {
      table: STAGE_OPTIONS.table,
      from: { type: 'string' },
      to: { type: 'string' },
      category: { type: 'string', multiple: true },
      community: { type: 'string', multiple: true },
      ...stageOptions('config', 'yes', 'dry-run', 'help'),
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  // A mistake in the command line exits 2, as the other ops commands' do; a failure of the move itself, 1.
  // No default configuration: the local demo's would send the moves to its region.
  const {
    table,
    config: configFile,
    from,
    to,
  } = requiredOf(values, ['table', 'config', 'from', 'to'], USAGE, fail);
  if (from === to) fail('--from and --to name the same department', 2);
  const only = filterOf(values.category, values.community);
  // Without --yes it only looks: a mistyped --from would otherwise hand a whole department's work on.
  const dry = !confirmedOf(values, 'moves', fail);
  const config = stageConfigOrFail(configFile, fail);
  try {
    const result = await moveDepartment({
      client: stageDocumentClient(config),
      tableName: table,
      config,
      from,
      to,
      dryRun: dry,
      only,
      onProgress: progressPrinter(),
    });
    const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
    const of = only ? ` of ${filterWords(only)}` : '';
    // An id the configuration does not name, with nothing under it, is most likely mistyped: its "0 inquiries"
    // must not read as a department emptied (docs/runbook.md keeps the old one configured until then).
    if (total === 0 && !result.passedOver && !config.departments.some((department) => department.id === from))
      fail(`${from} is not a department of ${configFile}, and no inquiry is under it: check the id`, 2);
    console.log(`${total} inquiries of ${from}${of}: ${JSON.stringify(result.found)}`);
    // A split leaves the rest where it was: said, so that "0" is not read as the department emptied.
    if (only) console.log(`left in ${from}, not${of}: ${result.passedOver ?? 0}`);
    console.log(
      dry
        ? 'moved: none (a dry run: run it again with --yes to move them)'
        : `moved to ${to}: ${result.moved}`,
    );
    const notMoved = dry ? 'would not be moved' : 'not moved';
    for (const { id, reason } of result.refused) console.log(`${notMoved}: ${id} (${reason})`);
    const templates = result.templates;
    if (templates) {
      console.log(`answer templates ${dry ? 'to carry' : 'carried'} to ${to}: ${templates.carried}`);
      for (const { id, reason } of templates.left)
        console.log(`answer template ${dry ? 'that would stay' : 'left'} in ${from}: ${id} (${reason})`);
    }
    if (templates?.left.length && result.refused.length === 0)
      fail(
        `${templates.left.length} answer templates of ${from} ${dry ? 'would stay' : 'stay'} there (named above): keep the department in the configuration until they are carried`,
        LEFT_BEHIND,
      );
    if (result.refused.length === 0) return;
    const byReason: Record<string, number> = {};
    for (const { reason } of result.refused) byReason[reason] = (byReason[reason] ?? 0) + 1;
    console.log(`${notMoved}: ${result.refused.length} ${JSON.stringify(byReason)}`);
    fail(
      `${result.refused.length} inquiries of ${from} ${dry ? 'would stay' : 'stay'} there (named above, with the reason): keep the department in the configuration`,
      LEFT_BEHIND,
    );
  } catch (error) {
    fail(tableFailure(error, table, config));
  }
}

runAsCommand(import.meta.url, main, fail);
