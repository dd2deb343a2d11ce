import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { conversationPointerKey } from '../../lambdas/adapters/inquiry-keys.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage, MessageChange, RoutingMessage } from '../../lambdas/domain/messages.js';
import { isRaiseAcknowledgement } from '../../lambdas/domain/outbox/acknowledgement/raised.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { type InquiryRepository, VersionConflictError } from '../../lambdas/domain/ports.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import {
  dialogueEdits,
  dialogueMessages,
  inquiriesOfDialogue,
  queuedAcknowledgements,
  routeBatch,
} from '../support/dialogue.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { latch, stoppedAt } from '../support/latch.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import {
  type Consumer,
  handedOn,
  startRouterAndOperatorApi,
  type startRouterHandler,
} from '../support/router.js';

/**
 * A citizen greets ("Здравствуйте!", taken for no inquiry), then reports the matter in a second message (a new
 * inquiry, acknowledged with its case number), then edits the greeting to name the same matter. The edit's
 * words go where the same words written anew would: into the newer inquiry as a follow-up (one case number,
 * one acknowledgement), reopening it if it was answered within the window; only where they would open a new
 * inquiry is the greeting's own routed. Through the router's own handler, or its use cases over the real
 * repository, against dynalite and fauxqs, the messages and edits classified by the committed model.
 */

const HOUSING = 'local-housing-token-change-me';
const TRIAGE = 'local-triage-token-change-me';
const ADMIN = 'local-admin-token-change-me';
const config = readConfigFile('config/local.json');

const GREETING = 'Здравствуйте!';
const LIFT = 'В подъезде не работает лифт уже неделю, пожилые соседи не могут выйти';
const GREETING_EDITED = 'Здравствуйте! Пишу по поводу лифта в доме 8 на ул. Мира';
const GREETING_EDITED_AGAIN = 'Здравствуйте! Пишу по поводу лифта в доме 8, подъезд 2';
const STILL_NOT_DONE = 'Всё ещё не сделали';
const GAS = 'Здравствуйте! В подъезде сильно пахнет газом, лифт тоже не работает';

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];
let documents: Awaited<ReturnType<typeof startRouterHandler>>['documents'];

