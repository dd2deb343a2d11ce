import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { MessageChange, RoutingMessage } from '../../lambdas/domain/messages.js';
import { dueAtForCitizen } from '../../lambdas/domain/outbox/acknowledgement.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import {
  dialogueEdits,
  dialogueMessages,
  inquiriesOfDialogue,
  queuedAcknowledgements,
  routeBatch,
} from '../support/dialogue.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import {
  type Consumer,
  handedOn,
  startRouterAndOperatorApi,
  type startRouterHandler,
  wallCommentHandedOn,
} from '../support/router.js';

/**
 * What the citizen changes in VK after an operator answered: a follow-up comment deleted (the answer goes to
 * a comment still there), and words edited (the history keeps the answered ones; an edit that adds to them
 * reopens the case). Through the router's own handler, or its use cases over the real repository, and the
 * operator API's handler, against dynalite and fauxqs, the messages and edits classified by the committed model.
 */

const ADMIN = 'local-admin-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);

/** An operator's answer through the operator API, taken off the answers queue: what goes to VK. */
async function answer(inquiryId: string, text: string): Promise<OutboxMessage | undefined> {
  await drainQueue(aws.sqs, aws.queues.answers.url);
  const reply = await call('POST', `/api/v1/inquiries/${inquiryId}/reply`, ADMIN, { text });
  expect(reply.status).toBe(200);
  expect(reply.body.status).toBe('answered');
  const queued = await drainQueue(aws.sqs, aws.queues.answers.url);
  return queued
    .map((body) => JSON.parse(body) as OutboxMessage)
    .find((message) => message.purpose === 'answer');
}

describe('a comment deleted on the wall', () => {
  /** The citizen's comment `id` under the community's post 601, in the thread of `thread` if given. */
  const comment = (citizen: number, id: number, text: string, at: Date, thread?: number): RoutingMessage =>
    wallCommentHandedOn({ citizen, id, text, at, thread }, 601, 'caa');

  const changeOf = (
    type: 'wall_reply_delete' | 'wall_reply_restore',
    citizen: number,
    id: number,
    text = '',
  ) => {
    const object =
      type === 'wall_reply_delete'
        ? { owner_id: -DEMO_GROUP_ID, id, deleter_id: citizen, post_id: 601, user_id: citizen }
        : {
            id,
            from_id: citizen,
            date: Math.floor(Date.now() / 1000) - 60,
            text,
            post_owner_id: -DEMO_GROUP_ID,
            owner_id: -DEMO_GROUP_ID,
            post_id: 601,
          };
    const routed = handedOn(type, object, `caa-${citizen}-${id}-${type}-${Date.now()}`);
    if (routed?.kind !== 'message_changed') throw new Error('the change hands on nothing');
    return routed;
  };
  const inquiryOf = async (citizen: number) => {
    const [inquiry, ...more] = (await repository.listAll()).filter((found) => found.authorId === citizen);
    expect(more).toEqual([]);
    return inquiry as Inquiry;
  };

  it('answers the comment still there when the follow-up the answer would reply to is deleted', async () => {
    const at = Date.now() - 180_000;
    await route(
      comment(
        9951,
        9001,
        'Во дворе дома 7 третий день не вывозят мусор, контейнеры переполнены',
        new Date(at),
      ),
    );
    await route(
      comment(
        9951,
        9003,
        'Дополняю: контейнеры у третьего подъезда тоже переполнены',
        new Date(at + 60_000),
        9001,
      ),
    );
    expect((await inquiryOf(9951)).replyTo).toMatchObject({ commentId: 9003 });

    await route(changeOf('wall_reply_delete', 9951, 9003));
    const inquiry = await inquiryOf(9951);
    expect(inquiry.replyTo).toEqual({
      channel: 'wall_comment',
      ownerId: -DEMO_GROUP_ID,
      postId: 601,
      commentId: 9001,
    });
    expect(inquiry.withdrawn).toBeUndefined();
    expect((await answer(inquiry.id, 'Мусор вывезен.'))?.replyTo).toMatchObject({ commentId: 9001 });
  });

  it('answers the restored follow-up again, the newest of the citizen’s comments', async () => {
    const at = Date.now() - 180_000;
    await route(comment(9952, 9011, 'Во дворе дома 9 не вывозят мусор уже неделю', new Date(at)));
    await route(
      comment(9952, 9013, 'Контейнеры переполнены, мусор лежит вокруг', new Date(at + 60_000), 9011),
    );
    await route(changeOf('wall_reply_delete', 9952, 9013));
    expect((await inquiryOf(9952)).replyTo).toMatchObject({ commentId: 9011 });
    await route(changeOf('wall_reply_restore', 9952, 9013, 'Контейнеры переполнены, мусор лежит вокруг'));
    const inquiry = await inquiryOf(9952);
    expect(inquiry.replyTo).toMatchObject({ commentId: 9013, threadCommentId: 9011 });
    expect((await answer(inquiry.id, 'Мусор вывезен.'))?.replyTo).toMatchObject({ commentId: 9013 });
  });
});

