import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCitizenRecords } from '../lambdas/adapters/citizen-records.js';
import { systemClock } from '../lambdas/adapters/clock.js';
import { deleteIfNaming } from '../lambdas/adapters/conditional-delete.js';
import { DynamoErasedCitizens } from '../lambdas/adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../lambdas/adapters/retention-store.js';
import { discardUnopened } from '../lambdas/adapters/unopened-inquiries.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { ERASED_CITIZEN_DAYS } from '../lambdas/domain/inquiry/erased-citizen.js';
import { type Inquiry, type InquiryStatus, isFinished } from '../lambdas/domain/inquiry/inquiry.js';
import { erasureOf } from '../lambdas/domain/inquiry/retention.js';
import type { Clock } from '../lambdas/domain/ports.js';
import type { OperatorApiDeps } from '../lambdas/operator-api/api.js';
import { changeInquiry } from '../lambdas/operator-api/change-inquiry.js';
import { inquiryIdFor } from '../lambdas/router/inquiry-ids.js';
import { CITIZEN_ID_SOURCES, citizenIdsOf, readAllStdin, USER_ID_VARIABLE } from './citizen-ids.js';
import {
  type Failure,
  failureOf,
  MAX_SCAN_SEGMENTS,
  optionsOf,
  readPrinter,
  requiredOptions,
  runAsCommand,
  SCAN_SEGMENTS,
  segmentsOf,
} from './command-line.js';
import { confirmedOf, STAGE_OPTIONS, stageOptions } from './stage-options.js';
import { stageConfigOrFail, stageDocumentClient, tableFailure } from './stage-table.js';

/** The exit code of a run that kept some of the citizen's inquiries (or, dry, would keep them). */
export const KEPT = 3;

const USAGE = `Deletes what the table holds of one citizen in one community, on their request (152-FZ art. 21: within
30 days of it): their finished inquiries (answered, closed, rejected) with everything kept for them, as the
nightly retention sweep deletes one past its period, their conversations' pointers, and the messaging
permission releases up to 13d2507 recorded for them (whatever is kept: nothing reads it). Their words that
others passed on in their inquiries (a reply to or a forward of their message) are redacted there, and so
are the mentions of them in others' words (a reply to their comment starts with their id and name). Their open
inquiries are listed and kept, unless --include-open; one opened as a new matter beside a case deleted keeps
its link to that case (its id, case number and category, none of their words), which then finds nothing. What a router's try that never stored a new inquiry of theirs left (their message's
history entries, its lookup, their conversation's pointer) is deleted too. The citizen is marked
erased in the community for ${ERASED_CITIZEN_DAYS} days (a slow digest of their id, not the id): the edits, deletions and
operators' replies VK still sends of their erased messages are dropped, never stored, and so is a message of
theirs written before it that comes late (a dead letter replayed); a message they write after it opens an
inquiry as anyone's.

  npm run citizen:erase -- --table <table name> --config <file> --community <VK group id> --user-from-stdin
                           [--include-open] [--removed-community] [--segments <n>] [--yes]  < ids.txt

--community     the community (VK group id, a positive number) the citizen wrote to: one --config names, or
                the command stops (a mistyped or swapped id would erase someone else)
--user-from-stdin
                reads the citizens' VK user ids (positive numbers, as the admin's ?author= filter takes them),
                one a line, from stdin (typed, then Ctrl-D, or from a file), and erases each in turn, each
                with a read of the whole table; a line that is no id stops the command before anything is done
${USER_ID_VARIABLE}   (a variable of the environment) one citizen's VK user id, instead
--user          one citizen's VK user id on the command line: it then stays in npm's debug log
                (~/.npm/_logs), the shell's history, and what \`ps\` shows meanwhile; the others leave it nowhere
--config        the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with
                no default: the table is in its region
--removed-community
                --community is one taken out of the configuration: its citizen is erased all the same, their
                finished inquiries as any, their open ones kept, as no operator can end them
--include-open  also their open inquiries: each is first rejected, as an operator would reject it (nothing is
                sent to the citizen, its deadline stops, and it leaves the department's open work), then deleted
--segments      the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and
                take more of the read capacity the functions share
--yes           deletes; without it the run only finds and lists what it would delete, and deletes nothing
--dry-run       finds and lists, deletes nothing, as a run without --yes does

It reads the whole table (a Scan: no index finds a citizen's every inquiry), in parts side by side, and says
every minute how many items it has read: a table of tens of GB takes from a quarter of an hour to over an
hour (docs/runbook.md). Safe to run again: a second run finds nothing left, or finishes what a stopped run
began. It prints ids, case numbers and counts, never what the citizen wrote nor their VK id (several are
numbered in the order given: citizen 2 of 3). It works in the configuration's
region (the stacks'), whatever the AWS profile's: AWS_REGION counts only for a configuration that names none.
Set AWS_ENDPOINT_URL_DYNAMODB for the local emulator.

Exit codes: 0 everything of theirs deleted (or, without --yes, would be); ${KEPT} some inquiries were kept (or would
be), each named with the reason: the request is not done yet; 1 the erasure failed; 2 a mistake in the
command line.`;

