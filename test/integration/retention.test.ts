import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { erasureOf } from '../../lambdas/domain/inquiry/retention.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import { deliveryHistoryEntry } from '../../lambdas/domain/outbox/delivery-outcome.js';
import { type OutboxMessage, outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import type { RetentionStore } from '../../lambdas/domain/ports.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import {
  createRetentionSweep,
  ERASURES_AT_ONCE,
  firstDepartmentOfNight,
  type RetentionRun,
} from '../../lambdas/retention/sweep.js';
import { createMessageRouter, MessageNotFoundYet } from '../../lambdas/router/route-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { deliverer } from '../support/responder.js';
import { everyTableItem } from '../support/table-items.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let store: DynamoRetentionStore;
const config = readConfigFile('config/local.json');
const calendar = config.communities[0]?.calendar;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  store = new DynamoRetentionStore(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/** A citizen's direct message, routed as the router routes it at the time it reached us; resolves the inquiry. */
async function write(
  peerId: number,
  eventKey: string,
  at: string,
  options: { text?: string; notAnInquiry?: boolean; category?: Category } = {},
): Promise<string> {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, key) => `ret-${key}`,
  });
  const message = classifiedDirectMessage({
    peerId,
    eventKey,
    at,
    text: options.text ?? 'Во дворе не вывозят мусор',
    category: options.category ?? 'waste',
    ...(options.notAnInquiry && { notAnInquiry: true }),
  });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** An operator's change of the inquiry at `at`, through the repository as the operator API writes it. */
async function change(id: string, at: string, event: (inquiry: Inquiry) => InquiryEvent): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry || !calendar) throw new Error(`no inquiry ${id}`);
  const result = applyEvent(inquiry, event(inquiry), { calendar, warnAtFraction: 0.8, now: new Date(at) });
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

/** The answer delivered by the responder: its history entry and its record, through the responder's ledger. */
async function delivered(id: string, at: string): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  const ledger = new DynamoOutboxLedger(documents, aws.tableName);
  const message = {
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
  const outcome = { kind: 'delivered' as const, method: 'messages.send', vkId: 4242 };
  await ledger.appendHistory([deliveryHistoryEntry(message, outcome, '1.1', at)]);
  await ledger.putRecord({ id: message.id, inquiryId: id, status: 'delivered', at, attempts: 1, vkId: 4242 });
}

function everyItem(): Promise<Record<string, unknown>[]> {
  return everyTableItem(documents, aws.tableName);
}

/** Every item of the table that is the inquiry's, names it, or holds its citizen's conversation. */
const itemsOf = async (id: string) =>
  (await everyItem()).filter(
    (item) => String(item.pk).includes(id) || item.inquiryId === id || item.sk === `ERASE#${id}`,
  );

const marks = async () => (await everyItem()).filter((item) => item.pk === 'RETENTION');

const sweepAt = (
  at: string,
  overrides: { store?: RetentionStore; pageSize?: number; closedInquiryDays?: number; atOnce?: number } = {},
) => {
  const metrics = recordingMetrics();
  const logged: unknown[] = [];
  const sweep = createRetentionSweep({
    config:
      overrides.closedInquiryDays === undefined
        ? config
        : { ...config, retention: { closedInquiryDays: overrides.closedInquiryDays } },
    store: overrides.store ?? store,
    clock: { now: () => new Date(at) },
    metrics,
    logError: (text, fields) => void logged.push({ text, fields }),
    ...(overrides.pageSize !== undefined && { pageSize: overrides.pageSize }),
    ...(overrides.atOnce !== undefined && { atOnce: overrides.atOnce }),
  });
  return { sweep, metrics, logged };
};

const nothingDone: RetentionRun = { deleted: 0, items: 0, kept: 0, unopened: 0, failed: 0, complete: true };

