import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import {
  createMessageRouter,
  MessageNotFoundYet,
  MessageStillMissing,
  OVERTAKEN_RETRY_MS,
} from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import type { TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, fixture } from '../support/fixtures.js';
import {
  type Consumer,
  handedOn,
  routeWaiting,
  routingQueuesTaken,
  startRouterHandler,
} from '../support/router.js';

let aws: TestAws;
let router: Consumer;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = parseAppConfig(localConfig, 'local');

beforeAll(async () => {
  ({ aws, router, documents, repository } = await startRouterHandler());
});
afterAll(() => aws?.stop());

/** A citizen for each test, each erased in the test that writes as them. */
const [MARKED, EDITING, CHATTING, DELETING, FORGOTTEN, WRITING_AGAIN] = [5151, 5252, 5353, 5454, 5555, 5656];
const POST = 77;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/** A recorded VK event of the demo community with `object` over its object, as the classifier hands it on. */
function routed(name: string, eventKey: string, object: Record<string, unknown>, receivedAt = new Date()) {
  const recorded = fixture(name) as { type: string; object: Record<string, unknown> };
  const message = handedOn(recorded.type, { ...recorded.object, ...object }, eventKey, receivedAt);
  if (!message) throw new Error(`${name} hands nothing on`);
  return message;
}

/** The comment `id` of `citizen` under the community's post, written at `at`. */
const comment = (
  citizen: number,
  id: number,
  at: Date,
  text = 'Во дворе дома 5 по улице Ленина неделю не вывозят мусор',
) =>
  routed('vknet/WallReplyNewTest.json', `e:wall-new-${id}`, {
    id,
    from_id: citizen,
    date: unix(at),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    post_id: POST,
  });
const editOfComment = (
  citizen: number,
  id: number,
  written: Date,
  text = 'Во дворе дома 5 не вывозят мусор, фото ниже',
) =>
  routed('vknet/WallReplyEditTest.json', `e:wall-edit-${id}-${Date.now()}`, {
    id,
    from_id: citizen,
    date: unix(written),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    post_id: POST,
  });
/** A deletion of the comment, naming its author as VK does at times: it says nothing of when it was written. */
const deletionOfComment = (citizen: number, id: number) =>
  routed('vknet/PhotoCommentDeleteTest.json', `e:photo-delete-${id}`, {
    owner_id: -DEMO_GROUP_ID,
    id,
    user_id: citizen,
    deleter_id: citizen,
  });

const send = (messages: unknown[], waitingSince?: Date) => routeWaiting(router, messages, waitingSince);
const queued = () => routingQueuesTaken(aws);
const inquiriesOf = async (citizen: number) =>
  (await repository.listAll()).filter(
    (inquiry) => inquiry.groupId === DEMO_GROUP_ID && inquiry.authorId === citizen,
  );
/** The citizens' marks in the table, but for those in `besides` (the ones there before a test made its own). */
const marks = async (besides: Record<string, unknown>[] = []) =>
  ((await documents.send(new ScanCommand({ TableName: aws.tableName }))).Items ?? []).filter(
    (item) => item.entity === 'erased_citizen' && !besides.some(({ pk }) => pk === item.pk),
  );
const erase = (citizen: number, clock?: Clock) =>
  eraseCitizen({
    client: documents,
    tableName: aws.tableName,
    config,
    groupId: DEMO_GROUP_ID,
    userId: citizen,
    includeOpen: true,
    ...(clock && { clock }),
  });
/** Erases `citizen` now, returning when. */
const erasedNow = async (citizen: number) => (await erase(citizen)).markedAt ?? '';
/** A router as the handler's, on `clock`, counting into `metrics`. */
const routerAt = (clock: Clock, metrics = recordingMetrics()) =>
  createMessageRouter({
    config,
    inquiries: repository,
    clock,
    inquiryIdFor: () => 'unused',
    metrics,
    erasedCitizens: new DynamoErasedCitizens(documents, aws.tableName, clock),
  });

