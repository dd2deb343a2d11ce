import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { QUERY_PAGES_PER_REQUEST } from '../../lambdas/adapters/list-pages.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { textBody } from '../../lambdas/operator-api/contract/changes.js';
import { OPENAPI_PATH, ROUTES } from '../../lambdas/operator-api/routes.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { inlined } from '../support/openapi.js';
import { type OperatorApiCall, startOperatorApi, toCitizen } from '../support/operator-api.js';
import { eventually } from '../support/poll.js';

const TOKENS = {
  admin: 'local-admin-token-change-me',
  housing: 'local-housing-token-change-me',
  roads: 'local-roads-token-change-me',
};

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;

const classified = (eventKey: string, peer: number, category: Category, at: string): ClassifiedMessage =>
  classifiedDirectMessage({
    peerId: peer,
    eventKey,
    text: category === 'roads' ? 'Яма на дороге у дома 5' : 'Не вывозят мусор во дворе',
    category,
    at,
  });

/** A body each action accepts, so that only the department decides the answer. */
const validBody = (path: string) =>
  path.endsWith('/move')
    ? { department: 'housing', reason: 'mine now' }
    : path.endsWith('answer') || path.endsWith('/reply') || path.endsWith('/note')
      ? { text: 'Ответ' }
      : ['/close', '/reopen', '/reject', '/release'].some((action) => path.endsWith(action))
        ? { reason: 'причина' }
        : undefined;

const ids: Record<string, string> = {};
async function open(name: string, peer: number, category: Category, at: string) {
  const router = createMessageRouter({
    config: readConfigFile('config/local.json'),
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
  });
  ids[name] = (await router.routeCitizenMessage(classified(name, peer, category, at))).inquiryId;
}

/** A listed inquiry, as each test reads it. */
type Listed = {
  id: string;
  department: string;
  category: string;
  assignee?: unknown;
  vkUrl?: string;
  maxTextLength?: number;
};
/**
 * Every inquiry a list holds, following its cursor to the end: what another test opened may stand on any
 * page, before or after a test's own.
 */
async function everyItem(path: string, token: string): Promise<Listed[]> {
  const items: Listed[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('GET', `${path}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, token);
    expect(page.status, path).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}
const idsOf = (items: Listed[]) => items.map((item) => item.id);
/** The inquiries every test may read but none changes: five of housing's, two of roads', one long overdue. */
const FIXTURES = ['housing-0', 'housing-1', 'housing-2', 'housing-3', 'housing-4', 'roads-1', 'roads-old'];
/** Of `items`, the fixtures', in the order listed. */
const fixturesOf = (items: Listed[]) => {
  const fixtures = FIXTURES.map((name) => ids[name]);
  return idsOf(items).filter((id) => fixtures.includes(id));
};

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  // Sequential: dynalite has lost concurrent writes to one partition.
  for (let index = 0; index < 5; index++)
    await open(`housing-${index}`, 9000 + index, 'waste', ago(50 - index));
  await open('roads-1', 9100, 'roads', ago(30));
  await open('roads-old', 9101, 'roads', '2025-06-02T06:00:00.000Z');
});
afterAll(() => aws?.stop());

describe('the operator API: who may do what', () => {
  it('answers 401 to every route without a valid token', async () => {
    for (const route of ROUTES) {
      const path = route.path.replace('{id}', ids['housing-0'] ?? '');
      expect((await call(route.method, path)).status, `${route.method} ${route.path}`).toBe(401);
      expect((await call(route.method, path, 'not-a-token')).status, `${route.method} ${route.path}`).toBe(
        401,
      );
    }
  });

  it("lets an operator neither read nor change another department's inquiry", async () => {
    const roads = ids['roads-1'] ?? '';
    for (const route of ROUTES.filter((candidate) => candidate.path.includes('{id}'))) {
      const answer = await call(
        route.method,
        route.path.replace('{id}', roads),
        TOKENS.housing,
        validBody(route.path),
      );
      expect(answer.status, `${route.method} ${route.path}`).toBe(404);
    }
    expect((await call('GET', '/api/v1/inquiries?department=roads', TOKENS.housing)).status).toBe(403);
    expect(
      (
        await call(
          'GET',
          '/api/v1/statistics?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&department=roads',
          TOKENS.housing,
        )
      ).status,
    ).toBe(403);
    const roadsInquiry = await repository.getInquiry(roads);
    expect(roadsInquiry?.status).toBe('routed');
  });

  it('answers 400 for a department there is not, to an admin and an operator alike, rather than nothing', async () => {
    const asked = [
      '/api/v1/inquiries?department=hosuing',
      '/api/v1/inquiries?department=hosuing&caseNumber=2026-000001',
      '/api/v1/statistics?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&department=hosuing',
    ];
    for (const path of asked)
      for (const token of [TOKENS.admin, TOKENS.housing]) {
        const answer = await call('GET', path, token);
        expect(answer.status, path).toBe(400);
        expect(answer.body, path).toMatchObject({
          code: 'validation_failed',
          issues: ['department: no department "hosuing" is configured'],
        });
      }
  });

  it("lists only the operator's department; an admin sees all", async () => {
    const housing = await eventually(
      () => everyItem('/api/v1/inquiries?order=newest', TOKENS.housing),
      (items) => fixturesOf(items).length >= 5,
    );
    expect(fixturesOf(housing).sort()).toEqual(
      ['housing-0', 'housing-1', 'housing-2', 'housing-3', 'housing-4'].map((name) => ids[name]).sort(),
    );
    expect(new Set(housing.map((item) => item.department))).toEqual(new Set(['housing']));
    // Every department that holds an inquiry, whatever other tests moved where.
    const all = await everyItem('/api/v1/inquiries?order=newest', TOKENS.admin);
    expect(new Set(idsOf(all))).toEqual(new Set(Object.values(ids)));
    const stored = await repository.getInquiries(Object.values(ids));
    const departments = new Set(all.map((item) => item.department));
    expect(departments).toEqual(new Set([...stored.values()].map((inquiry) => inquiry.department)));
    expect([...departments]).toEqual(expect.arrayContaining(['housing', 'roads']));
  });
});

describe('the operator API: lists', () => {
  it('pages through newest first without losing or repeating an inquiry', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'GET',
        `/api/v1/inquiries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        TOKENS.admin,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set(Object.values(ids)));
    const created = await Promise.all(
      seen.map(async (id) => (await repository.getInquiry(id))?.createdAt ?? ''),
    );
    expect(created).toEqual([...created].sort().reverse());
  });

  it('lists the most urgent first, and the overdue ones', async () => {
    // Of the fixtures; what other tests moved to roads or left overdue stands beside them.
    const urgent = await everyItem('/api/v1/inquiries?order=urgent&department=roads', TOKENS.admin);
    expect(fixturesOf(urgent)).toEqual([ids['roads-old'], ids['roads-1']]);
    const overdue = await everyItem('/api/v1/inquiries?overdue=true', TOKENS.admin);
    expect(fixturesOf(overdue)).toEqual([ids['roads-old']]);
    const inTime = await everyItem('/api/v1/inquiries?overdue=false&department=roads', TOKENS.admin);
    expect(fixturesOf(inTime)).toEqual([ids['roads-1']]);
  });

  it('filters by category and rejects a bad query or cursor with 400', async () => {
    const roads = await everyItem('/api/v1/inquiries?category=roads', TOKENS.admin);
    expect(fixturesOf(roads)).toHaveLength(2);
    expect(new Set(roads.map((item) => item.category))).toEqual(new Set(['roads']));
    expect((await call('GET', '/api/v1/inquiries?status=lost', TOKENS.admin)).status).toBe(400);
    expect((await call('GET', '/api/v1/inquiries?cursor=garbage', TOKENS.admin)).status).toBe(400);
    const newest = await call('GET', '/api/v1/inquiries?order=newest&limit=1', TOKENS.admin);
    const urgent = await call(
      'GET',
      `/api/v1/inquiries?order=urgent&cursor=${newest.body.nextCursor}`,
      TOKENS.admin,
    );
    expect(urgent.status).toBe(400);
    expect(urgent.body.message).toMatch(/order=newest/);
    const forged = Buffer.from(JSON.stringify({ roads: 5 })).toString('base64url');
    const answer = await call('GET', `/api/v1/inquiries?cursor=${forged}`, TOKENS.admin);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/cursor/);
  });
});

