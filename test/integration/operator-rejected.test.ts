import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { caseLookupKey, type DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import type { OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { FollowUpFailed } from '../../lambdas/operator-api/change-inquiry.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * Messages the classifier takes for no inquiry ("Спасибо большое!"), and routed inquiries an operator rejects
 * as none, through the operator API's handler against dynalite and fauxqs: listed under the community's triage
 * department as rejected, in no one's open work, and put into work (or answered) by an operator of triage.
 */

const TOKENS = {
  admin: 'local-admin-token-change-me',
  triage: 'local-triage-token-change-me',
  housing: 'local-housing-token-change-me',
  roads: 'local-roads-token-change-me',
};

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
/** The rejected messages arrived three days ago; the routed inquiry an hour ago. */
const arrived = new Date(Date.now() - 3 * 86_400_000).toISOString();

async function open(
  eventKey: string,
  peerId: number,
  text: string,
  category: Category,
  notAnInquiry: boolean,
) {
  const at = notAnInquiry ? arrived : new Date(Date.now() - 3_600_000).toISOString();
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
  });
  const message = classifiedDirectMessage({ peerId, eventKey, text, category, at, notAnInquiry });
  await router.routeCitizenMessage(message);
}

const [thanks, misread, greeting, leak] = ['thanks', 'misread', 'greeting', 'leak'] as const;
const idOf = (name: string) => `inq-${name}`;
const list = async (token: string, query: string) =>
  ((await call('GET', `/api/v1/inquiries?limit=100&${query}`, token)).body.items as { id: string }[]).map(
    (item) => item.id,
  );
const queued = async () =>
  (await drainQueue(aws.sqs, aws.queues.answers.url)).map((body) => JSON.parse(body) as OutboxMessage);

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
  // Sequential: dynalite has lost concurrent writes to one partition.
  await open(thanks, 9500, 'Спасибо большое!', 'other', true);
  await open(misread, 9501, 'Спасибо, но мусор так и не вывезли', 'other', true);
  await open(greeting, 9502, 'Добрый день!', 'other', true);
  await open(leak, 9503, 'Не вывозят мусор во дворе', 'waste', false);
});
afterAll(() => aws?.stop());
beforeEach(async () => {
  await drainQueue(aws.sqs, aws.queues.answers.url);
});