describe('the retention sweep, against dynalite', () => {
  it('deletes finished inquiries past their period with every item naming them, and keeps the rest', async () => {
    // Mon 16 March 2026: A (two messages, answered, the answer delivered), a thank-you taken for no
    // inquiry, one still open, one answered and reopened by its citizen within the window.
    const a = await write(9_100_001, 'a1', '2026-03-16T04:00:00.000Z');
    expect(await write(9_100_001, 'a2', '2026-03-16T04:01:00.000Z')).toBe(a);
    await answer(a, '2026-03-17T06:00:00.000Z');
    await delivered(a, '2026-03-17T06:00:05.000Z');
    const thanks = await write(9_100_003, 'c1', '2026-03-16T05:00:00.000Z', {
      text: 'Спасибо!',
      notAnInquiry: true,
    });
    const open = await write(9_100_002, 'b1', '2026-03-16T04:30:00.000Z');
    const reopened = await write(9_100_004, 'd1', '2026-03-16T04:40:00.000Z');
    await answer(reopened, '2026-03-17T06:00:00.000Z');
    expect(await write(9_100_004, 'd2', '2026-03-18T06:00:00.000Z')).toBe(reopened);
    // A's citizen writes again in June, long after the window: a new inquiry, now the conversation's latest.
    const next = await write(9_100_001, 'e1', '2026-06-01T04:00:00.000Z');
    expect(next).not.toBe(a);
    expect((await repository.getInquiry(thanks))?.status).toBe('rejected');
    expect((await repository.getInquiry(reopened))?.status).toBe('reopened');
    const aItems = await itemsOf(a);
    // The inquiry, its history, two message lookups, the case number's lookup and the delivery record.
    expect(aItems.map((item) => item.entity).sort()).toEqual(
      expect.arrayContaining(['case', 'history', 'inquiry', 'message', 'message', 'outbox']),
    );
    const kept = await Promise.all([open, reopened, next].map(itemsOf));

    // A day before A's period ends (1826 days after its answer): only the thank-you is due.
    const early = sweepAt('2031-03-16T06:00:00.000Z');
    expect(await early.sweep(() => true)).toMatchObject({ deleted: 1, failed: 0, complete: true });
    expect(await itemsOf(thanks)).toEqual([]);
    expect(await repository.getInquiry(a)).toBeDefined();

    const { sweep, metrics, logged } = sweepAt('2031-03-17T06:00:00.000Z', { pageSize: 1 });
    const run = await sweep(() => true);
    expect(run).toEqual({
      deleted: 1,
      items: aItems.length - 1,
      kept: 0,
      unopened: 0,
      failed: 0,
      complete: true,
    });
    expect(await itemsOf(a)).toEqual([]);
    expect(await marks()).toEqual([]);
    expect(metrics.counts).toEqual([{ name: 'InquiriesDeleted', dimensions: { department: 'housing' } }]);
    expect(logged).toEqual([]);
    // The open, the reopened and the newer inquiry, with the conversation pointer that now names the newer.
    expect(await Promise.all([open, reopened, next].map(itemsOf))).toEqual(kept);
    expect(kept[2]?.some((item) => item.entity === 'conversation')).toBe(true);
    // No words of the deleted ones are left anywhere.
    const left = JSON.stringify(await everyItem());
    expect(left).not.toContain('Спасибо!');
    expect(left).not.toContain(`"ret-a1`);

    // Run again (the schedule, or a retry): nothing more to do.
    expect(await sweepAt('2031-03-18T06:00:00.000Z').sweep(() => true)).toEqual(nothingDone);
  });

  it('finishes next time an erasure that stopped after the inquiry went, or midway through the rest', async () => {
    const stopped = await write(9_100_005, 'f1', '2026-04-06T04:00:00.000Z');
    await answer(stopped, '2026-04-06T06:00:00.000Z');
    await delivered(stopped, '2026-04-06T06:00:05.000Z');
    const midway = await write(9_100_006, 'g1', '2026-04-06T04:00:00.000Z');
    expect(await write(9_100_006, 'g2', '2026-04-06T04:01:00.000Z')).toBe(midway);
    await answer(midway, '2026-04-06T06:00:00.000Z');
    const before = { stopped: (await itemsOf(stopped)).length, midway: (await itemsOf(midway)).length };
    const at = '2031-04-07T06:00:00.000Z';

    // The first dies once the inquiry item is deleted; the second after the first of its message lookups.
    let lookups = 0;
    const failing = new DynamoRetentionStore(
      {
        send: (command: unknown) => {
          const key = command instanceof DeleteCommand ? String(command.input.Key?.pk) : '';
          if (key.startsWith('MSG#') && ++lookups === 2)
            return Promise.reject(new Error('the table went away'));
          return documents.send(command as DeleteCommand);
        },
      } as unknown as DynamoDBDocumentClient,
      aws.tableName,
    );
    const crashing = Object.assign(Object.create(failing) as DynamoRetentionStore, {
      finishErasure: (erasure: Parameters<RetentionStore['finishErasure']>[0]) =>
        erasure.inquiryId === stopped
          ? Promise.reject(new Error('the function timed out'))
          : failing.finishErasure(erasure),
    });
    const first = sweepAt(at, { store: crashing });
    expect(await first.sweep(() => true)).toEqual({ ...nothingDone, failed: 2 });
    expect(first.logged).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ inquiryId: expect.any(String) }) }),
      expect.objectContaining({ fields: expect.objectContaining({ inquiryId: expect.any(String) }) }),
    ]);
    // Both inquiries are gone to every reader; what still names them is found again through the marks.
    expect(await repository.getInquiry(stopped)).toBeUndefined();
    expect(await repository.getInquiry(midway)).toBeUndefined();
    expect((await marks()).map((mark) => mark.inquiryId).sort()).toEqual([midway, stopped].sort());
    // Less the inquiry item (and one lookup), plus the mark.
    expect((await itemsOf(stopped)).length).toBe(before.stopped - 1 + 1);
    expect((await itemsOf(midway)).length).toBe(before.midway - 2 + 1);

    const { sweep, metrics } = sweepAt(at);
    expect(await sweep(() => true)).toMatchObject({ deleted: 2, kept: 0, failed: 0, complete: true });
    expect(await itemsOf(stopped)).toEqual([]);
    expect(await itemsOf(midway)).toEqual([]);
    expect(await marks()).toEqual([]);
    expect(metrics.counts).toHaveLength(2);
  });

  it('decides again a stopped erasure whose inquiry is still there: kept once ops lengthen the period', async () => {
    const id = await write(9_100_014, 'p1', '2026-09-07T04:00:00.000Z');
    await answer(id, '2026-09-07T06:00:00.000Z');
    const at = '2031-09-08T06:00:00.000Z';
    // The run dies after writing the mark, before the inquiry item is deleted.
    const failing = new DynamoRetentionStore(
      {
        send: (command: unknown) =>
          command instanceof DeleteCommand && command.input.Key?.sk === 'INQUIRY'
            ? Promise.reject(new Error('throttled'))
            : documents.send(command as DeleteCommand),
      } as unknown as DynamoDBDocumentClient,
      aws.tableName,
    );
    expect(await sweepAt(at, { store: failing }).sweep(() => true)).toEqual({ ...nothingDone, failed: 1 });
    expect((await marks()).map((mark) => mark.inquiryId)).toEqual([id]);
    const before = await itemsOf(id);

    // Ops lengthen the period to ten years: the mark goes, the inquiry and all of it stay.
    const longer = sweepAt(at, { closedInquiryDays: 3653 });
    expect(await longer.sweep(() => true)).toEqual({ ...nothingDone, kept: 1 });
    expect(longer.logged).toEqual([]);
    expect(await marks()).toEqual([]);
    expect(await itemsOf(id)).toEqual(before.filter((item) => item.pk !== 'RETENTION'));

    // Marked again and still due under the period: the next run deletes it.
    expect(await sweepAt(at, { store: failing }).sweep(() => true)).toEqual({ ...nothingDone, failed: 1 });
    expect(await sweepAt(at).sweep(() => true)).toMatchObject({ deleted: 1, failed: 0 });
    expect(await itemsOf(id)).toEqual([]);
    expect(await marks()).toEqual([]);
  });

  it('keeps an inquiry reopened between being found due and being deleted', async () => {
    const id = await write(9_100_007, 'h1', '2026-05-04T04:00:00.000Z');
    await answer(id, '2026-05-04T06:00:00.000Z');
    const at = '2031-05-05T06:00:00.000Z';
    // An operator reopens it just after the sweep read it.
    let reopened = false;
    const racing = Object.assign(Object.create(store) as DynamoRetentionStore, {
      getInquiry: async (inquiryId: string) => {
        const read = await store.getInquiry(inquiryId);
        if (inquiryId === id && !reopened) {
          reopened = true;
          await change(id, at, () => ({
            type: 'reopen',
            cause: 'op:reopen',
            at,
            reason: 'the citizen called: the rubbish is back',
            operatorId: 'operator',
          }));
        }
        return read;
      },
    });
    const before = (await itemsOf(id)).length;
    const raced = sweepAt(at, { store: racing });
    const run = await raced.sweep(() => true);
    expect(raced.logged).toEqual([]);
    expect(run).toEqual({ ...nothingDone, kept: 1 });
    expect((await repository.getInquiry(id))?.status).toBe('reopened');
    expect((await itemsOf(id)).length).toBeGreaterThan(before);
    expect(await marks()).toEqual([]);
  });

  it('counts the period from the finish, not from a move or a word recorded on it long after', async () => {
    // Answered on Mon 3 August 2026; moved before its department is removed (departments:move) in 2028; an
    // admin's unrelated word in the VK dialogue recorded on it in 2030.
    const moved = await write(9_100_012, 'm1', '2026-08-03T04:00:00.000Z');
    await answer(moved, '2026-08-03T06:00:00.000Z');
    await change(moved, '2028-01-10T10:00:00.000Z', () => ({
      type: 'move',
      cause: 'ops:move-m1',
      at: '2028-01-10T10:00:00.000Z',
      reason: 'the department is removed',
      operatorId: 'ops',
      department: 'roads',
    }));
    await change(moved, '2030-06-01T10:00:00.000Z', () => ({
      type: 'reply_noted',
      cause: 'e:admin-m1',
      at: '2030-06-01T10:00:00.000Z',
      operatorId: 77,
      text: 'С праздником!',
      via: 'vk',
    }));
    // One answered before the finish was kept: its period counts from its last change.
    const older = await write(9_100_013, 'n1', '2026-08-03T04:00:00.000Z');
    await answer(older, '2026-08-03T07:00:00.000Z');
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: `INQ#${older}`, sk: 'INQUIRY' },
        UpdateExpression: 'REMOVE finishedAt',
      }),
    );
    expect(await repository.getInquiry(older)).not.toHaveProperty('finishedAt');

    expect(await sweepAt('2031-08-03T06:30:00.000Z').sweep(() => true)).toEqual({
      ...nothingDone,
      deleted: 1,
      items: expect.any(Number),
    });
    expect(await itemsOf(moved)).toEqual([]);
    expect(await repository.getInquiry(older)).toBeDefined();
    expect(await sweepAt('2031-08-03T07:00:00.000Z').sweep(() => true)).toMatchObject({ deleted: 1 });
    expect(await itemsOf(older)).toEqual([]);
  });

  it('leaves nothing for a message to the citizen replayed from the dead letters after the deletion', async () => {
    const id = await write(9_100_015, 'q1', '2026-10-05T04:00:00.000Z');
    await answer(id, '2026-10-05T06:00:00.000Z');
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error(`no inquiry ${id}`);
    expect(await sweepAt('2031-10-06T06:00:00.000Z').sweep(() => true)).toMatchObject({ deleted: 1 });
    expect(await itemsOf(id)).toEqual([]);

    // Its acknowledgement and its answer, each a dead letter replayed (`dlq:replay`) after the deletion.
    const calls: string[] = [];
    const deliver = deliverer({
      config,
      documents,
      tableName: aws.tableName,
      vk: async (method) => {
        calls.push(method);
        return 1;
      },
      now: '2031-10-06T07:00:00.000Z',
    });
    for (const purpose of ['acknowledgement', 'answer'] as const) {
      const message = {
        kind: 'message_to_citizen' as const,
        id: outboxIdFor(id, purpose, `late-${purpose}`),
        inquiryId: id,
        groupId: inquiry.groupId,
        purpose,
        replyTo: inquiry.replyTo,
        citizenId: inquiry.authorId,
        text: 'Мусор вывезли',
        requestedAt: '2026-10-05T06:00:00.000Z',
        requestedBy: 'operator',
      };
      expect(await deliver(message, 1)).toEqual({ done: true, outcome: { kind: 'inquiry_gone' } });
    }
    expect(calls).toEqual([]);
    expect(await itemsOf(id)).toEqual([]);
  });

  it("leaves none of a citizen's words when their edit loses its write to the sweep", async () => {
    const id = await write(9_100_016, 'r1', '2026-11-02T04:00:00.000Z');
    await answer(id, '2026-11-02T06:00:00.000Z');
    const at = '2031-11-03T06:00:00.000Z';
    // The sweep deletes the inquiry, whole, between the edit's read and its write.
    let swept = false;
    const racing = Object.assign(Object.create(repository) as DynamoInquiryRepository, {
      update: async (...args: Parameters<DynamoInquiryRepository['update']>) => {
        if (!swept) {
          swept = true;
          expect(await sweepAt(at).sweep(() => true)).toMatchObject({ deleted: 1 });
        }
        return repository.update(...args);
      },
    });
    const router = createMessageRouter({
      config,
      inquiries: racing,
      clock: { now: () => new Date(at) },
      inquiryIdFor: (_groupId, key) => `ret-${key}`,
    });
    const edit = (receivedAt: string) => ({
      kind: 'message_changed' as const,
      eventKey: `e:edit-r1-${receivedAt}`,
      receivedAt,
      groupId: DEMO_GROUP_ID,
      change: 'edited' as const,
      channel: 'direct_message' as const,
      messageRef: 'dm:9100016:r1',
      text: 'Мой адрес: ул. Ленина, 5, кв. 12',
    });
    // Just received: it may have overtaken its message, and is put back to look again.
    await expect(router.applyMessageChange(edit(at))).rejects.toBeInstanceOf(MessageNotFoundYet);
    expect(swept).toBe(true);
    expect(await itemsOf(id)).toEqual([]);
    expect(JSON.stringify(await everyItem())).not.toContain('Ленина');
  });

  it("takes a citizen's edit for one of an unknown message while a stopped run's erasure is unfinished", async () => {
    const id = await write(9_100_017, 's1', '2026-11-02T04:00:00.000Z');
    await answer(id, '2026-11-02T06:00:00.000Z');
    const at = '2031-11-03T06:00:00.000Z';
    // The run stops once the inquiry item is deleted: its lookups stay until the next night.
    const stopping = Object.assign(Object.create(store) as DynamoRetentionStore, {
      finishErasure: () => Promise.reject(new Error('the function timed out')),
    });
    expect(await sweepAt(at, { store: stopping }).sweep(() => true)).toEqual({ ...nothingDone, failed: 1 });
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:9100017:s1')).toBeDefined();

    const router = createMessageRouter({
      config,
      inquiries: repository,
      erasures: store,
      clock: { now: () => new Date('2031-11-03T09:00:00.000Z') },
      inquiryIdFor: (_groupId, key) => `ret-${key}`,
    });
    const edited = await router.applyMessageChange({
      kind: 'message_changed',
      eventKey: 'e:edit-s1',
      receivedAt: '2031-11-03T08:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      change: 'edited',
      channel: 'direct_message',
      messageRef: 'dm:9100017:s1',
      text: 'Мой адрес: ул. Мира, 7',
    });
    expect(edited).toEqual({ inquiryId: null, outcome: 'unknown_message' });
    expect(JSON.stringify(await everyItem())).not.toContain('Мира');
    // The next night finishes the erasure.
    expect(await sweepAt('2031-11-04T06:00:00.000Z').sweep(() => true)).toMatchObject({ deleted: 1 });
    expect(await itemsOf(id)).toEqual([]);
  });

  it('stops taking up inquiries when its time runs out, and the next run goes on', async () => {
    const ids = [];
    for (const [index, peer] of [9_100_008, 9_100_009, 9_100_010].entries()) {
      const id = await write(peer, `t${index}`, '2026-06-08T04:00:00.000Z');
      await answer(id, '2026-06-08T06:00:00.000Z');
      ids.push(id);
    }
    const at = '2031-06-09T06:00:00.000Z';
    // Time for two inquiries, taken up one at a time.
    const first = sweepAt(at, { atOnce: 1 });
    const deletions = () => first.metrics.counts.filter((count) => count.name === 'InquiriesDeleted').length;
    expect(await first.sweep(() => deletions() < 2)).toMatchObject({
      deleted: 2,
      failed: 0,
      complete: false,
    });
    // Counted for the alarm on runs that keep running out of time; a run that finishes is not.
    expect(first.metrics.counts).toContainEqual({ name: 'RetentionRunsIncomplete', dimensions: {} });
    const second = sweepAt(at);
    expect(await second.sweep(() => true)).toMatchObject({ deleted: 1, failed: 0, complete: true });
    expect(second.metrics.counts.map((count) => count.name)).not.toContain('RetentionRunsIncomplete');
    for (const id of ids) expect(await itemsOf(id)).toEqual([]);
  });

  it('starts one department further each night, so that a backlog in one does not starve the next', async () => {
    // Five answered in housing and five in roads, on Mon 6 December 2027 (housing comes first in the list).
    const byDepartment: Record<string, string[]> = { housing: [], roads: [] };
    for (let n = 0; n < 5; n++) {
      for (const [department, category, peer] of [
        ['housing', 'waste', 9_200_000],
        ['roads', 'roads', 9_300_000],
      ] as const) {
        const id = await write(peer + n, `night-${department}-${n}`, '2027-12-06T04:00:00.000Z', {
          category,
        });
        await answer(id, '2027-12-06T06:00:00.000Z');
        expect((await repository.getInquiry(id))?.department).toBe(department);
        byDepartment[department]?.push(id);
      }
    }
    const left = async (department: string) =>
      (await Promise.all((byDepartment[department] ?? []).map((id) => repository.getInquiry(id)))).filter(
        Boolean,
      ).length;
    // Three nights in a row, each with the time for one deletion: each starts with another department.
    const nights = [7, 8, 9].map((day) => `2032-12-0${day}T00:00:30.000Z`);
    expect(new Set(nights.map((night) => firstDepartmentOfNight(new Date(night), 3))).size).toBe(3);
    for (const night of nights) {
      const run = sweepAt(night, { atOnce: 1 });
      const deleted = () => run.metrics.counts.filter((count) => count.name === 'InquiriesDeleted').length;
      expect(await run.sweep(() => deleted() < 1)).toMatchObject({ deleted: 1, complete: false });
    }
    expect(await left('housing')).toBeLessThan(5);
    expect(await left('roads')).toBeLessThan(5);
    // A run a little before midnight UTC (03:00 in Moscow) is still its own night's.
    expect(firstDepartmentOfNight(new Date('2032-12-08T23:58:00.000Z'), 3)).toBe(
      firstDepartmentOfNight(new Date('2032-12-09T00:05:00.000Z'), 3),
    );
    expect(await sweepAt(nights[2] ?? '').sweep(() => true)).toMatchObject({ complete: true });
    expect((await left('housing')) + (await left('roads'))).toBe(0);
  });

  it('deletes a few inquiries at once, never more than its bound, each with everything that named it', async () => {
    // Eight answered inquiries, two of them one citizen's conversation (the second written long after the
    // first was answered), whose pointer both may delete while it names their own.
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) {
      const id = await write(9_400_000 + n, `many-${n}`, '2028-02-07T04:00:00.000Z');
      await answer(id, '2028-02-07T06:00:00.000Z');
      await delivered(id, '2028-02-07T06:00:05.000Z');
      ids.push(id);
    }
    const later = await write(9_400_000, 'many-later', '2028-06-05T04:00:00.000Z');
    expect(ids).not.toContain(later);
    await answer(later, '2028-06-05T06:00:00.000Z');
    ids.push(later);
    // Less each inquiry item, which is not counted among the items deleted with it.
    const items = (await Promise.all(ids.map(itemsOf))).reduce((sum, of) => sum + of.length - 1, 0);
    let deleting = 0;
    let most = 0;
    const counting = Object.assign(Object.create(store) as DynamoRetentionStore, {
      getInquiry: async (id: string) => {
        if (ids.includes(id)) most = Math.max(most, ++deleting);
        return store.getInquiry(id);
      },
      finishErasure: async (erasure: Parameters<RetentionStore['finishErasure']>[0]) => {
        try {
          return await store.finishErasure(erasure);
        } finally {
          if (ids.includes(erasure.inquiryId)) deleting--;
        }
      },
    });
    const { sweep, logged } = sweepAt('2033-06-06T06:00:00.000Z', { store: counting });
    expect(await sweep(() => true)).toEqual({ ...nothingDone, deleted: ids.length, items });
    expect(logged).toEqual([]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(ERASURES_AT_ONCE);
    for (const id of ids) expect(await itemsOf(id)).toEqual([]);
    expect(await marks()).toEqual([]);
    expect(
      (await everyItem()).filter(
        (item) => String(item.pk).startsWith('CONV#') && String(item.pk).includes('9400000'),
      ),
    ).toEqual([]);
  });
});