describe('the operator API: working an inquiry', () => {
  it('takes, answers in between, replies through the outbox once per request, closes and reopens', async () => {
    await open('worked', 9010, 'waste', new Date(Date.now() - 40 * 60_000).toISOString());
    const id = ids.worked ?? '';
    await drainQueue(aws.sqs, aws.queues.answers.url);
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).body.status).toBe(
      'in_progress',
    );
    const intermediate = await call('POST', `/api/v1/inquiries/${id}/intermediate-answer`, TOKENS.housing, {
      text: 'Работаем над вашим обращением',
    });
    expect(intermediate.body.resolutionDueAt).toBeTruthy();
    const reply = { text: 'Мусор вывезен.' };
    const first = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, reply, {
      'idempotency-key': 'r1',
    });
    const again = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, reply, {
      'idempotency-key': 'r1',
    });
    expect(first.body.status).toBe('answered');
    expect(again.status).toBe(200);
    const queued = (await drainQueue(aws.sqs, aws.queues.answers.url)).map(
      (body) => JSON.parse(body) as OutboxMessage,
    );
    expect(queued.map((message) => message.purpose).sort()).toEqual([
      'answer',
      'answer',
      'intermediate_answer',
    ]);
    const answers = queued.filter((message) => message.purpose === 'answer');
    expect(new Set(answers.map((message) => message.id)).size).toBe(1);
    expect(answers[0]).toMatchObject({
      replyTo: { channel: 'direct_message', peerId: 9010 },
      text: toCitizen(reply.text),
      requestedBy: 'local-housing-operator',
    });

    expect(
      (await call('POST', `/api/v1/inquiries/${id}/close`, TOKENS.housing, { reason: 'вопрос решён' })).body
        .status,
    ).toBe('closed');
    const reopened = await call('POST', `/api/v1/inquiries/${id}/reopen`, TOKENS.housing, {
      reason: 'снова не вывезли',
    });
    expect(reopened.body).toMatchObject({ status: 'reopened', reopenCount: 1 });
    // The cycle it closed is kept, for the statistics: its first response and answer were given.
    const { inquiry: stored } = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing)).body;
    expect(stored.earlierCycles).toEqual([
      expect.objectContaining({
        status: 'closed',
        firstRespondedAt: intermediate.body.firstRespondedAt,
        answeredAt: first.body.answeredAt,
      }),
    ]);
    expect(stored.firstRespondedAt).toBeUndefined();

    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    const replies = detail.body.history.filter((entry: { kind: string }) => entry.kind === 'reply');
    expect(replies).toHaveLength(2);
    expect(detail.body.history.map((entry: { reason?: string }) => entry.reason)).toEqual(
      expect.arrayContaining(['taken into work', 'вопрос решён', 'снова не вывезли']),
    );
    // Each change the operator made names them, beside their id.
    const made = detail.body.history.filter((entry: { actor: string }) => entry.actor === 'operator');
    expect(made).toHaveLength(5); // taken, answered in between, answered, closed, reopened
    for (const entry of made)
      expect(entry).toMatchObject({
        actorId: 'local-housing-operator',
        actorName: 'Оператор ЖКХ (локально)',
      });
  });

  it('sends a reply to a closed inquiry as a further word, which leaves it closed', async () => {
    // Opened long before the period the statistics below count.
    await open('closed-further', 9011, 'waste', '2025-06-03T06:00:00.000Z');
    const id = ids['closed-further'] ?? '';
    await drainQueue(aws.sqs, aws.queues.answers.url);
    await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: 'Мусор вывезен.' });
    await call('POST', `/api/v1/inquiries/${id}/close`, TOKENS.housing, { reason: 'вопрос решён' });
    const further = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, {
      text: 'Спасибо, что написали.',
    });
    expect(further.status).toBe(200);
    expect(further.body.status).toBe('closed');
    const queued = (await drainQueue(aws.sqs, aws.queues.answers.url)).map(
      (body) => JSON.parse(body) as OutboxMessage,
    );
    expect(queued.map((message) => message.text)).toEqual([
      toCitizen('Мусор вывезен.'),
      toCitizen('Спасибо, что написали.'),
    ]);
  });

  it('refuses what the state does not allow with 409, and a bad body with 400', async () => {
    const id = ids['housing-1'] ?? '';
    const { status, version } = (await repository.getInquiry(id)) ?? {};
    // The status that refused it, for a program too: as a 412 tells it, in the body and as ETag.
    expect(
      await call('POST', `/api/v1/inquiries/${id}/close`, TOKENS.housing, { reason: 'x' }),
    ).toMatchObject({
      status: 409,
      body: { code: 'not_allowed_in_state', current: { status, version } },
      headers: { etag: `"${version}"` },
    });
    expect((await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: '' })).status).toBe(
      400,
    );
    expect((await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, { reason: 'x' })).status).toBe(
      400,
    );
    expect(
      (
        await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
          department: 'nowhere',
          reason: 'x',
        })
      ).status,
    ).toBe(400);
  });

  it('refuses words and reasons made only of invisible characters with 400, counting nothing', async () => {
    const id = ids['housing-1'] ?? '';
    const before = await repository.getInquiry(id);
    const invisible = ['\u200b', '\u200c\u200d', ' \u2060 ', '\ufeff\u00a0', '\u3164', '\u200b\u0301'];
    for (const text of invisible) {
      for (const action of ['intermediate-answer', 'reply']) {
        const answer = await call('POST', `/api/v1/inquiries/${id}/${action}`, TOKENS.housing, { text });
        expect(answer.status, `${action} ${JSON.stringify(text)}`).toBe(400);
        expect(answer.body).toMatchObject({
          code: 'validation_failed',
          issues: expect.arrayContaining([expect.stringMatching(/^text: /)]),
        });
      }
      for (const [action, body] of [
        ['reject', { reason: text }],
        ['move', { department: 'roads', reason: text }],
      ] as const) {
        const answer = await call('POST', `/api/v1/inquiries/${id}/${action}`, TOKENS.housing, body);
        expect(answer.status, `${action} ${JSON.stringify(text)}`).toBe(400);
      }
    }
    const zeroWidth = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: '\u200b' });
    expect(zeroWidth.body.issues).toEqual([expect.stringMatching(/^text: holds no visible character/)]);
    const after = await repository.getInquiry(id);
    expect(after?.version).toBe(before?.version);
    expect(after?.firstRespondedAt).toBeUndefined();
    // Words with something visible in them stand, invisible characters and all.
    expect(textBody.safeParse({ text: '\u200bРаботаем\u2060' }).success).toBe(true);
  });

  it('moves an inquiry to another department, with the reason, out of the first one', async () => {
    await open('moved-away', 9012, 'waste', new Date(Date.now() - 40 * 60_000).toISOString());
    const id = ids['moved-away'] ?? '';
    const moved = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      department: 'roads',
      category: 'roads',
      reason: 'это дорожное покрытие',
    });
    expect(moved.body).toMatchObject({ department: 'roads', category: 'roads' });
    // Out of their reach: told it left their departments, not where it went.
    expect(await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing)).toMatchObject({
      status: 403,
      body: { code: 'left_your_departments' },
    });
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.roads);
    expect(detail.body.history).toContainEqual(
      expect.objectContaining({
        kind: 'moved',
        reason: 'это дорожное покрытие',
        detail: expect.objectContaining({ fromDepartment: 'housing', toDepartment: 'roads' }),
      }),
    );
  });

  it('sets a priority or a category by hand, timing the running deadline anew, and refuses a priority it does not know', async () => {
    await open('prioritised', 9013, 'waste', new Date(Date.now() - 40 * 60_000).toISOString());
    const id = ids.prioritised ?? '';
    const before = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing)).body.inquiry;
    expect(before.priority).toBe('normal');
    const raised = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      priority: 'critical',
      reason: 'в подвале пахнет газом',
    });
    expect(raised.status).toBe(200);
    // The same clock, started when the message came, on `critical` terms (1 working hour against 9).
    expect(raised.body).toMatchObject({ priority: 'critical', terms: { firstResponseHours: 1 } });
    expect(raised.body.clock.startedAt).toBe(before.clock.startedAt);
    expect(raised.body.firstResponseDueAt < before.firstResponseDueAt).toBe(true);

    const lowered = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      priority: 'normal',
      reason: 'ложная тревога',
    });
    expect(lowered.body).toMatchObject({ priority: 'normal', firstResponseDueAt: before.firstResponseDueAt });
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    expect(detail.body.history).toContainEqual(
      expect.objectContaining({
        kind: 'moved',
        reason: 'ложная тревога',
        detail: expect.objectContaining({ fromPriority: 'critical', toPriority: 'normal' }),
      }),
    );

    // A category with terms of its own (`safety`: a first response within 2 hours) times it anew as well.
    const recategorised = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      category: 'safety',
      reason: 'угроза безопасности',
    });
    expect(recategorised.body).toMatchObject({
      category: 'safety',
      priority: 'normal',
      terms: { firstResponseHours: 2 },
    });
    expect(recategorised.body.firstResponseDueAt < before.firstResponseDueAt).toBe(true);
    expect(
      (
        await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
          priority: 'urgent',
          reason: 'x',
        })
      ).status,
    ).toBe(400);
  });

  it('counts a period per department and community, with time to first response', async () => {
    // Four of housing's opened three hours ago, a period no other test opens an inquiry in.
    const period = Date.now() - 3 * 3_600_000;
    for (let index = 0; index < 4; index++)
      await open(`counted-${index}`, 9020 + index, 'waste', new Date(period + index * 60_000).toISOString());
    // One answered in between and in full, closed, then reopened.
    const id = ids['counted-0'] ?? '';
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    const changes = [
      ['intermediate-answer', { text: 'Работаем над вашим обращением' }],
      ['reply', { text: 'Мусор вывезен.' }],
      ['close', { reason: 'вопрос решён' }],
      ['reopen', { reason: 'снова не вывезли' }],
    ] as const;
    for (const [action, body] of changes)
      expect(
        (await call('POST', `/api/v1/inquiries/${id}/${action}`, TOKENS.housing, body)).status,
        action,
      ).toBe(200);
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const stats = await call(
      'GET',
      `/api/v1/statistics?from=${new Date(period - 60_000).toISOString()}&to=${new Date(period + 10 * 60_000).toISOString()}`,
      TOKENS.admin,
    );
    expect(stats.status).toBe(200);
    const housing = stats.body.groups.find((group: { department: string }) => group.department === 'housing');
    expect(housing).toMatchObject({ community: DEMO_GROUP_ID, total: 4 });
    // The answered one was reopened, its new clock running: its first cycle's answers still count.
    expect(housing).toMatchObject({ firstResponse: { count: 1 }, resolution: { count: 1 } });
    expect(
      (
        await call(
          'GET',
          '/api/v1/statistics?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z',
          TOKENS.admin,
        )
      ).status,
    ).toBe(400);
  });
});

