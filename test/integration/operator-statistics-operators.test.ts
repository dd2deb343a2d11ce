import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { DepartmentOperators } from '../../lambdas/domain/operator/operator-statistics.js';
import type { StatisticsGroup } from '../../lambdas/domain/operator/statistics.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { type OperatorApiDeps, READ_BUDGET_SECONDS, type UseCase } from '../../lambdas/operator-api/api.js';
import { statisticsQuery } from '../../lambdas/operator-api/contract/statistics.js';
import { changeKeyOf } from '../../lambdas/operator-api/request-key.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { operatorStatistics } from '../../lambdas/operator-api/use-cases/operator-statistics.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { createInquiryRecording } from '../../lambdas/responder/record-on-inquiry.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { listedInquiry } from '../support/listed-inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import { type ClaimsCall, idTokenClaims, operatorApiWithClaims } from '../support/operator-api.js';

/**
 * Who answered how many of a department's inquiries of a period: inquiries lived through the router and the
 * operator API's changes, counted by the real handler from dynalite.
 */
const config = readConfigFile('config/local.json');
const PERM = config.communities[0]?.groupId ?? 0;
const ANNA: Operator = {
  id: 'sub-figures-anna',
  name: 'Анна Петрова',
  admin: false,
  departments: ['housing'],
};
const IVAN: Operator = {
  id: 'sub-figures-ivan',
  name: 'Иван Сидоров',
  admin: false,
  departments: ['housing'],
};
const ADMIN: Operator = { id: 'sub-figures-admin', name: 'Администратор', admin: true, departments: [] };
const claimsOf = (operator: Operator, groups: string[]) =>
  idTokenClaims({ sub: operator.id, name: operator.name, groups });

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let api: ClaimsCall;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  process.env.ANSWERS_QUEUE_URL = aws.queues.answers.url;
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  recordCommands(documents, calls);
  api = await operatorApiWithClaims();
});
afterAll(() => aws?.stop());

const repository = () => new DynamoInquiryRepository(documents, aws.tableName);
const depsAt = (now: () => Date): OperatorApiDeps => ({
  config,
  inquiries: repository(),
  queries: new DynamoOperatorQueries(documents, aws.tableName),
  outbox: { send: async () => undefined },
  clock: { now },
});

/** A citizen's rubbish complaint to Perm, routed to housing at `at`; resolves its id. */
const opened = (peerId: number, at: string) =>
  openInquiry(
    { config, inquiries: repository() },
    { peerId, eventKey: `figures-${peerId}`, text: 'Не вывозят мусор во дворе', category: 'waste', at },
  );