describe('a message taken for no inquiry', () => {
  it("is listed under its community's triage department as rejected, for triage's operators and admins alone", async () => {
    expect(await repository.getInquiry(idOf(thanks))).toMatchObject({
      status: 'rejected',
      department: 'triage',
    });
    const rejected = [idOf(thanks), idOf(misread), idOf(greeting)].sort();
    expect((await list(TOKENS.admin, 'status=rejected')).sort()).toEqual(rejected);
    expect((await list(TOKENS.triage, 'status=rejected')).sort()).toEqual(rejected);
    expect((await call('GET', `/api/v1/inquiries/${idOf(thanks)}`, TOKENS.triage)).status).toBe(200);
    expect(await list(TOKENS.housing, 'status=rejected')).toEqual([]);
    expect((await call('GET', `/api/v1/inquiries/${idOf(thanks)}`, TOKENS.housing)).status).toBe(404);
    expect(
      (
        await call('POST', `/api/v1/inquiries/${idOf(thanks)}/move`, TOKENS.housing, {
          department: 'housing',
          reason: 'мой',
        })
      ).status,
    ).toBe(404);
  });

  it('is in no open work: not in the urgent or overdue lists, not due for escalation, not counted as due', async () => {
    expect(await list(TOKENS.admin, 'order=urgent')).toEqual([idOf(leak)]);
    expect(await list(TOKENS.admin, 'overdue=true')).toEqual([]);
    expect(await list(TOKENS.admin, 'overdue=false')).toEqual([idOf(leak)]);
    const farOff = new Date(Date.now() + 365 * 86_400_000);
    expect(await repository.countDueForEscalation('triage', farOff)).toBe(0);
    const bodies = {
      take: undefined,
      'intermediate-answer': { text: 'Работаем' },
      close: { reason: 'спам' },
    };
    for (const [path, body] of Object.entries(bodies))
      expect(
        (await call('POST', `/api/v1/inquiries/${idOf(thanks)}/${path}`, TOKENS.triage, body)).status,
        path,
      ).toBe(409);

    const stats = await call(
      'GET',
      `/api/v1/statistics?from=${new Date(Date.parse(arrived) - 60_000).toISOString()}&to=${new Date().toISOString()}&department=triage`,
      TOKENS.triage,
    );
    expect(stats.body.groups).toEqual([
      expect.objectContaining({
        department: 'triage',
        community: DEMO_GROUP_ID,
        byStatus: expect.objectContaining({ rejected: expect.any(Number) }),
        // Owed nothing: neither given nor late, whatever time has passed.
        firstResponse: expect.objectContaining({ count: 0, inTime: 0, late: 0, inTimeShare: null }),
        resolution: expect.objectContaining({ count: 0, inTime: 0, late: 0, inTimeShare: null }),
        answeredInTimeShare: null,
      }),
    ]);
    expect(await queued()).toEqual([]);
  });

  it('moved by an operator of triage becomes an inquiry: routed, its clock from the move, acknowledged once', async () => {
    const id = idOf(misread);
    const before = new Date().toISOString();
    const move = () =>
      call(
        'POST',
        `/api/v1/inquiries/${id}/move`,
        TOKENS.triage,
        { department: 'housing', category: 'waste', reason: 'жалоба, а не благодарность' },
        { 'idempotency-key': 'route-misread' },
      );
    const moved = await move();
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      status: 'routed',
      department: 'housing',
      category: 'waste',
      clock: { kind: 'first_response', cycle: 1 },
      // The acknowledgement it queued, by the id its `delivery` entries will name.
      outboxId: `${id}:acknowledgement:routed`,
    });
    // From the move: a deadline from its arrival three days ago would have been past already.
    expect(moved.body.clock.startedAt >= before).toBe(true);
    expect(moved.body.firstResponseDueAt > before).toBe(true);
    const acknowledgements = await queued();
    expect(acknowledgements).toEqual([
      expect.objectContaining({
        id: `${id}:acknowledgement:routed`,
        purpose: 'acknowledgement',
        replyTo: { channel: 'direct_message', peerId: 9501 },
        requestedBy: 'local-triage-operator',
      }),
    ]);
    expect(acknowledgements[0]?.text).toContain('Департамент ЖКХ');
    // Numbered as the router numbers what it routes, and told the number the citizen can read out, not the id.
    const caseNumber = moved.body.caseNumber as string;
    expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);
    expect(acknowledgements[0]?.text).toContain(`под номером ${caseNumber}.`);
    expect(acknowledgements[0]?.text).not.toContain(id);
    const found = await call('GET', `/api/v1/inquiries?caseNumber=${caseNumber}`, TOKENS.housing);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    // Repeated (its answer lost, its first try as if stopped before the number's lookup), the inquiry housing's
    // now: nothing changes twice, no number is drawn again, the lookup is written, and the acknowledgement is
    // queued again under its one id, with the same number; but triage is shown nothing of housing's inquiry.
    await DynamoDBDocumentClient.from(aws.dynamo).send(
      new DeleteCommand({ TableName: aws.tableName, Key: caseLookupKey(DEMO_GROUP_ID, caseNumber) }),
    );
    const repeated = await move();
    expect(repeated).toMatchObject({ status: 204, body: null });
    expect(repeated.headers).not.toHaveProperty('etag');
    const again = await queued();
    expect(again.map((message) => message.id)).toEqual([`${id}:acknowledgement:routed`]);
    expect(again[0]?.text).toContain(`под номером ${caseNumber}.`);
    const refound = await call('GET', `/api/v1/inquiries?caseNumber=${caseNumber}`, TOKENS.housing);
    expect(refound.body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    expect(detail.status).toBe(200);
    expect(detail.body.history.filter((entry: { kind: string }) => entry.kind === 'routed')).toEqual([
      expect.objectContaining({
        actor: 'operator',
        actorId: 'local-triage-operator',
        actorName: 'Оператор разбора обращений (локально)',
        from: 'rejected',
        to: 'routed',
        reason: 'жалоба, а не благодарность',
        detail: expect.objectContaining({ fromDepartment: 'triage', department: 'housing' }),
      }),
    ]);
    // Triage had it: told it left their departments, not where it went.
    expect(await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage)).toMatchObject({
      status: 403,
      body: { code: 'left_your_departments', current: { status: 'routed' } },
    });
    expect(await list(TOKENS.admin, 'status=rejected')).not.toContain(id);
    expect(await list(TOKENS.housing, 'order=urgent')).toContain(id);
    // Not the mover's: it arrives untaken, in the work left to take, and housing's operators take it.
    expect(moved.body).not.toHaveProperty('assignee');
    expect(await list(TOKENS.housing, 'assignee=none')).toContain(id);
    expect(await list(TOKENS.triage, 'assignee=me')).not.toContain(id);
    const taken = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing);
    expect(taken.body).toMatchObject({
      status: 'in_progress',
      assignee: { id: 'local-housing-operator', name: 'Оператор ЖКХ (локально)' },
    });
  });

  it('recorded before rejected messages were listed, stays unlisted; an admin may still move it into work', async () => {
    // As the router stored one before: no department at all, so in no index of departments.
    await open('old-thanks', 9504, 'Спасибо большое!', 'other', true);
    const stored = await repository.get(idOf('old-thanks'));
    if (!stored) throw new Error('not stored');
    const { department, ...unlisted } = stored.inquiry;
    await repository.update({ ...unlisted, version: unlisted.version + 1 }, unlisted.version, []);
    expect(await list(TOKENS.admin, 'status=rejected')).not.toContain(idOf('old-thanks'));
    // Nor read by triage: its history here names triage (as the router writes it today), so triage is told
    // that it is out of their reach, not that there is none.
    expect(await call('GET', `/api/v1/inquiries/${idOf('old-thanks')}`, TOKENS.triage)).toMatchObject({
      status: 403,
      body: { code: 'left_your_departments' },
    });

    const moved = await call('POST', `/api/v1/inquiries/${idOf('old-thanks')}/move`, TOKENS.admin, {
      category: 'waste',
      priority: 'high',
      reason: 'нашли в журнале: это жалоба',
    });
    // Not told where: to its community's triage department; at the priority given, on its terms.
    expect(moved.body).toMatchObject({
      status: 'routed',
      department: 'triage',
      category: 'waste',
      priority: 'high',
      terms: { firstResponseHours: 4, resolutionHours: 56 },
    });
    expect(await queued()).toHaveLength(1);
  });

  it('may be answered by an operator of triage and stays rejected', async () => {
    const id = idOf(greeting);
    const replied = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.triage, {
      text: 'Здравствуйте! Чем можем помочь?',
    });
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(replied.body.clock).toBeUndefined();
    expect(await queued()).toEqual([
      expect.objectContaining({
        id: replied.body.outboxId,
        purpose: 'answer',
        replyTo: { channel: 'direct_message', peerId: 9502 },
        text: 'Здравствуйте! Чем можем помочь?',
      }),
    ]);
    // Noted in the history under the id of its message, as an answer is.
    const history = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage)).body.history;
    expect(history.find((entry: { kind: string }) => entry.kind === 'reply')?.detail.outboxId).toBe(
      replied.body.outboxId,
    );
    expect(await list(TOKENS.triage, 'status=rejected')).toContain(id);
    expect(await list(TOKENS.admin, 'order=urgent')).not.toContain(id);
    // A word to a "thank you" answers no inquiry: the message is no one's, in no one's list of work.
    expect(replied.body).not.toHaveProperty('assignee');
    expect(await list(TOKENS.triage, 'assignee=me')).not.toContain(id);
    expect(await list(TOKENS.triage, 'assignee=none')).not.toContain(id);
  });
});