describe('the operator API: who handles an inquiry', () => {
  const housingOperator = { id: 'local-housing-operator', name: 'Оператор ЖКХ (локально)' };
  const admin = { id: 'local-admin', name: 'Администратор (локально)' };
  /** Opens, one after another, an inquiry of housing's for each of `names`, from the peers from `firstPeer` on. */
  const openOwn = async (names: readonly string[], firstPeer: number) => {
    for (const [index, name] of names.entries())
      await open(
        name,
        firstPeer + index,
        'waste',
        new Date(Date.now() - (20 - index) * 60_000).toISOString(),
      );
    return names.map((name) => ids[name] ?? '');
  };

  it('takes an inquiry for the operator, named in the inquiry, the list and the history', async () => {
    const [id = ''] = await openOwn(['taken-named'], 9203);
    const taken = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'in_progress', assignee: housingOperator });
    const listed = await everyItem('/api/v1/inquiries?order=newest', TOKENS.housing);
    expect(listed.find((item) => item.id === id)?.assignee).toEqual(housingOperator);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    expect(detail.body.inquiry.assignee).toEqual(housingOperator);
    expect(detail.body.history).toContainEqual(
      expect.objectContaining({
        reason: 'taken into work',
        actorId: housingOperator.id,
        actorName: housingOperator.name,
      }),
    );
  });

  it('answers 409 to a second operator taking it, and lets them take it over on purpose', async () => {
    const [id = ''] = await openOwn(['taken-over'], 9204);
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    const refused = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.admin);
    expect(refused.status).toBe(409);
    // Like a 412, it tells the inquiry as it is now, in the body and as ETag.
    const { version } = (await repository.getInquiry(id)) ?? {};
    expect(refused.body).toEqual({
      code: 'taken_by_other',
      message: `the inquiry is taken by ${housingOperator.name}: take it over with force`,
      holder: housingOperator,
      current: { status: 'in_progress', version },
    });
    expect(refused.headers.etag).toBe(`"${version}"`);
    const again = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing);
    expect(again).toMatchObject({
      status: 409,
      body: { code: 'already_yours', current: { status: 'in_progress', version } },
      headers: { etag: `"${version}"` },
    });
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.admin, { force: 'yes' })).status).toBe(
      400,
    );

    const over = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.admin, { force: true });
    expect(over.status).toBe(200);
    expect(over.body.assignee).toEqual(admin);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    expect(detail.body.history).toContainEqual(
      expect.objectContaining({
        reason: `taken over from ${housingOperator.name}`,
        actorId: admin.id,
        actorName: admin.name,
        detail: expect.objectContaining({ fromAssignee: housingOperator }),
      }),
    );
  });

  it("lists the operator's own inquiries, and the open ones no one has taken", async () => {
    const own = await openOwn(['own-answered', 'own-reopened', 'own-taken-over', 'own-free'], 9205);
    const [answered = '', reopened = '', takenOver = '', free1 = ''] = own;
    for (const id of [answered, reopened, takenOver])
      expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    for (const id of [answered, reopened])
      await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: 'Вывезли' });
    await call('POST', `/api/v1/inquiries/${reopened}/close`, TOKENS.housing, { reason: 'вопрос решён' });
    expect(
      (
        await call('POST', `/api/v1/inquiries/${reopened}/reopen`, TOKENS.housing, {
          reason: 'снова не вывезли',
        })
      ).body.status,
    ).toBe('reopened');
    expect(
      (await call('POST', `/api/v1/inquiries/${takenOver}/take`, TOKENS.admin, { force: true })).status,
    ).toBe(200);
    await drainQueue(aws.sqs, aws.queues.answers.url);
    /** Of a list, this test's inquiries, in the order listed. */
    const ownOf = (items: Listed[]) => idsOf(items).filter((id) => own.includes(id));

    const mine = await everyItem('/api/v1/inquiries?assignee=me', TOKENS.housing);
    // Answered, it is still theirs; taken over, it is not; reopened, it stays theirs.
    expect(new Set(ownOf(mine))).toEqual(new Set([answered, reopened]));
    const adminMine = await everyItem('/api/v1/inquiries?assignee=me', TOKENS.admin);
    expect(ownOf(adminMine)).toEqual([takenOver]);

    const free = idsOf(await everyItem('/api/v1/inquiries?assignee=none', TOKENS.housing));
    expect(free).toContain(free1);
    for (const taken of [takenOver, answered, reopened]) expect(free).not.toContain(taken);
    const urgentFree = await everyItem('/api/v1/inquiries?assignee=none&order=urgent', TOKENS.housing);
    expect(idsOf(urgentFree)).toContain(free1);
    expect((await call('GET', '/api/v1/inquiries?assignee=anna%20b', TOKENS.housing)).status).toBe(400);
  });

  it('leaves an inquiry moved to another department to that department, named in the history', async () => {
    const [id = ''] = await openOwn(['moved-held'], 9209);
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.admin)).status).toBe(200);
    const moved = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.admin, {
      department: 'roads',
      reason: 'это дороги',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee).toBeUndefined();
    expect(idsOf(await everyItem('/api/v1/inquiries?assignee=none', TOKENS.roads))).toContain(id);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.roads);
    expect(detail.body.history).toContainEqual(
      expect.objectContaining({
        kind: 'moved',
        actorName: admin.name,
        detail: expect.objectContaining({ fromAssignee: admin }),
      }),
    );
  });

  it("answers 409 to words for a colleague's inquiry, and sends them on purpose only: the citizen gets one answer", async () => {
    await open('held-1', 9230, 'waste', new Date(Date.now() - 10 * 60_000).toISOString());
    const id = ids['held-1'] ?? '';
    await drainQueue(aws.sqs, aws.queues.answers.url);
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    const refused = { code: 'taken_by_other', holder: housingOperator };
    for (const action of ['reply', 'intermediate-answer']) {
      const answer = await call('POST', `/api/v1/inquiries/${id}/${action}`, TOKENS.admin, { text: 'Ответ' });
      expect(answer, action).toMatchObject({ status: 409, body: refused });
      expect(answer.body.message).toMatch(housingOperator.name);
    }
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'in_progress',
      assignee: housingOperator,
    });

    // On purpose: the answer is sent, and the inquiry is the answerer's, the history saying from whom.
    const forced = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.admin, {
      text: 'Вывезли',
      force: true,
    });
    expect(forced.body).toMatchObject({ status: 'answered', assignee: admin });
    const history = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.admin)).body.history;
    expect(history).toContainEqual(
      expect.objectContaining({
        kind: 'reply',
        actorId: admin.id,
        detail: expect.objectContaining({ assignee: admin, fromAssignee: housingOperator }),
      }),
    );
    // The colleague's reply, from a screen that still shows the inquiry theirs, is no second answer.
    const late = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: 'Ответ' });
    expect(late).toMatchObject({ status: 409, body: { code: 'taken_by_other', holder: admin } });
    const queued = (await drainQueue(aws.sqs, aws.queues.answers.url)).map(
      (body) => JSON.parse(body) as OutboxMessage,
    );
    expect(queued.map((message) => message.text)).toEqual([toCitizen('Вывезли')]);
    // A further word on purpose is sent, and leaves the inquiry whose answer it was.
    const word = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, {
      text: 'Если снова не вывезут, напишите',
      force: true,
    });
    expect(word.body).toMatchObject({ status: 'answered', assignee: admin });
    expect((await drainQueue(aws.sqs, aws.queues.answers.url)).length).toBe(1);
  });

  it("answers 409 to closing, rejecting or moving away a colleague's inquiry, and does each on purpose only", async () => {
    const names = ['held-close', 'held-reject', 'held-move'] as const;
    for (const [index, name] of names.entries())
      await open(name, 9240 + index, 'waste', new Date(Date.now() - (9 - index) * 60_000).toISOString());
    const [toClose = '', toReject = '', toMove = ''] = names.map((name) => ids[name] ?? '');
    for (const id of [toClose, toReject, toMove])
      expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
    await call('POST', `/api/v1/inquiries/${toClose}/reply`, TOKENS.housing, { text: 'Вывезли' });
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const changes = [
      [toClose, 'close', { reason: 'решено' }],
      [toReject, 'reject', { reason: 'спам' }],
      [toMove, 'move', { department: 'triage', reason: 'не понять, чьё' }],
    ] as const;
    for (const [id, action, body] of changes) {
      const before = await repository.getInquiry(id);
      const refused = await call('POST', `/api/v1/inquiries/${id}/${action}`, TOKENS.admin, body);
      expect(refused, action).toMatchObject({
        status: 409,
        body: { code: 'taken_by_other', holder: housingOperator },
      });
      expect(refused.body.message, action).toBe(
        `the inquiry is taken by ${housingOperator.name}: ${action} it with force to do so all the same`,
      );
      // Nothing changed: the holder still has it where it was.
      expect(await repository.getInquiry(id), action).toEqual(before);
    }
    // A priority set by a colleague leaves it the holder's, and needs no force.
    const raised = await call('POST', `/api/v1/inquiries/${toMove}/move`, TOKENS.admin, {
      priority: 'normal',
      reason: 'не срочно',
    });
    expect(raised.body).toMatchObject({
      priority: 'normal',
      department: 'housing',
      assignee: housingOperator,
    });

    // On purpose: done, the history saying whose it was; the closer holds what they closed.
    const closed = await call('POST', `/api/v1/inquiries/${toClose}/close`, TOKENS.admin, {
      reason: 'решено',
      force: true,
    });
    expect(closed.body).toMatchObject({ status: 'closed', assignee: admin });
    const rejected = await call('POST', `/api/v1/inquiries/${toReject}/reject`, TOKENS.admin, {
      reason: 'спам',
      force: true,
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', department: 'triage' });
    const moved = await call('POST', `/api/v1/inquiries/${toMove}/move`, TOKENS.admin, {
      department: 'triage',
      reason: 'не понять, чьё',
      force: true,
    });
    expect(moved.body).toMatchObject({ status: 'in_progress', department: 'triage' });
    for (const [id, kind] of [
      [toClose, 'status'],
      [toReject, 'rejected'],
      [toMove, 'moved'],
    ] as const) {
      const history = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.admin)).body.history;
      expect(history.at(-1), kind).toMatchObject({
        kind,
        actorId: admin.id,
        detail: expect.objectContaining({ fromAssignee: housingOperator }),
      });
    }
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
  });

  it("answers 409 to reopening a colleague's answered or closed inquiry, and reopens it on purpose only, as the reopener's", async () => {
    const names = ['held-answered', 'held-closed'] as const;
    for (const [index, name] of names.entries())
      await open(name, 9250 + index, 'waste', new Date(Date.now() - (8 - index) * 60_000).toISOString());
    const [answered = '', closed = ''] = names.map((name) => ids[name] ?? '');
    for (const id of [answered, closed]) {
      expect((await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing)).status).toBe(200);
      const reply = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: 'Вывезли' });
      expect(reply.body).toMatchObject({ status: 'answered', assignee: housingOperator });
    }
    const close = await call('POST', `/api/v1/inquiries/${closed}/close`, TOKENS.housing, {
      reason: 'решено',
    });
    expect(close.body).toMatchObject({ status: 'closed', assignee: housingOperator });
    await drainQueue(aws.sqs, aws.queues.answers.url);

    for (const id of [answered, closed]) {
      const before = await repository.getInquiry(id);
      const refused = await call('POST', `/api/v1/inquiries/${id}/reopen`, TOKENS.admin, {
        reason: 'житель звонил: не вывезли',
      });
      expect(refused, before?.status).toMatchObject({
        status: 409,
        body: {
          code: 'taken_by_other',
          holder: housingOperator,
          current: { status: before?.status, version: before?.version },
        },
        headers: { etag: `"${before?.version}"` },
      });
      expect(refused.body.message).toBe(
        `the inquiry is taken by ${housingOperator.name}: reopen it with force to do so all the same`,
      );
      // Nothing changed: no new deadline in the holder's name.
      expect(await repository.getInquiry(id), before?.status).toEqual(before);
    }
    // Its holder reopens it without force, and keeps it.
    const own = await call('POST', `/api/v1/inquiries/${answered}/reopen`, TOKENS.housing, {
      reason: 'житель пишет, что не вывезли',
    });
    expect(own.body).toMatchObject({ status: 'reopened', assignee: housingOperator });

    // On purpose: reopened, the reopener's, the history saying whose it was.
    const forced = await call('POST', `/api/v1/inquiries/${closed}/reopen`, TOKENS.admin, {
      reason: 'житель звонил: не вывезли',
      force: true,
    });
    expect(forced.body).toMatchObject({ status: 'reopened', reopenCount: 1, assignee: admin });
    const history = (await call('GET', `/api/v1/inquiries/${closed}`, TOKENS.admin)).body.history;
    expect(history.at(-1)).toMatchObject({
      kind: 'status',
      actorId: admin.id,
      reason: 'житель звонил: не вывезли',
      detail: expect.objectContaining({ assignee: admin, fromAssignee: housingOperator }),
    });
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
  });
});