describe('words edited after the answer', () => {
  const written = dialogueMessages('caa');
  const edited = dialogueEdits('caa');
  const inquiriesOf = (citizen: number) => inquiriesOfDialogue(repository, citizen);
  const REPORT = 'Во дворе дома 7 третий день не вывозят мусор, контейнеры переполнены';

  /** The citizen's report, answered by an operator: the inquiry as it then is. */
  async function answeredReport(citizen: number): Promise<Inquiry> {
    await route(written(citizen, 1, REPORT, new Date(Date.now() - 600_000)));
    const [opened] = await inquiriesOf(citizen);
    expect(opened).toMatchObject({ status: 'routed', text: REPORT });
    await answer(opened?.id as string, 'Мусор вывезен.');
    await queuedAcknowledgements(aws);
    return (await repository.getInquiry(opened?.id as string)) as Inquiry;
  }

  /** A router over the repository whose counts are kept, acknowledging through the outbox queue. */
  const counted = () => {
    const metrics = recordingMetrics();
    const clock = { now: () => new Date() };
    const use = createMessageRouter({
      config,
      inquiries: repository,
      clock,
      inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
      metrics,
      acknowledge: createAcknowledger({
        config,
        outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
        clock,
      }),
    });
    return { use, metrics };
  };

  const messageEntries = async (inquiryId: string) =>
    ((await repository.get(inquiryId))?.history ?? []).filter((entry) => entry.kind === 'message');

  it('reopens the case when the edit adds to the words answered, acknowledged as a reopening', async () => {
    const before = await answeredReport(9961);
    const added = `${REPORT}. И в подъезде третий день не горит свет`;
    const edit: MessageChange = edited(9961, 1, added, new Date(), new Date(Date.now() - 600_000));
    const { use, metrics } = counted();
    expect(await use.applyMessageChange(edit)).toMatchObject({
      inquiryId: before.id,
      outcome: 'changed',
      afterAnswer: 'reopened',
      acknowledgement: 'queued',
    });
    const reopened = await repository.getInquiry(before.id);
    expect(reopened).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      text: added,
      editedAfterAnswerAt: edit.receivedAt,
      clock: { kind: 'first_response', cycle: 2, startedAt: edit.receivedAt },
    });
    expect(reopened?.earlierCycles).toHaveLength(1);
    // The history keeps the words the operator answered; the edit's entry holds the new ones.
    expect(await messageEntries(before.id)).toMatchObject([
      { detail: { text: REPORT, editedAfterAnswerAt: edit.receivedAt } },
    ]);
    const change = (await repository.get(before.id))?.history.find(
      (entry) => entry.kind === 'message_changed',
    );
    expect(change).toMatchObject({
      from: 'answered',
      to: 'reopened',
      detail: { text: added, previousText: REPORT, afterAnswer: 'reopened' },
    });
    expect(metrics.counts).toEqual(
      expect.arrayContaining([
        { name: 'EditsAfterAnswer', dimensions: { outcome: 'reopened' } },
        { name: 'InquiriesReopened', dimensions: { department: reopened?.department } },
      ]),
    );
    // Its words say the addition came, not that a message joined the case it was part of already.
    const [told] = await queuedAcknowledgements(aws);
    expect(told).toMatchObject({ id: `${before.id}:acknowledgement:reopened-1` });
    const dueAt = dueAtForCitizen(reopened?.firstResponseDueAt as string, 'Asia/Yekaterinburg', {
      writtenAt: new Date(),
    });
    expect(told?.text).toBe(
      `Здравствуйте! Ваше дополнение к обращению № ${before.caseNumber} получено. Мы ответим Вам до ${dueAt}.`,
    );
    expect(told?.textOnceDue).toBe(
      `Здравствуйте! Ваше дополнение к обращению № ${before.caseNumber} получено.`,
    );

    // The same edit delivered again changes nothing, and queues its acknowledgement again under the same id.
    expect(await use.applyMessageChange(edit)).toMatchObject({ outcome: 'duplicate' });
    expect(await repository.getInquiry(before.id)).toEqual(reopened);
    expect((await queuedAcknowledgements(aws)).map((message) => message.id)).toEqual([
      `${before.id}:acknowledgement:reopened-1`,
    ]);
  });

  it('reopens nothing on an older edit come after a newer one: recorded, the newer words standing', async () => {
    const before = await answeredReport(9964);
    const sent = new Date(Date.now() - 600_000);
    const fixed = REPORT.replace('дома 7', 'дома 17');
    const added = `${REPORT}. И в подъезде третий день не горит свет`;
    const older = edited(9964, 1, added, new Date(Date.now() + 1_000), sent);
    const newer = edited(9964, 1, fixed, new Date(Date.now() + 2_000), sent);
    const { use } = counted();
    await use.applyMessageChange(newer);
    await use.applyMessageChange(older);
    expect(await repository.getInquiry(before.id)).toMatchObject({
      status: 'answered',
      reopenCount: 0,
      text: fixed,
      answeredAt: before.answeredAt,
    });
    expect(await queuedAcknowledgements(aws)).toEqual([]);
  });

  it('only records a typo fixed: still answered, the answered words kept, the text said to be edited', async () => {
    const before = await answeredReport(9962);
    const fixed = REPORT.replace('мусор', 'мусор!').replace('дома 7', 'дома 17');
    const edit = edited(9962, 1, fixed, new Date(), new Date(Date.now() - 600_000));
    await route(edit);
    const after = await repository.getInquiry(before.id);
    expect(after).toMatchObject({
      status: 'answered',
      reopenCount: 0,
      text: fixed,
      editedAfterAnswerAt: edit.receivedAt,
      answeredAt: before.answeredAt,
    });
    expect(await messageEntries(before.id)).toMatchObject([{ detail: { text: REPORT } }]);
    expect(
      (await repository.get(before.id))?.history.find((entry) => entry.kind === 'message_changed')?.detail,
    ).toMatchObject({ text: fixed, afterAnswer: 'recorded' });
    expect(await queuedAcknowledgements(aws)).toEqual([]);
  });

  it('rewrites the words of a message no answer covered, as before', async () => {
    await route(written(9963, 1, REPORT, new Date(Date.now() - 600_000)));
    const [opened] = await inquiriesOf(9963);
    const added = `${REPORT}. И в подъезде не горит свет`;
    await route(edited(9963, 1, added, new Date(), new Date(Date.now() - 600_000)));
    expect(await repository.getInquiry(opened?.id as string)).toMatchObject({
      status: 'routed',
      text: added,
    });
    expect((await repository.getInquiry(opened?.id as string))?.editedAfterAnswerAt).toBeUndefined();
    expect(await messageEntries(opened?.id as string)).toMatchObject([{ detail: { text: added } }]);
  });
});
