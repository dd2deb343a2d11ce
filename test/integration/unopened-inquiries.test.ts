import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { openingItem } from '../../lambdas/adapters/unopened-inquiries.js';
import { UNOPENED_DAYS } from '../../lambdas/domain/inquiry/retention.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { inquiryIdFor } from '../../lambdas/router/inquiry-ids.js';
import { createMessageRouter, MessageOfErasedCitizen } from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, DISTRICT_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { everyTableItem } from '../support/table-items.js';

/**
 * A new inquiry's history and its item are two writes: a try that stops between them, its message ending in
 * a dead-letter queue, leaves the citizen's words where no inquiry finds them. What finds and deletes them:
 * the try's opening mark, the erasure, the router dropping the message of an erased citizen, the sweep.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile(TEST_CONFIG_FILE);
const DAY_MS = 86_400_000;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/** A repository whose first put of an inquiry item times out, after the history went in. */
function failingInquiryPut(): DynamoInquiryRepository {
  let armed = true;
  const client = Object.create(documents) as DynamoDBDocumentClient;
  const send = documents.send.bind(documents) as (command: unknown) => Promise<unknown>;
  client.send = (async (command: unknown) => {
    if (armed && command instanceof PutCommand && command.input.Item?.sk === 'INQUIRY') {
      armed = false;
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    }
    return send(command);
  }) as never;
  return new DynamoInquiryRepository(client, aws.tableName);
}

const routerAt = (at: string, inquiries = repository) =>
  createMessageRouter({
    config,
    inquiries,
    erasedCitizens: new DynamoErasedCitizens(documents, aws.tableName, { now: () => new Date(at) }),
    clock: { now: () => new Date(at) },
    inquiryIdFor,
  });

function message(
  peerId: number,
  eventKey: string,
  at: string,
  text: string,
  {
    groupId = DEMO_GROUP_ID,
    category = 'waste' as const,
  }: { groupId?: number; category?: 'waste' | 'roads' } = {},
) {
  const classified = classifiedDirectMessage({ peerId, eventKey, at, text, category });
  return { ...classified, message: { ...classified.message, groupId } } satisfies ClassifiedMessage;
}

/** Routes the message on a try that stops between its inquiry's history and its item; the inquiry's id. */
async function stoppedTry(classified: ClassifiedMessage): Promise<string> {
  await expect(
    routerAt(classified.receivedAt, failingInquiryPut()).routeCitizenMessage(classified),
  ).rejects.toThrow('socket hang up');
  return inquiryIdFor(classified.message.groupId, classified.eventKey);
}

const everyItem = () => everyTableItem(documents, aws.tableName);

/** The items that hold the citizen's id or words. */
const itemsOf = async (peerId: number, words: string) =>
  (await everyItem()).filter((item) => {
    const text = JSON.stringify(item);
    return text.includes(String(peerId)) || text.includes(words);
  });

