import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { OperatorReplyInVk, RoutingMessage } from '../../lambdas/domain/messages.js';
import {
  createMessageRouter,
  MessageNotFoundYet,
  OVERTAKEN_RETRY_MS,
  REJECTED_LATEST_ATTRIBUTE,
  WAITING_SINCE_ATTRIBUTE,
} from '../../lambdas/router/route-message.js';
import { drainQueue, queueContents, type TestAws } from '../support/aws.js';
import { dialogueEdits, dialogueMessages, inquiriesOfDialogue, routeBatch } from '../support/dialogue.js';
import { fixture } from '../support/fixtures.js';
import { type Consumer, handedOn, routerContext, startRouterHandler } from '../support/router.js';
import { sqsEvent } from '../support/sqs-events.js';

/**
 * A community admin answers by hand in VK (`message_reply` with `admin_author_id`) in a dialogue whose latest
 * message was taken for no inquiry (a greeting). The reply may answer the citizen's next message, not routed
 * yet, or the greeting itself: it waits for an inquiry the citizen wrote before it, then is noted on the
 * greeting, never lost. Through the router's own handler against dynalite and fauxqs, the citizen's messages
 * classified by the committed model.
 */

const config = readConfigFile('config/local.json');
const GREETING = 'Здравствуйте!';
const RUBBISH = 'Во дворе дома 12 третий день не вывозят мусор, контейнеры переполнены';
const ANSWER = 'Здравствуйте! Передали в управляющую компанию.';

let aws: TestAws;
let router: Consumer;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository } = await startRouterHandler());
});
afterAll(() => aws?.stop());

/** The citizen's direct message number `n` in their dialogue, classified by the model. */
const written = dialogueMessages('rtr');
const inquiriesOf = (citizen: number) => inquiriesOfDialogue(repository, citizen);
const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

/** An admin's reply typed in VK, message number `n` of the dialogue, written at `at`. */
function adminReply(citizen: number, n: number, at: Date, text = ANSWER): OperatorReplyInVk {
  const recorded = fixture('vknet/MessageReplyTest.json') as { object: object };
  const object = {
    ...recorded.object,
    peer_id: citizen,
    from_id: citizen,
    admin_author_id: 4242,
    id: citizen * 100 + n,
    conversation_message_id: n,
    date: Math.floor(at.getTime() / 1000),
    text,
  };
  const reply = handedOn('message_reply', object, `rtr-${citizen}-${n}-reply`);
  if (reply?.kind !== 'operator_reply_in_vk') throw new Error('the reply hands on no operator reply');
  return reply;
}

/** The citizen's edit of their message number `n`, written at `sent`, received now, as the classifier hands it on. */
const edit = dialogueEdits('rtr');
const edited = (citizen: number, n: number, text: string, sent: Date) =>
  edit(citizen, n, text, new Date(), sent);

/** The greeting, routed: taken for no inquiry. */
async function greeted(citizen: number, sent: Date): Promise<Inquiry> {
  const greeting = written(citizen, 1, GREETING, sent);
  expect(greeting.classification).toMatchObject({ inquiry: false });
  await route(greeting);
  const [rejected, ...more] = await inquiriesOf(citizen);
  expect(more).toEqual([]);
  expect(rejected).toMatchObject({ status: 'rejected' });
  return rejected as Inquiry;
}

/** The routing messages put back on the queue to wait, with their attributes, taken off it. */
async function putBack() {
  const held = await queueContents(aws, aws.queues.routing.url);
  await drainQueue(aws.sqs, aws.queues.routing.url);
  return held;
}
const deadLetters = () => drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl);

/** The router's next look at a reply put back to wait, with the attributes it was put back with. */
const lookAgain = (held: { body: string; attributes: Record<string, string> }) =>
  router(sqsEvent([held.body], 'again', held.attributes), routerContext);