describe('the retention function', () => {
  it('sweeps for as long as its invocation has time, and deletes in the next what it had no time for', async () => {
    const id = await write(9_100_011, 'k1', '2026-07-06T04:00:00.000Z');
    await answer(id, '2026-07-06T06:00:00.000Z');
    const { createRetentionHandler } = await import('../../lambdas/retention/handler.js');
    const handler = createRetentionHandler({ clock: { now: () => new Date('2031-07-07T06:00:00.000Z') } });
    let left = 31_000;
    const context = {
      functionName: 'retention',
      awsRequestId: 'r',
      // Under 30 s left once the index is read: nothing is taken up.
      getRemainingTimeInMillis: () => (left -= 500),
    } as unknown as import('aws-lambda').Context;
    expect(await handler({}, context)).toMatchObject({ deleted: 0, complete: false });
    expect(await repository.getInquiry(id)).toBeDefined();
    left = 300_000;
    expect(await handler({}, context)).toMatchObject({ deleted: 1, failed: 0, complete: true });
    expect(await itemsOf(id)).toEqual([]);
  });
});

describe('the responder and an inquiry deleted while it delivers a message', () => {
  /** The inquiry's deletion as the sweep and a citizen's erasure make it, through the store's own client. */
  async function erase(id: string): Promise<void> {
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error(`no inquiry ${id}`);
    expect(await store.beginErasure(erasureOf(inquiry))).toBe('begun');
    await store.finishErasure(erasureOf(inquiry));
  }

  /**
   * A responder on a client of its own, which runs `onWrite` before each of its writes (PutItem,
   * BatchWriteItem, UpdateItem, DeleteItem) with its count: the deletion between its read of the inquiry and
   * that write, say.
   */
  function responderWriting(
    vk: (method: string) => Promise<unknown>,
    onWrite: (nth: number) => Promise<void>,
  ) {
    const client = localDynamoClient(aws.emulators.dynamoEndpoint);
    let writes = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Put|BatchWrite|Update|Delete)Item/.test(context.commandName ?? '')) await onWrite(++writes);
        return next(args);
      },
      { name: 'beforeEachWrite', step: 'initialize' },
    );
    const documentsOfTheResponder = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    return deliverer({
      config,
      documents: documentsOfTheResponder,
      tableName: aws.tableName,
      vk,
      now: '2026-12-07T06:00:10.000Z',
      sleep: async () => undefined,
    });
  }

  const messageOf = async (id: string, purpose: 'acknowledgement' | 'answer'): Promise<OutboxMessage> => {
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error(`no inquiry ${id}`);
    return {
      kind: 'message_to_citizen',
      id: outboxIdFor(id, purpose, `op:answer-${id}`),
      inquiryId: id,
      groupId: inquiry.groupId,
      purpose,
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text: 'Мусор вывезли',
      requestedAt: '2026-12-07T06:00:00.000Z',
      requestedBy: 'operator',
    };
  };

  // What VK does with the words decides which writes the responder makes after its read of the inquiry.
  const cases: {
    name: string;
    purpose: 'acknowledgement' | 'answer';
    vk: (method: string) => Promise<unknown>;
    /** The responder's writes, when nothing is deleted. */
    writes: number;
  }[] = [
    // Its claim, its history entry and its record.
    { name: 'an answer delivered', purpose: 'answer', vk: async () => 4242, writes: 3 },
    {
      // Its claim, its history entry and its record, then the inquiry's entry and the inquiry.
      name: 'an answer VK refuses for good, put back in work',
      purpose: 'answer',
      writes: 5,
      vk: (method) =>
        Promise.reject(new VkApiError(method, 901, "Can't send messages for users without permission")),
    },
    {
      // Its claim, a history entry for each of its three tries, and the claim's release.
      name: 'an answer VK is too busy for, given back to the queue',
      purpose: 'answer',
      writes: 5,
      vk: (method) => Promise.reject(new VkApiError(method, 6, 'Too many requests per second')),
    },
    { name: 'an acknowledgement skipped as late', purpose: 'acknowledgement', vk: async () => 1, writes: 2 },
  ];
  let peer = 9_100_100;

  for (const { name, purpose, vk, writes } of cases)
    it(`leaves nothing of ${name} when the inquiry is deleted before any one of the responder's writes`, async () => {
      for (let nth = 1; ; nth++) {
        const id = await write(++peer, `w${peer}`, '2026-12-07T04:00:00.000Z');
        await answer(id, '2026-12-07T06:00:00.000Z');
        let deleted = false;
        const deliver = responderWriting(vk, async (write) => {
          if (write !== nth) return;
          deleted = true;
          await erase(id);
        });
        const result = await deliver(await messageOf(id, purpose), 1);
        if (!deleted) {
          // Past the responder's last write: nothing for the deletion to race with.
          expect(nth - 1).toBe(writes);
          expect(result.outcome.kind).not.toBe('inquiry_gone');
          await erase(id);
          expect(await itemsOf(id)).toEqual([]);
          break;
        }
        expect(await itemsOf(id), `deleted before write ${nth}`).toEqual([]);
        // Done with: the queue does not bring it back.
        expect(result, `deleted before write ${nth}`).toEqual({
          done: true,
          outcome: { kind: 'inquiry_gone' },
        });
      }
    });

  it('leaves nothing of a try that stopped between its writes once the inquiry was deleted: its next try deletes it', async () => {
    const id = await write(9_100_199, 'w9100199', '2026-12-07T04:00:00.000Z');
    await answer(id, '2026-12-07T06:00:00.000Z');
    const message = await messageOf(id, 'answer');
    // The deletion after its claim, before the history entry; the function's end before the record.
    const stopping = responderWriting(
      async () => 4242,
      async (write) => {
        if (write === 2) await erase(id);
        if (write === 3) throw new Error('the function timed out');
      },
    );
    await expect(stopping(message, 1)).rejects.toThrow('the function timed out');
    // Its claim on the message, and its history entry.
    expect((await itemsOf(id)).map((item) => item.entity).sort()).toEqual(['history', 'outbox']);
    // SQS brings the message back: its inquiry is gone, and what the last try wrote goes.
    const next = responderWriting(
      async () => 4242,
      async () => undefined,
    );
    expect(await next(message, 2)).toEqual({ done: true, outcome: { kind: 'inquiry_gone' } });
    expect(await itemsOf(id)).toEqual([]);
  });
});