describe('what a try that never stored its new inquiry leaves', () => {
  it('is marked before the history is written, and the mark goes once the inquiry is stored', async () => {
    const peer = 7_300_001;
    const at = new Date(Date.now() - 60_000).toISOString();
    const classified = message(peer, 'u1', at, 'Не вывозят мусор у дома 1');
    const id = await stoppedTry(classified);
    const left = await itemsOf(peer, 'дома 1');
    expect(left.map((item) => item.entity).sort()).toEqual(['conversation', 'history', 'opening']);
    expect(left.find((item) => item.entity === 'opening')).toMatchObject({
      inquiryId: id,
      groupId: DEMO_GROUP_ID,
      conversationKey: `dm:${peer}`,
      authorId: peer,
    });

    // SQS's retry finishes it: the inquiry is stored, and its mark gone.
    expect(await routerAt(at).routeCitizenMessage(classified)).toMatchObject({
      inquiryId: id,
      created: true,
    });
    expect((await itemsOf(peer, 'дома 1')).filter((item) => item.entity === 'opening')).toEqual([]);
  });

  it("is deleted by the citizen's erasure, with lookups of their dialogue naming no inquiry, and only in the community", async () => {
    const peer = 7_300_002;
    const at = new Date(Date.now() - 3_600_000).toISOString();
    await stoppedTry(message(peer, 'e1', at, 'Иван Петров, +7 912 345-67-89: не вывозят мусор'));
    // One an earlier version left, unmarked, and a lookup it stored before an inquiry that never came to be.
    // (Ten minutes on, when a new message takes the conversation over from the first.)
    const tenMinutesOn = new Date(Date.parse(at) + 10 * 60_000).toISOString();
    const unmarked = await stoppedTry(message(peer, 'e2', tenMinutesOn, 'Петров снова пишет'));
    await documents.send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: 'OPENINGS', sk: `OPEN#${unmarked}` } }),
    );
    await documents.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: {
          pk: `MSG#${DEMO_GROUP_ID}#dm:${peer}:e3`,
          sk: 'MSG',
          entity: 'message',
          groupId: DEMO_GROUP_ID,
          messageRef: `dm:${peer}:e3`,
          inquiryId: inquiryIdFor(DEMO_GROUP_ID, 'e3'),
          historyKey: `${at}#e3#1`,
          eventKey: 'e3',
          text: 'Петров, третье письмо',
          opening: true,
        },
      }),
    );
    // The same citizen's in another community: not this erasure's.
    const elsewhere = await stoppedTry(
      message(peer, 'e4', at, 'В районе тоже мусор', { groupId: DISTRICT_GROUP_ID }),
    );

    const erase = (dryRun: boolean) =>
      eraseCitizen({
        client: documents,
        tableName: aws.tableName,
        config,
        groupId: DEMO_GROUP_ID,
        userId: peer,
        dryRun,
      });
    // The dry run tells the same, and deletes nothing.
    const before = await everyItem();
    expect(await erase(true)).toMatchObject({ deleted: 0, unopened: 2, pointers: 1 });
    expect(await everyItem()).toEqual(before);
    const erasure = await erase(false);
    expect(erasure).toMatchObject({ deleted: 0, unopened: 2, pointers: 1 });
    // Left: the other community's, whole.
    const left = await itemsOf(peer, 'Петров');
    expect(JSON.stringify(left)).not.toContain('Петров');
    expect(left.map((item) => item.entity).sort()).toEqual(['conversation', 'history', 'opening']);
    expect(left.every((item) => item.inquiryId === elsewhere)).toBe(true);

    // The dead letter replayed later is dropped as the erased citizen's, and brings nothing back.
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    await expect(
      routerAt(later).routeCitizenMessage(
        message(peer, 'e1', at, 'Иван Петров, +7 912 345-67-89: не вывозят мусор'),
      ),
    ).rejects.toBeInstanceOf(MessageOfErasedCitizen);
    expect(JSON.stringify(await itemsOf(peer, 'Петров'))).not.toContain('Петров');
  });

  it("counts no unopened inquiry in the citizen's erasure for a try that stopped before its history", async () => {
    const peer = 7_300_005;
    const at = new Date(Date.now() - 3_600_000).toISOString();
    // Its mark alone: nothing of the citizen's words was written.
    await documents.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: openingItem({
          inquiryId: inquiryIdFor(DEMO_GROUP_ID, 'm1'),
          groupId: DEMO_GROUP_ID,
          conversationKey: `dm:${peer}`,
          authorId: peer,
          at,
        }),
      }),
    );
    const erasure = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: peer,
    });
    expect(erasure).toMatchObject({ deleted: 0, items: 0, unopened: 0 });
    expect(await itemsOf(peer, 'нет таких слов')).toEqual([]);
  });

  it('is deleted by the router when it drops the message as an erased citizen’s', async () => {
    const peer = 7_300_003;
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const classified = message(peer, 'd1', at, 'Сидоров: яма у подъезда');
    await stoppedTry(classified);
    // Erased after the erasure read the table, say: only the mark is new.
    await new DynamoErasedCitizens(documents, aws.tableName, { now: () => new Date() }).mark(
      DEMO_GROUP_ID,
      peer,
      new Date(),
    );
    await expect(
      routerAt(new Date(Date.now() + 60_000).toISOString()).routeCitizenMessage(classified),
    ).rejects.toBeInstanceOf(MessageOfErasedCitizen);
    expect(await itemsOf(peer, 'Сидоров')).toEqual([]);
  });

  it('is deleted by the retention sweep once no dead letter can finish it, with its pointer naming a deleted case', async () => {
    const peer = 7_300_004;
    const t0 = new Date(Date.now() - 3_600_000).toISOString();
    const first = await routerAt(t0).routeCitizenMessage(
      message(peer, 'r1', t0, 'Не вывозят мусор во дворе'),
    );
    const answered = await repository.getInquiry(first.inquiryId);
    if (!answered) throw new Error('not stored');
    const community = config.communities.find(({ groupId }) => groupId === DEMO_GROUP_ID);
    const change = applyEvent(
      answered,
      { type: 'final_answer', cause: 'op:r1', at: t0, operatorId: 'op', text: 'Вывезли', via: 'console' },
      { calendar: community?.calendar as never, warnAtFraction: 0.8, now: new Date(t0) },
    );
    if (change.outcome !== 'changed') throw new Error(change.outcome);
    await repository.update(change.inquiry, answered.version, change.history);
    // A new matter half an hour on, whose try stops: the pointer names it, and follows the answered case.
    const t1 = new Date(Date.now() - 1_800_000).toISOString();
    const unopened = await stoppedTry(
      message(peer, 'r2', t1, 'Яма на дороге, Пётр Иванов 8 912 111-22-33', { category: 'roads' }),
    );
    const pointer = (await itemsOf(peer, 'Иванов')).find((item) => item.entity === 'conversation');
    expect(pointer).toMatchObject({ inquiryId: unopened, follows: first.inquiryId });

    const sweepAt = (now: Date) =>
      createRetentionSweep({
        config,
        store: new DynamoRetentionStore(documents, aws.tableName),
        clock: { now: () => now },
      });
    // Young, it may still be finished by a dead letter replayed: kept.
    const before = await itemsOf(peer, 'Иванов');
    const young = await sweepAt(new Date(Date.now() + (UNOPENED_DAYS - 1) * DAY_MS))(() => true);
    expect(young).toMatchObject({ unopened: 0, failed: 0 });
    expect(await itemsOf(peer, 'Иванов')).toEqual(before);

    // Past the answered case's period, both go: nothing of the citizen is left (nor any other try's leftovers
    // of these tests, as old by then).
    const marks = (await everyItem()).filter((item) => item.entity === 'opening');
    const late = new Date(Date.now() + (config.retention.closedInquiryDays + 30) * DAY_MS);
    expect(await sweepAt(late)(() => true)).toMatchObject({
      deleted: 1,
      unopened: marks.length,
      failed: 0,
      complete: true,
    });
    expect(await itemsOf(peer, 'Иванов')).toEqual([]);
    expect((await everyItem()).filter((item) => item.entity === 'opening')).toEqual([]);
  });
});