/** What the command cannot run without: the configuration too, since it deletes in the region it names. */
const REQUIRED = `${requiredOptions('--table', '--config', '--community')}, and ${CITIZEN_ID_SOURCES}`;

/** An open inquiry of the citizen: what an operator needs to find it. */
export interface OpenInquiry {
  id: string;
  caseNumber?: string;
  status: InquiryStatus;
  department?: string;
}

export interface CitizenErasure {
  /** The citizen's inquiries found, by status. */
  found: Record<string, number>;
  /** The open ones among them: kept unless `includeOpen`. */
  open: OpenInquiry[];
  /** Inquiries deleted (a dry run: that would be). */
  deleted: number;
  /** Items deleted with them: history, message and case lookups, delivery records, pointers (a dry run: 0). */
  items: number;
  /** The conversations' pointers gone, those of the deleted inquiries included (a dry run: that would go). */
  pointers: number;
  /**
   * Whether their messaging permission, an item only releases up to 13d2507 wrote, was deleted (a dry run:
   * would be), whatever of theirs is kept.
   */
  permission: boolean;
  /**
   * Items of other citizens' inquiries (the inquiry, its history entries, its messages' lookups) whose quotes
   * or mentions of the citizen were redacted (a dry run: that would be).
   */
  redacted: number;
  /**
   * New inquiries of theirs never stored whole whose leftovers were deleted (a dry run: would be): a router's
   * try stopped between their history and their item, and their message was never routed again. Their items,
   * and the lookups of their dialogue's messages naming no inquiry, are counted in `items`.
   */
  unopened: number;
  /** Whether the configuration names the community: one removed keeps its open inquiries (`kept`). */
  configured: boolean;
  /**
   * Inquiries kept, and why: open without `includeOpen` or in a community no longer configured, refused by
   * the state machine, or changed meanwhile.
   */
  kept: { id: string; reason: string }[];
  /**
   * When the citizen was marked erased (a dry run: not marked): for ERASED_CITIZEN_DAYS the router drops the
   * changes VK still sends of their messages erased (domain/inquiry/erased-citizen.ts), and their messages
   * written before it that come late (router/erased-author.ts).
   */
  markedAt?: string;
}

/** How often an inquiry changed while it was being deleted is read and decided again. */
const ATTEMPTS = 3;

