import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationPk, INQUIRY_SK, inquiryPk } from '../../lambdas/adapters/inquiry-keys.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { vkEventSchema } from '../../lambdas/domain/vk/envelope.js';
import { toCitizenMessage } from '../../lambdas/domain/vk/normalise.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { answeredByOperator } from '../support/operator-answer.js';
import { type Consumer, routerContext, startRouterHandler } from '../support/router.js';
import { sqsEvent } from '../support/sqs-events.js';

let aws: TestAws;
let router: Consumer;
let repository: DynamoInquiryRepository;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  ({ aws, router, repository, documents } = await startRouterHandler());
});
afterAll(() => aws?.stop());

const owner = -DEMO_GROUP_ID;

/**
 * A comment of `author` under the community's news post `postId`, on Mon 2 March 2026 at `time` UTC: a
 * top-level one, or a reply in the thread of comment `thread`, read from VK's event as ingest reads it.
 */
const comment = (
  author: number,
  postId: number,
  id: number,
  options: { thread?: number; time?: string; category?: Category; text?: string } = {},
): ClassifiedMessage => {
  const { thread, time = '06:00', category = 'housing', text = 'Во дворе дома 5 не горит свет' } = options;
  const at = `2026-03-02T${time}:00.000Z`;
  const message = toCitizenMessage(
    vkEventSchema.parse({
      type: 'wall_reply_new',
      group_id: DEMO_GROUP_ID,
      event_id: `wall${postId}_${id}`,
      object: {
        id,
        from_id: author,
        date: Date.parse(at) / 1000,
        text,
        post_id: postId,
        owner_id: owner,
        post_owner_id: owner,
        ...(thread !== undefined && { parents_stack: [thread], reply_to_comment: thread }),
      },
    }),
  );
  if (!message) throw new Error('not a citizen message');
  return {
    kind: 'citizen_message',
    eventKey: `e:wall:${postId}:${id}`,
    receivedAt: at,
    message,
    classification: {
      category,
      priority: 'normal',
      confidence: 0.9,
      inquiry: true,
      triage: false,
      model: 't',
    },
  };
};

const route = async (...messages: ClassifiedMessage[]) => {
  for (const message of messages) {
    const response = await router(sqsEvent([message]), routerContext);
    expect(response.batchItemFailures).toEqual([]);
  }
};
const inquiriesBy = async (author: number) =>
  (await repository.listAll())
    .filter((inquiry) => inquiry.authorId === author)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
/** The acknowledgements put on the outbox since the last look, by the inquiry each is of. */
const acknowledgements = async () =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
    (body) => JSON.parse(body) as { inquiryId: string; replyTo: { commentId?: number } },
  );

/** The inquiry answered by an operator on Mon 2 March at `time` UTC, as the operator API writes it. */
const answer = (opened: Inquiry, time = '07:00'): Promise<Inquiry> =>
  answeredByOperator(repository, opened, {
    cause: `op:${opened.id}:${time}`,
    at: `2026-03-02T${time}:00.000Z`,
    operatorId: 9,
    text: 'Свет починили',
    now: new Date(),
  });