describe('an inquiry an operator rejects as none', () => {
  it('is rejected with the reason, sends nothing, and is listed under triage in no open work', async () => {
    await open('advert', 9510, 'Продам гараж недорого, звоните', 'waste', false);
    const id = idOf('advert');
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'routed', department: 'housing' });
    expect(await list(TOKENS.housing, 'order=urgent')).toContain(id);
    const reject = (token: string, body: unknown = { reason: 'реклама, не обращение' }) =>
      call('POST', `/api/v1/inquiries/${id}/reject`, token, body, { 'idempotency-key': 'reject-advert' });

    expect((await reject(TOKENS.housing, {})).status).toBe(400);
    // Another department's inquiry stays unseen.
    expect((await reject(TOKENS.roads)).status).toBe(404);
    const rejected = await reject(TOKENS.housing);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(rejected.body.clock).toBeUndefined();
    expect(await queued()).toEqual([]);

    // Out of open work and of the escalator's index; listed with the classifier's rejected messages.
    expect(await list(TOKENS.admin, 'order=urgent')).not.toContain(id);
    expect(await list(TOKENS.admin, 'assignee=none')).not.toContain(id);
    const farOff = new Date(Date.now() + 365 * 86_400_000);
    for (const department of ['housing', 'triage'])
      expect(
        (await repository.dueForEscalation(department, farOff, { limit: 1000 })).inquiries.map(
          (due) => due.id,
        ),
      ).not.toContain(id);
    expect(await list(TOKENS.triage, 'status=rejected')).toContain(id);
    expect(await list(TOKENS.housing, 'status=rejected')).not.toContain(id);

    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage);
    const byOperator = {
      actor: 'operator',
      actorId: 'local-housing-operator',
      actorName: 'Оператор ЖКХ (локально)',
    };
    // One change, one entry: who, why, and from which department to triage.
    const entries = detail.body.history.filter((entry: { kind: string }) =>
      ['rejected', 'moved'].includes(entry.kind),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        ...byOperator,
        kind: 'rejected',
        from: 'routed',
        to: 'rejected',
        reason: 'реклама, не обращение',
        detail: { fromDepartment: 'housing', department: 'triage' },
      }),
    ]);

    // Repeated by its operator (its answer lost), the inquiry triage's now: nothing changes twice, and nothing
    // of triage's inquiry is shown to them.
    const again = await reject(TOKENS.housing);
    expect(again).toMatchObject({ status: 204, body: null });
    expect((await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage)).body.history).toHaveLength(
      detail.body.history.length,
    );
    // Their department's list no longer has it, nor may they open it anew: they are told it was rejected out
    // of their departments (its status), not where it went.
    const reopened = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    expect(reopened).toMatchObject({
      status: 403,
      body: { code: 'left_your_departments', current: { status: 'rejected' } },
    });
    expect(JSON.stringify(reopened.body)).not.toMatch(/triage/);
  });

  it('is moved back into work by an operator of triage, keeping its case number, and not acknowledged again', async () => {
    await open('misjudged', 9511, 'Во дворе не вывозят мусор', 'waste', false);
    const id = idOf('misjudged');
    const routed = await repository.getInquiry(id);
    // Routed by the router, which told the citizen its case number (`<id>:acknowledgement:routed`).
    expect(routed).toMatchObject({ status: 'routed', clockCount: 1 });
    await queued();
    const rejected = await call('POST', `/api/v1/inquiries/${id}/reject`, TOKENS.admin, {
      reason: 'Реклама',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', department: 'triage' });
    const moveBack = () =>
      call(
        'POST',
        `/api/v1/inquiries/${id}/move`,
        TOKENS.triage,
        { department: 'housing', reason: 'не спам: жалоба на вывоз мусора' },
        { 'idempotency-key': 'route-back-misjudged' },
      );
    const moved = await moveBack();
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      status: 'routed',
      department: 'housing',
      caseNumber: routed?.caseNumber,
      clock: { kind: 'first_response', cycle: 2 },
    });
    // The citizen knows the number from the first routing, and was never told of the rejection: nothing is
    // queued, neither a second "registered" under the move's request nor the first one again.
    expect((await repository.getInquiry(id))?.routeCause).toMatch(/^op:.*route-back-misjudged/);
    expect(moved.body).not.toHaveProperty('outboxId');
    expect(await queued()).toEqual([]);
    // Repeated, it queues nothing either (and shows nothing of housing's inquiry).
    expect(await moveBack()).toMatchObject({ status: 204, body: null });
    expect(await queued()).toEqual([]);
    expect(await list(TOKENS.housing, 'order=urgent')).toContain(id);
  });

  it('once taken, is rejected too, its holder letting it go: no longer in their work', async () => {
    await open('taken', 9512, 'Выгодный кредит, пишите в личку', 'waste', false);
    const id = idOf('taken');
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    expect(await list(TOKENS.housing, 'assignee=me')).toContain(id);
    const rejected = await call('POST', `/api/v1/inquiries/${id}/reject`, TOKENS.housing, { reason: 'спам' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(rejected.body).not.toHaveProperty('assignee');
    expect(await list(TOKENS.housing, 'assignee=me')).not.toContain(id);
    expect(await list(TOKENS.triage, 'status=rejected')).toContain(id);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage);
    expect(detail.body.history.filter((entry: { kind: string }) => entry.kind === 'rejected')).toEqual([
      expect.objectContaining({
        from: 'in_progress',
        to: 'rejected',
        reason: 'спам',
        detail: {
          fromDepartment: 'housing',
          department: 'triage',
          fromAssignee: { id: 'local-housing-operator', name: 'Оператор ЖКХ (локально)' },
        },
      }),
    ]);
  });

  it('once answered, is not rejected: it was treated as an inquiry', async () => {
    await open('answered', 9513, 'Во дворе яма', 'waste', false);
    const id = idOf('answered');
    const replied = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, {
      text: 'Яму засыплют завтра.',
    });
    expect(replied.body).toMatchObject({ status: 'answered' });
    const refused = await call('POST', `/api/v1/inquiries/${id}/reject`, TOKENS.housing, { reason: 'спам' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'not_allowed_in_state' } });
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered', department: 'housing' });
  });
});

