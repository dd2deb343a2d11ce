import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { HistoryEntry, Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { dueAtForCitizen } from '../../lambdas/domain/outbox/acknowledgement.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Outbox } from '../../lambdas/domain/outbox/ports.js';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { drainQueue } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import { deliverer, recordingDeliverer } from '../support/responder.js';
import {
  type Consumer,
  routerContext,
  startRouterAndOperatorApi,
  type startRouterHandler,
} from '../support/router.js';
import { sqsEvent } from '../support/sqs-events.js';

/**
 * A citizen who writes again after the answer ("яма так и не заделана"), within the threading window: the
 * router's own handler reopens the inquiry and acknowledges the reopening through the outbox queue, against
 * dynalite and fauxqs; the operator API's handler answers, and the responder's use case sends what the
 * citizen reads.
 */

const ROADS = 'local-roads-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let documents: Awaited<ReturnType<typeof startRouterHandler>>['documents'];
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, documents, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

/** The citizen `peer`'s direct message, received now: an inquiry about the roads, or a mere reaction. */
const written = (peer: number, eventKey: string, text: string, notAnInquiry = false): ClassifiedMessage =>
  classifiedDirectMessage({
    peerId: peer,
    eventKey,
    text,
    category: 'roads',
    at: new Date().toISOString(),
    notAnInquiry,
  });

/** The messages handed to the router's handler in one batch, none failed. */
async function route(...messages: ClassifiedMessage[]) {
  expect((await router(sqsEvent(messages), routerContext)).batchItemFailures).toEqual([]);
}

const acknowledgements = async () =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url))
    .map((body) => JSON.parse(body) as OutboxMessage)
    .filter((message) => message.purpose === 'acknowledgement');

/** The citizen's inquiry, opened by the router and answered by an operator through the API; its id. */
async function answered(peer: number): Promise<string> {
  await route(written(peer, `open-${peer}`, 'Яма на дороге у дома 3'));
  const [inquiry] = (await repository.listAll()).filter((item) => item.conversationKey === `dm:${peer}`);
  const id = inquiry?.id as string;
  const reply = await call('POST', `/api/v1/inquiries/${id}/reply`, ROADS, { text: 'Яму заделали.' });
  expect(reply.body.status).toBe('answered');
  await acknowledgements();
  return id;
}

/** The responder's use case, recording the words of each message it sends to VK. */
const responder = () => recordingDeliverer({ config, documents, tableName: aws.tableName });