describe("router against dynalite: a citizen's comments under one wall post, in any thread", () => {
  it('makes one case of three top-level comments of one citizen, acknowledged once, answered under the newest', async () => {
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    await route(
      comment(401, 910, 9101, { time: '06:00', text: 'На Ленина не горят фонари' }),
      comment(401, 910, 9102, { time: '06:01', text: 'Фото прилагаю' }),
      comment(401, 910, 9103, { time: '06:30', text: 'Всё ещё не горят' }),
    );
    const [one, ...more] = await inquiriesBy(401);
    expect(more).toEqual([]);
    expect(one).toMatchObject({
      messageCount: 3,
      conversationKey: `post:${owner}:910`,
      replyTo: { channel: 'wall_comment', commentId: 9103 },
    });
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([one?.id]);
    for (const id of [9101, 9102, 9103])
      expect((await repository.getMessageLookup(DEMO_GROUP_ID, `wall:${owner}:910:${id}`))?.inquiryId).toBe(
        one?.id,
      );
  });

  it('gives two citizens under the same post a case each', async () => {
    await route(comment(402, 920, 9201), comment(403, 920, 9202, { time: '06:01' }));
    const [first] = await inquiriesBy(402);
    const [second] = await inquiriesBy(403);
    expect(first?.id).toBeDefined();
    expect(second?.id).toBeDefined();
    expect(first?.id).not.toBe(second?.id);
    expect(
      (await acknowledgements()).map((sent) => sent.inquiryId).sort((a, b) => a.localeCompare(b)),
    ).toEqual([first?.id, second?.id].sort((a, b) => (a as string).localeCompare(b as string)));
  });

  it("joins a reply in another citizen's thread to the replier's own case, not the thread's", async () => {
    await route(
      comment(404, 930, 9301),
      comment(405, 930, 9302, { time: '06:01', text: 'У нас на Мира тоже нет света' }),
      // 405 again, now in 404's thread: their own matter goes on there.
      comment(405, 930, 9303, { thread: 9301, time: '06:05', text: 'Уже неделю' }),
    );
    const [threadOwners, ...moreOfTheirs] = await inquiriesBy(404);
    const [repliers, ...moreOfReplier] = await inquiriesBy(405);
    expect([moreOfTheirs, moreOfReplier]).toEqual([[], []]);
    expect(threadOwners).toMatchObject({ messageCount: 1 });
    expect(repliers).toMatchObject({
      messageCount: 2,
      replyTo: { commentId: 9303, threadCommentId: 9301 },
    });
    expect((await acknowledgements()).map((sent) => sent.inquiryId).sort()).toEqual(
      [threadOwners?.id, repliers?.id].sort(),
    );
  });

  it('reopens the answered case from another thread within the window, a new matter opening a case with follows', async () => {
    await route(comment(406, 940, 9401));
    const [opened] = await inquiriesBy(406);
    await answer(opened as Inquiry);
    await acknowledgements();

    // A new top-level comment of the same matter: the answered case reopens, told once.
    await route(comment(406, 940, 9402, { time: '08:00', text: 'Опять не горит' }));
    const [reopened, ...none] = await inquiriesBy(406);
    expect(none).toEqual([]);
    expect(reopened).toMatchObject({ id: opened?.id, status: 'reopened', replyTo: { commentId: 9402 } });
    await answer(reopened as Inquiry, '08:30');
    await acknowledgements();

    // Another category in a third thread: a case of its own, following the answered one.
    await route(comment(406, 940, 9403, { time: '09:00', category: 'roads', text: 'И яма на Ленина 7' }));
    const [answered, fresh, ...others] = await inquiriesBy(406);
    expect(others).toEqual([]);
    expect(answered).toMatchObject({ id: opened?.id, status: 'answered' });
    expect(fresh).toMatchObject({
      department: 'roads',
      conversationKey: `post:${owner}:940`,
      follows: { inquiryId: opened?.id },
      replyTo: { commentId: 9403 },
    });
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([fresh?.id]);
  });

  it('opens a new case for a comment later than the window after the answer, in whichever thread', async () => {
    await route(comment(407, 950, 9501));
    const [opened] = await inquiriesBy(407);
    await answer(opened as Inquiry);
    await acknowledgements();
    // 72 hours after the answer (threading.reopenClosedWithinHours), and a minute.
    const late = comment(407, 950, 9502, { thread: 9501, text: 'Опять не горит' });
    const lateAt = '2026-03-05T07:01:00.000Z';
    await route({ ...late, receivedAt: lateAt, message: { ...late.message, sentAt: lateAt } });
    const [answered, fresh, ...more] = await inquiriesBy(407);
    expect(more).toEqual([]);
    expect(answered).toMatchObject({ id: opened?.id, status: 'answered', messageCount: 1 });
    expect(fresh).toMatchObject({ status: 'routed', replyTo: { commentId: 9502 } });
    expect(fresh?.follows).toBeUndefined();
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([fresh?.id]);
  });

  it("takes a comment queued with its thread's conversation, as ingest gave it before, into the post's", async () => {
    const first = comment(408, 960, 9601);
    const queuedBefore = comment(408, 960, 9602, { time: '06:05', text: 'Фото прилагаю' });
    await route(first, {
      ...queuedBefore,
      message: { ...queuedBefore.message, conversationKey: 'wall:960:9602' },
    });
    const [one, ...more] = await inquiriesBy(408);
    expect(more).toEqual([]);
    expect(one).toMatchObject({ messageCount: 2, conversationKey: `post:${owner}:960` });
    expect(await acknowledgements()).toHaveLength(1);
  });
  it("makes one case of a post's author's comment routed before the post itself, which joins it", async () => {
    const at = '2026-03-02T06:00:00.000Z';
    const post = toCitizenMessage(
      vkEventSchema.parse({
        type: 'wall_post_new',
        group_id: DEMO_GROUP_ID,
        event_id: 'wall990',
        object: {
          id: 990,
          owner_id: owner,
          from_id: 411,
          date: Date.parse(at) / 1000,
          text: 'Не горит свет в подъезде',
        },
      }),
    );
    if (!post) throw new Error('not a citizen message');
    const theirComment = comment(411, 990, 9901, { time: '06:01', text: 'Фото прилагаю' });
    await route(theirComment, { ...theirComment, eventKey: 'e:wall:990', receivedAt: at, message: post });
    const [one, ...more] = await inquiriesBy(411);
    expect(more).toEqual([]);
    expect(one).toMatchObject({ messageCount: 2, replyTo: { commentId: 9901 } });
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([one?.id]);
  });
});