beforeAll(async () => {
  ({ aws, router, repository, call, documents } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

/** The citizen's direct message number `n` in their dialogue, classified by the model. */
const written = dialogueMessages('ean');

/** The citizen's edit of their message number `n`, received at `at`, as the classifier hands it on. */
const edited = dialogueEdits('ean');

/** The edit as classified critical: the danger it reports, whatever the committed model makes of it. */
function critical(change: MessageChange): MessageChange {
  if (!change.classification) throw new Error('the edit is not classified');
  return { ...change, classification: { ...change.classification, priority: 'critical' } };
}

/** The messages handed to the router's handler in one batch, none failed. */
const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);

const inquiriesOf = (citizen: number) => inquiriesOfDialogue(repository, citizen);

const acknowledgements = () => queuedAcknowledgements(aws);

/**
 * One acknowledgement of the case's number; the report of the lift joining the greeting's case may raise its
 * priority, which the citizen is told apart (a raise's acknowledgement, with the sooner time), of that case too.
 */
function expectOneCaseAcknowledged(sent: OutboxMessage[], inquiryId: string | undefined) {
  expect(
    sent.filter((message) => !isRaiseAcknowledgement(message)).map((message) => message.inquiryId),
  ).toEqual([inquiryId]);
  for (const message of sent) expect(message.inquiryId).toBe(inquiryId);
}

/** The greeting, taken for no inquiry, then the report of the lift, a new inquiry: both as the model has them. */
async function greetingThenLift(citizen: number, route: (message: ClassifiedMessage) => Promise<unknown>) {
  const greeting = written(citizen, 1, GREETING, new Date(Date.now() - 120_000));
  expect(greeting.classification).toMatchObject({ inquiry: false });
  await route(greeting);
  const lift = written(citizen, 2, LIFT, new Date(Date.now() - 60_000));
  expect(lift.classification).toMatchObject({ category: 'housing', inquiry: true, triage: false });
  await route(lift);
  const [rejected, opened, ...more] = await inquiriesOf(citizen);
  expect(more).toEqual([]);
  expect(rejected).toMatchObject({ status: 'rejected', text: GREETING });
  expect(opened).toMatchObject({ status: 'routed', department: 'housing', text: LIFT });
  expect(opened?.caseNumber).toBeDefined();
  return { greeting: rejected as Inquiry, lift: opened as Inquiry };
}

/** A router over `inquiries` on a clock of its own, acknowledging through the outbox queue unless told not to. */
function routerOf(inquiries: InquiryRepository, now: () => Date = () => new Date(), acknowledging = true) {
  const clock = { now };
  return createMessageRouter({
    config,
    inquiries,
    clock,
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    ...(acknowledging && {
      acknowledge: createAcknowledger({
        config,
        outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
        clock,
      }),
    }),
  });
}

describe('a greeting taken for no inquiry, edited to name the matter of a newer inquiry', () => {
  it('joins the newer inquiry as a follow-up: no second case number, no second acknowledgement', async () => {
    const { greeting, lift } = await greetingThenLift(9801, route);
    expect((await acknowledgements()).map((message) => message.inquiryId)).toEqual([lift.id]);

    const edit = edited(9801, 1, GREETING_EDITED);
    expect(edit.classification).toMatchObject({ category: 'housing', inquiry: true, triage: false });
    await route(edit);

    const [stays, joined, ...more] = await inquiriesOf(9801);
    expect(more).toEqual([]);
    // The greeting keeps its status and its own words (the new ones are the newer case's); it gets no case
    // number, and is told nothing.
    expect(stays).toMatchObject({
      id: greeting.id,
      status: 'rejected',
      text: GREETING,
      clockCount: 0,
      wordsJoined: { inquiryId: lift.id, caseNumber: lift.caseNumber },
    });
    expect(stays?.caseNumber).toBeUndefined();
    expect(joined).toMatchObject({
      id: lift.id,
      caseNumber: lift.caseNumber,
      status: 'routed',
      text: LIFT,
      messageCount: 2,
      firstResponseDueAt: lift.firstResponseDueAt,
    });
    expect(await acknowledgements()).toEqual([]);
    const history = (await repository.get(lift.id))?.history ?? [];
    expect(history.filter((entry) => entry.kind === 'message').map((entry) => entry.detail.text)).toEqual([
      LIFT,
      GREETING_EDITED,
    ]);
    const change = (await repository.get(greeting.id))?.history.find(
      (entry) => entry.kind === 'message_changed',
    );
    expect(change?.reason).toContain(`№ ${lift.caseNumber}`);
    expect(change?.detail).toMatchObject({ joined: { inquiryId: lift.id, caseNumber: lift.caseNumber } });
    expect(change?.detail).not.toHaveProperty('text');

    // The same edit delivered again changes nothing, and tells the citizen nothing.
    const before = await inquiriesOf(9801);
    await route(edit);
    expect(await inquiriesOf(9801)).toEqual(before);
    expect(await acknowledgements()).toEqual([]);
  });

  it('takes a second edit of the greeting as an edit of the words it joined, not as a second follow-up', async () => {
    const { greeting, lift } = await greetingThenLift(9806, route);
    await acknowledgements();
    await route(edited(9806, 1, GREETING_EDITED, new Date(Date.now() - 10_000)));
    const again = edited(9806, 1, GREETING_EDITED_AGAIN);
    expect(again.classification).toMatchObject({ category: 'housing', inquiry: true, triage: false });
    await route(again);

    const [stays, joined, ...more] = await inquiriesOf(9806);
    expect(more).toEqual([]);
    expect(stays).toMatchObject({ id: greeting.id, status: 'rejected', text: GREETING });
    expect(stays?.wordsJoined).toMatchObject({ inquiryId: lift.id });
    // One VK message, one message of the case: its words as they read now, the edit in its history.
    expect(joined).toMatchObject({ id: lift.id, status: 'routed', messageCount: 2 });
    const history = (await repository.get(lift.id))?.history ?? [];
    const messages = history.filter((entry) => entry.kind === 'message');
    expect(messages.map((entry) => entry.detail.text).sort()).toEqual([GREETING_EDITED, LIFT].sort());
    expect(history.filter((entry) => entry.kind === 'message_changed').map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ text: GREETING_EDITED_AGAIN, previousText: GREETING_EDITED }),
    ]);
    expect(await acknowledgements()).toEqual([]);
  });

  it('reopens the newer inquiry answered within the window, as a new message with those words would', async () => {
    const { greeting, lift } = await greetingThenLift(9802, route);
    const reply = await call('POST', `/api/v1/inquiries/${lift.id}/reply`, HOUSING, {
      text: 'Лифт починили.',
    });
    expect(reply.body.status).toBe('answered');
    await drainQueue(aws.sqs, aws.queues.outbox.url);

    await route(edited(9802, 1, GREETING_EDITED));
    const [stays, reopened, ...more] = await inquiriesOf(9802);
    expect(more).toEqual([]);
    expect(stays).toMatchObject({ id: greeting.id, status: 'rejected' });
    expect(stays?.caseNumber).toBeUndefined();
    expect(reopened).toMatchObject({ id: lift.id, status: 'reopened', reopenCount: 1, messageCount: 2 });
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${lift.id}:acknowledgement:reopened-1`,
    ]);
  });

  it('raises the newer inquiry when the edit reports a danger, and tells the citizen of the raise, as a new message would', async () => {
    const { greeting, lift } = await greetingThenLift(9804, route);
    expect(lift.priority).not.toBe('critical');
    await drainQueue(aws.sqs, aws.queues.outbox.url);

    // The edit reports gas, classified critical: the lift's inquiry is due sooner, and the citizen told so.
    const edit = critical(edited(9804, 1, GAS));
    // The first try stops before the outbox (a router without one); the event come back acknowledges the raise.
    expect(await routerOf(repository, undefined, false).applyMessageChange(edit)).toMatchObject({
      inquiryId: lift.id,
      outcome: 'joined',
      editedInquiryId: greeting.id,
      acknowledgement: 'no_outbox',
    });
    const raised = await repository.getInquiry(lift.id);
    expect(raised).toMatchObject({ priority: 'critical', raiseCause: edit.eventKey, messageCount: 2 });
    expect(raised?.caseNumber).toBe(lift.caseNumber);
    expect(await acknowledgements()).toEqual([]);
    expect(await routerOf(repository).applyMessageChange(edit)).toMatchObject({ outcome: 'duplicate' });
    const raise = `${lift.id}:acknowledgement:raised-${edit.eventKey}`;
    expect((await acknowledgements()).map((message) => message.id)).toEqual([raise]);

    // The greeting keeps its words: triage does not list the danger among the rejected, at its old priority.
    expect(await repository.getInquiry(greeting.id)).toMatchObject({ status: 'rejected', text: GREETING });
    // Routed by triage, it would open a second case of the gas, not critical: refused, naming the case to whom
    // may open it (an admin); to triage, the housing case is the citizen's case in another department.
    const move = (token: string) =>
      call('POST', `/api/v1/inquiries/${greeting.id}/move`, token, {
        department: 'housing',
        reason: 'похоже на обращение',
      });
    const moved = await move(ADMIN);
    expect(moved).toMatchObject({
      status: 409,
      body: { code: 'words_joined', joined: { inquiryId: lift.id, caseNumber: lift.caseNumber } },
    });
    expect(moved.body.message).toContain(`№ ${lift.caseNumber}`);
    const refused = await move(TRIAGE);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'words_joined', joined: { otherDepartment: true } },
    });
    expect(refused.body.message).not.toContain(lift.caseNumber);
    expect(await repository.getInquiry(greeting.id)).toMatchObject({ status: 'rejected', clockCount: 0 });
    expect(await acknowledgements()).toEqual([]);

    // The citizen's erasure finds the edit's words wherever they are kept (the case's follow-up entry, the
    // greeting's message lookup): none is left in the table.
    const gasWords = 'пахнет газом';
    const holding = async () =>
      (
        (await documents.send(new ScanCommand({ TableName: aws.tableName, ConsistentRead: true }))).Items ??
        []
      ).filter((item) => JSON.stringify(item).includes(gasWords));
    expect((await holding()).length).toBeGreaterThan(0);
    const erasure = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: 9804,
      includeOpen: true,
    });
    expect(erasure).toMatchObject({ deleted: 2, kept: [] });
    expect(await holding()).toEqual([]);

    // Applied in one try, it is acknowledged as it is applied.
    const other = await greetingThenLift(9805, route);
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const reported = critical(edited(9805, 1, GAS));
    expect(await routerOf(repository).applyMessageChange(reported)).toMatchObject({
      inquiryId: other.lift.id,
      outcome: 'joined',
      acknowledgement: 'queued',
    });
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${other.lift.id}:acknowledgement:raised-${reported.eventKey}`,
    ]);
  });

  // An older release's edit, or one edited by hand before a replay: the router applies the classifier's rules
  // to its words (domain/unclassified.ts), so that a danger edited in is not left at the old priority.
  it('raises the newer inquiry when an edit without a classification it reads reports a danger, as a new message would', async () => {
    const { greeting, lift } = await greetingThenLift(9807, route);
    expect(lift.priority).not.toBe('critical');
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const edit = { ...edited(9807, 1, GAS), classification: { category: 'housing', priority: 'срочно' } };

    await route(edit as unknown as MessageChange);

    expect(await repository.getInquiry(lift.id)).toMatchObject({
      priority: 'critical',
      raiseCause: edit.eventKey,
      messageCount: 2,
    });
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${lift.id}:acknowledgement:raised-${edit.eventKey}`,
    ]);
    expect(await repository.getInquiry(greeting.id)).toMatchObject({ status: 'rejected', text: GREETING });
  });

  it('routes the greeting as its own inquiry when the newer one was answered longer ago than the window, and the conversation goes on in it', async () => {
    const { greeting, lift } = await greetingThenLift(9803, route);
    const reply = await call('POST', `/api/v1/inquiries/${lift.id}/reply`, HOUSING, {
      text: 'Лифт починили.',
    });
    expect(reply.body.status).toBe('answered');
    await drainQueue(aws.sqs, aws.queues.outbox.url);

    // Four days on, past the 72 hours of the window, the citizen edits the greeting.
    const later = new Date(Date.now() + 4 * 24 * 3_600_000);
    const routerThen = routerOf(repository, () => later);
    const outcome = await routerThen.applyMessageChange(edited(9803, 1, GREETING_EDITED, later));
    expect(outcome).toMatchObject({ inquiryId: greeting.id, outcome: 'changed' });
    const [routed, answered] = await inquiriesOf(9803);
    expect(routed).toMatchObject({ id: greeting.id, status: 'routed', department: 'housing' });
    expect(routed?.caseNumber).toBeDefined();
    expect(routed?.caseNumber).not.toBe(lift.caseNumber);
    expect(answered).toMatchObject({ id: lift.id, status: 'answered' });
    expect((await acknowledgements()).map((message) => message.inquiryId)).toEqual([greeting.id]);

    // It is the conversation's latest now: the citizen's next word joins it, not the answered one.
    const next = written(9803, 3, STILL_NOT_DONE, later);
    await routerThen.routeCitizenMessage({ ...next, receivedAt: later.toISOString() });
    expect(await repository.getInquiry(greeting.id)).toMatchObject({ messageCount: 2 });
    expect(await repository.getInquiry(lift.id)).toMatchObject({ status: 'answered', messageCount: 1 });
    expect(await inquiriesOf(9803)).toHaveLength(2);
  });
});

describe('an edit of the greeting racing the newer message', () => {
  it('waits while the newer message is opening its inquiry, then joins it', async () => {
    const direct = routerOf(repository);
    const greeting = written(9811, 1, GREETING, new Date(Date.now() - 120_000));
    await direct.routeCitizenMessage(greeting);
    const [rejected] = await inquiriesOf(9811);
    // The newer message's first try claimed the conversation and stopped before storing its inquiry.
    const lift = written(9811, 2, LIFT, new Date(Date.now() - 60_000));
    const pointer = await repository.latestInConversation(DEMO_GROUP_ID, 'dm:9811', 9811);
    expect(
      await repository.claimConversation(
        DEMO_GROUP_ID,
        'dm:9811',
        9811,
        `inq-${lift.eventKey}`,
        pointer,
        new Date(),
      ),
    ).toBe(true);

    const edit = edited(9811, 1, GREETING_EDITED);
    await expect(direct.applyMessageChange(edit)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await repository.getInquiry(rejected?.id as string)).toEqual(rejected);

    await direct.routeCitizenMessage(lift);
    expect(await direct.applyMessageChange(edit)).toMatchObject({
      inquiryId: `inq-${lift.eventKey}`,
      outcome: 'joined',
      editedInquiryId: rejected?.id,
    });
    const [stays, joined, ...more] = await inquiriesOf(9811);
    expect(more).toEqual([]);
    expect(stays).toMatchObject({
      status: 'rejected',
      text: GREETING,
      wordsJoined: { inquiryId: joined?.id },
    });
    expect(joined).toMatchObject({ status: 'routed', messageCount: 2 });
    expect((await acknowledgements()).map((message) => message.inquiryId)).toEqual([joined?.id]);
  });

  it('makes the newer message routed while the edit routes the greeting wait for it, then join it', async () => {
    const direct = routerOf(repository);
    await direct.routeCitizenMessage(written(9812, 1, GREETING, new Date(Date.now() - 120_000)));
    const lift = written(9812, 2, LIFT, new Date(Date.now() - 60_000));
    // The newer message is routed between the edit's claim of the conversation and its write of the greeting.
    let raced: unknown;
    const racing: InquiryRepository = Object.create(repository);
    racing.update = async (inquiry, expectedVersion, history, writer) => {
      if (raced === undefined) raced = await direct.routeCitizenMessage(lift).catch((error) => error);
      return repository.update(inquiry, expectedVersion, history, writer);
    };
    expect(await routerOf(racing).applyMessageChange(edited(9812, 1, GREETING_EDITED))).toMatchObject({
      outcome: 'changed',
    });
    expect(raced).toBeInstanceOf(VersionConflictError);

    // Its retry joins the greeting's inquiry, routed by the edit: one case, acknowledged once.
    expect(await direct.routeCitizenMessage(lift)).toMatchObject({ outcome: 'joined' });
    const [routed, ...more] = await inquiriesOf(9812);
    expect(more).toEqual([]);
    expect(routed).toMatchObject({ status: 'routed', text: GREETING_EDITED, messageCount: 2 });
    expectOneCaseAcknowledged(await acknowledgements(), routed?.id);
  });

  it('refuses the claim of a newer message that read the greeting before the edit routed it, which then joins it', async () => {
    const direct = routerOf(repository);
    await direct.routeCitizenMessage(written(9813, 1, GREETING, new Date(Date.now() - 120_000)));
    const edit = edited(9813, 1, GREETING_EDITED);
    // The edit is applied whole between the newer message's read and its claim of the conversation.
    let edits = 0;
    const racing: InquiryRepository = Object.create(repository);
    racing.claimConversation = async (...args) => {
      if (edits++ === 0) await direct.applyMessageChange(edit);
      return repository.claimConversation(...args);
    };
    expect(
      await routerOf(racing).routeCitizenMessage(written(9813, 2, LIFT, new Date(Date.now() - 60_000))),
    ).toMatchObject({ outcome: 'joined' });

    const [routed, ...more] = await inquiriesOf(9813);
    expect(more).toEqual([]);
    expect(routed).toMatchObject({ status: 'routed', text: GREETING_EDITED, messageCount: 2 });
    expectOneCaseAcknowledged(await acknowledgements(), routed?.id);
  });
  it('refuses the claim of an edit that read the conversation before the newer message was routed whole, which it then joins', async () => {
    const direct = routerOf(repository);
    await direct.routeCitizenMessage(written(9814, 1, GREETING, new Date(Date.now() - 120_000)));
    const [rejected] = await inquiriesOf(9814);
    // The edit read the greeting the conversation's latest, and stops before it claims the conversation for it.
    const claiming = latch();
    const stopped = Object.assign(Object.create(repository) as InquiryRepository, {
      claimConversation: stoppedAt(repository.claimConversation.bind(repository), claiming),
    });
    const editing = routerOf(stopped).applyMessageChange(edited(9814, 1, GREETING_EDITED));
    await claiming.reached;
    const lift = written(9814, 2, LIFT, new Date(Date.now() - 60_000));
    expect(await direct.routeCitizenMessage(lift)).toMatchObject({ created: true });
    claiming.release();

    // As if the edit came after the newer message: its words join the newer inquiry, the greeting not routed.
    expect(await editing).toMatchObject({
      inquiryId: `inq-${lift.eventKey}`,
      outcome: 'joined',
      editedInquiryId: rejected?.id,
    });
    const [stays, joined, ...more] = await inquiriesOf(9814);
    expect(more).toEqual([]);
    expect(stays).toMatchObject({ status: 'rejected', wordsJoined: { inquiryId: joined?.id } });
    expect(joined).toMatchObject({ status: 'routed', messageCount: 2 });
    expect(await repository.latestInConversation(DEMO_GROUP_ID, 'dm:9814', 9814)).toMatchObject({
      inquiryId: joined?.id,
    });
  });
});

describe("on the wall, where a conversation is one citizen's comments under a post, in any thread", () => {
  /** The citizen's comment `id` under the community's post `post`, in the thread of `thread` if given. */
  const comment = (
    type: 'wall_reply_new' | 'wall_reply_edit',
    citizen: number,
    id: number,
    text: string,
    at: Date,
    thread?: number,
    post = 40,
  ): RoutingMessage => {
    const object = {
      id,
      from_id: citizen,
      date: Math.floor(at.getTime() / 1000),
      text,
      post_owner_id: -DEMO_GROUP_ID,
      post_id: post,
      ...(thread !== undefined && { parents_stack: [thread], reply_to_comment: thread }),
    };
    const routed = handedOn(type, object, `ean-wall-${citizen}-${id}-${type}`, at);
    if (!routed) throw new Error('the comment hands on nothing');
    return routed;
  };
  const inquiriesOn = async (citizen: number) =>
    (await repository.listAll())
      .filter((inquiry) => inquiry.authorId === citizen)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  it("joins the report written as a reply in the greeting's thread", async () => {
    const at = Date.now() - 120_000;
    await route(comment('wall_reply_new', 9821, 501, GREETING, new Date(at)));
    await route(comment('wall_reply_new', 9821, 502, LIFT, new Date(at + 60_000), 501));
    const [greeting, lift] = await inquiriesOn(9821);
    expect(lift).toMatchObject({ status: 'routed', conversationKey: greeting?.conversationKey });
    await acknowledgements();

    await route(comment('wall_reply_edit', 9821, 501, GREETING_EDITED, new Date()));
    expect(await inquiriesOn(9821)).toEqual([
      expect.objectContaining({ id: greeting?.id, status: 'rejected', text: GREETING }),
      expect.objectContaining({ id: lift?.id, status: 'routed', messageCount: 2 }),
    ]);
    expect(await acknowledgements()).toEqual([]);
  });

  it('joins the report written as a comment of its own under the post, in another thread', async () => {
    const at = Date.now() - 120_000;
    await route(comment('wall_reply_new', 9822, 511, GREETING, new Date(at)));
    await route(comment('wall_reply_new', 9822, 512, LIFT, new Date(at + 60_000)));
    const [greeting, lift] = await inquiriesOn(9822);
    expect(lift).toMatchObject({ status: 'routed', conversationKey: greeting?.conversationKey });
    await acknowledgements();

    await route(comment('wall_reply_edit', 9822, 511, GREETING_EDITED, new Date()));
    expect(await inquiriesOn(9822)).toEqual([
      expect.objectContaining({ id: greeting?.id, status: 'rejected', text: GREETING }),
      expect.objectContaining({ id: lift?.id, status: 'routed', messageCount: 2 }),
    ]);
    expect(await acknowledgements()).toEqual([]);
  });

  it('routes the greeting as its own inquiry when the report is under another post, as a new comment would open one', async () => {
    const at = Date.now() - 120_000;
    await route(comment('wall_reply_new', 9823, 521, GREETING, new Date(at)));
    await route(comment('wall_reply_new', 9823, 522, LIFT, new Date(at + 60_000), undefined, 41));
    const [greeting, lift] = await inquiriesOn(9823);
    expect(lift?.conversationKey).not.toBe(greeting?.conversationKey);
    await acknowledgements();

    await route(comment('wall_reply_edit', 9823, 521, GREETING_EDITED, new Date()));
    expect(await inquiriesOn(9823)).toEqual([
      expect.objectContaining({ id: greeting?.id, status: 'routed', department: 'housing' }),
      expect.objectContaining({ id: lift?.id, status: 'routed', messageCount: 1 }),
    ]);
    expect((await acknowledgements()).map((message) => message.inquiryId)).toEqual([greeting?.id]);
  });
});

describe('a conversation whose pointer was written before claims were timed (no claimedAt)', () => {
  /** The greeting, taken for no inquiry, its conversation's pointer then made as those releases wrote it. */
  async function greetingUnderAnOldPointer(citizen: number) {
    const direct = routerOf(repository);
    await direct.routeCitizenMessage(written(citizen, 1, GREETING, new Date(Date.now() - 120_000)));
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: conversationPointerKey(DEMO_GROUP_ID, `dm:${citizen}`, citizen),
        UpdateExpression: 'REMOVE claimedAt',
      }),
    );
    const pointer = await repository.latestInConversation(DEMO_GROUP_ID, `dm:${citizen}`, citizen);
    expect(pointer?.claimedAt).toBeUndefined();
    return direct;
  }

  it('takes a new inquiry there, which claims the conversation', async () => {
    const direct = await greetingUnderAnOldPointer(9821);
    const lift = written(9821, 2, LIFT);
    expect(await direct.routeCitizenMessage(lift)).toMatchObject({ outcome: 'opened' });
    expect(await repository.latestInConversation(DEMO_GROUP_ID, 'dm:9821', 9821)).toMatchObject({
      inquiryId: `inq-${lift.eventKey}`,
      claimedAt: expect.any(String),
    });
    expectOneCaseAcknowledged(await acknowledgements(), `inq-${lift.eventKey}`);
  });

  it('routes the greeting edited to name a matter, which claims the conversation', async () => {
    const direct = await greetingUnderAnOldPointer(9822);
    const [greeting] = await inquiriesOf(9822);
    expect(await direct.applyMessageChange(edited(9822, 1, GREETING_EDITED))).toMatchObject({
      inquiryId: greeting?.id,
      outcome: 'changed',
    });
    expect(await repository.getInquiry(greeting?.id as string)).toMatchObject({ status: 'routed' });
    expect(await repository.latestInConversation(DEMO_GROUP_ID, 'dm:9822', 9822)).toMatchObject({
      inquiryId: greeting?.id,
      claimedAt: expect.any(String),
    });
    expectOneCaseAcknowledged(await acknowledgements(), greeting?.id);
  });
});