export async function eraseCitizen(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  groupId: number;
  userId: number;
  includeOpen?: boolean;
  dryRun?: boolean;
  clock?: Clock;
  /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
  segments?: number;
  /** Told the items of the table read so far, after each Scan request. */
  onRead?: (scanned: number) => void;
  /** The rule of the router's inquiry ids (router/inquiry-ids.ts unless given): tells an inquiry's community. */
  inquiryIdFor?: (groupId: number, eventKey: string) => string;
}): Promise<CitizenErasure> {
  const { client, tableName, config, groupId, userId } = options;
  const records = new DynamoCitizenRecords(client, tableName);
  // The retention sweep's own store: the same version-checked deletion, the same items that go with it.
  const store = new DynamoRetentionStore(client, tableName);
  const inquiries = new DynamoInquiryRepository(client, tableName);
  const found = await records.find(groupId, userId, {
    segments: options.segments ?? SCAN_SEGMENTS,
    ...(options.onRead && { onRead: options.onRead }),
  });
  const result: CitizenErasure = {
    found: {},
    open: [],
    deleted: 0,
    items: 0,
    pointers: 0,
    permission: false,
    redacted: 0,
    unopened: 0,
    configured: config.communities.some((community) => community.groupId === groupId),
    kept: [],
  };
  // No operator can change an inquiry of a community removed (operator-api: community_not_configured).
  const OPEN_REASON = result.configured
    ? 'open: not deleted without --include-open'
    : 'open, and its community is no longer configured: no operator can end it (docs/runbook.md, "Removing a community")';
  const includeOpen = options.includeOpen === true && result.configured;

  // Read consistently: the scan found the ids, the items may have changed since.
  const current: Inquiry[] = [];
  for (const id of found.inquiryIds) {
    const inquiry = await store.getInquiry(id);
    if (inquiry) current.push(inquiry);
  }
  for (const inquiry of current) {
    result.found[inquiry.status] = (result.found[inquiry.status] ?? 0) + 1;
    if (!isFinished(inquiry.status))
      result.open.push({
        id: inquiry.id,
        ...(inquiry.caseNumber !== undefined && { caseNumber: inquiry.caseNumber }),
        status: inquiry.status,
        ...(inquiry.department !== undefined && { department: inquiry.department }),
      });
  }
  const keptIds = new Set(includeOpen ? [] : result.open.map(({ id }) => id));
  for (const id of keptIds) result.kept.push({ id, reason: OPEN_REASON });

  // What tries that never stored a new inquiry of theirs left: their own entries in a partition of this
  // community's (its id comes from the community and the event) with no inquiry item, and the openings'.
  const idFor = options.inquiryIdFor ?? inquiryIdFor;
  // (Not one whose erasure a stopped run began: its mark finishes it, below.)
  const erasing = new Set(found.erasures.map(({ inquiryId }) => inquiryId));
  const unopenedIds = new Set<string>();
  for (const { inquiryId, eventKey } of found.ownEntries)
    if (
      idFor(groupId, eventKey) === inquiryId &&
      !erasing.has(inquiryId) &&
      !(await store.getInquiry(inquiryId))
    )
      unopenedIds.add(inquiryId);
  for (const { inquiryId } of found.openings)
    if (!erasing.has(inquiryId) && !(await store.getInquiry(inquiryId))) unopenedIds.add(inquiryId);

  if (options.dryRun) {
    result.deleted = current.length - keptIds.size;
    result.pointers = found.pointers.filter(({ inquiryId }) => !keptIds.has(inquiryId)).length;
    result.permission = found.permission;
    result.redacted = found.others.length;
    result.unopened = unopenedIds.size;
    return result;
  }

  // Marked before anything goes, so that a change of a message deleted below finds the mark (one that finds
  // its message still, applied meanwhile, goes with it), and after the scan, so that every message found was
  // written before the mark: their changes are dropped, and those of a message the citizen writes after it
  // are not. Run again, the mark moves on to that run.
  const clock = options.clock ?? systemClock;
  const markedAt = clock.now();
  await new DynamoErasedCitizens(client, tableName, clock).mark(groupId, userId, markedAt);
  result.markedAt = markedAt.toISOString();

  // A stopped run's erasures whose inquiry item is gone already: finished, as the sweep finishes them.
  const present = new Set(current.map(({ id }) => id));
  for (const erasure of found.erasures) {
    if (present.has(erasure.inquiryId) || (await store.getInquiry(erasure.inquiryId))) continue;
    result.items += await store.finishErasure(erasure);
    result.deleted++;
  }

  const deps: OperatorApiDeps = {
    config,
    inquiries,
    queries: new DynamoOperatorQueries(client, tableName),
    outbox: { send: () => Promise.reject(new Error('a citizen erasure sends the citizen nothing')) },
    clock,
  };
  const operator = { id: 'ops:citizen-erase', name: 'npm run citizen:erase', admin: true, departments: [] };

  /**
   * Rejects the open inquiry as an operator would, so that whatever happens next nothing more goes out for it
   * (a late acknowledgement or intermediate answer is skipped for a rejected inquiry) and its deadline stops:
   * a run stopped before the deletion leaves it rejected, out of everyone's work, and the next run deletes it.
   * One whose answer VK refused is closed instead, as the state machine allows for it. Undefined when asked;
   * the caller reads it again, and deletes it once finished.
   */
  async function finishOpen(inquiry: Inquiry): Promise<string | undefined> {
    const close = inquiry.status === 'in_progress' && inquiry.undelivered?.purpose === 'answer';
    const answer = await changeInquiry(
      // A cause per version: the state machine remembers causes, and one rejected by a stopped run and routed
      // back into work since would take a second reject under the same cause for one made, and stay open.
      {
        operator,
        params: { id: inquiry.id },
        query: {},
        body: {},
        idempotencyKey: `citizen-erase:${inquiry.version}`,
      },
      deps,
      (_inquiry, cause, at, community) =>
        close
          ? {
              type: 'close',
              cause,
              at,
              reason: 'the citizen asked for their data to be deleted',
              operatorId: operator.id,
              operatorName: operator.name,
            }
          : {
              type: 'reject',
              cause,
              at,
              reason: 'the citizen asked for their data to be deleted',
              operatorId: operator.id,
              operatorName: operator.name,
              department: community.triageDepartment,
            },
    );
    if (answer.status === 200) return undefined;
    return (answer.body as { message?: string } | undefined)?.message ?? `answered ${answer.status}`;
  }

  /** Deletes the inquiry through the retention sweep's path; why not, when it is kept. */
  async function erase(first: Inquiry): Promise<string | undefined> {
    let inquiry: Inquiry | undefined = first;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (!inquiry) return undefined;
      if (!isFinished(inquiry.status)) {
        // Reopened since it was found finished: open work, kept as the others are.
        if (!includeOpen) return OPEN_REASON;
        const refused = await finishOpen(inquiry);
        if (refused) return refused;
        // Done only if it is finished now: one still open (a change came between) is decided again.
        inquiry = await store.getInquiry(inquiry.id);
        continue;
      }
      const erasure = erasureOf(inquiry);
      const begun = await store.beginErasure(erasure);
      // Gone since it was read: a retention sweep took it, and finishes it.
      if (begun === 'gone') return undefined;
      if (begun === 'begun') {
        result.items += await store.finishErasure(erasure);
        result.deleted++;
        return undefined;
      }
      // Changed meanwhile (the citizen wrote again and reopened it): decided again on what it is now.
      inquiry = await store.getInquiry(inquiry.id);
    }
    if (inquiry && !isFinished(inquiry.status))
      return 'still open after three attempts to finish it: run again';
    return 'it changed while it was being deleted: run again';
  }

  for (const inquiry of current) {
    if (keptIds.has(inquiry.id)) continue;
    const reason = await erase(inquiry);
    if (reason !== undefined) {
      keptIds.add(inquiry.id);
      result.kept.push({ id: inquiry.id, reason });
    }
  }

  // Their words and mentions of them in others' inquiries, whether or not theirs are kept: the others'
  // inquiries stay, without them.
  for (const { key, inquiryId } of found.others) {
    const redacted = await records.redactWordsOf(key, userId);
    if (redacted === true) result.redacted++;
    else if (redacted === 'changed')
      result.kept.push({
        id: inquiryId,
        reason: 'its words quoting or mentioning them changed while being redacted: run again',
      });
  }

  // The pointers of the deleted inquiries went with them; one left naming an inquiry that is gone (a stopped
  // run) goes now. One naming a kept inquiry stays: the citizen's next message there belongs to it.
  for (const pointer of found.pointers) {
    if (keptIds.has(pointer.inquiryId)) continue;
    if (await store.getInquiry(pointer.inquiryId)) continue;
    await records.deletePointer(pointer.key, pointer.inquiryId);
    result.pointers++;
  }
  // What tries that never stored a new inquiry of theirs left (its pointer went above, naming no inquiry), and
  // the openings' marks, which hold their id: found unstored, each is read again before anything goes.
  const discarded = new Set<string>();
  for (const inquiryId of unopenedIds) {
    const opening = found.openings.find((candidate) => candidate.inquiryId === inquiryId);
    const items = await discardUnopened(client, tableName, {
      inquiryId,
      groupId,
      authorId: userId,
      conversationKeys: opening ? [opening.conversationKey] : [],
    });
    if (items === 'opened' || items === 0) continue;
    result.items += items;
    discarded.add(inquiryId);
  }
  // The marks of their inquiries stored since, whose try stopped before deleting them.
  for (const opening of found.openings)
    if (!discarded.has(opening.inquiryId)) await store.discardOpening(opening);
  result.unopened = discarded.size;
  // Lookups of their dialogue's messages naming no inquiry, which earlier versions stored before an inquiry
  // that never came to be: each holds a message's words.
  for (const lookup of found.dialogueLookups) {
    if (keptIds.has(lookup.inquiryId) || (await store.getInquiry(lookup.inquiryId))) continue;
    if (await deleteIfNaming(client, tableName, lookup.key, 'inquiryId', lookup.inquiryId)) result.items++;
  }

  // Their last message_allow / message_deny, as releases up to 13d2507 recorded it: nothing reads it since
  // (VK decides at each reply), so it goes whatever of theirs is kept. The retention sweep never deleted these
  // items (it finds inquiries by their department's index, and they are no inquiry's), so a table keeps one
  // until its citizen is erased, or `npm run permissions:forget` deletes them all (ops/forget-permissions.ts).
  // This delete, with the permission's part of the erasure's Scan (citizen-records.ts), can go once every
  // stage has run that command with --yes after deploying this release (docs/updating.md).
  result.permission = await records.deletePermission(groupId, userId);
  return result;
}