describe("router against dynalite: a comment under a post where the citizen's case was opened in its thread", () => {
  /**
   * The citizen's case opened by their comment `id` under post `postId` as the release before kept it: in the
   * conversation of the comment's thread (`wall:<post>:<comment>`), which its pointer is keyed by.
   */
  async function openedInItsThread(author: number, postId: number, id: number): Promise<Inquiry> {
    await route(comment(author, postId, id));
    const [opened] = await inquiriesBy(author);
    if (!opened) throw new Error(`no inquiry of ${author}`);
    const { claimedAt } = (await repository.latestInConversation(
      DEMO_GROUP_ID,
      `post:${owner}:${postId}`,
      author,
    )) ?? { claimedAt: undefined };
    await documents.send(
      new DeleteCommand({
        TableName: aws.tableName,
        Key: { pk: conversationPk(DEMO_GROUP_ID, `post:${owner}:${postId}`, author), sk: 'LATEST' },
      }),
    );
    const threadKey = `wall:${postId}:${id}`;
    await repository.claimConversation(
      DEMO_GROUP_ID,
      threadKey,
      author,
      opened.id,
      undefined,
      new Date(claimedAt ?? 0),
    );
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: inquiryPk(opened.id), sk: INQUIRY_SK },
        UpdateExpression: 'SET conversationKey = :key',
        ExpressionAttributeValues: { ':key': threadKey },
      }),
    );
    await acknowledgements();
    return (await repository.getInquiry(opened.id)) as Inquiry;
  }

  it("joins a reply in that thread to it; a comment elsewhere opens a case in the post's conversation once", async () => {
    const legacy = await openedInItsThread(409, 970, 9701);
    await route(comment(409, 970, 9702, { thread: 9701, time: '06:10', text: 'Всё ещё не горит' }));
    expect(await inquiriesBy(409)).toEqual([
      expect.objectContaining({
        id: legacy.id,
        messageCount: 2,
        replyTo: expect.objectContaining({ commentId: 9702 }),
      }),
    ]);
    expect(await acknowledgements()).toEqual([]);

    // A comment of its own: the thread's pointer is not read from there, so a second case, told once.
    await route(comment(409, 970, 9703, { time: '06:20', text: 'Фонари на Ленина так и не горят' }));
    const [, second, ...more] = await inquiriesBy(409);
    expect(more).toEqual([]);
    expect(second).toMatchObject({ conversationKey: `post:${owner}:970`, messageCount: 1 });
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([second?.id]);
    // From then on the post's case takes the citizen's comments, in the old thread too.
    await route(comment(409, 970, 9704, { thread: 9701, time: '06:30', text: 'Когда починят?' }));
    expect(await repository.getInquiry(second?.id as string)).toMatchObject({ messageCount: 2 });
    expect(await repository.getInquiry(legacy.id)).toMatchObject({ messageCount: 2 });
    expect(await acknowledgements()).toEqual([]);
  });

  it("opens a new matter after that thread's answered case in the post's conversation, where the next comments find it", async () => {
    const legacy = await openedInItsThread(410, 980, 9801);
    await answer(legacy);
    await route(
      comment(410, 980, 9802, { thread: 9801, time: '09:00', category: 'roads', text: 'Яма на Ленина 7' }),
    );
    const [answered, fresh, ...more] = await inquiriesBy(410);
    expect(more).toEqual([]);
    expect(answered).toMatchObject({ id: legacy.id, status: 'answered' });
    expect(fresh).toMatchObject({
      department: 'roads',
      conversationKey: `post:${owner}:980`,
      follows: { inquiryId: legacy.id },
    });
    expect((await acknowledgements()).map((sent) => sent.inquiryId)).toEqual([fresh?.id]);
    // The next comment of the new matter, in another thread, joins the new case.
    await route(comment(410, 980, 9803, { time: '09:10', category: 'roads', text: 'И на Ленина 9' }));
    expect(await repository.getInquiry(fresh?.id as string)).toMatchObject({ messageCount: 2 });
    expect(await acknowledgements()).toEqual([]);
  });
});
