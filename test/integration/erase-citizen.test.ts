import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIZENS_PER_SCAN } from '../../lambdas/adapters/citizen-records.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { openingKey } from '../../lambdas/adapters/inquiry-keys.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { erasureOf } from '../../lambdas/domain/inquiry/retention.js';
import {
  applyEvent,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../lambdas/domain/inquiry/state-machine.js';
import { inquiryView } from '../../lambdas/domain/operator/view.js';
import { deliveryHistoryEntry } from '../../lambdas/domain/outbox/delivery-outcome.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import { VersionConflictError } from '../../lambdas/domain/ports.js';
import type { CitizenMessage } from '../../lambdas/domain/vk/citizen-message.js';
import { vkEventSchema } from '../../lambdas/domain/vk/envelope.js';
import { ERASED_MENTION } from '../../lambdas/domain/vk/mentions.js';
import { toCitizenMessage } from '../../lambdas/domain/vk/normalise.js';
import { historyView } from '../../lambdas/operator-api/history-view.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { type CitizenErasure, eraseCitizen, eraseCitizens, KEPT } from '../../ops/erase-citizen.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID, DISTRICT_GROUP_ID, fixture, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { putLegacyPermission } from '../support/legacy-permission.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';
import { deliverer } from '../support/responder.js';
import { everyTableItem } from '../support/table-items.js';
import { temporaryFile } from '../support/temp-dir.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile(TEST_CONFIG_FILE);
const calendarOf = (groupId: number) => {
  const calendar = config.communities.find((community) => community.groupId === groupId)?.calendar;
  if (!calendar) throw new Error(`no community ${groupId}`);
  return calendar;
};

/** A test that runs the command a dozen times, each a Node process of its own (2–3 s on a busy machine). */
const CLI_TIMEOUT_MS = 90_000;

let call: OperatorApiCall;
/** The inquiry ids of these tests' routers, which the erasure is told to tell a community by. */
const idFor = (group: number, key: string) => `er-${group}-${key}`;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  call = await localOperatorApi();
});
afterAll(() => aws?.stop());

/** A citizen's direct message to a community, routed as the router routes it at `at`; resolves the inquiry. */
async function write(
  groupId: number,
  peerId: number,
  eventKey: string,
  at: string,
  text = 'Во дворе не вывозят мусор',
): Promise<string> {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: idFor,
  });
  const classified = classifiedDirectMessage({ peerId, eventKey, at, text, category: 'waste' });
  const message = { ...classified, message: { ...classified.message, groupId } };
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/**
 * A VK message to a community (the recorded message_new with `fields` over it), as the classifier hands it on
 * and the router routes it at `at`; resolves the inquiry.
 */
async function writeVk(groupId: number, eventKey: string, at: string, fields: Record<string, unknown>) {
  const recorded = (fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> })
    .message;
  const message: CitizenMessage | null = toCitizenMessage(
    vkEventSchema.parse({
      type: 'message_new',
      group_id: groupId,
      object: { message: { ...recorded, date: Date.parse(at) / 1000, ...fields }, client_info: {} },
    }),
  );
  if (!message) throw new Error('no citizen message');
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: idFor,
  });
  const classified = classifiedDirectMessage({ peerId: 1, eventKey, at, text: '', category: 'waste' });
  return (await router.routeCitizenMessage({ ...classified, message })).inquiryId;
}

/** The options naming the test's table, its configuration and a community, as ops give them. */
const stageArguments = (community: number) => [
  '--table',
  aws.tableName,
  '--config',
  TEST_CONFIG_FILE,
  '--community',
  String(community),
];

async function change(id: string, at: string, event: (inquiry: Inquiry) => InquiryEvent): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  const result = applyEvent(inquiry, event(inquiry), {
    calendar: calendarOf(inquiry.groupId),
    warnAtFraction: 0.8,
    now: new Date(at),
  });
  if (result.outcome !== 'changed') throw new Error(`the change of ${id} was ${result.outcome}`);
  await repository.update(result.inquiry, inquiry.version, result.history);
}

const answer = (id: string, at: string) =>
  change(id, at, () => ({
    type: 'final_answer',
    cause: `op:answer-${id}`,
    at,
    operatorId: 'operator',
    text: 'Мусор вывезли',
    via: 'console',
  }));

const close = (id: string, at: string) =>
  change(id, at, () => ({
    type: 'close',
    cause: `op:close-${id}`,
    at,
    reason: 'решено',
    operatorId: 'operator',
  }));

/** The answer's message to the citizen, as the operator API queues it. */
async function answerMessage(id: string, at: string) {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  return {
    kind: 'message_to_citizen' as const,
    id: outboxIdFor(id, 'answer', `op:answer-${id}`),
    inquiryId: id,
    groupId: inquiry.groupId,
    purpose: 'answer' as const,
    replyTo: inquiry.replyTo,
    citizenId: inquiry.authorId,
    text: 'Мусор вывезли',
    requestedAt: at,
    requestedBy: 'operator',
  };
}

/** The answer delivered by the responder: its history entry and its record, through the responder's ledger. */
async function delivered(id: string, at: string): Promise<void> {
  const ledger = new DynamoOutboxLedger(documents, aws.tableName);
  const message = await answerMessage(id, at);
  const outcome = { kind: 'delivered' as const, method: 'messages.send', vkId: 4242 };
  await ledger.appendHistory([deliveryHistoryEntry(message, outcome, '1.1', at)]);
  await ledger.putRecord({ id: message.id, inquiryId: id, status: 'delivered', at, attempts: 1, vkId: 4242 });
}

/** Their message_allow, as releases up to 13d2507 recorded it (a deployed table may still hold one). */
const permit = (groupId: number, userId: number) =>
  putLegacyPermission(documents, aws.tableName, {
    groupId,
    userId,
    allowed: true,
    at: '2026-01-12T04:00:00.000Z',
  });