const fail: Failure = failureOf('citizen:erase');

/** The community's VK id given on the command line: a positive whole number, or the command stops. */
function communityId(value: string | undefined): number {
  if (value === undefined) return fail(`${REQUIRED}\n\n${USAGE}`, 2);
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0)
    return fail(`--community must be a VK id, a positive whole number, not "${value}"`, 2);
  return id;
}

/** What one erasure did (a dry run: would do), without the citizen's id; `citizen` names them among several. */
function printErasure(result: CitizenErasure, groupId: number, citizen: string, dryRun: boolean): void {
  const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
  console.log(`${total} inquiries of ${citizen} in community ${groupId}: ${JSON.stringify(result.found)}`);
  for (const open of result.open)
    console.log(
      `open: ${open.id} case ${open.caseNumber ?? '-'} ${open.status} department ${open.department ?? '-'}`,
    );
  const would = dryRun ? 'would be deleted' : 'deleted';
  console.log(`inquiries ${would}: ${result.deleted}${dryRun ? '' : `, with ${result.items} items`}`);
  console.log(`conversation pointers ${would}: ${result.pointers}`);
  console.log(`messaging permission ${would}: ${result.permission ? 'yes' : 'no'}`);
  console.log(
    `items of others' inquiries quoting or mentioning them ${dryRun ? 'that would be redacted' : 'redacted'}: ${result.redacted}`,
  );
  console.log(`new inquiries never stored whole, their leftovers ${would}: ${result.unopened}`);
  for (const { id, reason } of result.kept) console.log(`kept: ${id} (${reason})`);
  console.log(
    result.markedAt
      ? `marked erased at ${result.markedAt} for ${ERASED_CITIZEN_DAYS} days: VK's changes of their erased messages are dropped`
      : `would be marked erased for ${ERASED_CITIZEN_DAYS} days`,
  );
}