/** The router's look at a reply that has waited the whole window. */
const afterTheWait = (reply: RoutingMessage, attributes: Record<string, string> = {}) =>
  router(
    sqsEvent([reply], 'waited', {
      [WAITING_SINCE_ATTRIBUTE]: new Date(Date.now() - OVERTAKEN_RETRY_MS - 1000).toISOString(),
      ...attributes,
    }),
    routerContext,
  );

/** The replies typed in VK in the inquiry's history. */
const repliesInVk = async (id: string) =>
  ((await repository.get(id))?.history ?? []).filter(
    (entry) => entry.kind === 'reply' && entry.detail?.via === 'vk',
  );

describe("an admin's reply typed in VK in a dialogue whose latest message was rejected", () => {
  it('waits for the matter the reply overtook, then records it there as its first response', async () => {
    const citizen = 7_100_001;
    const greeting = await greeted(citizen, secondsAgo(120));
    const matter = written(citizen, 2, RUBBISH, secondsAgo(90));
    const reply = adminReply(citizen, 3, secondsAgo(30));
    await drainQueue(aws.sqs, aws.queues.routing.url);
    // The reply is routed before the matter it answers: put back to wait, naming the greeting it saw.
    await route(reply);
    const [held, ...more] = await putBack();
    expect(more).toEqual([]);
    expect(held?.attributes).toMatchObject({ [REJECTED_LATEST_ATTRIBUTE]: greeting.id });
    expect(await repliesInVk(greeting.id)).toEqual([]);

    await route(matter);
    expect((await lookAgain(held as NonNullable<typeof held>)).batchItemFailures).toEqual([]);
    expect(await putBack()).toEqual([]);
    const [rejected, opened, ...others] = await inquiriesOf(citizen);
    expect(others).toEqual([]);
    expect(opened).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: reply.sentAt,
      clock: { kind: 'resolution' },
    });
    expect(await repliesInVk(opened?.id as string)).toHaveLength(1);
    expect(rejected).toMatchObject({ id: greeting.id, status: 'rejected', version: greeting.version });
  });

  it('notes on the greeting a reply to it, not on the matter the citizen wrote after it', async () => {
    const citizen = 7_100_002;
    const greeting = await greeted(citizen, secondsAgo(120));
    const reply = adminReply(citizen, 2, secondsAgo(90), 'Здравствуйте! Слушаем вас.');
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await route(reply);
    const [held] = await putBack();
    expect(held?.attributes).toMatchObject({ [REJECTED_LATEST_ATTRIBUTE]: greeting.id });

    // The citizen names the matter after the admin's word, within the reply's wait.
    await route(written(citizen, 3, RUBBISH, secondsAgo(60)));
    expect((await lookAgain(held as NonNullable<typeof held>)).batchItemFailures).toEqual([]);
    expect(await putBack()).toEqual([]);
    const [rejected, opened] = await inquiriesOf(citizen);
    // The matter's first response is still owed: the reply answered the greeting.
    expect(opened).toMatchObject({ status: 'routed', clock: { kind: 'first_response' } });
    expect(opened?.firstRespondedAt).toBeUndefined();
    expect(await repliesInVk(opened?.id as string)).toEqual([]);
    expect(rejected).toMatchObject({ id: greeting.id, status: 'rejected' });
    expect(await repliesInVk(greeting.id)).toEqual([
      expect.objectContaining({
        actor: 'operator',
        actorId: 4242,
        detail: expect.objectContaining({ via: 'vk', messageRef: reply.messageRef }),
      }),
    ]);
  });

  it('notes on the greeting a reply no newer inquiry came for once its wait is over, and an edit that routes the greeting keeps it in its history', async () => {
    const citizen = 7_100_003;
    const sent = secondsAgo(120);
    const greeting = await greeted(citizen, sent);
    const reply = adminReply(citizen, 2, secondsAgo(90), 'Добрый день! Слушаем вас.');
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    // Waited the whole window: not put back again, nor kept in the dead-letter queue, but noted.
    expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect(await putBack()).toEqual([]);
    expect(await deadLetters()).toEqual([]);
    expect(await repliesInVk(greeting.id)).toHaveLength(1);
    expect(await repository.getInquiry(greeting.id)).toMatchObject({
      status: 'rejected',
      version: greeting.version + 1,
    });

    // The citizen edits the greeting to name the matter: routed, its first response owed from now (the reply
    // answered a greeting), the reply still in its history.
    await route(edited(citizen, 1, `Здравствуйте! ${RUBBISH}`, sent));
    const routed = await repository.getInquiry(greeting.id);
    expect(routed).toMatchObject({ status: 'routed', clock: { kind: 'first_response' } });
    expect(routed?.firstRespondedAt).toBeUndefined();
    expect(await repliesInVk(greeting.id)).toHaveLength(1);
  });

  it('notes, not as its first response, a reply to the greeting an edit routed while the reply waited', async () => {
    const citizen = 7_100_004;
    const sent = secondsAgo(120);
    const greeting = await greeted(citizen, sent);
    const reply = adminReply(citizen, 2, secondsAgo(90), 'Добрый день! Слушаем вас.');
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await route(reply);
    const [held] = await putBack();
    await route(edited(citizen, 1, `Здравствуйте! ${RUBBISH}`, sent));
    expect((await lookAgain(held as NonNullable<typeof held>)).batchItemFailures).toEqual([]);
    expect(await putBack()).toEqual([]);
    const routed = await repository.getInquiry(greeting.id);
    expect(routed).toMatchObject({ status: 'routed', clock: { kind: 'first_response' } });
    expect(routed?.firstRespondedAt).toBeUndefined();
    expect(await repliesInVk(greeting.id)).toHaveLength(1);
  });

  it('counts a reply noted on a rejected message, and one that answers no inquiry it can find', async () => {
    const metrics = recordingMetrics();
    const counting = createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date() },
      inquiryIdFor: () => 'unused',
      metrics,
    });
    const waited = new Date(Date.now() - OVERTAKEN_RETRY_MS).toISOString();
    const greetedCitizen = 7_100_005;
    const greeting = await greeted(greetedCitizen, secondsAgo(120));
    const toGreeting = adminReply(greetedCitizen, 2, secondsAgo(90));
    // Within its wait it waits, naming the greeting for its next look.
    const waiting = await counting
      .recordOperatorReply(toGreeting, secondsAgo(1).toISOString())
      .catch((e) => e);
    expect(waiting).toBeInstanceOf(MessageNotFoundYet);
    expect(waiting.attributes).toEqual({ [REJECTED_LATEST_ATTRIBUTE]: greeting.id });
    expect(await counting.recordOperatorReply(toGreeting, waited)).toEqual({
      inquiryId: greeting.id,
      outcome: 'recorded',
    });
    expect(await counting.recordOperatorReply(toGreeting, waited)).toEqual({
      inquiryId: greeting.id,
      outcome: 'duplicate',
    });

    // A reply routed only after the citizen's next inquiry, written after it, and never seen beside what it
    // answered (VK sent it late): it answers none we can name, dropped and counted.
    const late = 7_100_006;
    const reply = adminReply(late, 2, secondsAgo(90));
    await route(written(late, 3, RUBBISH, secondsAgo(60)));
    expect(await counting.recordOperatorReply(reply)).toEqual({ inquiryId: null, outcome: 'no_inquiry' });
    const [opened] = await inquiriesOf(late);
    expect(opened).toMatchObject({ status: 'routed' });
    expect(opened?.firstRespondedAt).toBeUndefined();
    expect(metrics.counts).toEqual([
      { name: 'RepliesInVkOnRejectedMessages', dimensions: {} },
      { name: 'RepliesInVkNotRecorded', dimensions: {} },
    ]);
  });
});