describe('a citizen who writes again after the answer', () => {
  it('is told once that the message joined their case, by its number, and by when we answer', async () => {
    const id = await answered(9801);
    const again = written(9801, 'again-9801', 'Яма так и не заделана');
    await route(again);
    // A burst after the answer, and the reopening message redelivered (SQS delivers at least once).
    await route(written(9801, 'more-9801', 'Вчера там пробил колесо'));
    await route(again);

    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    expect(inquiry).toMatchObject({ status: 'reopened', reopenCount: 1, messageCount: 3 });
    const queued = await acknowledgements();
    expect(new Set(queued.map((message) => message.id))).toEqual(
      new Set([`${id}:acknowledgement:reopened-1`]),
    );
    expect(queued[0]).toMatchObject({ inquiryId: id, dueAt: inquiry.firstResponseDueAt });

    const { deliver, sent } = responder();
    for (const copy of queued) expect((await deliver(copy, 1)).done).toBe(true);
    expect(sent).toEqual([
      `Здравствуйте! Ваше сообщение добавлено к обращению под номером ${inquiry.caseNumber}. ` +
        `Мы ответим Вам до ${dueAtForCitizen(inquiry.firstResponseDueAt as string, 'Asia/Yekaterinburg')}.`,
    ]);
    // The time told stands: the reopened cycle is held to it as a routing's is.
    expect(inquiry.firstResponsePromisedBy).toBe(inquiry.firstResponseDueAt);
  });

  it('is told again, under another id, when the case is reopened a second time', async () => {
    const id = await answered(9802);
    await route(written(9802, 'again-9802', 'Яма так и не заделана'));
    await call('POST', `/api/v1/inquiries/${id}/reply`, ROADS, { text: 'Теперь заделали.' });
    await route(written(9802, 'third-9802', 'Снова провалился асфальт'));
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${id}:acknowledgement:reopened-1`,
      `${id}:acknowledgement:reopened-2`,
    ]);
  });

  it('is told nothing for a "спасибо", which reopens nothing, nor when an operator reopens the case', async () => {
    const id = await answered(9803);
    await route(written(9803, 'thanks-9803', 'Спасибо!', true));
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered' });
    const reopened = await call('POST', `/api/v1/inquiries/${id}/reopen`, ROADS, {
      reason: 'проверить, что яму действительно заделали',
    });
    expect(reopened.body.status).toBe('reopened');
    expect(await acknowledgements()).toEqual([]);
  });

  it('gets no time once the department has responded, and nothing once it has answered again', async () => {
    const responded = await answered(9804);
    await route(written(9804, 'again-9804', 'Яма так и не заделана'));
    await call('POST', `/api/v1/inquiries/${responded}/take`, ROADS);
    const intermediate = await call('POST', `/api/v1/inquiries/${responded}/intermediate-answer`, ROADS, {
      text: 'Передали подрядчику',
    });
    expect(intermediate.status).toBe(200);
    const [late] = await acknowledgements();
    const { deliver, sent } = responder();
    await deliver(late as OutboxMessage, 1);
    const { caseNumber } = (await repository.getInquiry(responded)) as Inquiry;
    expect(sent).toEqual([`Здравствуйте! Ваше сообщение добавлено к обращению под номером ${caseNumber}.`]);

    const answeredAgain = await answered(9805);
    await route(written(9805, 'again-9805', 'Яма так и не заделана'));
    await call('POST', `/api/v1/inquiries/${answeredAgain}/reply`, ROADS, { text: 'Заделали.' });
    const [tooLate] = await acknowledgements();
    expect((await deliver(tooLate as OutboxMessage, 1)).outcome).toMatchObject({ kind: 'skipped' });
    expect(sent).toHaveLength(1);
  });
});

describe('the acknowledgement of a reopening whose first try failed at the outbox', () => {
  it('is queued when the message comes back, under the same id, and sent once', async () => {
    const id = await answered(9806);
    const queue = new SqsOutbox(aws.sqs, aws.queues.outbox.url);
    let refusals = 1;
    const outbox: Outbox = {
      send: async (message) => {
        if (refusals-- > 0) throw new Error('SQS is throttling');
        return queue.send(message);
      },
    };
    const clock = { now: () => new Date() };
    const throttled = createMessageRouter({
      config,
      inquiries: repository,
      clock,
      inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
      acknowledge: createAcknowledger({ config, outbox, clock }),
    });
    const again = written(9806, 'again-9806', 'Яма так и не заделана');
    await expect(throttled.routeCitizenMessage(again)).rejects.toThrow('SQS is throttling');
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'reopened' });
    expect(await acknowledgements()).toEqual([]);

    expect(await throttled.routeCitizenMessage(again)).toMatchObject({
      inquiryId: id,
      outcome: 'duplicate',
      acknowledgement: 'queued',
    });
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${id}:acknowledgement:reopened-1`,
    ]);
  });
});

