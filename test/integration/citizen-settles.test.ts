import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { TestAws } from '../support/aws.js';
import { drainQueue } from '../support/aws.js';
import {
  dialogueEdits,
  dialogueMessages,
  inquiriesOfDialogue,
  queuedAcknowledgements,
  routeBatch,
} from '../support/dialogue.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import { type Consumer, startRouterAndOperatorApi, type startRouterHandler } from '../support/router.js';

/**
 * A citizen whose case was answered writes, days later, that the matter is settled: past the reopening window
 * such words open no case of their own (the model reads them as an unsure inquiry, and one was opened, numbered
 * and acknowledged). Through the router's own handler against dynalite and fauxqs, the messages classified by
 * the committed model, the answer given through the operator API.
 */

const HOUSING = 'local-housing-token-change-me';
const RUBBISH = 'Во дворе дома 12 не вывозят мусор уже неделю, контейнеры переполнены';
const DAY_MS = 24 * 3_600_000;

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const written = dialogueMessages('cs');
const edited = dialogueEdits('cs');
const route = (...messages: ClassifiedMessage[]) => routeBatch(router, messages);

/** The citizen's message number `n`, written and reaching us four days from now: past the 72-hour window. */
const writtenLater = (citizen: number, n: number, text: string): ClassifiedMessage => {
  const at = new Date(Date.now() + 4 * DAY_MS);
  return { ...written(citizen, n, text, at), receivedAt: at.toISOString() };
};
const inquiriesOf = (citizen: number) => inquiriesOfDialogue(repository, citizen);

/** The citizen's rubbish complaint, routed to housing and answered there through the operator API. */
async function answeredRubbish(citizen: number): Promise<Inquiry> {
  await route(written(citizen, 1, RUBBISH));
  const [inquiry] = await inquiriesOf(citizen);
  const id = inquiry?.id as string;
  const reply = await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Мусор вывезли.' });
  expect(reply.body.status).toBe('answered');
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  return (await repository.getInquiry(id)) as Inquiry;
}

describe("the citizen's word that the matter is settled, past the reopening window", () => {
  it('is kept as a message taken for no inquiry, under triage: no case number, no acknowledgement', async () => {
    const old = await answeredRubbish(9951);
    const settled = writtenLater(9951, 2, 'Уже починили, спасибо, вопрос снят');
    // The model's word on it, which this turns on: fails loudly if a new model says otherwise.
    expect(settled.classification).toMatchObject({ inquiry: true });
    await route(settled);

    const [stays, kept, ...more] = await inquiriesOf(9951);
    expect(more).toEqual([]);
    expect(stays).toEqual(old);
    expect(kept).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(kept?.caseNumber).toBeUndefined();
    expect(kept?.clock).toBeUndefined();
    expect(await queuedAcknowledgements(aws)).toEqual([]);
    const entry = (await repository.get(kept?.id as string))?.history.find((one) => one.kind === 'rejected');
    expect(entry?.reason).toBe('the citizen writes that a matter is settled or withdrawn: nothing to answer');
  });

  it('is not put into work by an edit of it that still says so', async () => {
    await answeredRubbish(9956);
    const settled = writtenLater(9956, 2, 'Вопрос снят');
    await route(settled);
    const [, kept] = await inquiriesOf(9956);
    expect(kept).toMatchObject({ status: 'rejected', department: 'triage' });

    const writtenAt = new Date(settled.message.sentAt);
    const edit = edited(
      9956,
      2,
      'Уже починили, спасибо, вопрос снят',
      new Date(writtenAt.getTime() + 60_000),
      writtenAt,
    );
    // The model's word on it, which this turns on: an inquiry, which an edit of a rejected message routes.
    expect(edit.classification).toMatchObject({ inquiry: true });
    await routeBatch(router, [edit]);
    const [, still, ...more] = await inquiriesOf(9956);
    expect(more).toEqual([]);
    expect(still).toMatchObject({ id: kept?.id, status: 'rejected', department: 'triage' });
    expect(still?.caseNumber).toBeUndefined();
    expect(still?.clock).toBeUndefined();
    expect(still?.citizenSettledAt).toBeUndefined();
    expect(await queuedAcknowledgements(aws)).toEqual([]);
    // Kept as any edit: no open work for an operator to close.
    const entry = (await repository.get(kept?.id as string))?.history.find(
      (one) => one.kind === 'message_changed',
    );
    expect(entry?.reason).toBeDefined();
    expect(entry?.reason).not.toContain('for an operator to close');
  });

  it('opens a case as before for a look-alike that is not', async () => {
    await answeredRubbish(9952);
    const still = writtenLater(9952, 2, 'Спасибо, но до сих пор не починили');
    await route(still);
    const [, opened] = await inquiriesOf(9952);
    expect(opened).toMatchObject({ status: 'routed' });
    expect(opened?.caseNumber).toBeDefined();
  });
});