describe('a move into work whose acknowledgement could not be queued (503)', () => {
  const triageOperator: Operator = {
    id: 'local-triage-operator',
    name: 'Оператор разбора обращений (локально)',
    admin: false,
    departments: ['triage'],
  };
  let refuse = true;
  let deps: OperatorApiDeps;
  const move = (id: string, key: string) =>
    moveInquiry(
      {
        operator: triageOperator,
        params: { id },
        query: {},
        body: { department: 'housing', reason: 'это обращение' },
        idempotencyKey: key,
        repeatKey: key,
      },
      deps,
    );

  beforeAll(() => {
    const client = DynamoDBDocumentClient.from(aws.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const outbox = new SqsOutbox(aws.sqs, aws.queues.answers.url);
    deps = {
      config,
      inquiries: repository,
      queries: new DynamoOperatorQueries(client, aws.tableName),
      outbox: {
        send: async (message) => {
          if (refuse) throw new Error('SQS cannot be reached');
          await outbox.send(message);
        },
      },
      clock: systemClock,
    };
  });
  beforeEach(() => {
    refuse = true;
  });

  it('repeated once housing has taken it and written to the citizen, queues the acknowledgement the move would have', async () => {
    await open('hello', 9520, 'Добрый день!', 'other', true);
    const id = idOf('hello');
    await expect(move(id, 'route-hello')).rejects.toBeInstanceOf(FollowUpFailed);
    const routed = await repository.getInquiry(id);
    expect(routed).toMatchObject({ status: 'routed', department: 'housing' });
    expect(await queued()).toEqual([]);
    // Meanwhile housing takes it and writes to the citizen: in progress, its resolution clock running.
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    const answered = await call('POST', `/api/v1/inquiries/${id}/intermediate-answer`, TOKENS.housing, {
      text: 'Уточните, пожалуйста, адрес',
    });
    expect(answered.body).toMatchObject({ status: 'in_progress', clock: { kind: 'resolution' } });
    await queued();

    refuse = false;
    expect(await move(id, 'route-hello')).toEqual({ status: 204, body: undefined });
    // Under the id the first try would have used: had that one reached the queue, VK sends it once.
    const acknowledgements = await queued();
    expect(acknowledgements).toEqual([
      expect.objectContaining({
        id: `${id}:acknowledgement:routed`,
        purpose: 'acknowledgement',
        replyTo: { channel: 'direct_message', peerId: 9520 },
        requestedBy: triageOperator.id,
      }),
    ]);
    expect(acknowledgements[0]?.text).toContain(`под номером ${routed?.caseNumber}.`);
    expect(acknowledgements[0]?.text).toContain('Департамент ЖКХ');
  });

  it('repeated for one routed back into work and taken since, queues nothing: its first routing told the number', async () => {
    await open('back', 9521, 'Во дворе не вывозят мусор', 'waste', false);
    const id = idOf('back');
    await queued();
    expect(
      (await call('POST', `/api/v1/inquiries/${id}/reject`, TOKENS.admin, { reason: 'спам?' })).status,
    ).toBe(200);
    expect(await move(id, 'route-back')).toMatchObject({ status: 200 });
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);

    expect(await move(id, 'route-back')).toEqual({ status: 204, body: undefined });
    expect(await queued()).toEqual([]);
  });

  it('repeated by an admin, who still sees it where the move put it, queues the acknowledgement as made', async () => {
    await open('admin-route', 9523, 'Добрый вечер', 'other', true);
    const id = idOf('admin-route');
    const admin: Operator = {
      id: 'local-admin',
      name: 'Администратор (локально)',
      admin: true,
      departments: [],
    };
    const request = {
      operator: admin,
      params: { id },
      query: {},
      body: { department: 'housing', reason: 'это обращение' },
      idempotencyKey: 'admin-route',
      repeatKey: 'admin-route',
    };
    await expect(moveInquiry(request, deps)).rejects.toBeInstanceOf(FollowUpFailed);
    const routed = await repository.getInquiry(id);
    expect(routed).toMatchObject({ status: 'routed', department: 'housing' });

    refuse = false;
    // Where the move asks it to be now, by the move itself: a repeat, not a move that changes nothing.
    const again = await moveInquiry(request, deps);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outboxId: `${id}:acknowledgement:routed` });
    expect(await queued()).toEqual([
      expect.objectContaining({ id: `${id}:acknowledgement:routed`, purpose: 'acknowledgement' }),
    ]);
    expect((await repository.getInquiry(id))?.version).toBe(routed?.version);
  });

  it('repeated once the inquiry is rejected again, queues nothing', async () => {
    await open('again', 9522, 'Здравствуйте', 'other', true);
    const id = idOf('again');
    await expect(move(id, 'route-again')).rejects.toBeInstanceOf(FollowUpFailed);
    expect(
      (await call('POST', `/api/v1/inquiries/${id}/reject`, TOKENS.housing, { reason: 'приветствие' }))
        .status,
    ).toBe(200);
    refuse = false;
    expect((await move(id, 'route-again')).status).toBe(200);
    expect(await queued()).toEqual([]);
  });
});