describe('a message the citizen wrote before the answer, which reached the router after it', () => {
  /** Each status move of the history, oldest first as the API serves it: each from the last one's status. */
  const movesOf = (history: HistoryEntry[]) =>
    history.filter((entry) => entry.to !== undefined).map((entry) => [entry.kind, entry.from, entry.to]);

  it('reopens the case after the answer in its history, is acknowledged once, and is taken once', async () => {
    await route(written(9811, 'open-9811', 'Яма на дороге у дома 3'));
    const [opened] = (await repository.listAll()).filter((item) => item.conversationKey === 'dm:9811');
    const id = opened?.id as string;
    // The citizen writes more; SQS and the classifier take a moment, and the operator answers first.
    const late = written(9811, 'late-9811', 'Там уже две ямы, одна глубокая');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await call('POST', `/api/v1/inquiries/${id}/reply`, ROADS, { text: 'Яму заделали.' });
    expect(reply.body.status).toBe('answered');
    await acknowledgements();

    await route(late);
    const reopened = await repository.get(id);
    const inquiry = reopened?.inquiry as Inquiry;
    const history = reopened?.history ?? [];
    expect(inquiry).toMatchObject({ status: 'reopened', reopenCount: 1, messageCount: 2 });
    const moves = movesOf(history);
    expect(moves.slice(-2)).toEqual([
      ['reply', 'routed', 'answered'],
      ['message', 'answered', 'reopened'],
    ]);
    // Each move is from the status the one before it moved to.
    expect(moves.slice(1).map(([, from]) => from)).toEqual(moves.slice(0, -1).map(([, , to]) => to));
    const entry = history.at(-1) as HistoryEntry;
    expect(entry).toMatchObject({
      kind: 'message',
      at: late.message.sentAt,
      reason: 'the citizen wrote before the answer, and the message reached the inquiry after it',
      detail: { text: 'Там уже две ямы, одна глубокая' },
    });
    // The new cycle is timed from when the message reached the inquiry, after the answer it reopens.
    const [ended] = inquiry.earlierCycles ?? [];
    expect(Date.parse(inquiry.firstResponseStartedAt as string)).toBeGreaterThan(
      Date.parse(ended?.answeredAt as string),
    );

    // SQS delivers it again: nothing new, and one acknowledgement for the citizen.
    await route(late);
    expect(await repository.get(id)).toEqual(reopened);
    const queued = await acknowledgements();
    expect(new Set(queued.map((message) => message.id))).toEqual(
      new Set([`${id}:acknowledgement:reopened-1`]),
    );
    const { deliver, sent } = responder();
    for (const copy of queued) await deliver(copy, 1);
    expect(sent).toEqual([
      `Здравствуйте! Ваше сообщение добавлено к обращению под номером ${inquiry.caseNumber}. ` +
        `Мы ответим Вам до ${dueAtForCitizen(inquiry.firstResponseDueAt as string, 'Asia/Yekaterinburg')}.`,
    ]);
    // Its lookup names the entry where it is: an edit of it finds it.
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, late.message.messageRef)).toMatchObject({
      historyKey: entry.key,
    });
  });

  it('stores the lookup of the entry where it is when its first try stopped before the lookup', async () => {
    await route(written(9812, 'open-9812', 'Яма на дороге у дома 5'));
    const [opened] = (await repository.listAll()).filter((item) => item.conversationKey === 'dm:9812');
    const id = opened?.id as string;
    const late = written(9812, 'late-9812', 'И ещё одна рядом');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call('POST', `/api/v1/inquiries/${id}/reply`, ROADS, { text: 'Яму заделали.' });
    const stopping: typeof repository = Object.create(repository);
    stopping.saveMessageLookup = async () => {
      throw new Error('the router stopped here');
    };
    const routerOver = (inquiries: typeof repository) =>
      createMessageRouter({
        config,
        inquiries,
        clock: { now: () => new Date() },
        inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
      });
    await expect(routerOver(stopping).routeCitizenMessage(late)).rejects.toThrow('the router stopped here');
    const before = await repository.get(id);
    expect(before?.inquiry.status).toBe('reopened');

    expect((await routerOver(repository).routeCitizenMessage(late)).outcome).toBe('duplicate');
    expect(await repository.get(id)).toEqual(before);
    const entry = before?.history.find((item) => item.kind === 'message' && item.to === 'reopened');
    expect(entry?.key).not.toContain(late.receivedAt);
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, late.message.messageRef)).toMatchObject({
      inquiryId: id,
      historyKey: entry?.key,
    });
    await acknowledgements();
  });
});