describe('the operator API: links and names for a console', () => {
  it('gives every inquiry, listed, read or changed, the address of its dialogue in VK', async () => {
    await open('linked', 9210, 'waste', new Date(Date.now() - 40 * 60_000).toISOString());
    const id = ids.linked ?? '';
    const url = `https://vk.com/gim${DEMO_GROUP_ID}?sel=9210`;
    expect((await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing)).body.inquiry.vkUrl).toBe(url);
    const list = await everyItem('/api/v1/inquiries?order=newest', TOKENS.housing);
    expect(list.find((item) => item.id === id)?.vkUrl).toBe(url);
    const taken = await call('POST', `/api/v1/inquiries/${id}/take`, TOKENS.housing);
    expect(taken.status).toBe(200);
    expect(taken.body.vkUrl).toBe(url);
    // Derived, not stored.
    expect(await repository.getInquiry(id)).not.toHaveProperty('vkUrl');
  });

  it("names every department and community, with the community's time zone, to any operator", async () => {
    const directory = {
      departments: [
        { id: 'triage', name: 'Центр управления регионом: разбор обращений' },
        { id: 'housing', name: 'Департамент ЖКХ' },
        { id: 'roads', name: 'Департамент дорог и транспорта' },
      ],
      communities: [{ groupId: DEMO_GROUP_ID, name: 'Администрация (демо)', timeZone: 'Asia/Yekaterinburg' }],
    };
    for (const token of [TOKENS.housing, TOKENS.roads, TOKENS.admin]) {
      const { status, body } = await call('GET', '/api/v1/directory', token);
      expect({ status, body }).toEqual({ status: 200, body: directory });
    }
    expect((await call('GET', '/api/v1/directory')).status).toBe(401);
  });
});