describe("changes VK sends of an erased citizen's messages, against dynalite and fauxqs", () => {
  const written = ago(120);

  it("marks the citizen erased, once however often it runs, for the dead letters' days, naming them nowhere", async () => {
    const others = await marks();
    expect(
      (await send([comment(MARKED, 1, written), comment(MARKED, 2, written)])).batchItemFailures,
    ).toEqual([]);
    // Two comments under one post: one inquiry that holds both.
    expect(await inquiriesOf(MARKED)).toEqual([expect.objectContaining({ messageCount: 2 })]);

    const dryRun = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: MARKED,
      includeOpen: true,
      dryRun: true,
    });
    expect(dryRun.markedAt).toBeUndefined();
    expect(await marks(others)).toEqual([]);

    const first = await erase(MARKED);
    expect(first.deleted).toBe(1);
    const second = await erase(MARKED);
    expect(second).toMatchObject({ found: {}, deleted: 0 });
    expect(await inquiriesOf(MARKED)).toEqual([]);
    // One mark, moved on to the later run, expiring (DynamoDB's TTL) the dead letters' days after it.
    const [mark, ...more] = await marks(others);
    expect(more).toEqual([]);
    const erasedAt = second.markedAt ?? '';
    expect(Date.parse(erasedAt)).toBeGreaterThanOrEqual(Date.parse(first.markedAt ?? ''));
    expect(mark).toMatchObject({ sk: 'ERASED', erasedAt });
    expect(mark?.expiresAt).toBe(Math.floor(Date.parse(erasedAt) / 1000) + ERASED_CITIZEN_DAYS * 86_400);
    expect(ERASED_CITIZEN_DAYS).toBe(33);
    // Neither the citizen's id nor their words: a digest of the id, salted by the community.
    const held = JSON.stringify(mark);
    expect(held).not.toMatch(new RegExp(`\\b${MARKED}\\b`));
    expect(held).not.toContain('мусор');
    expect(String(mark?.pk)).toMatch(new RegExp(`^ERASED#${DEMO_GROUP_ID}#[\\w-]{43}$`));
  });

  it('drops at once, never waiting or dead-lettering, an edit of a message written before the erasure', async () => {
    expect((await send([comment(EDITING, 6, written)])).batchItemFailures).toEqual([]);
    await erasedNow(EDITING);
    await queued();
    const edits = [
      editOfComment(EDITING, 6, written),
      // A direct message's edit, dated as VK dates it.
      routed('vknet/MessageEditTest.json', `e:dm-edit-${EDITING}`, {
        from_id: EDITING,
        peer_id: EDITING,
        out: 0,
        date: unix(written),
        text: 'Мусор так и не вывезли, дом 5',
      }),
    ];
    expect(edits.map((edit) => edit.kind)).toEqual(['message_changed', 'message_changed']);
    expect((await send(edits)).batchItemFailures).toEqual([]);
    expect(await queued()).toEqual({ waiting: [], dead: [] });
    expect(await inquiriesOf(EDITING)).toEqual([]);

    const metrics = recordingMetrics();
    const now = routerAt({ now: () => new Date() }, metrics);
    for (const edit of edits)
      if (edit.kind === 'message_changed')
        expect(await now.applyMessageChange(edit)).toEqual({ inquiryId: null, outcome: 'erased_citizen' });
    expect(metrics.counts).toEqual(edits.map(() => ({ name: 'ChangesAfterErasureDropped', dimensions: {} })));
  });

  it("does not take a group chat's talk, written before the erasure and edited to the community since, for new words", async () => {
    await erasedNow(CHATTING);
    await queued();
    const CHAT = 2000000051;
    const edit = routed('vknet/MessageEditTest.json', `e:chat-edit-${CHATTING}`, {
      from_id: CHATTING,
      peer_id: CHAT,
      out: 0,
      id: 0,
      conversation_message_id: 12,
      date: unix(written),
      text: `[club${DEMO_GROUP_ID}|Администрация] Во дворе дома 5 не вывозят мусор`,
    });
    expect(edit).toMatchObject({ kind: 'message_changed', chat: { addressed: true } });
    expect((await send([edit])).batchItemFailures).toEqual([]);
    expect(await queued()).toEqual({ waiting: [], dead: [] });
    expect(
      (await repository.listAll()).filter((inquiry) => inquiry.conversationKey === `dm:${CHAT}`),
    ).toEqual([]);
  });

  it("waits as any change does for an undated one (a deletion, an operator's reply), then drops it rather than keep it", async () => {
    await erasedNow(DELETING);
    await queued();
    const deletion = deletionOfComment(DELETING, 3);
    const reply = routed('vknet/MessageReplyTest.json', `e:reply-${DELETING}`, {
      peer_id: DELETING,
      from_id: -DEMO_GROUP_ID,
      admin_author_id: 42,
      date: unix(new Date()),
      text: 'Добрый день! Мусор вывезут завтра.',
    });
    expect(deletion).toMatchObject({ kind: 'message_changed', change: 'deleted', authorId: DELETING });
    expect(reply).toMatchObject({ kind: 'operator_reply_in_vk', peerId: DELETING });
    // The citizen may have written anew, their message on its way: each waits.
    expect((await send([deletion, reply])).batchItemFailures).toEqual([]);
    expect((await queued()).waiting).toEqual(expect.arrayContaining([deletion, reply]));
    // Its wait over, neither is kept in the dead-letter queue.
    expect((await send([deletion, reply], ago(OVERTAKEN_RETRY_MS / 60_000))).batchItemFailures).toEqual([]);
    expect(await queued()).toEqual({ waiting: [], dead: [] });
  });

  it('forgets the erasure past its days, dynalite keeping the expired mark as DynamoDB may for a while', async () => {
    const others = await marks();
    const erasedAt = await erasedNow(FORGOTTEN);
    const deletion = deletionOfComment(FORGOTTEN, 4);
    if (deletion.kind !== 'message_changed') throw new Error('no change');
    const waitedFrom = (now: Date) => new Date(now.getTime() - OVERTAKEN_RETRY_MS).toISOString();
    const lastDay = new Date(Date.parse(erasedAt) + ERASED_CITIZEN_DAYS * 86_400_000 - 60_000);
    const past = new Date(Date.parse(erasedAt) + ERASED_CITIZEN_DAYS * 86_400_000);
    const metrics = recordingMetrics();
    expect(
      await routerAt({ now: () => lastDay }, metrics).applyMessageChange(deletion, waitedFrom(lastDay)),
    ).toEqual({ inquiryId: null, outcome: 'erased_citizen' });
    await expect(
      routerAt({ now: () => past }, metrics).applyMessageChange(deletion, waitedFrom(past)),
    ).rejects.toBeInstanceOf(MessageStillMissing);
    expect(await marks(others)).toHaveLength(1);
    expect(
      await new DynamoErasedCitizens(documents, aws.tableName, { now: () => past }).erasedAt(
        DEMO_GROUP_ID,
        FORGOTTEN,
      ),
    ).toBeUndefined();
    expect(metrics.counts).toEqual([
      { name: 'ChangesAfterErasureDropped', dimensions: {} },
      { name: 'ChangesWithoutMessage', dimensions: {} },
    ]);
  });

  it('opens an inquiry of a message the citizen writes after the erasure, and applies its edit that overtook it', async () => {
    const erasedAt = await erasedNow(WRITING_AGAIN);
    await queued();
    const after = new Date(Date.parse(erasedAt) + 1000);
    const message = comment(WRITING_AGAIN, 5, after, 'Снова не вывозят мусор во дворе дома 5, уже три дня');
    const edit = editOfComment(
      WRITING_AGAIN,
      5,
      after,
      'Снова не вывозят мусор во дворе дома 5, уже четыре дня',
    );
    // The edit came first: it waits for its message, as any change does.
    expect((await send([edit])).batchItemFailures).toEqual([]);
    expect((await queued()).waiting).toEqual([edit]);
    await expect(
      routerAt({ now: () => new Date() }).applyMessageChange(edit as never),
    ).rejects.toBeInstanceOf(MessageNotFoundYet);
    expect((await send([message])).batchItemFailures).toEqual([]);
    const [inquiry, ...more] = await inquiriesOf(WRITING_AGAIN);
    expect(more).toEqual([]);
    expect(inquiry?.status).not.toBe('rejected');
    expect((await send([edit], ago(1))).batchItemFailures).toEqual([]);
    expect(await queued()).toEqual({ waiting: [], dead: [] });
    expect((await repository.getInquiry(inquiry?.id ?? ''))?.text).toBe(
      'Снова не вывозят мусор во дворе дома 5, уже четыре дня',
    );
  });
});