async function main() {
  const values = optionsOf(
    {
      table: STAGE_OPTIONS.table,
      community: { type: 'string' },
      user: { type: 'string' },
      'user-from-stdin': { type: 'boolean', default: false },
      config: STAGE_OPTIONS.config,
      'include-open': { type: 'boolean', default: false },
      'removed-community': { type: 'boolean', default: false },
      ...stageOptions('segments', 'yes', 'dry-run', 'help'),
    } as const,
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  // No default configuration: the local demo's would send the deletion to its region and communities.
  if (values.table === undefined || values.config === undefined) fail(`${REQUIRED}\n\n${USAGE}`, 2);
  const groupId = communityId(values.community);
  const segments = segmentsOf(values.segments, fail);
  // Without --yes it only looks: a mistyped id would otherwise erase another citizen at once.
  const dryRun = !confirmedOf(values, 'deletes', fail);
  const config = stageConfigOrFail(values.config, fail);
  const configured = config.communities.some((community) => community.groupId === groupId);
  // A mistyped or swapped id would mark and erase someone else: only a community said to be removed may be
  // one the configuration does not name.
  if (!configured && !values['removed-community'])
    fail(
      `community ${groupId} is not in ${values.config}: check the id (and that it is not the citizen's); for a ` +
        'community taken out of the configuration, add --removed-community',
      2,
    );
  if (configured && values['removed-community'])
    fail(
      `--removed-community: community ${groupId} is in ${values.config}: check the id, or drop the option`,
      2,
    );
  const userIds = await citizenIdsOf(
    {
      user: values.user,
      fromStdin: values['user-from-stdin'],
      variable: process.env[USER_ID_VARIABLE],
    },
    readAllStdin,
    fail,
  );
  const client = stageDocumentClient(config);
  const keptOf: string[] = [];
  let kept = 0;
  for (const [index, userId] of userIds.entries()) {
    const citizen = userIds.length === 1 ? 'the citizen' : `citizen ${index + 1} of ${userIds.length}`;
    let result: CitizenErasure;
    try {
      result = await eraseCitizen({
        client,
        tableName: values.table,
        config,
        groupId,
        userId,
        includeOpen: values['include-open'],
        dryRun,
        segments,
        onRead: readPrinter(),
      });
    } catch (error) {
      const done = index > 0 ? ` (${index} before them done: run again with the same ids)` : '';
      return fail(`${citizen}${done}: ${tableFailure(error, values.table, config)}`);
    }
    printErasure(result, groupId, citizen, dryRun);
    if (result.kept.length > 0) {
      kept += result.kept.length;
      keptOf.push(String(index + 1));
    }
  }
  if (dryRun) console.log('deleted: nothing (a dry run: run it again with --yes to delete it)');
  if (kept > 0)
    fail(
      `${kept} ${dryRun ? 'would be kept' : 'kept'} (named above, with the reason)` +
        `${userIds.length > 1 ? `, of citizen ${keptOf.join(', ')} of ${userIds.length}` : ''}: ` +
        'the request is not done yet',
      KEPT,
    );
}

runAsCommand(import.meta.url, main, fail);