/** `operator`'s change through the operator API's use case, at `when`. */
async function acted<Body>(
  operator: Operator,
  useCase: UseCase<Body>,
  id: string,
  body: Body,
  when: string,
): Promise<void> {
  // Keyed as the handler keys a change (dispatch.ts): the operator first, whom the answer's cause then names.
  const idempotencyKey = changeKeyOf(operator.id, useCase.name, when, body);
  const request = { operator, params: { id }, query: {}, body, idempotencyKey };
  const answer = await useCase(
    request,
    depsAt(() => new Date(when)),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** An answer typed by an admin of the community in VK, as the router records it. */
async function answeredInVk(inquiryId: string, peerId: number, when: string) {
  const router = createMessageRouter({
    config,
    inquiries: repository(),
    clock: { now: () => new Date(when) },
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
  });
  expect(
    await router.recordOperatorReply({
      kind: 'operator_reply_in_vk',
      eventKey: `figures-vk-${peerId}`,
      receivedAt: when,
      groupId: PERM,
      peerId,
      adminId: 555,
      messageRef: `dm:${peerId}:2`,
      text: 'Вывезут сегодня вечером.',
      sentAt: when,
    }),
  ).toMatchObject({ inquiryId, outcome: 'recorded' });
}

const NOVEMBER = 'from=2026-11-01T00:00:00%2B05:00&to=2026-12-01T00:00:00%2B05:00';

describe('the operators’ figures of a period', () => {
  // Monday 9 November, from 09:00 in Perm: every first deadline is Tuesday 10:00.
  const monday = (hhmm: string) => `2026-11-09T${hhmm}:00.000Z`;
  beforeAll(async () => {
    // Anna answers one in 20 minutes, and one she took on Monday only on Wednesday: late.
    await acted(ANNA, reply, await opened(9_300_001, monday('04:00')), { text: 'Вывезли.' }, monday('04:20'));
    const slow = await opened(9_300_002, monday('04:00'));
    await acted(ANNA, takeInquiry, slow, {}, monday('04:05'));
    await acted(ANNA, reply, slow, { text: 'Вывезли.' }, '2026-11-11T05:00:00.000Z');
    // Ivan answers one in 40 minutes.
    await acted(IVAN, reply, await opened(9_300_003, monday('04:00')), { text: 'Вывезли.' }, monday('04:40'));
    // Anna takes one, an admin answers it by hand in VK, and Anna closes it: answered, by no one known.
    const byHand = await opened(9_300_004, monday('04:00'));
    await acted(ANNA, takeInquiry, byHand, {}, monday('04:10'));
    await answeredInVk(byHand, 9_300_004, monday('05:00'));
    await acted(ANNA, closeInquiry, byHand, { reason: 'ответили в VK' }, monday('06:00'));
    // Ivan says "we are working on it", calls the citizen and closes it: closed without an answer.
    const phoned = await opened(9_300_005, monday('04:00'));
    await acted(IVAN, intermediateAnswer, phoned, { text: 'Разбираемся.' }, monday('04:30'));
    await acted(IVAN, closeInquiry, phoned, { reason: 'решили по телефону' }, monday('07:00'));
    // Ivan takes one and never answers it: his, open, and late by now.
    await acted(IVAN, takeInquiry, await opened(9_300_006, monday('04:00')), {}, monday('04:15'));
    // Anna answers one, and an admin moves it to roads: not housing's any more, nor hers.
    const moved = await opened(9_300_007, monday('04:00'));
    await acted(ANNA, reply, moved, { text: 'Передали.' }, monday('04:50'));
    await acted(
      ADMIN,
      moveInquiry,
      moved,
      { department: 'roads', reason: 'это дорога', force: true },
      monday('06:00'),
    );
  });

  const departmentsOf = (body: { departments: DepartmentOperators[] }) =>
    Object.fromEntries(body.departments.map((each) => [each.department, each]));

  it('credit each operator with the answers they gave, and no one with an answer in VK, a closing or a move', async () => {
    const answer = await api(
      claimsOf(ANNA, ['dept-housing']),
      'GET',
      `/api/v1/statistics/operators?${NOVEMBER}`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { housing, ...others } = departmentsOf(answer.body);
    expect(others).toEqual({});
    expect(housing?.operators).toEqual([
      {
        id: ANNA.id,
        name: ANNA.name,
        answered: 2,
        resolution: expect.objectContaining({ count: 2, medianMinutes: 20, inTime: 1, late: 1 }),
        holding: 0,
      },
      {
        id: IVAN.id,
        name: IVAN.name,
        answered: 1,
        resolution: expect.objectContaining({ count: 1, medianMinutes: 40, inTime: 1, late: 0 }),
        holding: 1,
      },
    ]);
    // The answer in VK closed, the closing after a call; and the one Ivan holds, late.
    expect(housing?.uncredited).toEqual({
      answered: 2,
      resolution: expect.objectContaining({ count: 2, inTime: 2, late: 1 }),
      holding: 0,
    });
    const document = inlined((await api(claimsOf(ANNA, []), 'GET', OPENAPI_PATH)).body);
    expect(answerIssues(document, '/api/v1/statistics/operators', 'get', answer)).toEqual([]);
  });

  it('add up to the statistics’ answers of the same period and department', async () => {
    const admin = claimsOf(ADMIN, ['admins']);
    const figures = await api(admin, 'GET', `/api/v1/statistics/operators?${NOVEMBER}`);
    const statistics = await api(admin, 'GET', `/api/v1/statistics?${NOVEMBER}`);
    expect([figures.status, statistics.status]).toEqual([200, 200]);
    const groups: StatisticsGroup[] = statistics.body.groups;
    const departments: DepartmentOperators[] = figures.body.departments;
    // An admin sees every department: roads has the moved one, its answer no one's there.
    expect(departments.map(({ department }) => department).sort()).toEqual(['housing', 'roads']);
    expect(departments.find(({ department }) => department === 'roads')).toMatchObject({
      operators: [],
      uncredited: { answered: 1 },
    });
    for (const { department, operators, uncredited } of departments) {
      const rows = [...operators, uncredited];
      const sum = (field: 'count' | 'inTime' | 'late') =>
        rows.reduce((total, row) => total + row.resolution[field], 0);
      const resolution = groups
        .filter((group) => group.department === department)
        .reduce(
          (total, { resolution: each }) => ({
            count: total.count + each.count,
            inTime: total.inTime + each.inTime,
            late: total.late + each.late,
          }),
          { count: 0, inTime: 0, late: 0 },
        );
      expect({ count: sum('count'), inTime: sum('inTime'), late: sum('late') }).toEqual(resolution);
      expect(rows.reduce((total, row) => total + row.answered, 0)).toBe(resolution.count);
    }
  });

  it('come as a spreadsheet for `Accept: text/csv`, the same rows, saved under the period', async () => {
    const sheet = await api(
      claimsOf(ANNA, ['dept-housing']),
      'GET',
      `/api/v1/statistics/operators?${NOVEMBER}&department=housing`,
      undefined,
      { accept: 'text/csv' },
    );
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(sheet.headers['content-disposition']).toBe(
      'attachment; filename="operators_housing_2026-11-01_2026-12-01.csv"',
    );
    const rows = (sheet.body as string).split('\r\n').filter((line) => line !== '');
    expect(rows.slice(1).map((line) => line.split(';').slice(2, 5))).toEqual([
      [ANNA.id, ANNA.name, '2'],
      [IVAN.id, IVAN.name, '1'],
      ['', 'Никому не засчитано', '2'],
    ]);
  });

  it('are refused for another department’s operator, and to anyone for a department not configured', async () => {
    const refused = await api(
      claimsOf(ANNA, ['dept-housing']),
      'GET',
      `/api/v1/statistics/operators?${NOVEMBER}&department=roads`,
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const unknown = await api(
      claimsOf(ADMIN, ['admins']),
      'GET',
      `/api/v1/statistics/operators?${NOVEMBER}&department=parks`,
    );
    expect(unknown).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('the operators’ figures of answers VK refused and delivered later from the dead letters', () => {
  const SEPTEMBER = 'from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z&department=housing';
  const claims = { anna: claimsOf(ANNA, ['dept-housing']), ivan: claimsOf(IVAN, ['dept-housing']) };
  const admin = claimsOf(ADMIN, ['admins']);
  const recording = () =>
    createInquiryRecording({ config, inquiries: repository(), clock: { now: () => new Date() } });

  /** Anna's answer to a new inquiry, from the console as the handler takes it, refused by VK for good. */
  async function annasAnswerRefused(peerId: number): Promise<{ id: string; answer: OutboxMessage }> {
    const id = await opened(peerId, '2026-09-07T04:00:00.000Z');
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const replied = await api(claims.anna, 'POST', `/api/v1/inquiries/${id}/reply`, { text: 'Вывезли.' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(200);
    const queued = (await drainQueue(aws.sqs, aws.queues.answers.url)).map(
      (body) => JSON.parse(body) as OutboxMessage,
    );
    const answer = queued.find((message) => message.purpose === 'answer');
    if (!answer) throw new Error('the answer was not queued');
    const at = new Date().toISOString();
    expect(await recording().recordUndelivered(answer, { at, reason: 'VK error 7' })).toBe('changed');
    return { id, answer };
  }

  it('credit the answer to the operator who wrote it, never to a colleague who took the inquiry meanwhile', async () => {
    // Anna's answer is refused; an admin releases her inquiry and Ivan takes it; then ops replay the answer.
    const handedOn = await annasAnswerRefused(9_300_101);
    const release = { reason: 'в отпуске' };
    expect((await api(admin, 'POST', `/api/v1/inquiries/${handedOn.id}/release`, release)).status).toBe(200);
    expect((await api(claims.ivan, 'POST', `/api/v1/inquiries/${handedOn.id}/take`, {})).status).toBe(200);
    // Anna's other refused answer, hers still when it reaches the citizen.
    const kept = await annasAnswerRefused(9_300_102);
    for (const { answer } of [handedOn, kept])
      expect(await recording().recordDeliveredLate(answer, new Date().toISOString())).toBe('changed');

    const figures = await api(claims.anna, 'GET', `/api/v1/statistics/operators?${SEPTEMBER}`);
    expect(figures.status, JSON.stringify(figures.body)).toBe(200);
    const [housing] = figures.body.departments as DepartmentOperators[];
    // Ivan wrote nothing: not listed. The answer Anna wrote to the inquiry she no longer holds is no one's.
    expect(housing?.operators.map(({ id, answered }) => ({ id, answered }))).toEqual([
      { id: ANNA.id, answered: 1 },
    ]);
    expect(housing?.uncredited).toMatchObject({ answered: 1, holding: 0 });
  });
});

describe('the operators’ figures of a full period', () => {
  // 100 KB of text each: ten inquiries to a 1 MB page of the index.
  const long = 'x'.repeat(100_000);
  const OCTOBER = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
  beforeAll(async () => {
    for (let n = 0; n < 25; n++) {
      const createdAt = new Date(Date.parse('2026-10-05T04:00:00.000Z') + n * 600_000).toISOString();
      const inquiry: Inquiry = {
        ...listedInquiry(`figures-long-${n}`, 'housing', {
          createdAt,
          dueAt: null,
          status: 'answered',
          text: long,
          groupId: PERM,
          category: 'waste',
        }),
        terms: { firstResponseHours: 9, resolutionHours: 72 },
        firstResponseStartedAt: createdAt,
        firstResponseDueAt: createdAt,
        firstRespondedAt: createdAt,
        answeredAt: createdAt,
        assignee: { id: ANNA.id, name: ANNA.name },
      };
      await documents.send(new PutCommand({ TableName: aws.tableName, Item: toInquiryItem(inquiry) }));
    }
  });

  it(`stop reading after ${READ_BUDGET_SECONDS} s with pages left, and say that the period is too full`, async () => {
    // A clock that moves on 4 s each time it is read: past the budget after the second page.
    let reads = 0;
    const slow = () => new Date(Date.parse('2026-12-01T00:00:00.000Z') + 4000 * reads++);
    const request = {
      operator: ADMIN,
      params: {},
      query: statisticsQuery.parse({ ...OCTOBER, department: 'housing' }),
      body: {},
      idempotencyKey: 'figures',
    };
    calls.length = 0;
    expect(await operatorStatistics(request, depsAt(slow))).toMatchObject({
      status: 422,
      body: { code: 'period_too_full', message: expect.stringContaining('shorter') },
    });
    expect(calls.filter((name) => name === 'QueryCommand')).toHaveLength(2);
    // In time, the same period is counted: every answer Anna's.
    const counted = await operatorStatistics(
      request,
      depsAt(() => new Date('2026-12-01T00:00:00.000Z')),
    );
    expect(counted.body).toMatchObject({
      departments: [{ department: 'housing', operators: [{ id: ANNA.id, answered: 25 }] }],
    });
  });
});