describe('a citizen who reports a danger in their open case', () => {
  /** The citizen `peer`'s message, classified `critical`. */
  const dangerous = (peer: number, eventKey: string, text: string): ClassifiedMessage => {
    const message = written(peer, eventKey, text);
    return { ...message, classification: { ...message.classification, priority: 'critical' } };
  };

  it('is told once that the message joined the case, the sooner time, and where to call', async () => {
    await route(written(9831, 'open-9831', 'Не горит свет на лестнице'));
    const [opened] = (await repository.listAll()).filter((item) => item.conversationKey === 'dm:9831');
    const id = opened?.id as string;
    // Its first acknowledgement, told before.
    await acknowledgements();

    const gas = dangerous(9831, 'gas-9831', 'Сейчас в подъезде сильно пахнет газом, страшно заходить');
    await route(gas);
    // Redelivered by SQS: the same acknowledgement, under the same id.
    await route(gas);
    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    expect(inquiry).toMatchObject({ status: 'routed', priority: 'critical', raiseCause: 'gas-9831' });
    expect(Date.parse(inquiry.firstResponseDueAt as string)).toBeLessThan(
      Date.parse(opened?.firstResponseDueAt as string),
    );
    const queued = await acknowledgements();
    expect(new Set(queued.map((message) => message.id))).toEqual(
      new Set([`${id}:acknowledgement:raised-gas-9831`]),
    );

    const { deliver, sent } = responder();
    for (const copy of queued) expect((await deliver(copy, 1)).done).toBe(true);
    expect(sent).toEqual([
      'Если есть угроза жизни, здоровью или имуществу, звоните 112 (при запахе газа — 104).\n' +
        `Здравствуйте! Ваше сообщение добавлено к обращению под номером ${inquiry.caseNumber}. ` +
        `Мы ответим Вам раньше — до ${dueAtForCitizen(inquiry.firstResponseDueAt as string, 'Asia/Yekaterinburg', { writtenAt: new Date() })}.`,
    ]);

    // An ordinary follow-up, or one as urgent as the case already is, is not acknowledged.
    await route(written(9831, 'more-9831', 'Лампочку так и не поменяли'));
    await route(dangerous(9831, 'still-9831', 'Газом пахнет до сих пор'));
    expect(await acknowledgements()).toEqual([]);
  });

  it('is told nothing of a raise that leaves the deadline as it was, as of any follow-up', async () => {
    // The shipped terms give `safety` 2 hours at normal and at high alike: "раньше" would be untrue.
    const safety = (eventKey: string, text: string, priority: 'normal' | 'high'): ClassifiedMessage => {
      const message = classifiedDirectMessage({
        peerId: 9834,
        eventKey,
        text,
        category: 'safety',
        at: new Date().toISOString(),
      });
      return { ...message, classification: { ...message.classification, priority } };
    };
    await route(safety('open-9834', 'Во дворе открыт канализационный люк', 'normal'));
    const [opened] = (await repository.listAll()).filter((item) => item.conversationKey === 'dm:9834');
    const id = opened?.id as string;
    await acknowledgements();
    await route(safety('high-9834', 'Рядом с люком играют дети', 'high'));
    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    expect(inquiry).toMatchObject({ priority: 'high', firstResponseDueAt: opened?.firstResponseDueAt });
    expect(inquiry.raiseCause).toBeUndefined();
    expect(await acknowledgements()).toEqual([]);
  });

  /** The citizen `peer`'s case answered by an operator (after a first response, if `responded`), the answer then refused by VK for good. */
  async function answerRefused(peer: number, responded = false) {
    await route(written(peer, `open-${peer}`, 'Не горит свет на лестнице'));
    const [opened] = (await repository.listAll()).filter((item) => item.conversationKey === `dm:${peer}`);
    const id = opened?.id as string;
    if (responded) {
      const words = { text: 'Передали электрику.' };
      expect((await call('POST', `/api/v1/inquiries/${id}/intermediate-answer`, ROADS, words)).status).toBe(
        200,
      );
    }
    const reply = await call('POST', `/api/v1/inquiries/${id}/reply`, ROADS, { text: 'Свет починили.' });
    expect(reply.body.status).toBe('answered');
    await acknowledgements();
    const answer = (await drainQueue(aws.sqs, aws.queues.answers.url))
      .map((body) => JSON.parse(body) as OutboxMessage)
      .find((message) => message.purpose === 'answer' && message.inquiryId === id);
    if (!answer) throw new Error('no answer queued');
    const refusing = deliverer({
      config,
      documents,
      tableName: aws.tableName,
      vk: (method) =>
        Promise.reject(new VkApiError(method, 901, "Can't send messages for users without permission")),
      now: new Date().toISOString(),
    });
    expect((await refusing(answer, 1)).outcome).toMatchObject({ kind: 'undeliverable', code: 901 });
    // Back in work, no clock running.
    const refused = await repository.getInquiry(id);
    expect(refused).toMatchObject({ status: 'in_progress' });
    expect(refused?.clock).toBeUndefined();
    return { id, opened: opened as Inquiry };
  }

  /** What the department of the case is told on the escalator's next run, and the digest's text. */
  async function escalatorTells(id: string) {
    const notifier = recordingNotifier();
    await createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => new Date(Date.now() + 60_000) },
      notifier,
    })();
    const told = notifier.sent
      .flatMap((digest) => digest.notifications)
      .filter((one) => one.inquiryId === id);
    const text = notifier.sent.find((digest) =>
      digest.notifications.some((one) => one.inquiryId === id),
    )?.text;
    return { told, text };
  }

  it('is told, and the department hears of it at once, when VK refused the answer that the case was answered with', async () => {
    const { id, opened } = await answerRefused(9832);
    await route(dangerous(9832, 'gas-9832', 'Сейчас в подъезде сильно пахнет газом, страшно заходить'));
    const raised = (await repository.getInquiry(id)) as Inquiry;
    expect(raised).toMatchObject({ status: 'in_progress', priority: 'critical', raiseCause: 'gas-9832' });
    // The citizen, who has just written, is told the message joined the case: the responder sends it.
    const queued = await acknowledgements();
    expect(queued.map((message) => message.id)).toEqual([`${id}:acknowledgement:raised-gas-9832`]);
    const { deliver, sent } = responder();
    expect((await deliver(queued[0] as OutboxMessage, 1)).outcome).toMatchObject({ kind: 'delivered' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`обращению под номером ${raised.caseNumber}`);

    // Its department hears of it on the escalator's next run, with the first response it owes again.
    const { told, text } = await escalatorTells(id);
    expect(told).toMatchObject([{ kind: 'critical', raisedFrom: opened.priority }]);
    expect(text).toContain('Приоритет повышен до критического (был обычным)');
    expect(told[0]?.dueAt).toBe(raised.firstResponseDueAt);
  });

  it('is told to the department as due now when the refused answer followed a first response', async () => {
    const { id } = await answerRefused(9833, true);
    await route(dangerous(9833, 'gas-9833', 'Сейчас в подъезде сильно пахнет газом, страшно заходить'));
    expect((await acknowledgements()).map((message) => message.id)).toEqual([
      `${id}:acknowledgement:raised-gas-9833`,
    ]);
    const { told, text } = await escalatorTells(id);
    expect(told).toMatchObject([{ kind: 'critical', raisedFrom: 'normal' }]);
    expect(text).toContain('Нужно немедленно:');
  });
});
