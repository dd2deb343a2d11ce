import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import {
  type CountedInquiry,
  periodBound,
  STATISTICS_FIELDS,
  type StatisticsGroup,
  statisticsOf,
} from '../../lambdas/domain/operator/statistics.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import {
  type ApiAnswer,
  type OperatorApiDeps,
  READ_BUDGET_SECONDS,
  type UseCase,
} from '../../lambdas/operator-api/api.js';
import type { TextBody } from '../../lambdas/operator-api/contract/changes.js';
import { statisticsGroup, statisticsQuery } from '../../lambdas/operator-api/contract/statistics.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { statistics } from '../../lambdas/operator-api/use-cases/statistics.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { inlined } from '../support/openapi.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';
import { deliverer } from '../support/responder.js';

/**
 * The statistics of a period, read from dynalite (which cuts a Query's pages at 1 MB of whole items, before
 * the projection, as DynamoDB does) through the opening-time index: what they count, and what they read.
 */
const ADMIN = 'local-admin-token-change-me';
const NOW = new Date('2026-03-10T12:00:00.000Z');

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let queries: DynamoOperatorQueries;
let call: OperatorApiCall;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  recordCommands(documents, calls);
  queries = new DynamoOperatorQueries(documents, aws.tableName);
  call = await localOperatorApi();
});
afterAll(() => aws?.stop());

/** An inquiry as the router and the operators leave it, with its text, causes and clock. */
function inquiry(id: string, department: string, createdAt: string, fields: Partial<Inquiry> = {}): Inquiry {
  const dueAt = new Date(Date.parse(createdAt) + 9 * 3_600_000).toISOString();
  return {
    id,
    groupId: 1,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 1 },
    conversationKey: `dm:${id}`,
    authorId: 1,
    text: 'Не вывозят мусор во дворе дома 5',
    status: 'routed',
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    triage: false,
    department,
    terms: { firstResponseHours: 9, resolutionHours: 72 },
    clock: {
      kind: 'first_response',
      cycle: 1,
      startedAt: createdAt,
      dueAt,
      warnAt: dueAt,
      warned: false,
      breached: false,
    },
    clockCount: 1,
    firstResponseDueAt: dueAt,
    escalated: false,
    messageCount: 1,
    lastMessageAt: createdAt,
    reopenCount: 0,
    createdAt,
    updatedAt: createdAt,
    version: 1,
    sourceEventKey: id,
    causes: [id],
    ...fields,
  };
}

/** Sequential: dynalite has lost concurrent writes to one partition. */
async function store(inquiries: Inquiry[]) {
  for (const each of inquiries)
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: toInquiryItem(each) }));
}

const config = readConfigFile('config/local.json');
/** The one community config/local.json configures: Perm's calendar, 09:00-18:00 with a lunch hour. */
const PERM = config.communities[0]?.groupId ?? 0;
const calendarOf = (groupId: number) =>
  config.communities.find((community) => community.groupId === groupId)?.calendar;

const deps = (now: () => Date, appConfig = config): OperatorApiDeps => ({
  config: appConfig,
  inquiries: new DynamoInquiryRepository(documents, aws.tableName),
  queries,
  outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
  clock: { now },
});

const countAsAdmin = (
  query: Record<string, unknown>,
  now: () => Date = () => NOW,
  appConfig = config,
): Promise<ApiAnswer> =>
  statistics(
    {
      operator: { id: 'admin', name: 'Admin', admin: true, departments: [] },
      params: {},
      query: statisticsQuery.parse(query),
      body: {},
      idempotencyKey: 'statistics',
    },
    deps(now, appConfig),
  );