describe("the citizen's settled word, edited into a report", () => {
  it('raises the case as a report written anew would, and clears the mark: the settled words raised nothing', async () => {
    const opening = written(9953, 1, 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ');
    await route(opening);
    const settled = written(9953, 2, 'Уже починили, спасибо, вопрос снят');
    // The model reads them `high`, which they raised nothing by.
    expect(settled.classification).toMatchObject({ inquiry: true, priority: 'high' });
    await route(settled);
    const [before] = await inquiriesOf(9953);
    expect(before).toMatchObject({ status: 'routed', priority: 'normal' });
    expect(before?.citizenSettledAt).toBeDefined();

    const report = edited(9953, 2, 'Во дворе не вывозят мусор, контейнеры переполнены');
    expect(report.classification).toMatchObject({ inquiry: true, priority: 'high' });
    await routeBatch(router, [report]);
    const [after] = await inquiriesOf(9953);
    expect(after?.priority).toBe('high');
    // No longer saying the matter is settled, the words take the mark back.
    expect(after?.citizenSettledAt).toBeUndefined();
  });
});

describe("the citizen's settled word, edited twice", () => {
  it('weighs the second edit against the settled words of the first, which raised nothing', async () => {
    const base = Date.now();
    await route(
      written(9955, 1, 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ', new Date(base)),
    );
    const writtenAt = new Date(base + 1_000);
    await route(written(9955, 2, 'Уже починили, спасибо, вопрос снят', writtenAt));
    const settled = edited(
      9955,
      2,
      'Уже починили, спасибо большое, вопрос снят',
      new Date(base + 2_000),
      writtenAt,
    );
    // The model reads them `high` too: stored at that, they would hide the report edited in next.
    expect(settled.classification).toMatchObject({ inquiry: true, priority: 'high' });
    await routeBatch(router, [settled]);
    const [before] = await inquiriesOf(9955);
    expect(before).toMatchObject({ status: 'routed', priority: 'normal' });

    const report = edited(
      9955,
      2,
      'Во дворе не вывозят мусор, контейнеры переполнены',
      new Date(base + 3_000),
      writtenAt,
    );
    expect(report.classification).toMatchObject({ inquiry: true, priority: 'high' });
    await routeBatch(router, [report]);
    const [after] = await inquiriesOf(9955);
    expect(after?.priority).toBe('high');
  });
});

describe("the citizen's word that the matter is settled, within the reopening window", () => {
  it('joins the answered case whatever category the model reads it in, and reopens nothing', async () => {
    const old = await answeredRubbish(9954);
    const settled = written(9954, 2, 'Яму уже отремонтировали, спасибо');
    // Sure of another category than the case's: a new matter, were it not the citizen's settled word.
    expect(settled.classification).toMatchObject({ category: 'roads', inquiry: true, triage: false });
    await route(settled);
    const [stays, ...more] = await inquiriesOf(9954);
    expect(more).toEqual([]);
    expect(stays).toMatchObject({ id: old.id, status: 'answered', messageCount: old.messageCount + 1 });
    expect(await queuedAcknowledgements(aws)).toEqual([]);
  });
});