async function everyItem(withMarks = false): Promise<Record<string, unknown>[]> {
  const items = await everyTableItem(documents, aws.tableName);
  // The marks of citizens erased, and of their community's latest erasure, which each run moves on, only when
  // asked (erased-citizen-changes.test.ts).
  return items
    .filter((item) => withMarks || (item.entity !== 'erased_citizen' && item.entity !== 'community_erasures'))
    .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

/** Every item of the inquiry's, or naming it. */
const itemsOf = async (id: string) =>
  (await everyItem()).filter((item) => String(item.pk).includes(id) || item.inquiryId === id);

/** The items that are not the citizen's: neither of their inquiries, nor their pointer or permission. */
const othersThan = (items: Record<string, unknown>[], userId: number, ids: string[]) =>
  items.filter(
    (item) =>
      !ids.some((id) => String(item.pk).includes(id) || item.inquiryId === id) &&
      item.pk !== `CONV#${DEMO_GROUP_ID}#dm:${userId}#${userId}` &&
      item.pk !== `CITIZEN#${DEMO_GROUP_ID}#${userId}`,
  );

/**
 * The command's run; every run but a dry one marks the citizen erased, which the router reads
 * (erased-citizen-changes.test.ts): the rest of what it says is compared here.
 */
async function erase(
  groupId: number,
  userId: number,
  options: { includeOpen?: boolean; dryRun?: boolean } = {},
): Promise<CitizenErasure> {
  const { markedAt, ...result } = await eraseCitizen({
    client: documents,
    tableName: aws.tableName,
    config,
    groupId,
    userId,
    inquiryIdFor: idFor,
    ...options,
  });
  expect(markedAt === undefined).toBe(options.dryRun === true);
  return result;
}

/**
 * A client of the same table that notes each write to an inquiry item, in order: `put <status>` or `delete`.
 * Through the real SDK: a middleware sees each request as it goes to dynalite.
 */
function watchedClient(id: string) {
  const base = localDynamoClient(aws.emulators.dynamoEndpoint);
  const writes: string[] = [];
  base.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Item?: { pk?: { S?: string }; sk?: { S?: string }; status?: { S?: string } };
        Key?: { pk?: { S?: string }; sk?: { S?: string } };
      };
      const key = input.Item ?? input.Key;
      if (key?.pk?.S === `INQ#${id}` && key.sk?.S === 'INQUIRY') {
        if (context.commandName === 'PutItemCommand') writes.push(`put ${input.Item?.status?.S}`);
        if (context.commandName === 'DeleteItemCommand') writes.push('delete');
      }
      return next(args);
    },
    { step: 'build' },
  );
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { client, writes };
}

const nothingLeft: CitizenErasure = {
  found: {},
  open: [],
  deleted: 0,
  items: 0,
  pointers: 0,
  permission: false,
  redacted: 0,
  unopened: 0,
  configured: true,
  kept: [],
};