describe('the statistics: the bounds of a period', () => {
  beforeAll(() =>
    store(
      [
        '2025-12-31T23:59:59.999Z',
        '2026-01-01T00:00:00.000Z',
        '2026-01-31T23:59:59.999Z',
        '2026-02-01T00:00:00.000Z',
        '2026-02-01T00:00:00.500Z',
      ].map((createdAt, n) => inquiry(`bound-${n}`, 'roads', createdAt)),
    ),
  );

  const total = async (from: string, to: string) => {
    const answer = await call('GET', `/api/v1/statistics?department=roads&from=${from}&to=${to}`, ADMIN);
    expect(answer.status).toBe(200);
    return answer.body.groups.reduce((sum: number, group: { total: number }) => sum + group.total, 0);
  };

  it('counts from the first millisecond of `from` up to `to` left out, given to the second or finer', async () => {
    expect(await total('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toBe(2);
    expect(await total('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')).toBe(2);
    expect(await total('2026-01-01T00:00:00.0Z', '2026-02-01T00:00:00.5Z')).toBe(3);
    // Finer than milliseconds: a tenth of a millisecond after the first inquiry's, and after the last one's.
    expect(await total('2026-01-01T00:00:00.0001Z', '2026-02-01T00:00:00.5001Z')).toBe(3);
  });

  it('counts each inquiry once in months that follow one another', async () => {
    const months = [
      '2025-12-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
    ];
    const counts: number[] = [];
    for (let month = 0; month + 1 < months.length; month++)
      counts.push(await total(months[month] ?? '', months[month + 1] ?? ''));
    // The last millisecond of December; the first and last of January; two in the first second of February.
    expect(counts).toEqual([1, 2, 2]);
  });

  it('takes bounds in local time, with their offset, and refuses one with none', async () => {
    // A month asked at UTC+5 (`+` written %2B in a URL); the last millisecond of 2025 and the first of 2026,
    // asked at UTC+5 and at UTC-5.
    expect(await total('2026-01-01T05:00:00%2B05:00', '2026-02-01T05:00:00%2B05:00')).toBe(2);
    expect(await total('2026-01-01T04:59:59.999%2B05:00', '2026-01-01T05:00:00.001%2B05:00')).toBe(2);
    expect(await total('2025-12-31T18:59:59.999-05:00', '2025-12-31T19:00:00.001-05:00')).toBe(2);
    for (const [from, says] of [
      ['2026-01-01T00:00:00', 'offset'],
      ['2026-01-01T00:00:00+05:00', '%2B'], // a bare + in a URL is a space
      ['January', 'offset'],
    ] as const) {
      const answer = await call('GET', `/api/v1/statistics?from=${from}&to=2026-02-01T00:00:00Z`, ADMIN);
      expect(answer.status, from).toBe(400);
      expect(answer.body.issues.join('\n'), from).toContain(says);
    }
  });

  it('refuses a period longer than a year, saying so', async () => {
    const answer = await call(
      'GET',
      '/api/v1/statistics?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00.001Z&department=roads',
      ADMIN,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.issues.join('\n')).toContain('longer than 366 days');
    expect(await total('2025-03-01T00:00:00Z', '2026-03-01T00:00:00Z')).toBe(5);
  });
});

describe('the statistics: what they read', () => {
  // 100 KB of text each: ten inquiries to a 1 MB page of the index.
  const long = 'x'.repeat(100_000);
  const opened = (n: number) => new Date(Date.parse('2026-03-02T00:00:00.000Z') + n * 600_000).toISOString();
  const at = (time: string) => `2026-03-${time}:00.000Z`;
  const housing: Inquiry[] = [
    ...Array.from({ length: 25 }, (_, n) =>
      inquiry(`long-${n}`, 'housing', opened(n), {
        text: long,
        status: 'answered',
        groupId: 1 + (n % 2),
        // Some stored before the start of the cycle was kept: timed from their opening.
        ...(n % 3 > 0 && { firstResponseStartedAt: opened(n) }),
        firstRespondedAt: opened(n + 3 + (n % 7)),
        firstResponseLate: n % 5 === 0,
        answeredAt: opened(n + 3 + (n % 7)),
        clock: undefined,
      }),
    ),
    inquiry('overdue', 'housing', opened(30)),
    inquiry('rejected', 'housing', opened(31), { status: 'rejected', category: 'roads' }),
    inquiry('not-yet-due', 'housing', opened(32), { firstResponseDueAt: '2026-03-11T00:00:00.000Z' }),
    // In Perm, on Monday 2 March: an intermediate answer at 11:45 local, its answer due the next day, never
    // given.
    inquiry('answer-late', 'housing', at('02T06:40'), {
      groupId: PERM,
      status: 'in_progress',
      firstResponseStartedAt: at('02T06:40'),
      firstRespondedAt: at('02T06:45'),
      firstResponseLate: false,
      resolutionDueAt: at('03T06:45'),
      clock: undefined,
      escalated: true,
      // The citizen wrote the next day that it is settled: read through the projection, counted.
      citizenSettledAt: at('03T05:00'),
    }),
    // Answered in 5 minutes, then reopened on Wednesday at 09:00 local and answered in 10 minutes.
    inquiry('reopened', 'housing', at('02T06:50'), {
      groupId: PERM,
      status: 'answered',
      reopenCount: 1,
      clockCount: 2,
      earlierCycles: [
        {
          status: 'answered',
          startedAt: at('02T06:50'),
          firstResponseDueAt: at('02T10:50'),
          firstRespondedAt: at('02T06:55'),
          firstResponseLate: false,
          answeredAt: at('02T06:55'),
        },
      ],
      firstResponseStartedAt: at('04T04:00'),
      firstResponseDueAt: at('04T08:00'),
      firstRespondedAt: at('04T04:10'),
      firstResponseLate: false,
      answeredAt: at('04T04:10'),
      clock: undefined,
    }),
    // Answered at once, and VK refused the answer: nothing given, both late by now.
    inquiry('refused', 'housing', at('02T07:00'), {
      groupId: PERM,
      status: 'in_progress',
      firstResponseStartedAt: at('02T07:00'),
      firstRespondedAt: at('02T07:05'),
      firstResponseLate: false,
      undelivered: { outboxId: 'out-1', purpose: 'answer', reason: 'VK error 901', at: at('02T07:06') },
      clock: undefined,
    }),
    // An intermediate answer; the answer refused; reached by phone and closed at 23:00 local: past the first
    // response's deadline, before the answer's.
    inquiry('phoned', 'housing', at('02T07:10'), {
      groupId: PERM,
      status: 'closed',
      firstResponseStartedAt: at('02T07:10'),
      firstRespondedAt: at('02T07:15'),
      firstResponseLate: false,
      resolutionDueAt: at('03T07:15'),
      closedAt: at('02T18:00'),
      clock: undefined,
    }),
  ];
  const period = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

  beforeAll(() => store(housing));

  it('reads page by page, of each inquiry only what the statistics count', async () => {
    calls.length = 0;
    const pages: CountedInquiry[][] = [];
    for await (const page of queries.openedBetween(
      'housing',
      '2026-03-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ))
      pages.push(page.inquiries);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((name) => name === 'QueryCommand')).toHaveLength(pages.length);
    const read = pages.flat();
    expect(read).toHaveLength(housing.length);
    for (const item of read) expect(STATISTICS_FIELDS).toEqual(expect.arrayContaining(Object.keys(item)));
    expect(read.find((item) => 'text' in item || 'causes' in item)).toBeUndefined();
  });

  it('comes to the figures of the whole inquiries', async () => {
    const answer = await countAsAdmin({ ...period, department: 'housing' });
    expect(answer.status).toBe(200);
    const groups = (answer.body as { groups: unknown[] }).groups;
    expect(groups).toEqual(statisticsOf(housing, NOW, calendarOf));
    expect(groups).toHaveLength(3);
    // A community asked for is one configured (else 400): community 2 is, here, on Perm's calendar.
    const [perm] = config.communities;
    if (!perm) throw new Error('config/local.json configures a community');
    const withSecond = { ...config, communities: [...config.communities, { ...perm, groupId: 2 }] };
    const second = await countAsAdmin({ ...period, community: '2' }, () => NOW, withSecond);
    expect((second.body as { groups: unknown[] }).groups).toEqual(
      statisticsOf(
        housing.filter((each) => each.groupId === 2),
        NOW,
        (groupId) => (groupId === 2 ? perm.calendar : calendarOf(groupId)),
      ),
    );
  });

  it('tells the first response from the answer, each timed from the start of its cycle, every cycle counted', async () => {
    const answer = await call(
      'GET',
      `/api/v1/statistics?department=housing&community=${PERM}&from=2026-03-01T00:00:00%2B05:00&to=2026-04-01T00:00:00%2B05:00`,
      ADMIN,
    );
    expect(answer.status).toBe(200);
    const [group] = answer.body.groups;
    expect(group).toEqual({
      department: 'housing',
      community: PERM,
      total: 4,
      byStatus: { in_progress: 2, answered: 1, closed: 1 },
      byCategory: { waste: 4 },
      citizenSettled: 1,
      // 5 minutes; 5 before the reopening and 10 after it; 5; the refused answer is not given, and late by now.
      firstResponse: {
        count: 4,
        medianMinutes: 5,
        p90Minutes: 10,
        medianWorkingMinutes: 5,
        p90WorkingMinutes: 10,
        inTime: 4,
        late: 1,
        inTimeShare: 0.8,
      },
      // 5 minutes before the reopening and 10 after it; to the phone call 10 h 50 min, 4 h 50 min of them
      // working time; two never given.
      resolution: {
        count: 3,
        medianMinutes: 10,
        p90Minutes: 650,
        medianWorkingMinutes: 10,
        p90WorkingMinutes: 290,
        inTime: 3,
        late: 2,
        inTimeShare: 0.6,
      },
      answeredInTimeShare: 0.8,
    });
    // Every field the answer gives is described in the OpenAPI document, and the other way round.
    expect(Object.keys(group).sort()).toEqual(Object.keys(statisticsGroup.shape).sort());
    const described = inlined((await call('GET', OPENAPI_PATH)).body).paths['/api/v1/statistics'].get;
    const schema = described.responses['200'].content['application/json'].schema.properties.groups.items;
    for (const figures of ['firstResponse', 'resolution'])
      expect(Object.keys(schema.properties[figures].properties).sort()).toEqual(
        Object.keys(group[figures]).sort(),
      );
    expect(schema.properties.answeredInTimeShare).toMatchObject({ deprecated: true });
  });

  it(`stops reading after ${READ_BUDGET_SECONDS} s and says that the period is too full`, async () => {
    // A clock that moves on 4 s each time it is read: past the budget after the second page.
    const slow = () => {
      let reads = 0;
      return () => new Date(NOW.getTime() + 4000 * reads++);
    };
    calls.length = 0;
    const answer = await countAsAdmin({ ...period, department: 'housing' }, slow());
    expect(answer).toMatchObject({
      status: 422,
      body: { code: 'period_too_full', message: expect.stringContaining('shorter') },
    });
    expect(calls.filter((name) => name === 'QueryCommand')).toHaveLength(2);
    // A period read in a page or two is counted, however slow the pages.
    expect((await countAsAdmin({ ...period, department: 'roads' }, slow())).status).toBe(200);
    // The last page, read past the budget, is counted and answered: nothing was left to read.
    let pages = 0;
    for await (const _page of queries.openedBetween(
      'housing',
      periodBound(period.from),
      periodBound(period.to),
    ))
      pages++;
    const pastTheBudgetAtTheLast = () => {
      let reads = 0;
      const step = (READ_BUDGET_SECONDS * 1000) / (pages - 0.5);
      return () => new Date(NOW.getTime() + step * reads++);
    };
    calls.length = 0;
    const lastLate = await countAsAdmin({ ...period, department: 'housing' }, pastTheBudgetAtTheLast());
    expect(lastLate.status).toBe(200);
    expect(calls.filter((name) => name === 'QueryCommand')).toHaveLength(pages);
    expect((lastLate.body as { groups: unknown[] }).groups).toEqual(statisticsOf(housing, NOW, calendarOf));
    const described = inlined((await call('GET', OPENAPI_PATH)).body).paths['/api/v1/statistics'].get
      .responses;
    expect(described['422'].description).toContain('shorter');
  });
});

describe('the statistics of inquiries lived through the router, the operator API and the responder', () => {
  const ADMIN_OPERATOR = { id: 'admin', name: 'Admin', admin: true, departments: [] };
  /** What the operators' changes put on the outbox, for the responder to deliver. */
  const sent: OutboxMessage[] = [];
  const at = (clock: string) => new Date(clock);
  const repository = () => new DynamoInquiryRepository(documents, aws.tableName);
  const depsAt = (now: string): OperatorApiDeps => ({
    ...deps(() => at(now)),
    outbox: { send: async (message) => void sent.push(message) },
  });

  /**
   * A citizen's rubbish complaint to Perm, sent and reaching us at `receivedAt`, routed to housing then or at
   * `routedAt` (routing failed and was retried); resolves the id of its inquiry.
   */
  async function opened(
    peerId: number,
    receivedAt: string,
    { eventKey = `lived-${peerId}`, text = 'Не вывозят мусор во дворе', routedAt = receivedAt } = {},
  ): Promise<string> {
    const router = createMessageRouter({
      config,
      inquiries: repository(),
      clock: { now: () => at(routedAt) },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const message = classifiedDirectMessage({ peerId, eventKey, text, category: 'waste', at: receivedAt });
    return (await router.routeCitizenMessage(message)).inquiryId;
  }

  /** An operator's change through the operator API's use case, at `when`. */
  async function acted<Body>(useCase: UseCase<Body>, id: string, body: Body, when: string): Promise<void> {
    const request = { operator: ADMIN_OPERATOR, params: { id }, query: {}, body, idempotencyKey: when };
    const answer = await useCase(request, depsAt(when));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }

  /** An operator's words through the operator API's use case, at `when`: the message it queued. */
  async function said(
    useCase: UseCase<TextBody>,
    id: string,
    text: string,
    when: string,
  ): Promise<OutboxMessage> {
    const before = sent.length;
    await acted(useCase, id, { text }, when);
    const message = sent[before];
    if (!message) throw new Error('nothing queued');
    return message;
  }

  /** The responder delivers the message at `when`; VK refuses it for good: the citizen forbade messages. */
  async function refused(message: OutboxMessage, when: string) {
    const deliver = deliverer({
      config,
      documents,
      tableName: aws.tableName,
      vk: (method) =>
        Promise.reject(new VkApiError(method, 901, "Can't send messages for users without permission")),
      now: when,
    });
    expect((await deliver(message, 1)).outcome).toMatchObject({ kind: 'undeliverable', code: 901 });
  }

  /** The figures of housing in Perm for the inquiries opened in [from, to), counted at `now`. */
  async function figuresOf(from: string, to: string, now: string) {
    const answer = await countAsAdmin({ from, to, department: 'housing', community: PERM }, () => at(now));
    expect(answer.status).toBe(200);
    const [group, ...more] = (answer.body as { groups: StatisticsGroup[] }).groups;
    if (!group || more.length > 0) throw new Error('one group expected');
    return group;
  }

  it('keep an answer VK refused owed by the deadline it had: answered again after an intermediate answer, as late', async () => {
    // Monday 1 June, 09:00 in Perm; "we are working on it" at 09:05, the answer due in 56 working hours.
    const id = await opened(9_200_001, '2026-06-01T04:00:00.000Z');
    await said(intermediateAnswer, id, 'Передали подрядчику.', '2026-06-01T04:05:00.000Z');
    const { resolutionDueAt } = (await repository().getInquiry(id)) ?? {};
    // The answer three weeks later, refused by VK; an intermediate answer two days after, the answer in an hour.
    const late = await said(reply, id, 'Контейнеры вывезены.', '2026-06-22T04:00:00.000Z');
    await refused(late, '2026-06-22T04:01:00.000Z');
    await said(intermediateAnswer, id, 'Ответ не дошёл, повторяем.', '2026-06-24T04:00:00.000Z');
    await said(reply, id, 'Контейнеры вывезены.', '2026-06-24T05:00:00.000Z');
    const june = await figuresOf('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z', '2026-06-25T00:00:00.000Z');
    expect(june.resolution).toMatchObject({
      count: 1,
      inTime: 0,
      late: 1,
    });
    expect(await repository().getInquiry(id)).toMatchObject({ status: 'answered', resolutionDueAt });
  });

  it('count the answer after one VK refused as the first response, at its own time', async () => {
    // Monday 6 July, 09:00 in Perm; answered at 09:05, refused by VK; answered again on Thursday at 09:00,
    // the first deadline (Tuesday 10:00) long past.
    const id = await opened(9_200_002, '2026-07-06T04:00:00.000Z');
    const first = await said(reply, id, 'Контейнеры вывезены.', '2026-07-06T04:05:00.000Z');
    await refused(first, '2026-07-06T04:06:00.000Z');
    await said(reply, id, 'Контейнеры вывезены.', '2026-07-09T04:00:00.000Z');
    const july = await figuresOf('2026-07-01T00:00:00Z', '2026-08-01T00:00:00Z', '2026-07-10T00:00:00.000Z');
    // Three days: 4320 minutes, 24 working hours (Monday to Wednesday) of them.
    const waited = { count: 1, medianMinutes: 4320, medianWorkingMinutes: 1440, inTime: 0, late: 1 };
    expect(july.firstResponse).toMatchObject(waited);
    expect(july.resolution).toMatchObject(waited);
  });

  it('keep a first response recorded before the inquiry kept its words when VK refuses later words', async () => {
    // Monday 5 October, 09:00 in Perm; "we are working on it" at 09:05, recorded as a release before the
    // inquiry kept which words gave the first response recorded it; more at 11:00, refused by VK after the
    // upgrade; the answer a month later.
    const id = await opened(9_200_005, '2026-10-05T04:00:00.000Z');
    await said(intermediateAnswer, id, 'Передали подрядчику.', '2026-10-05T04:05:00.000Z');
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: inquiryKey(id),
        UpdateExpression: 'REMOVE firstResponseCause',
      }),
    );
    const more = await said(intermediateAnswer, id, 'Подрядчик приедет завтра.', '2026-10-05T06:00:00.000Z');
    await refused(more, '2026-10-05T06:01:00.000Z');
    expect(await repository().getInquiry(id)).toMatchObject({
      firstRespondedAt: '2026-10-05T04:05:00.000Z',
      undelivered: { purpose: 'intermediate_answer' },
    });
    await said(reply, id, 'Контейнеры вывезены.', '2026-11-04T04:00:00.000Z');
    const october = await figuresOf(
      '2026-10-01T00:00:00Z',
      '2026-11-01T00:00:00Z',
      '2026-11-05T00:00:00.000Z',
    );
    // Given in 5 minutes, in time: what reached the citizen.
    expect(october.firstResponse).toMatchObject({ count: 1, medianMinutes: 5, inTime: 1, late: 0 });
  });

  it('count no answer VK refused after a message written before it reopened the case; the closing after a call counts', async () => {
    // Monday 2 November, 09:00 in Perm; answered at 09:05. The citizen's "и ещё: контейнер сломан", sent a
    // second before the answer, is routed two seconds after it and reopens the case; then VK refuses the answer.
    const id = await opened(9_200_006, '2026-11-02T04:00:00.000Z');
    const answer = await said(reply, id, 'Контейнеры вывезены.', '2026-11-02T04:05:00.000Z');
    expect(
      await opened(9_200_006, '2026-11-02T04:04:59.000Z', {
        eventKey: 'lived-9200006-before',
        text: 'И ещё: контейнер сломан',
        routedAt: '2026-11-02T04:05:02.000Z',
      }),
    ).toBe(id);
    await refused(answer, '2026-11-02T04:05:03.000Z');
    expect(await repository().getInquiry(id)).toMatchObject({
      status: 'reopened',
      undelivered: { outboxId: answer.id, purpose: 'answer' },
      earlierCycles: [{ status: 'answered', refused: 'answer', answeredAt: '2026-11-02T04:05:00.000Z' }],
    });
    const november = (now: string) => figuresOf('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', now);
    // The citizen got no answer: none is counted, and nothing is late yet.
    const nothing = { count: 0, inTime: 0, late: 0 };
    expect(await november('2026-11-02T04:30:00.000Z')).toMatchObject({
      firstResponse: nothing,
      resolution: nothing,
    });
    // Reached by phone, the reopened case is closed at 10:00: its response and answer, 55 minutes after the
    // reopening (just after the answer).
    await acted(closeInquiry, id, { reason: 'ответили по телефону' }, '2026-11-02T05:00:00.000Z');
    const given = { count: 1, medianMinutes: 55, medianWorkingMinutes: 55, inTime: 1, late: 0 };
    expect(await november('2026-11-03T00:00:00.000Z')).toMatchObject({
      firstResponse: given,
      resolution: given,
    });
    // The operators see the ended cycle as refused, without the causes it keeps to find its answer.
    const shown = await call('GET', `/api/v1/inquiries/${id}`, ADMIN);
    expect(shown.status).toBe(200);
    expect(shown.body.inquiry.earlierCycles).toEqual([
      expect.objectContaining({ status: 'answered', refused: 'answer', endedAt: expect.any(String) }),
    ]);
    expect(shown.body.inquiry.earlierCycles[0]).not.toHaveProperty('answerCause');
    expect(shown.body.inquiry.earlierCycles[0]).not.toHaveProperty('firstResponseCause');
  });

  it('time the wait from the earliest message of a burst that reached us, routed after a later one', async () => {
    // Monday 3 August, 09:00 in Perm: "Во дворе не вывозят мусор" reaches us, its routing fails and is retried
    // at 09:07; "Когда это наконец исправят?", sent at 09:03, is routed first and opens the inquiry.
    const id = await opened(9_200_003, '2026-08-03T04:03:00.000Z', {
      eventKey: 'burst-2',
      text: 'Когда это наконец исправят?',
    });
    expect(
      await opened(9_200_003, '2026-08-03T04:00:00.000Z', {
        eventKey: 'burst-1',
        routedAt: '2026-08-03T04:07:00.000Z',
      }),
    ).toBe(id);
    await said(reply, id, 'Контейнеры вывезены.', '2026-08-03T05:00:00.000Z');
    const august = await figuresOf(
      '2026-08-01T00:00:00Z',
      '2026-09-01T00:00:00Z',
      '2026-08-04T00:00:00.000Z',
    );
    // An hour from the first message, not 57 minutes from the second.
    expect(august.firstResponse).toMatchObject({ count: 1, medianMinutes: 60, medianWorkingMinutes: 60 });
  });

  it('count each inquiry the citizen called settled once, in the cycle that ended too', async () => {
    // Tuesday 12 May, in Perm: a complaint whose citizen writes at 09:30 that it is settled, answered at 10:00,
    // and complained of again the next day (a new cycle); another still open whose citizen settles it; a third
    // they never do.
    const again = await opened(9_200_007, '2026-05-12T04:00:00.000Z');
    const settles = (peerId: number, at: string) =>
      opened(peerId, at, { eventKey: `lived-${peerId}-settled`, text: 'Уже вывезли, спасибо, вопрос снят' });
    expect(await settles(9_200_007, '2026-05-12T04:30:00.000Z')).toBe(again);
    await said(reply, again, 'Контейнеры вывезены.', '2026-05-12T05:00:00.000Z');
    expect(
      await opened(9_200_007, '2026-05-13T04:00:00.000Z', {
        eventKey: 'lived-9200007-again',
        text: 'Опять не вывозят мусор во дворе',
      }),
    ).toBe(again);
    const reopened = await repository().getInquiry(again);
    expect(reopened).toMatchObject({
      status: 'reopened',
      earlierCycles: [{ status: 'answered', citizenSettledAt: '2026-05-12T04:30:00.000Z' }],
    });
    expect(reopened?.citizenSettledAt).toBeUndefined();
    const open = await opened(9_200_008, '2026-05-12T06:00:00.000Z');
    expect(await settles(9_200_008, '2026-05-12T06:10:00.000Z')).toBe(open);
    await opened(9_200_009, '2026-05-12T07:00:00.000Z');

    const may = await figuresOf('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z', '2026-05-14T00:00:00.000Z');
    expect(may).toMatchObject({ total: 3, citizenSettled: 2 });
    // The operators see the ended cycle's mark beside the rest of it.
    const shown = await call('GET', `/api/v1/inquiries/${again}`, ADMIN);
    expect(shown.body.inquiry.earlierCycles).toEqual([
      expect.objectContaining({ status: 'answered', citizenSettledAt: '2026-05-12T04:30:00.000Z' }),
    ]);
  });

  it('count a moved inquiry under the department it is in now, the lateness of the one it left too, as documented', async () => {
    // Monday 7 September, 09:00 in Perm: housing lets the first deadline (Tuesday 10:00) pass, moves the
    // inquiry to roads on Thursday, and roads answers it ten minutes later.
    const id = await opened(9_200_004, '2026-09-07T04:00:00.000Z');
    await acted(
      moveInquiry,
      id,
      { department: 'roads', reason: 'это покрытие двора' },
      '2026-09-10T04:00:00.000Z',
    );
    await said(reply, id, 'Двор заасфальтируем в октябре.', '2026-09-10T04:10:00.000Z');
    const answer = await countAsAdmin(
      { from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z', community: PERM },
      () => at('2026-09-11T00:00:00.000Z'),
    );
    const late = { count: 1, inTime: 0, late: 1 };
    expect((answer.body as { groups: StatisticsGroup[] }).groups).toEqual([
      expect.objectContaining({ department: 'roads', firstResponse: expect.objectContaining(late) }),
    ]);
    // As the document tells the clients.
    const described = inlined((await call('GET', OPENAPI_PATH)).body).paths['/api/v1/statistics'].get;
    const group = described.responses['200'].content['application/json'].schema.properties.groups.items;
    expect(group.properties.department.description).toMatch(/moved.*lateness/);
  });
});