describe('the operator API: who the operator is', () => {
  it('tells an operator their id, name, departments and whether they are an admin, from their token', async () => {
    const me = async (token: string) => {
      const { status, body } = await call('GET', '/api/v1/me', token);
      return { status, body };
    };
    expect(await me(TOKENS.housing)).toEqual({
      status: 200,
      body: {
        id: 'local-housing-operator',
        name: 'Оператор ЖКХ (локально)',
        admin: false,
        departments: [{ id: 'housing', name: 'Департамент ЖКХ' }],
      },
    });
    // An admin sees every department, but is an operator of none: the flag says what they may do.
    expect(await me(TOKENS.admin)).toEqual({
      status: 200,
      body: { id: 'local-admin', name: 'Администратор (локально)', admin: true, departments: [] },
    });
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('is served without a token and describes exactly the routes that exist', async () => {
    const served = await call('GET', OPENAPI_PATH);
    expect(served.status).toBe(200);
    const document = { ...served, body: inlined(served.body) };
    expect(document.body.openapi).toMatch(/^3\./);
    const described = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    // An inquiry of its own: with an empty body, some routes change it (take, release).
    await open('described', 9211, 'waste', new Date(Date.now() - 40 * 60_000).toISOString());
    for (const route of ROUTES) {
      const answer = await call(
        route.method,
        route.path
          .replace('{id}', ids.described ?? '')
          .replace('{department}', 'housing')
          .replace('{templateId}', 'described'),
        TOKENS.admin,
        {},
      );
      expect(answer.body?.message ?? '', `${route.method} ${route.path}`).not.toBe('no such route');
    }
    const list = document.body.paths['/api/v1/inquiries'].get;
    const explained = Object.fromEntries(
      list.parameters.map((parameter: { name: string; description?: string }) => [
        parameter.name,
        parameter.description ?? '',
      ]),
    );
    expect(explained.overdue).toMatch(/false: the open ones not past it/);
    // The cap of a request's reading, where a page may come empty with a cursor all the same.
    expect(explained.limit).toMatch(
      `reads on while the page is empty, up to ${QUERY_PAGES_PER_REQUEST} reads a request`,
    );
    // With several departments the page ends where the first that may hold more stopped: matches read past it
    // in another wait for the next page, so an empty page is no sign that none were read.
    expect(explained.limit).toMatch(/a page ends where the first of them that may hold more stopped reading/);
    expect(explained.limit).toMatch(/or none though matches were read/);
    expect(explained.limit).not.toMatch(/no match/);
    expect(explained.assignee).toMatch(/none: the open inquiries no one has taken/);
    const reply = document.body.paths['/api/v1/inquiries/{id}/reply'].post;
    expect(reply.requestBody.content['application/json'].schema.required).toEqual(['text']);
    expect(reply.requestBody.required).toBe(true);
    // Taking needs no body; `force` takes the inquiry over.
    const take = document.body.paths['/api/v1/inquiries/{id}/take'].post;
    expect(take.requestBody.required).toBe(false);
    expect(take.requestBody.content['application/json'].schema.properties.force.type).toBe('boolean');
    const inquiry =
      document.body.paths['/api/v1/inquiries/{id}'].get.responses['200'].content['application/json'].schema
        .properties.inquiry;
    expect(inquiry.properties.vkUrl.description).toMatch(/gim<group>\?sel=<peer>/);
    expect(Object.keys(inquiry.properties.location.properties)).toContain('mapUrl');
  });
});

describe('the operator API: a change repeated with its Idempotency-Key', () => {
  const repeatable = (id: string, path: string, token: string, body: unknown, key: string) => () =>
    call('POST', `/api/v1/inquiries/${id}/${path}`, token, body, { 'idempotency-key': key });

  it("answers as the change made, while the inquiry is still one of the operator's", async () => {
    await open('repeat-kept', 9300, 'waste', new Date(Date.now() - 60_000).toISOString());
    const take = repeatable(ids['repeat-kept'] ?? '', 'take', TOKENS.housing, undefined, 'take-kept');
    const first = await take();
    expect(first.status).toBe(200);
    const again = await take();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it("shows nothing of the inquiry once the change took it out of the operator's reach", async () => {
    const changes = [
      ['repeat-moved', 'move', { department: 'roads', reason: 'это дороги' }],
      ['repeat-rejected', 'reject', { reason: 'не обращение' }],
    ] as const;
    for (const [name, path, body] of changes) {
      await open(
        name,
        9301 + changes.findIndex(([each]) => each === name),
        'waste',
        new Date().toISOString(),
      );
      const id = ids[name] ?? '';
      const change = repeatable(id, path, TOKENS.housing, body, `key-${name}`);
      expect((await change()).status, path).toBe(200);
      const version = (await repository.getInquiry(id))?.version;
      // Nothing changes twice, and neither the inquiry's text, author nor assignee comes back with the answer.
      const again = await change();
      expect(again, path).toMatchObject({ status: 204, body: null });
      expect(again.headers, path).not.toHaveProperty('etag');
      expect((await repository.getInquiry(id))?.version, path).toBe(version);
      // Any other change is told it left their departments (not where to), and changes nothing; so is a read.
      expect(await repeatable(id, path, TOKENS.housing, body, 'another-key')(), path).toMatchObject({
        status: 409,
        body: { code: 'left_your_departments' },
      });
      expect((await repository.getInquiry(id))?.version, path).toBe(version);
      expect(await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing), path).toMatchObject({
        status: 403,
        body: { code: 'left_your_departments' },
      });
    }
  });
});

describe('the operator API: an inquiry resolved outside the product', () => {
  it('closes one in progress after its first response, with the reason, and counts the closing as its resolution', async () => {
    // Two hours back, a period no other test opens an inquiry in: its statistics count these three alone.
    const now = Date.now() - 2 * 3_600_000;
    const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    await open('by-phone', 9401, 'roads', ago(10));
    await open('by-hand-in-vk', 9402, 'roads', ago(9));
    await open('only-taken', 9403, 'roads', ago(8));
    const [byPhone, byHand, onlyTaken] = [ids['by-phone'], ids['by-hand-in-vk'], ids['only-taken']];
    const close = (id: string | undefined, body: unknown = { reason: 'решено по телефону' }) =>
      call('POST', `/api/v1/inquiries/${id}/close`, TOKENS.roads, body);

    // One told "we are working on it" from the console, then resolved by phone.
    await call('POST', `/api/v1/inquiries/${byPhone}/intermediate-answer`, TOKENS.roads, {
      text: 'Передали в дорожную службу',
    });
    // One an admin answered by hand in VK: recorded as its first response, the inquiry still in progress.
    const router = createMessageRouter({
      config: readConfigFile('config/local.json'),
      inquiries: repository,
      clock: { now: () => new Date() },
      inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    });
    await router.recordOperatorReply({
      kind: 'operator_reply_in_vk',
      eventKey: 'e:reply-by-hand',
      receivedAt: new Date().toISOString(),
      groupId: DEMO_GROUP_ID,
      peerId: 9402,
      adminId: 555,
      messageRef: 'dm:9402:2',
      text: 'Яму заделают до пятницы, позвоним вам',
      sentAt: new Date().toISOString(),
    });
    expect(await repository.getInquiry(byHand ?? '')).toMatchObject({ status: 'in_progress' });
    expect((await call('POST', `/api/v1/inquiries/${onlyTaken}/take`, TOKENS.roads)).status).toBe(200);

    // The reason is required; one taken but never responded to is answered, not closed.
    expect((await close(byPhone, {})).status).toBe(400);
    expect(await close(onlyTaken)).toMatchObject({ status: 409, body: { code: 'not_allowed_in_state' } });
    for (const id of [byPhone, byHand]) {
      const closed = await close(id);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      expect(closed.body.clock).toBeUndefined();
      const history = (await call('GET', `/api/v1/inquiries/${id}`, TOKENS.roads)).body.history;
      expect(history.at(-1)).toMatchObject({
        kind: 'status',
        actorId: 'local-roads-operator',
        from: 'in_progress',
        to: 'closed',
        reason: 'решено по телефону',
      });
    }
    // Out of open work and the escalator's index.
    const urgent = await everyItem('/api/v1/inquiries?order=urgent', TOKENS.roads);
    expect(idsOf(urgent)).not.toContain(byPhone);
    const farOff = new Date(now + 365 * 86_400_000);
    const due = await repository.dueForEscalation('roads', farOff, { limit: 100 });
    expect(due.inquiries.map((inquiry) => inquiry.id)).not.toContain(byPhone);

    // Resolved when closed (docs/operator-api.md, "Statistics"): in time, as both were closed before their resolution deadline.
    const stats = await call(
      'GET',
      `/api/v1/statistics?department=roads&from=${ago(11)}&to=${ago(-1)}`,
      TOKENS.roads,
    );
    expect(stats.body.groups).toEqual([
      expect.objectContaining({
        byStatus: expect.objectContaining({ closed: 2, in_progress: 1 }),
        firstResponse: expect.objectContaining({ count: 2, inTime: 2, late: 0 }),
        resolution: expect.objectContaining({ count: 2, inTime: 2, late: 0 }),
      }),
    ]);
  });
});

describe('the operator API: an inquiry a colleague took out of the operator’s departments', () => {
  it('answers their words 409 left_your_departments, with its status and version, not where it went', async () => {
    for (const [index, name] of ['left-moved', 'left-rejected', 'left-never'].entries())
      await open(name, 9260 + index, 'waste', new Date(Date.now() - (5 - index) * 60_000).toISOString());
    const moved = ids['left-moved'] ?? '';
    const rejected = ids['left-rejected'] ?? '';
    await drainQueue(aws.sqs, aws.queues.answers.url);
    // Theirs, taken; an admin hands it to roads while they write.
    expect((await call('POST', `/api/v1/inquiries/${moved}/take`, TOKENS.housing)).status).toBe(200);
    const seen = await call('GET', `/api/v1/inquiries/${moved}`, TOKENS.housing);
    expect(
      (
        await call('POST', `/api/v1/inquiries/${moved}/move`, TOKENS.admin, {
          department: 'roads',
          reason: 'это дороги',
          force: true,
        })
      ).status,
    ).toBe(200);
    // In their department, never touched by them; rejected to triage.
    expect(
      (await call('POST', `/api/v1/inquiries/${rejected}/reject`, TOKENS.admin, { reason: 'спам' })).status,
    ).toBe(200);

    const late = [
      [moved, 'reply', {}],
      [rejected, 'intermediate-answer', { 'if-match': '"1"' }],
    ] as const;
    for (const [id, action, headers] of late) {
      const now = await repository.getInquiry(id);
      const answer = await call(
        'POST',
        `/api/v1/inquiries/${id}/${action}`,
        TOKENS.housing,
        { text: 'Ответ' },
        {
          ...headers,
        },
      );
      expect(answer, action).toMatchObject({
        status: 409,
        body: {
          code: 'left_your_departments',
          current: { status: now?.status, version: now?.version },
        },
        headers: { etag: `"${now?.version}"` },
      });
      expect(answer.body.message, action).toMatch(/nothing was sent to the citizen/);
      // Where it went is another department's business.
      expect(JSON.stringify(answer.body), action).not.toMatch(/roads|triage|department"/);
      expect((await repository.getInquiry(id))?.version, action).toBe(now?.version);
    }
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
    // Reading it is told the same (below), and whoever never had it is told nothing of it.
    expect((await call('GET', `/api/v1/inquiries/${moved}`, TOKENS.housing)).status).toBe(403);
    expect(seen.status).toBe(200);
    const never = ids['left-never'] ?? '';
    const stranger = await call('POST', `/api/v1/inquiries/${never}/reply`, TOKENS.roads, { text: 'Ответ' });
    expect(stranger).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  /**
   * Three inquiries, as housing's operator meets them later: one housing's, taken by them, then moved to roads by
   * an admin (a link they kept); one in housing's list, never opened by them, rejected to triage; one only ever
   * roads', then triage's, which housing never had.
   */
  const inquiriesThatLeftHousing = async (name: string, firstPeer: number) => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await open(`${name}-moved`, firstPeer, 'waste', minutesAgo(5));
    await open(`${name}-rejected`, firstPeer + 1, 'waste', minutesAgo(4));
    await open(`${name}-never`, firstPeer + 2, 'roads', minutesAgo(3));
    const [moved = '', rejected = '', never = ''] = ['moved', 'rejected', 'never'].map(
      (kind) => ids[`${name}-${kind}`] ?? '',
    );
    expect((await call('POST', `/api/v1/inquiries/${moved}/take`, TOKENS.housing)).status).toBe(200);
    const away = { reason: 'не наше', force: true };
    expect(
      (await call('POST', `/api/v1/inquiries/${moved}/move`, TOKENS.admin, { ...away, department: 'roads' }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', `/api/v1/inquiries/${rejected}/reject`, TOKENS.admin, { reason: 'спам' })).status,
    ).toBe(200);
    expect(
      (await call('POST', `/api/v1/inquiries/${never}/move`, TOKENS.admin, { ...away, department: 'triage' }))
        .status,
    ).toBe(200);
    return [moved, rejected, never] as const;
  };

  it('answers its detail and history 403 left_your_departments to who had it, not where it went; 404 to anyone else', async () => {
    const [moved, rejected, never] = await inquiriesThatLeftHousing('gone', 9270);

    for (const id of [moved, rejected]) {
      const now = await repository.getInquiry(id);
      for (const path of [`/api/v1/inquiries/${id}`, `/api/v1/inquiries/${id}/history`]) {
        const read = await call('GET', path, TOKENS.housing);
        expect(read, path).toMatchObject({
          status: 403,
          body: {
            code: 'left_your_departments',
            current: { status: now?.status, version: now?.version },
          },
        });
        expect(read.body.message, path).toMatch(/no longer in your departments/);
        // Nothing of it but that: where it went is another department's business.
        expect(Object.keys(read.body).sort(), path).toEqual(['code', 'current', 'message']);
        expect(JSON.stringify(read.body), path).not.toMatch(/roads|triage|department"/);
        expect(read.headers, path).not.toHaveProperty('etag');
      }
    }
    // Whoever never had it learns nothing, not even that it is there.
    const unseen = [
      [never, TOKENS.housing],
      [rejected, TOKENS.roads],
    ] as const;
    for (const [id, token] of unseen)
      for (const path of [`/api/v1/inquiries/${id}`, `/api/v1/inquiries/${id}/history`])
        expect(await call('GET', path, token), path).toMatchObject({
          status: 404,
          body: { code: 'not_found', message: 'no such inquiry' },
        });
    // Those of the department it is in read it.
    expect((await call('GET', `/api/v1/inquiries/${moved}`, TOKENS.roads)).status).toBe(200);
  });

  it('finds it by its case number for who had it, saying it left their departments, not where; for anyone else as no case', async () => {
    const [moved, rejected, never] = await inquiriesThatLeftHousing('number', 9290);
    const find = (caseNumber: string, token: string, also = '') =>
      call('GET', `/api/v1/inquiries?caseNumber=${caseNumber}${also}`, token);

    for (const id of [moved, rejected]) {
      const now = await repository.getInquiry(id);
      const caseNumber = now?.caseNumber ?? '';
      expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);
      // As the citizen reads it out, with or without the community or their department: the case is there,
      // with its status and version now, as the detail's 403 tells them, and nothing else of it.
      for (const asked of [caseNumber.replace(/-0+/, '-'), caseNumber]) {
        for (const also of ['', `&community=${DEMO_GROUP_ID}`, '&department=housing']) {
          const found = await find(asked, TOKENS.housing, also);
          expect(found, `${asked}${also}`).toEqual({
            status: 200,
            headers: expect.anything(),
            body: {
              items: [],
              asOf: expect.any(String),
              leftYourDepartments: [
                {
                  groupId: DEMO_GROUP_ID,
                  caseNumber,
                  current: { status: now?.status, version: now?.version },
                },
              ],
            },
          });
          expect(JSON.stringify(found.body), `${asked}${also}`).not.toMatch(/roads|triage|department"|inq-/);
        }
      }
    }
    // Whoever never had it is answered as for a number there is not: nothing tells them it is there.
    const none = await find('2026-999999', TOKENS.housing);
    expect(none.body).toEqual({ items: [], asOf: expect.any(String) });
    const unseen = [
      [never, TOKENS.housing],
      [rejected, TOKENS.roads],
    ] as const;
    for (const [id, token] of unseen) {
      const caseNumber = (await repository.getInquiry(id))?.caseNumber ?? '';
      expect(await find(caseNumber, token), caseNumber).toEqual({
        ...none,
        body: { ...none.body, asOf: expect.any(String) },
        headers: expect.anything(),
      });
    }
    // Those of the department it is in find it as ever, and nothing said to have left.
    const theirs = await find((await repository.getInquiry(moved))?.caseNumber ?? '', TOKENS.roads);
    expect(theirs.body).toEqual({
      items: [expect.objectContaining({ id: moved })],
      asOf: expect.any(String),
    });
  });
});

describe('the operator API: an inquiry that left the operator’s departments hundreds of entries ago', () => {
  /**
   * The citizen's messages after the move: `count` history entries, none naming a department or an operator,
   * each of some 8 KB, so that 650 of them take several 1 MB reads.
   */
  const laterMessages = async (id: string, count: number) => {
    const from = Date.now() + 60_000;
    // A write of a hundred at a time, one after another: dynalite has lost concurrent writes to one partition.
    for (let first = 0; first < count; first += 100) {
      const inquiry = await repository.getInquiry(id);
      if (!inquiry) throw new Error(`no inquiry ${id}`);
      const entries = Array.from({ length: Math.min(100, count - first) }, (_entry, index) => {
        const at = new Date(from + (first + index) * 1000).toISOString();
        return {
          inquiryId: id,
          key: `${at}#later-${first + index}#0`,
          at,
          kind: 'message' as const,
          actor: 'citizen' as const,
          actorId: inquiry.authorId,
          detail: { text: `Ещё одно сообщение ${first + index}. `.repeat(200) },
        };
      });
      await repository.update({ ...inquiry, version: inquiry.version + 1 }, inquiry.version, entries);
    }
  };

  it('answers who had it 403, 409 and leftYourDepartments however much history came since', async () => {
    // One housing's operator took; one only ever in housing's list: both moved to roads by an admin, then
    // hundreds of the citizen's messages.
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await open('long-taken', 9330, 'waste', minutesAgo(10));
    await open('long-listed', 9331, 'waste', minutesAgo(9));
    const taken = ids['long-taken'] ?? '';
    const listed = ids['long-listed'] ?? '';
    expect((await call('POST', `/api/v1/inquiries/${taken}/take`, TOKENS.housing)).status).toBe(200);
    const away = { department: 'roads', reason: 'это дороги', force: true };
    for (const id of [taken, listed]) {
      expect((await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.admin, away)).status).toBe(200);
      await laterMessages(id, 650);
    }

    for (const id of [taken, listed]) {
      const now = await repository.getInquiry(id);
      const current = { status: now?.status, version: now?.version };
      for (const path of [`/api/v1/inquiries/${id}`, `/api/v1/inquiries/${id}/history`])
        expect(await call('GET', path, TOKENS.housing), path).toMatchObject({
          status: 403,
          body: { code: 'left_your_departments', current },
        });
      expect(
        await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, { text: 'Ответ' }),
        id,
      ).toMatchObject({ status: 409, body: { code: 'left_your_departments', current } });
      const found = await call('GET', `/api/v1/inquiries?caseNumber=${now?.caseNumber}`, TOKENS.housing);
      expect(found.body, id).toEqual({
        items: [],
        asOf: expect.any(String),
        leftYourDepartments: [{ groupId: DEMO_GROUP_ID, caseNumber: now?.caseNumber, current }],
      });
    }
  });
});

describe('the operator API: how long an operator’s words may be', () => {
  it('gives each inquiry the most its words take, and tells words too long that figure, VK’s limit passed too', async () => {
    await open('longest', 9280, 'waste', new Date(Date.now() - 60_000).toISOString());
    const id = ids.longest ?? '';
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.housing);
    const { caseNumber, maxTextLength } = detail.body.inquiry;
    // VK's 9000, less the line naming the case and its line break.
    expect(maxTextLength).toBe(9000 - `По обращению № ${caseNumber}:`.length - 1);
    const listed = await everyItem('/api/v1/inquiries?order=newest', TOKENS.housing);
    expect(listed.find((item) => item.id === id)?.maxTextLength).toBe(maxTextLength);
    for (const length of [maxTextLength + 1, 9001, 20_000]) {
      const answer = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, {
        text: 'я'.repeat(length),
      });
      expect(answer, String(length)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(answer.body.issues, String(length)).toEqual([
        expect.stringContaining(`text: too long: at most ${maxTextLength} characters for this inquiry`),
      ]);
    }
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
    const fits = await call('POST', `/api/v1/inquiries/${id}/reply`, TOKENS.housing, {
      text: 'я'.repeat(maxTextLength),
    });
    expect(fits).toMatchObject({ status: 200, body: { status: 'answered', maxTextLength } });
    await drainQueue(aws.sqs, aws.queues.answers.url);
  });
});