describe('erasing a citizen on their request, against dynalite', () => {
  it('deletes their finished inquiries, lists and keeps the open one, and touches no one else', async () => {
    const citizen = 7_200_001;
    // January: answered, the answer delivered. March: answered, then closed. May: still open.
    const answered = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(answered, '2026-01-13T06:00:00.000Z');
    await delivered(answered, '2026-01-13T06:00:05.000Z');
    const closed = await write(DEMO_GROUP_ID, citizen, `${citizen}-b`, '2026-03-10T04:00:00.000Z');
    await answer(closed, '2026-03-11T06:00:00.000Z');
    await close(closed, '2026-03-12T06:00:00.000Z');
    const open = await write(DEMO_GROUP_ID, citizen, `${citizen}-c`, '2026-05-12T04:00:00.000Z');
    expect(new Set([answered, closed, open]).size).toBe(3);
    await permit(DEMO_GROUP_ID, citizen);
    // Another citizen of the same community, and the same VK id in another community.
    const neighbour = await write(DEMO_GROUP_ID, citizen + 1, `${citizen + 1}-a`, '2026-01-12T04:00:00.000Z');
    await answer(neighbour, '2026-01-13T06:00:00.000Z');
    await permit(DEMO_GROUP_ID, citizen + 1);
    const elsewhere = await write(DISTRICT_GROUP_ID, citizen, `${citizen}-d`, '2026-01-12T04:00:00.000Z');
    await answer(elsewhere, '2026-01-13T06:00:00.000Z');
    await permit(DISTRICT_GROUP_ID, citizen);
    const openInquiry = await repository.getInquiry(open);
    expect(openInquiry?.caseNumber).toBeDefined();
    expect((await itemsOf(answered)).map((item) => item.entity).sort()).toEqual(
      expect.arrayContaining(['case', 'history', 'inquiry', 'message', 'outbox']),
    );
    const before = await everyItem();
    const others = othersThan(before, citizen, [answered, closed, open]);
    expect(others.length).toBeLessThan(before.length - 10);
    expect(others.map((item) => item.pk)).toEqual(
      expect.arrayContaining([
        `CITIZEN#${DISTRICT_GROUP_ID}#${citizen}`,
        `INQ#${neighbour}`,
        `INQ#${elsewhere}`,
      ]),
    );
    const openOne = {
      id: open,
      caseNumber: openInquiry?.caseNumber,
      status: 'routed',
      department: 'housing',
    };
    const keptOpen = { id: open, reason: 'open: not deleted without --include-open' };

    const dryRun = await erase(DEMO_GROUP_ID, citizen, { dryRun: true });
    expect(dryRun).toEqual({
      found: { answered: 1, closed: 1, routed: 1 },
      open: [openOne],
      deleted: 2,
      items: 0,
      // The conversation's one pointer names the open inquiry: it stays. The permission an earlier release
      // recorded goes whatever is kept: nothing reads it.
      pointers: 0,
      permission: true,
      redacted: 0,
      unopened: 0,
      configured: true,
      kept: [keptOpen],
    });
    expect(await everyItem()).toEqual(before);

    const openItems = await itemsOf(open);
    const run = await erase(DEMO_GROUP_ID, citizen);
    expect(run).toMatchObject({ ...dryRun, items: expect.any(Number) });
    expect(run.items).toBeGreaterThan(4);
    expect(await itemsOf(answered)).toEqual([]);
    expect(await itemsOf(closed)).toEqual([]);
    expect(await itemsOf(open)).toEqual(openItems);
    const after = await everyItem();
    expect(othersThan(after, citizen, [answered, closed, open])).toEqual(others);
    expect(after.some((item) => item.pk === `CITIZEN#${DEMO_GROUP_ID}#${citizen}`)).toBe(false);
    expect(after.filter((item) => item.pk === 'RETENTION')).toEqual([]);

    // The answer of the January inquiry, still queued (a dead letter replayed late), never goes out.
    const calls: string[] = [];
    const deliver = deliverer({
      config,
      documents,
      tableName: aws.tableName,
      vk: async (method) => {
        calls.push(method);
        return 1;
      },
      now: '2026-06-01T07:00:00.000Z',
    });
    const late = { ...(await answerMessage(open, '2026-01-13T06:00:00.000Z')), inquiryId: answered };
    expect(await deliver({ ...late, id: outboxIdFor(answered, 'answer', 'late') }, 1)).toEqual({
      done: true,
      outcome: { kind: 'inquiry_gone' },
    });
    expect(calls).toEqual([]);
    expect(await itemsOf(answered)).toEqual([]);

    // Again: only the open one is found, and kept.
    expect(await erase(DEMO_GROUP_ID, citizen)).toEqual({
      ...nothingLeft,
      found: { routed: 1 },
      open: [openOne],
      kept: [keptOpen],
    });
    expect(await everyItem()).toEqual(after);

    // With --include-open: rejected first (nothing to the citizen), then deleted, with the pointer; the dry
    // run says so and does nothing.
    expect(await erase(DEMO_GROUP_ID, citizen, { includeOpen: true, dryRun: true })).toEqual({
      ...nothingLeft,
      found: { routed: 1 },
      open: [openOne],
      deleted: 1,
      pointers: 1,
    });
    expect(await everyItem()).toEqual(after);
    const watched = watchedClient(open);
    const all = await eraseCitizen({
      client: watched.client,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: citizen,
      includeOpen: true,
    });
    // Rejected first, as an operator would (out of open work, its deadline stopped), then deleted.
    expect(watched.writes).toEqual(['put rejected', 'delete']);
    expect(all).toMatchObject({ found: { routed: 1 }, deleted: 1, pointers: 1, permission: false, kept: [] });
    const left = await everyItem();
    expect(left).toEqual(others);

    expect(await erase(DEMO_GROUP_ID, citizen, { includeOpen: true })).toEqual(nothingLeft);
  });

  it("finishes a run that stopped after an inquiry item went, with its conversation's pointer", async () => {
    const citizen = 7_200_011;
    const id = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(id, '2026-01-13T06:00:00.000Z');
    await delivered(id, '2026-01-13T06:00:05.000Z');
    // A run stopped right after the inquiry item went: its mark, history and lookups are left.
    const store = new DynamoRetentionStore(documents, aws.tableName);
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not stored');
    expect(await store.beginErasure(erasureOf(inquiry))).toBe('begun');
    const stopped = await itemsOf(id);
    expect(stopped.length).toBeGreaterThan(3);

    // The dry run counts it among those it would delete.
    expect(await erase(DEMO_GROUP_ID, citizen, { dryRun: true })).toEqual({
      ...nothingLeft,
      deleted: 1,
      pointers: 1,
    });
    const run = await erase(DEMO_GROUP_ID, citizen);
    // Its items but the mark, which goes uncounted, as the sweep counts them.
    expect(run).toEqual({ ...nothingLeft, deleted: 1, items: stopped.length - 1, pointers: 1 });
    expect(await itemsOf(id)).toEqual([]);
    expect((await everyItem()).filter((item) => item.pk === 'RETENTION')).toEqual([]);
  });

  it('closes, rather than rejects, an open inquiry whose answer VK refused, then deletes it', async () => {
    const citizen = 7_200_021;
    const id = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(id, '2026-01-13T06:00:00.000Z');
    const outboxId = outboxIdFor(id, 'answer', `op:answer-${id}`);
    await change(id, '2026-01-13T06:00:05.000Z', () => ({
      type: 'delivery_failed',
      cause: deliveryFailedCause(outboxId),
      at: '2026-01-13T06:00:05.000Z',
      outboxId,
      purpose: 'answer',
      reason: 'VK error 901',
    }));
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      undelivered: { purpose: 'answer' },
    });
    expect(await erase(DEMO_GROUP_ID, citizen)).toMatchObject({ deleted: 0, kept: [{ id }] });
    const watched = watchedClient(id);
    expect(
      await eraseCitizen({
        client: watched.client,
        tableName: aws.tableName,
        config,
        groupId: DEMO_GROUP_ID,
        userId: citizen,
        includeOpen: true,
      }),
    ).toMatchObject({ found: { in_progress: 1 }, deleted: 1, kept: [] });
    expect(watched.writes).toEqual(['put closed', 'delete']);
    expect(await itemsOf(id)).toEqual([]);
  });

  it('finds what no department lists: a message rejected before rejected ones were listed under triage', async () => {
    const citizen = 7_200_041;
    const id = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(id, '2026-01-13T06:00:00.000Z');
    // As stored before: rejected, with no department, so in no index by department.
    const old: Inquiry = {
      ...((await repository.getInquiry(`er-${DEMO_GROUP_ID}-${citizen}-a`)) as Inquiry),
      id: `er-${DEMO_GROUP_ID}-${citizen}-old`,
      status: 'rejected',
      version: 1,
    };
    delete old.department;
    delete old.caseNumber;
    expect(await repository.create(old, [])).toBe(true);
    expect(await erase(DEMO_GROUP_ID, citizen)).toMatchObject({
      found: { answered: 1, rejected: 1 },
      deleted: 2,
      kept: [],
    });
    expect(await itemsOf(old.id)).toEqual([]);
    expect(await itemsOf(id)).toEqual([]);
  });

  it("redacts their words that others passed on in their inquiries, and keeps the others' own", async () => {
    const citizen = 7_200_051;
    const member = 7_200_052;
    const forwarder = 7_200_053;
    const chat = 2_000_000_051;
    const theirs = 'Во дворе дома 5 по ул. Мира не вывозят мусор, звоните Борису 8-900-111-22-33';
    const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T04:00:00.000Z`;
    const foreign = (fromId: number, text: string, date: string) => ({
      date: Date.parse(date) / 1000,
      from_id: fromId,
      text,
      attachments: [],
      conversation_message_id: 7,
      peer_id: chat,
    });
    // In a group chat: the citizen writes to the community, and another member replies to their message.
    const own = await writeVk(DEMO_GROUP_ID, `${citizen}-chat`, at(2), {
      from_id: citizen,
      peer_id: chat,
      conversation_message_id: 7,
      text: `[club${DEMO_GROUP_ID}|Администрация], ${theirs}`,
    });
    const replied = await writeVk(DEMO_GROUP_ID, `${member}-chat`, at(3), {
      from_id: member,
      peer_id: chat,
      conversation_message_id: 8,
      text: `[club${DEMO_GROUP_ID}|Администрация], у нас то же самое`,
      reply_message: foreign(citizen, theirs, at(2)),
    });
    // In a dialogue: someone forwards the citizen's message with a neighbour's; and in another community.
    const forwarded = await writeVk(DEMO_GROUP_ID, `${forwarder}-dm`, at(4), {
      from_id: forwarder,
      peer_id: forwarder,
      text: 'Пересылаю жалобы соседей',
      fwd_messages: [foreign(citizen, theirs, at(2)), foreign(member, 'И у нас контейнеры полные', at(3))],
    });
    const elsewhere = await writeVk(DISTRICT_GROUP_ID, `${forwarder}-district`, at(5), {
      from_id: forwarder,
      peer_id: forwarder,
      text: 'Пересылаю жалобу',
      fwd_messages: [foreign(citizen, theirs, at(2))],
    });
    expect(new Set([own, replied, forwarded, elsewhere]).size).toBe(4);
    expect((await repository.getInquiry(replied))?.quoted).toEqual([
      expect.objectContaining({ kind: 'reply', authorId: citizen, text: theirs }),
    ]);
    const quoting = async () =>
      (await everyItem()).filter(
        (item) => JSON.stringify(item).includes('Борис') && !String(item.pk).includes(elsewhere),
      );
    expect((await quoting()).map((item) => `${item.pk} ${item.entity}`)).toEqual(
      expect.arrayContaining([
        `INQ#${replied} inquiry`,
        `INQ#${replied} history`,
        `INQ#${forwarded} history`,
      ]),
    );
    const before = await everyItem();

    const dryRun = await erase(DEMO_GROUP_ID, citizen, { includeOpen: true, dryRun: true });
    // The inquiry and its `message` entry, of each of the two who passed their words on.
    expect(dryRun).toMatchObject({ found: { routed: 1 }, deleted: 1, redacted: 4, kept: [] });
    expect(await everyItem()).toEqual(before);

    const repliedBefore = await repository.getInquiry(replied);
    const run = await erase(DEMO_GROUP_ID, citizen, { includeOpen: true });
    expect(run).toMatchObject({ found: { routed: 1 }, deleted: 1, redacted: 4, kept: [] });
    expect(await itemsOf(own)).toEqual([]);
    // Nothing of theirs is left in the community: not their words, not their id.
    expect(await quoting()).toEqual([]);
    expect(
      (await everyItem()).filter(
        (item) => JSON.stringify(item).includes(String(citizen)) && !String(item.pk).includes(elsewhere),
      ),
    ).toEqual([]);
    // The others' inquiries read as they did, their words and places kept; the other community's is untouched.
    const redacted = { kind: 'reply', depth: 1, text: '', redacted: true };
    const stored = await repository.get(replied);
    expect(stored?.inquiry).toMatchObject({
      ...repliedBefore,
      quoted: [redacted],
      version: (repliedBefore?.version ?? 0) + 1,
    });
    expect(stored?.inquiry.text).toContain('у нас то же самое');
    expect(stored?.history.find((entry) => entry.kind === 'message')?.detail.quoted).toEqual([redacted]);
    const forwardedNow = await repository.get(forwarded);
    const forwardedQuotes = [
      { kind: 'forwarded', depth: 1, text: '', redacted: true },
      expect.objectContaining({
        kind: 'forwarded',
        depth: 1,
        authorId: member,
        text: 'И у нас контейнеры полные',
      }),
    ];
    expect(forwardedNow?.inquiry.quoted).toEqual(forwardedQuotes);
    expect(forwardedNow?.inquiry.text).toBe('Пересылаю жалобы соседей');
    expect(forwardedNow?.history.find((entry) => entry.kind === 'message')?.detail.quoted).toEqual(
      forwardedQuotes,
    );
    expect((await repository.getInquiry(elsewhere))?.quoted).toEqual([
      expect.objectContaining({ authorId: citizen, text: theirs }),
    ]);
    // The operator API shows the place as redacted, in the inquiry and in its history.
    expect(
      inquiryView(
        stored?.inquiry as Inquiry,
        { id: 'admin', name: 'Admin', admin: true, departments: [] },
        new Map(),
        config,
      ).quoted,
    ).toEqual([redacted]);
    expect(
      historyView(stored?.history ?? [], (text) => `#${text.length}`, {
        followedCase: true,
        joinedCase: () => true,
      }).find((entry) => entry.kind === 'message')?.detail.quoted,
    ).toEqual([redacted]);

    const after = await everyItem();
    expect(await erase(DEMO_GROUP_ID, citizen, { includeOpen: true })).toEqual(nothingLeft);
    expect(await everyItem()).toEqual(after);
  });

  /** An inquiry of `member`'s, stored as a reply to `citizen`'s message would be: it quotes them. */
  async function memberQuoting(citizen: number, member: number): Promise<string> {
    const id = await write(DEMO_GROUP_ID, member, `${member}-a`, '2026-02-02T04:00:00.000Z');
    const stored = (await repository.getInquiry(id)) as Inquiry;
    await repository.update(
      {
        ...stored,
        version: stored.version + 1,
        quoted: [{ kind: 'reply', depth: 1, authorId: citizen, text: 'Моё' }],
      },
      stored.version,
      [],
    );
    return id;
  }

  it('redacts an inquiry changed meanwhile on what it has become, and keeps the change', async () => {
    const citizen = 7_200_061;
    const member = 7_200_062;
    const id = await memberQuoting(citizen, member);
    // The department answers it between the redaction's read and its write; a writer reads it as it is
    // before the redaction's next write.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let answered = false;
    let stale: Inquiry | undefined;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string } } };
        if (context.commandName === 'UpdateItemCommand' && input.Key?.pk?.S === `INQ#${id}`) {
          if (!answered) await answer(id, '2026-02-03T06:00:00.000Z');
          answered = true;
          stale = await repository.getInquiry(id);
        }
        return next(args);
      },
      { step: 'build' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const run = await eraseCitizen({
      client,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: citizen,
    });
    expect(answered).toBe(true);
    expect(run).toEqual({ ...nothingLeft, redacted: 1, markedAt: expect.any(String) });
    const redacted = { status: 'answered', quoted: [{ kind: 'reply', depth: 1, text: '', redacted: true }] };
    expect(await repository.getInquiry(id)).toMatchObject(redacted);
    // That writer's change, made on what it read, is refused: it reads again, rather than put the quote back.
    if (!stale) throw new Error('no read before the redaction');
    expect(stale.quoted?.[0]?.authorId).toBe(citizen);
    await expect(
      repository.update(
        { ...stale, version: stale.version + 1, note: 'stale' } as Inquiry,
        stale.version,
        [],
      ),
    ).rejects.toThrow(VersionConflictError);
    expect(await repository.getInquiry(id)).toMatchObject(redacted);
  });

  it('reports kept, not redacted, an inquiry quoting them that changes at each try of its redaction', async () => {
    const citizen = 7_200_063;
    const member = 7_200_064;
    const id = await memberQuoting(citizen, member);
    // An operator's change lands between each read of the redaction and its write.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let changes = 0;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string } } };
        if (context.commandName === 'UpdateItemCommand' && input.Key?.pk?.S === `INQ#${id}`) {
          const now = (await repository.getInquiry(id)) as Inquiry;
          await repository.update(
            { ...now, version: now.version + 1, updatedAt: `2026-02-03T06:00:0${++changes}.000Z` },
            now.version,
            [],
          );
        }
        return next(args);
      },
      { step: 'build' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const run = await eraseCitizen({
      client,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: citizen,
    });
    expect(changes).toBeGreaterThan(1);
    expect(run).toEqual({
      ...nothingLeft,
      kept: [{ id, reason: expect.stringContaining('run again') }],
      markedAt: expect.any(String),
    });
    // Their words are still there: the run that reports it kept is to be run again.
    expect((await repository.getInquiry(id))?.quoted?.[0]).toMatchObject({ authorId: citizen, text: 'Моё' });
  });

  it('deletes an open inquiry that a stopped run rejected and an operator put back into work', async () => {
    const citizen = 7_200_071;
    const id = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-02-02T04:00:00.000Z');
    // A run that stops after the reject, before the deletion begins (its mark never written).
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Item?: { entity?: { S?: string } } };
        if (context.commandName === 'PutItemCommand' && input.Item?.entity?.S === 'erasure')
          throw new Error('stopped');
        return next(args);
      },
      { step: 'build' },
    );
    const stopping = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    await expect(
      eraseCitizen({
        client: stopping,
        tableName: aws.tableName,
        config,
        groupId: DEMO_GROUP_ID,
        userId: citizen,
        includeOpen: true,
      }),
    ).rejects.toThrow('stopped');
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'rejected' });
    // An operator routes it back into work through the operator API.
    const moved = await call(
      'POST',
      `/api/v1/inquiries/${id}/move`,
      'local-admin-token-change-me',
      { department: 'housing', category: 'waste', reason: 'отклонено по ошибке' },
      { 'idempotency-key': `back-${id}` },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'routed', department: 'housing' });

    const run = await erase(DEMO_GROUP_ID, citizen, { includeOpen: true });
    expect(run).toMatchObject({ found: { routed: 1 }, deleted: 1, pointers: 1, permission: false, kept: [] });
    expect(await itemsOf(id)).toEqual([]);
  });

  it('reads the table in parts side by side, and finds their inquiries in each part', async () => {
    const citizen = 7_200_041;
    // Ten finished inquiries, ten days apart (a message after the answer's 72 hours opens a new one).
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      const day = (offset: number) => new Date(Date.UTC(2026, 0, 5 + 10 * n + offset, 4)).toISOString();
      const id = await write(DEMO_GROUP_ID, citizen, `${citizen}-${n}`, day(0));
      await answer(id, day(1));
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(10);
    // Each of the four parts holds one of them at least: a part left unread would leave one behind.
    const segments = 4;
    for (let segment = 0; segment < segments; segment++) {
      const part = await documents.send(
        new ScanCommand({
          TableName: aws.tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: '#entity = :inquiry AND #authorId = :citizen',
          ExpressionAttributeNames: { '#entity': 'entity', '#authorId': 'authorId' },
          ExpressionAttributeValues: { ':inquiry': 'inquiry', ':citizen': citizen },
        }),
      );
      expect(part.LastEvaluatedKey).toBeUndefined();
      expect(part.Items?.length, `part ${segment}`).toBeGreaterThan(0);
    }

    // The erasure's Scan requests, through a client of its own: which part each read, and how many at once.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    const scans: { segment?: number; of?: number }[] = [];
    let reading = 0;
    let mostAtOnce = 0;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'ScanCommand') return next(args);
        const input = args.input as { Segment?: number; TotalSegments?: number };
        scans.push({ segment: input.Segment, of: input.TotalSegments });
        reading++;
        mostAtOnce = Math.max(mostAtOnce, reading);
        try {
          return await next(args);
        } finally {
          reading--;
        }
      },
      { step: 'initialize' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const items = (await everyItem(true)).length;
    const read: number[] = [];
    const erased = await eraseCitizen({
      client,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: citizen,
      segments,
      onRead: (scanned) => void read.push(scanned),
    });
    expect(erased).toMatchObject({ found: { answered: 10 }, deleted: 10, kept: [] });
    expect(new Set(scans.map(({ segment, of }) => `${segment} of ${of}`))).toEqual(
      new Set(['0 of 4', '1 of 4', '2 of 4', '3 of 4']),
    );
    expect(mostAtOnce).toBe(segments);
    // What the command prints as it goes: the items read so far, all parts together; at the end, every one.
    expect(read.at(-1)).toBe(items);
    for (const id of ids) expect(await repository.getInquiry(id)).toBeUndefined();
  });

  it("erases the others when a citizen's opening or erasure mark is malformed, and names the mark kept", async () => {
    const [first, second] = [7_200_301, 7_200_302];
    const ofFirst = await write(DEMO_GROUP_ID, first, 'bad-mark-first', '2026-01-12T04:00:00.000Z');
    await answer(ofFirst, '2026-01-13T06:00:00.000Z');
    const ofSecond = await write(DEMO_GROUP_ID, second, 'bad-mark-second', '2026-01-12T04:00:00.000Z');
    await answer(ofSecond, '2026-01-13T06:00:00.000Z');
    // Edited in the console: an opening's mark without its inquiry's id, an erasure's with its version a string.
    const mark = { groupId: DEMO_GROUP_ID, conversationKey: `dm:${first}`, authorId: first };
    const marks = [
      { ...openingKey('er-unstored-1'), entity: 'opening', ...mark, at: '2026-01-12T04:00:00.000Z' },
      {
        pk: 'RETENTION',
        sk: 'ERASE#er-stopped-1',
        entity: 'erasure',
        ...mark,
        inquiryId: 'er-stopped-1',
        version: '3',
      },
    ];
    for (const item of marks) await documents.send(new PutCommand({ TableName: aws.tableName, Item: item }));

    const results: CitizenErasure[] = [];
    for await (const { markedAt, ...result } of eraseCitizens({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      inquiryIdFor: idFor,
      userIds: [first, second],
      segments: 1,
    }))
      results.push(result);

    // In the order of their ids: the table's is the Scan's.
    const byId = (kept: CitizenErasure['kept']) => [...kept].sort((a, b) => a.id.localeCompare(b.id));
    expect(results.map(({ deleted, kept }) => ({ deleted, kept: byId(kept) }))).toEqual([
      {
        deleted: 1,
        kept: [
          {
            id: 'er-stopped-1',
            reason: 'its erasure mark is malformed (version): not acted on; mend it and run again',
          },
          {
            id: 'er-unstored-1',
            reason: 'its opening mark is malformed (inquiryId): not acted on; mend it and run again',
          },
        ],
      },
      { deleted: 1, kept: [] },
    ]);
    for (const id of [ofFirst, ofSecond]) expect(await repository.getInquiry(id)).toBeUndefined();
    for (const { pk, sk, ...stored } of marks)
      expect(
        (await documents.send(new GetCommand({ TableName: aws.tableName, Key: { pk, sk } }))).Item,
      ).toEqual({
        pk,
        sk,
        ...stored,
      });
  });

  it('erases several citizens from one read of the table, finding each as their own read would', async () => {
    const [first, second, third] = [7_200_091, 7_200_092, 7_200_093];
    const neighbour = 7_200_094;
    const finished = async (citizen: number, key: string, text: string) => {
      const id = await write(DEMO_GROUP_ID, citizen, key, '2026-01-12T04:00:00.000Z', text);
      await answer(id, '2026-01-13T06:00:00.000Z');
      return id;
    };
    // The second mentions the first, the neighbour the third; the third has an open inquiry too.
    const ofFirst = await finished(first, 'several-first', 'Во дворе не вывозят мусор');
    const ofSecond = await finished(second, 'several-second', `[id${first}|Иван], у нас то же самое`);
    const ofThird = await finished(third, 'several-third', 'Яма на Садовой');
    const openOfThird = await write(DEMO_GROUP_ID, third, 'several-third-open', '2026-03-02T04:00:00.000Z');
    const ofNeighbour = await finished(neighbour, 'several-neighbour', `Спросите @id${third} (Анна)`);
    const citizens = [first, second, third];

    // The Scan requests of a client of its own.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let scans = 0;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand') scans++;
        return next(args);
      },
      { step: 'initialize' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const common = { client, tableName: aws.tableName, config, groupId: DEMO_GROUP_ID, inquiryIdFor: idFor };
    const eraseAll = async (dryRun: boolean) => {
      const results: CitizenErasure[] = [];
      for await (const { markedAt, ...result } of eraseCitizens({
        ...common,
        userIds: citizens,
        dryRun,
        segments: 1,
      }))
        results.push(result);
      return results;
    };

    // A look finds of each what a look at them alone finds, from one read.
    const alone: CitizenErasure[] = [];
    for (const userId of citizens) alone.push(await erase(DEMO_GROUP_ID, userId, { dryRun: true }));
    scans = 0;
    expect(await eraseAll(true)).toEqual(alone);
    expect(scans).toBe(1);
    expect(alone.map(({ deleted, redacted }) => ({ deleted, redacted }))).toEqual([
      { deleted: 1, redacted: 3 },
      { deleted: 1, redacted: 0 },
      { deleted: 1, redacted: 3 },
    ]);

    // The run reads once too; the second's inquiry, redacted for the first, is deleted for the second.
    scans = 0;
    const run = await eraseAll(false);
    expect(scans).toBe(1);
    expect(run.map(({ deleted, kept }) => ({ deleted, kept: kept.map(({ id }) => id) }))).toEqual([
      { deleted: 1, kept: [] },
      { deleted: 1, kept: [] },
      { deleted: 1, kept: [openOfThird] },
    ]);
    for (const id of [ofFirst, ofSecond, ofThird]) expect(await repository.getInquiry(id)).toBeUndefined();
    expect((await repository.getInquiry(openOfThird))?.authorId).toBe(third);
    expect((await repository.getInquiry(ofNeighbour))?.text).toBe(`Спросите ${ERASED_MENTION}`);

    // One read for each CITIZENS_PER_SCAN of a longer list (its filter would outgrow DynamoDB's 4 KB), each
    // looking for that many: 40 citizens take two reads.
    for (const [count, reads] of [
      [CITIZENS_PER_SCAN + 1, 2],
      [2 * CITIZENS_PER_SCAN, 2],
    ] as const) {
      scans = 0;
      const many = Array.from({ length: count }, (_, i) => 7_200_100 + i);
      let looked = 0;
      for await (const _ of eraseCitizens({ ...common, userIds: many, dryRun: true, segments: 1 })) looked++;
      expect({ looked, scans }).toEqual({ looked: many.length, scans: reads });
    }
  });

  it("erases what a citizen of several writes after the run's read of the table and before their turn", async () => {
    const [first, second, third] = [7_200_201, 7_200_202, 7_200_203];
    for (const [citizen, key] of [
      [first, 'window-first'],
      [second, 'window-second'],
      [third, 'window-third'],
    ] as const)
      await answer(
        await write(DEMO_GROUP_ID, citizen, key, '2026-01-12T04:00:00.000Z'),
        '2026-01-13T06:00:00.000Z',
      );

    // The third writes once the read is done (the first's erasure came of it) and before their turn, now.
    let written: string | undefined;
    const results: CitizenErasure[] = [];
    for await (const { markedAt, ...result } of eraseCitizens({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userIds: [first, second, third],
      includeOpen: true,
      segments: 1,
      inquiryIdFor: idFor,
    })) {
      results.push(result);
      if (results.length === 1)
        written = await write(
          DEMO_GROUP_ID,
          third,
          'window-third-new',
          new Date().toISOString(),
          'Яма снова',
        );
    }

    expect(results.map(({ deleted, kept }) => ({ deleted, kept }))).toEqual([
      { deleted: 1, kept: [] },
      { deleted: 1, kept: [] },
      { deleted: 2, kept: [] },
    ]);
    expect(written && (await repository.getInquiry(written))).toBeUndefined();
    expect(
      (await everyItem()).filter(
        (item) => item.authorId === third || item.actorId === third || String(item.pk).endsWith(`#${third}`),
      ),
    ).toEqual([]);
  });

  it('erases what the citizen writes while the table is read, after the part that would have held it', async () => {
    const citizen = 7_200_211;
    const before = await write(DEMO_GROUP_ID, citizen, 'reading-before', '2026-01-12T04:00:00.000Z');
    await answer(before, '2026-01-13T06:00:00.000Z');

    // A client whose Scan, once it has read its part, waits for the citizen's new message, stored now.
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let written: string | undefined;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'ScanCommand' && written === undefined)
          written = await write(DEMO_GROUP_ID, citizen, 'reading-new', new Date().toISOString(), 'Яма снова');
        return output;
      },
      { step: 'initialize' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const { markedAt, ...result } = await eraseCitizen({
      client,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: citizen,
      includeOpen: true,
      segments: 1,
      inquiryIdFor: idFor,
    });

    expect({ deleted: result.deleted, kept: result.kept }).toEqual({ deleted: 2, kept: [] });
    expect(written && (await repository.getInquiry(written))).toBeUndefined();
    expect(
      (await everyItem()).filter(
        (item) =>
          item.authorId === citizen || item.actorId === citizen || String(item.pk).endsWith(`#${citizen}`),
      ),
    ).toEqual([]);
  });

  it('erases in a community removed from the configuration: its finished inquiries go, its open ones stay', async () => {
    const citizen = 7_200_041;
    const finished = await write(DISTRICT_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(finished, '2026-01-13T06:00:00.000Z');
    const open = await write(
      DISTRICT_GROUP_ID,
      citizen,
      `${citizen}-b`,
      '2026-02-20T04:00:00.000Z',
      'Яма на дороге у школы',
    );
    const removed = {
      ...config,
      communities: config.communities.filter(({ groupId }) => groupId !== DISTRICT_GROUP_ID),
    };
    const run = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config: removed,
      groupId: DISTRICT_GROUP_ID,
      userId: citizen,
      // Asked for, and not possible: no operator can reject an inquiry of a community removed.
      includeOpen: true,
      inquiryIdFor: idFor,
    });
    expect(run).toMatchObject({
      configured: false,
      deleted: 1,
      // The conversation's pointer names the open one: it stays.
      pointers: 0,
      permission: false,
      kept: [{ id: open, reason: expect.stringContaining('its community is no longer configured') }],
    });
    expect(run.open.map(({ id }) => id)).toEqual([open]);
    expect(await itemsOf(finished)).toEqual([]);
    expect(await repository.getInquiry(open)).toMatchObject({ status: 'routed' });
  });

  it('runs as npm run citizen:erase, and says what it needs when called without it', {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const env = opsCommandEnvironment(aws);
    const common = stageArguments(DEMO_GROUP_ID);
    const elsewhere = stageArguments(99);
    // Runs that change nothing, each a process of its own: side by side.
    const [help, bare, unconfigured, malformed, unknown, parts, mistyped, removed, notRemoved] =
      await Promise.all([
        runTsx('ops/erase-citizen.ts', ['--help'], undefined, env),
        runTsx('ops/erase-citizen.ts', [], undefined, env),
        // Without --config it deletes nothing: the local demo's configuration is no stand-in for the one deployed.
        runTsx(
          'ops/erase-citizen.ts',
          ['--table', aws.tableName, '--community', String(DEMO_GROUP_ID), '--user', '5'],
          undefined,
          env,
        ),
        runTsx('ops/erase-citizen.ts', [...common, '--user', 'id12'], undefined, env),
        runTsx('ops/erase-citizen.ts', [...common, '--user', '5', '--force'], undefined, env),
        runTsx('ops/erase-citizen.ts', [...common, '--user', '5', '--segments', '0'], undefined, env),
        // A community the configuration does not name is a mistake, unless it is said to be one removed.
        runTsx('ops/erase-citizen.ts', [...elsewhere, '--user', '5'], undefined, env),
        runTsx('ops/erase-citizen.ts', [...elsewhere, '--user', '5', '--removed-community'], undefined, env),
        runTsx('ops/erase-citizen.ts', [...common, '--user', '5', '--removed-community'], undefined, env),
      ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'npm run citizen:erase -- --table <table name> --config <file> --community',
    );
    // The region is the configuration's, whatever the profile's or AWS_REGION's (as the runbook says).
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "It works in the configuration's region (the stacks'), whatever the AWS profile's",
    );
    expect(help.stdout).not.toContain('Set AWS_REGION');
    expect(help.stdout).not.toContain('default config/local.json');
    // Several citizens given together share a read of the table, as the runbook counts its cost.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      `from one read of the whole table for each ${CITIZENS_PER_SCAN} of them`,
    );
    expect(help.stdout).not.toContain('each with a read of the whole table');
    // What it redacts in others' inquiries, operators' own words among them (erase-citizen-mentions.test.ts).
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "operators' words there too (a note, the reason of a close, reopen, reject, release or move, a reply)",
    );
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(
      "--table, --config and --community are required, and the citizen's VK id: --user-from-stdin (recommended), ERASE_USER_ID or --user",
    );
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toContain('--table, --config and --community are required');
    expect(unconfigured.stdout).toBe('');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--user must be a VK id, a positive whole number');
    // Not even a mistyped id is said back: it is nearly someone's.
    expect(malformed.stderr).not.toContain('id12');
    expect(unknown.code).toBe(2);
    expect(parts.code).toBe(2);
    expect(parts.stderr).toContain('--segments must be a whole number from 1 to 16, not "0"');
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain(`community 99 is not in ${TEST_CONFIG_FILE}: check the id`);
    expect(mistyped.stdout).toBe('');
    expect(removed.code).toBe(0);
    expect(removed.stderr).toBe('');
    expect(removed.stdout).toContain('0 inquiries of the citizen in community 99');
    expect(notRemoved.code).toBe(2);
    expect(notRemoved.stderr).toContain(`--removed-community: community ${DEMO_GROUP_ID} is in`);

    const citizen = 7_200_031;
    const id = await write(
      DEMO_GROUP_ID,
      citizen,
      `${citizen}-a`,
      '2026-01-12T04:00:00.000Z',
      'Секретный текст',
    );
    await answer(id, '2026-01-13T06:00:00.000Z');
    // A dry run, a look without --yes and a run refused for --yes with --dry-run: none deletes, side by side.
    const [dry, look, both] = await Promise.all([
      runTsx('ops/erase-citizen.ts', [...common, '--user', String(citizen), '--dry-run'], undefined, env),
      runTsx('ops/erase-citizen.ts', [...common, '--user', String(citizen)], undefined, env),
      runTsx(
        'ops/erase-citizen.ts',
        [...common, '--user', String(citizen), '--yes', '--dry-run'],
        undefined,
        env,
      ),
    ]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('inquiries would be deleted: 1');
    // Without --yes it only looks, as --dry-run does: a mistyped --user erases nobody.
    expect(look.stderr).toBe('');
    expect(look.code).toBe(0);
    expect(look.stdout).toContain('inquiries would be deleted: 1');
    expect(look.stdout).toContain('deleted: nothing (a dry run: run it again with --yes to delete it)');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--yes deletes, --dry-run does not: give one of them');
    expect(await repository.getInquiry(id)).toBeDefined();
    const run = await runTsx(
      'ops/erase-citizen.ts',
      [...common, '--user', String(citizen), '--segments', '2', '--yes'],
      undefined,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('inquiries deleted: 1, with');
    expect(run.stdout).toContain("items of others' inquiries quoting or mentioning them redacted: 0");
    expect(`${dry.stdout}${run.stdout}`).not.toContain('Секретный');
    // Nor their id: what the terminal shows may be kept (a scrollback, a recorded session).
    for (const said of [dry, look, run])
      expect(`${said.stdout}${said.stderr}`).not.toContain(String(citizen));
    expect(await repository.getInquiry(id)).toBeUndefined();
  });

  it("takes the citizens' ids from stdin, several in one run, or from ERASE_USER_ID, and never says one back", {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const env = opsCommandEnvironment(aws);
    const common = stageArguments(DEMO_GROUP_ID);
    const first = 7_200_081;
    const second = 7_200_082;
    const third = 7_200_083;
    // Event keys without their ids: these tests' inquiry ids are made of them, and an open one is printed.
    const finished = async (citizen: number, key: string) => {
      const id = await write(DEMO_GROUP_ID, citizen, key, '2026-01-12T04:00:00.000Z');
      await answer(id, '2026-01-13T06:00:00.000Z');
      return id;
    };
    const ofFirst = await finished(first, 'stdin-first');
    const ofSecond = await finished(second, 'stdin-second');
    const ofThird = await finished(third, 'variable-third');
    const ids = [first, second, third].map(String);
    const saysNoId = (said: { stdout: string; stderr: string }) => {
      for (const id of ids) expect(`${said.stdout}${said.stderr}`).not.toContain(id);
    };

    // One way only: an ERASE_USER_ID left set would otherwise be erased beside the id given.
    const twoWays = [
      [['--user', String(first), '--user-from-stdin'], undefined],
      [['--user', String(first)], String(second)],
      [['--user-from-stdin'], String(second)],
    ] as const;
    // Runs refused before anything is read or deleted, each a process of its own: side by side.
    const [typo, empty, ...boths] = await Promise.all([
      // A line that is no id stops it before anything is read or deleted, and the line is not said back.
      runTsx(
        'ops/erase-citizen.ts',
        [...common, '--user-from-stdin', '--yes'],
        `${first}\n${second}x\n`,
        env,
      ),
      runTsx('ops/erase-citizen.ts', [...common, '--user-from-stdin'], '\n\n', env),
      ...twoWays.map(([args, variable]) =>
        runTsx(
          'ops/erase-citizen.ts',
          [...common, ...args, '--yes'],
          `${first}\n`,
          variable === undefined ? env : { ...env, ERASE_USER_ID: variable },
        ),
      ),
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'line 2 of stdin is not a VK id (a positive whole number): nothing was done',
    );
    expect(typo.stdout).toBe('');
    saysNoId(typo);
    expect(await repository.getInquiry(ofFirst)).toBeDefined();
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--user-from-stdin: stdin holds no VK id');
    for (const [index, [args]] of twoWays.entries()) {
      const both = boths[index];
      expect(both?.code, args.join(' ')).toBe(2);
      expect(both?.stderr).toContain(
        "give the citizen's VK id one way only: --user-from-stdin, ERASE_USER_ID or --user",
      );
    }
    expect(await repository.getInquiry(ofSecond)).toBeDefined();

    // Two citizens from stdin (blank lines and an id given twice left out), each numbered, none named.
    const look = await runTsx(
      'ops/erase-citizen.ts',
      [...common, '--user-from-stdin'],
      ` ${first}\n\n${second}\r\n${first}\n`,
      env,
    );
    expect(look.stderr).toBe('');
    expect(look.code).toBe(0);
    expect(look.stdout).toContain(`1 inquiries of citizen 1 of 2 in community ${DEMO_GROUP_ID}`);
    expect(look.stdout).toContain(`1 inquiries of citizen 2 of 2 in community ${DEMO_GROUP_ID}`);
    expect(look.stdout.match(/inquiries would be deleted: 1/g)).toHaveLength(2);
    saysNoId(look);
    const run = await runTsx(
      'ops/erase-citizen.ts',
      [...common, '--user-from-stdin', '--yes'],
      `${first}\n${second}\n`,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(/inquiries deleted: 1, with/g)).toHaveLength(2);
    saysNoId(run);
    expect(await repository.getInquiry(ofFirst)).toBeUndefined();
    expect(await repository.getInquiry(ofSecond)).toBeUndefined();
    expect(await repository.getInquiry(ofThird)).toBeDefined();

    // One citizen from the environment.
    const variable = await runTsx('ops/erase-citizen.ts', [...common, '--yes'], undefined, {
      ...env,
      ERASE_USER_ID: String(third),
    });
    expect(variable.stderr).toBe('');
    expect(variable.code).toBe(0);
    expect(variable.stdout).toContain(`1 inquiries of the citizen in community ${DEMO_GROUP_ID}`);
    saysNoId(variable);
    expect(await repository.getInquiry(ofThird)).toBeUndefined();
  });

  it('exits 3 while it keeps an inquiry of theirs, and refuses a community not configured unless told it is removed', async () => {
    const env = opsCommandEnvironment(aws);
    const erase = (file: string, groupId: number, userId: number, ...more: string[]) =>
      runTsx(
        'ops/erase-citizen.ts',
        [
          '--table',
          aws.tableName,
          '--config',
          file,
          '--community',
          String(groupId),
          '--user',
          String(userId),
        ].concat(more),
        undefined,
        env,
      );
    const citizen = 7_200_051;
    const finished = await write(DEMO_GROUP_ID, citizen, `${citizen}-a`, '2026-01-12T04:00:00.000Z');
    await answer(finished, '2026-01-13T06:00:00.000Z');
    const open = await write(DEMO_GROUP_ID, citizen, `${citizen}-b`, '2026-02-20T04:00:00.000Z');

    // The request is not done while an inquiry of theirs is kept: the look says so, and so does the run.
    const look = await erase(TEST_CONFIG_FILE, DEMO_GROUP_ID, citizen);
    expect(look.code).toBe(KEPT);
    expect(look.stdout).toContain(`kept: ${open} (open: not deleted without --include-open)`);
    expect(look.stderr).toContain(
      '1 would be kept (named above, with the reason): the request is not done yet',
    );
    const run = await erase(TEST_CONFIG_FILE, DEMO_GROUP_ID, citizen, '--yes');
    expect(run.code).toBe(KEPT);
    expect(run.stdout).toContain(`kept: ${open} (open: not deleted without --include-open)`);
    expect(run.stderr).toContain('1 kept (named above, with the reason): the request is not done yet');
    expect(await repository.getInquiry(finished)).toBeUndefined();
    expect(await repository.getInquiry(open)).toMatchObject({ status: 'routed' });
    const all = await erase(TEST_CONFIG_FILE, DEMO_GROUP_ID, citizen, '--yes', '--include-open');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(await repository.getInquiry(open)).toBeUndefined();

    // Their id and the community's swapped: no community of the configuration, nothing read or marked.
    const swapped = await erase(TEST_CONFIG_FILE, citizen, DEMO_GROUP_ID, '--yes');
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain(`community ${citizen} is not in ${TEST_CONFIG_FILE}: check the id`);
    expect(swapped.stdout).toBe('');

    // A community taken out of the configuration: erased only with --removed-community, its open ones kept.
    const other = 7_200_052;
    const district = await write(DISTRICT_GROUP_ID, other, `${other}-a`, '2026-01-12T04:00:00.000Z');
    await answer(district, '2026-01-13T06:00:00.000Z');
    const districtOpen = await write(DISTRICT_GROUP_ID, other, `${other}-b`, '2026-02-20T04:00:00.000Z');
    const raw = JSON.parse(readFileSync(TEST_CONFIG_FILE, 'utf8'));
    const file = temporaryFile(
      'erase-citizen-',
      'without-district.json',
      JSON.stringify({
        ...raw,
        communities: raw.communities.filter(
          ({ groupId }: { groupId: number }) => groupId !== DISTRICT_GROUP_ID,
        ),
      }),
    );
    const unsaid = await erase(file, DISTRICT_GROUP_ID, other, '--yes');
    expect(unsaid.code).toBe(2);
    expect(unsaid.stderr).toContain(
      'for a community taken out of the configuration, add --removed-community',
    );
    expect(await repository.getInquiry(district)).toBeDefined();
    const said = await erase(file, DISTRICT_GROUP_ID, other, '--yes', '--removed-community');
    expect(said.code).toBe(KEPT);
    expect(said.stdout).toContain(`kept: ${districtOpen} (open, and its community is no longer configured`);
    expect(await repository.getInquiry(district)).toBeUndefined();
    expect(await repository.getInquiry(districtOpen)).toMatchObject({ status: 'routed' });
  });
});
