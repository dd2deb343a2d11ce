import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { RouteDeps } from '../../lambdas/operator-api/api.js';
import { dispatch } from '../../lambdas/operator-api/dispatch.js';
import { matchRoute, OPENAPI_PATH, PATH_PARAMETER_PATTERN } from '../../lambdas/operator-api/routes.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { inlined } from '../support/openapi.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

const ADMIN = 'local-admin-token-change-me';
const HOUSING = 'local-housing-token-change-me';
/** The inquiry's own bookkeeping: the conversation key holds the citizen's VK id. */
const INTERNAL = [
  'conversationKey',
  'causes',
  'sourceEventKey',
  'answerCause',
  'firstResponseCause',
  'firstResponseCounted',
  'routeCause',
  'pendingNotification',
];

/** What a history entry gives, as the document names it. */
const HISTORY_FIELDS = [
  'inquiryId',
  'key',
  'at',
  'kind',
  'actor',
  'actorId',
  'actorName',
  'reason',
  'from',
  'to',
  'detail',
];

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let served: any;
/** Some JSON of the document. */
// biome-ignore lint/suspicious/noExplicitAny: as above
type Json = any;
/** The document as served, its shared schemas put in where they are named. */
// biome-ignore lint/suspicious/noExplicitAny: as above
let document: any;
let id = '';
/** An inquiry the errors are made on. */
let other = '';
/** Inquiries no one takes before they are answered: the README's own curl flow. */
let untaken = { replied: '', intermediate: '' };
/** An inquiry an operator rejects as none: listed under triage. */
let spam = '';
/** An inquiry housing's operator takes and an admin moves to roads: looked up by its number after. */
let away = '';

/** The schema the served document gives for a route's answer, turned back into a validator. */
const described = (path: string, method: string, status: string) =>
  z.fromJSONSchema(document.paths[path][method].responses[status].content['application/json'].schema, {
    defaultTarget: 'openapi-3.0',
  });

/** Every issue of the answer against its documented schema: none, when the document tells the truth. */
const issues = (schema: z.ZodType, body: unknown) =>
  schema.safeParse(body).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('outbox'));
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  const router = createMessageRouter({
    config: readConfigFile('config/local.json'),
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
  });
  const open = async (peerId: number, eventKey: string) =>
    (
      await router.routeCitizenMessage(
        classifiedDirectMessage({
          peerId,
          eventKey,
          text: 'Не вывозят мусор во дворе',
          category: 'waste',
          at,
        }),
      )
    ).inquiryId;
  // Sequential: dynalite has lost concurrent writes to one partition.
  id = await open(9500, 'openapi-1');
  untaken = { replied: await open(9501, 'openapi-2'), intermediate: await open(9502, 'openapi-3') };
  spam = await open(9503, 'openapi-4');
  other = await open(9504, 'openapi-5');
  away = await open(9505, 'openapi-6');
  served = (await call('GET', OPENAPI_PATH)).body;
  document = inlined(served);
});
afterAll(() => aws?.stop());

describe('the OpenAPI document against real answers', () => {
  it('describes every field the inquiry, its history, a change, the statistics, the directory and `me` give', async () => {
    const taken = await call('POST', `/api/v1/inquiries/${id}/take`, ADMIN, undefined, {
      'Idempotency-Key': 'take-1',
    });
    expect(taken.status).toBe(200);
    expect(issues(described('/api/v1/inquiries/{id}/take', 'post', '200'), taken.body)).toEqual([]);
    const replied = await call('POST', `/api/v1/inquiries/${id}/reply`, ADMIN, { text: 'Мусор вывезен.' });
    expect(issues(described('/api/v1/inquiries/{id}/reply', 'post', '200'), replied.body)).toEqual([]);

    const one = await call('GET', `/api/v1/inquiries/${id}`, ADMIN);
    expect(one.status).toBe(200);
    expect(one.body.history.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['message', 'classified', 'routed', 'status', 'reply']),
    );
    // The reply's message, named in the change's answer and on its entry: what its `delivery` entries name.
    expect(replied.body.outboxId).toMatch(new RegExp(`^${id}:answer:op:`));
    expect(taken.body).not.toHaveProperty('outboxId');
    const replyEntry = one.body.history.find((entry: { kind: string }) => entry.kind === 'reply');
    expect(replyEntry.detail.outboxId).toBe(replied.body.outboxId);
    expect(issues(described('/api/v1/inquiries/{id}', 'get', '200'), one.body)).toEqual([]);
    const page = await call('GET', `/api/v1/inquiries/${id}/history?limit=2`, ADMIN);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect(issues(described('/api/v1/inquiries/{id}/history', 'get', '200'), page.body)).toEqual([]);

    const listedFrom = Date.now();
    const list = await call('GET', '/api/v1/inquiries?department=housing', ADMIN);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(issues(described('/api/v1/inquiries', 'get', '200'), list.body)).toEqual([]);
    // The time the page was read as of, by the API's clock: for the console's "as of 14:02".
    expect(Date.parse(list.body.asOf)).toBeGreaterThanOrEqual(listedFrom);
    expect(Date.parse(list.body.asOf)).toBeLessThanOrEqual(Date.now());
    const { asOf: _asOf, ...undated } = list.body;
    expect(issues(described('/api/v1/inquiries', 'get', '200'), undated)).not.toEqual([]);

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const statistics = await call('GET', `/api/v1/statistics?from=${from}&to=${to}`, ADMIN);
    expect(statistics.status).toBe(200);
    expect(issues(described('/api/v1/statistics', 'get', '200'), statistics.body)).toEqual([]);

    const directory = await call('GET', '/api/v1/directory', ADMIN);
    expect(issues(described('/api/v1/directory', 'get', '200'), directory.body)).toEqual([]);

    const me = await call('GET', '/api/v1/me', 'local-housing-token-change-me');
    expect(me.body.departments).toHaveLength(1);
    expect(issues(described('/api/v1/me', 'get', '200'), me.body)).toEqual([]);

    // The inquiry's bookkeeping stays inside: none of it in a change's answer, the inquiry or the list.
    for (const inquiry of [taken.body, replied.body, one.body.inquiry, ...list.body.items])
      expect(Object.keys(inquiry).filter((field) => INTERNAL.includes(field))).toEqual([]);
    expect(JSON.stringify(document)).not.toMatch(new RegExp(`"(${INTERNAL.join('|')})"`));

    const refused = await call('POST', `/api/v1/inquiries/${id}/take`, ADMIN);
    expect(refused.status).toBe(409);
    expect(issues(described('/api/v1/inquiries/{id}/take', 'post', '409'), refused.body)).toEqual([]);

    const stale = await call(
      'POST',
      `/api/v1/inquiries/${id}/close`,
      ADMIN,
      { reason: 'решено' },
      {
        'if-match': taken.headers.etag ?? '',
      },
    );
    expect(stale.status).toBe(412);
    expect(issues(described('/api/v1/inquiries/{id}/close', 'post', '412'), stale.body)).toEqual([]);
  });

  it('gives every error a code of the documented enum, under a status its route lists, in the documented shape', async () => {
    const taken = await call('POST', `/api/v1/inquiries/${other}/take`, ADMIN);
    expect(taken.status).toBe(200);
    const change = (action: string, body: unknown, token = HOUSING, headers: Record<string, string> = {}) =>
      call('POST', `/api/v1/inquiries/${other}/${action}`, token, body, headers);
    const forged = Buffer.from(JSON.stringify({ housing: 5 })).toString('base64url');
    const errors: [string, string, { status: number; body: unknown }, string][] = [
      [
        '/api/v1/inquiries',
        'get',
        await call('GET', '/api/v1/inquiries?order=sideways', HOUSING),
        'validation_failed',
      ],
      [
        '/api/v1/inquiries',
        'get',
        await call('GET', `/api/v1/inquiries?cursor=${forged}`, HOUSING),
        'validation_failed',
      ],
      [
        '/api/v1/inquiries',
        'get',
        await call('GET', '/api/v1/inquiries?department=roads', HOUSING),
        'forbidden',
      ],
      [
        '/api/v1/inquiries/{id}',
        'get',
        await call('GET', '/api/v1/inquiries/inq-none', HOUSING),
        'not_found',
      ],
      [
        '/api/v1/statistics',
        'get',
        await call(
          'GET',
          '/api/v1/statistics?department=roads&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
          HOUSING,
        ),
        'forbidden',
      ],
      [
        '/api/v1/statistics',
        'get',
        await call('GET', '/api/v1/statistics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', HOUSING),
        'validation_failed',
      ],
      ['/api/v1/inquiries/{id}/take', 'post', await change('take', {}), 'taken_by_other'],
      ['/api/v1/inquiries/{id}/take', 'post', await change('take', {}, ADMIN), 'already_yours'],
      [
        '/api/v1/inquiries/{id}/take',
        'post',
        await change('take', {}, HOUSING, { 'idempotency-key': 'a b' }),
        'validation_failed',
      ],
      ['/api/v1/inquiries/{id}/reply', 'post', await change('reply', {}), 'validation_failed'],
      [
        '/api/v1/inquiries/{id}/close',
        'post',
        await change('close', { reason: 'рано' }, ADMIN),
        'not_allowed_in_state',
      ],
      [
        '/api/v1/inquiries/{id}/move',
        'post',
        await change('move', { department: 'nowhere', reason: 'x' }),
        'validation_failed',
      ],
      [
        '/api/v1/inquiries/{id}/reopen',
        'post',
        await change('reopen', { reason: 'x' }, HOUSING, { 'if-match': '"1"' }),
        'precondition_failed',
      ],
      [
        '/api/v1/inquiries/{id}/reopen',
        'post',
        await call('POST', '/api/v1/inquiries/inq-none/reopen', HOUSING, { reason: 'x' }),
        'not_found',
      ],
    ];
    errors.push(
      [
        '/api/v1/inquiries',
        'get',
        await call('GET', '/api/v1/inquiries?author=9501&community=123456789', HOUSING),
        'forbidden',
      ],
      [
        '/api/v1/inquiries',
        'get',
        await call('GET', '/api/v1/inquiries?author=9501', ADMIN),
        'validation_failed',
      ],
    );
    // Answered, it is treated as an inquiry: it is no longer rejected as none.
    expect((await change('reply', { text: 'Мусор вывезен.' }, ADMIN)).status).toBe(200);
    errors.push([
      '/api/v1/inquiries/{id}/reject',
      'post',
      await change('reject', { reason: 'спам' }),
      'not_allowed_in_state',
    ]);
    // Handed to roads by the admin who holds it: housing's next words are told it left their departments.
    expect((await change('move', { department: 'roads', reason: 'дороги' }, ADMIN)).status).toBe(200);
    errors.push(
      [
        '/api/v1/inquiries/{id}/reply',
        'post',
        await change('reply', { text: 'Ещё слово' }),
        'left_your_departments',
      ],
      [
        '/api/v1/inquiries/{id}',
        'get',
        await call('GET', `/api/v1/inquiries/${other}`, HOUSING),
        'left_your_departments',
      ],
      [
        '/api/v1/inquiries/{id}/history',
        'get',
        await call('GET', `/api/v1/inquiries/${other}/history`, HOUSING),
        'left_your_departments',
      ],
    );
    const codes =
      document.paths['/api/v1/inquiries/{id}/take'].post.responses['409'].content['application/json'].schema
        .properties.code.enum;
    for (const [path, method, answer, code] of errors) {
      const where = `${method} ${path} ${answer.status} ${JSON.stringify(answer.body)}`;
      expect(answer.body, where).toMatchObject({ code });
      expect(codes, where).toContain(code);
      expect(Object.keys(document.paths[path][method].responses), where).toContain(String(answer.status));
      expect(issues(described(path, method, String(answer.status)), answer.body), where).toEqual([]);
    }
    expect(errors[6]?.[2].body).toMatchObject({ holder: { id: 'local-admin' } });
    // A route reads only what it takes: a read ignores a change's headers.
    const directory = await call('GET', '/api/v1/directory', HOUSING, undefined, {
      'idempotency-key': 'a b',
      'if-match': '3',
    });
    expect(directory.status).toBe(200);
    // API Gateway's own answers have only a message: a token refused, a request throttled.
    const refused = await call('GET', '/api/v1/inquiries', 'not-a-token');
    expect(refused.status).toBe(401);
    expect(issues(described('/api/v1/inquiries', 'get', '401'), refused.body)).toEqual([]);
    expect(issues(described('/api/v1/directory', 'get', '429'), { message: 'Too Many Requests' })).toEqual(
      [],
    );
  });

  it('describes a lookup by case number of an inquiry that left the operator’s departments', async () => {
    expect((await call('POST', `/api/v1/inquiries/${away}/take`, HOUSING)).status).toBe(200);
    const moved = await call('POST', `/api/v1/inquiries/${away}/move`, ADMIN, {
      department: 'roads',
      reason: 'дороги',
      force: true,
    });
    expect(moved.status).toBe(200);
    const found = await call('GET', `/api/v1/inquiries?caseNumber=${moved.body.caseNumber}`, HOUSING);
    expect(found.body).toMatchObject({
      items: [],
      leftYourDepartments: [{ caseNumber: moved.body.caseNumber }],
    });
    const schema = described('/api/v1/inquiries', 'get', '200');
    expect(issues(schema, found.body)).toEqual([]);
    expect(found.body.asOf).toEqual(expect.any(String));
    // Nothing more of it than the document says: a field added to an entry fails.
    const [entry] = found.body.leftYourDepartments;
    expect(issues(schema, { ...found.body, leftYourDepartments: [{ ...entry, id: away }] })).not.toEqual([]);
    expect(served.components.schemas).toHaveProperty('LeftCase');
  });

  it('lists for each route only the statuses it can answer, and the throttle’s 429 on all', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(document.paths[path][method].responses).sort();
    expect(statuses('/api/v1/inquiries', 'get')).toEqual(['200', '400', '401', '403', '413', '429', '500']);
    const read = ['200', '401', '403', '404', '413', '429', '500'];
    expect(statuses('/api/v1/inquiries/{id}', 'get')).toEqual(read);
    expect(statuses('/api/v1/inquiries/{id}/history', 'get')).toEqual(['400', ...read].sort());
    expect(statuses('/api/v1/statistics', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '406',
      '413',
      '422',
      '429',
      '500',
    ]);
    expect(statuses('/api/v1/directory', 'get')).toEqual(['200', '401', '413', '429', '500']);
    expect(statuses('/api/v1/me', 'get')).toEqual(['200', '401', '413', '429', '500']);
    for (const action of ['take', 'close', 'reopen', 'reject', 'release'])
      expect(statuses(`/api/v1/inquiries/{id}/${action}`, 'post')).toEqual([
        '200',
        '204',
        '400',
        '401',
        '404',
        '409',
        '412',
        '413',
        '429',
        '500',
      ]);
    for (const action of ['reply', 'intermediate-answer', 'move'])
      expect(statuses(`/api/v1/inquiries/{id}/${action}`, 'post')).toEqual([
        '200',
        '204',
        '400',
        '401',
        '404',
        '409',
        '412',
        '413',
        '429',
        '500',
        '503',
      ]);
  });

  it('names a 409 code only where the route can answer it', () => {
    const conflict = (action: string) =>
      document.paths[`/api/v1/inquiries/{id}/${action}`].post.responses['409'].description as string;
    // Only a change that turns into another event on what the inquiry became meanwhile (change-inquiry.ts).
    for (const action of ['reply', 'move']) expect(conflict(action), action).toContain('`changed_meanwhile`');
    for (const action of ['take', 'close', 'reopen', 'intermediate-answer', 'reject', 'release'])
      expect(conflict(action), action).not.toContain('changed_meanwhile');
    // A rejected message always has somewhere to go: a community without its triage department is no config.
    expect(JSON.stringify(document)).not.toContain('department_required');
  });

  it('describes the answer of an inquiry no one took: the answerer becomes its assignee, in the entry too', async () => {
    const replied = await call('POST', `/api/v1/inquiries/${untaken.replied}/reply`, ADMIN, {
      text: 'Мусор вывезен.',
    });
    expect(replied.status).toBe(200);
    const working = await call(
      'POST',
      `/api/v1/inquiries/${untaken.intermediate}/intermediate-answer`,
      ADMIN,
      {
        text: 'Работаем.',
      },
    );
    expect(working.status).toBe(200);
    const schema = described('/api/v1/inquiries/{id}', 'get', '200');
    for (const inquiryId of [untaken.replied, untaken.intermediate]) {
      const one = (await call('GET', `/api/v1/inquiries/${inquiryId}`, ADMIN)).body;
      const entry = one.history.find((candidate: { kind: string }) => candidate.kind === 'reply');
      expect(entry.detail).toMatchObject({
        via: 'console',
        assignee: { id: 'local-admin', name: 'Администратор (локально)' },
      });
      expect(issues(schema, one)).toEqual([]);
      // `via` is what the writers write: the console or VK, nothing else.
      const misnamed = one.history.map((candidate: { kind: string; detail: object }) =>
        candidate === entry ? { ...candidate, detail: { ...candidate.detail, via: 'api' } } : candidate,
      );
      expect(issues(schema, { ...one, history: misnamed })).not.toEqual([]);
    }
  });

  it('describes an inquiry an operator took and rejected: from where, from whom, listed under triage', async () => {
    expect((await call('POST', `/api/v1/inquiries/${spam}/take`, ADMIN)).status).toBe(200);
    const rejected = await call('POST', `/api/v1/inquiries/${spam}/reject`, ADMIN, { reason: 'реклама' });
    expect(rejected.status).toBe(200);
    expect(issues(described('/api/v1/inquiries/{id}/reject', 'post', '200'), rejected.body)).toEqual([]);
    const one = (await call('GET', `/api/v1/inquiries/${spam}`, ADMIN)).body;
    const entry = one.history.find((candidate: { kind: string }) => candidate.kind === 'rejected');
    expect(entry.detail).toEqual({
      fromDepartment: 'housing',
      department: 'triage',
      fromAssignee: { id: 'local-admin', name: 'Администратор (локально)' },
    });
    expect(issues(described('/api/v1/inquiries/{id}', 'get', '200'), one)).toEqual([]);
  });

  it("gives each history entry's documented fields only: no event key, no cause, and the same key on every read", async () => {
    const stored = (await repository.get(id))?.history ?? [];
    const [one, again] = [
      (await call('GET', `/api/v1/inquiries/${id}`, ADMIN)).body,
      (await call('GET', `/api/v1/inquiries/${id}`, ADMIN)).body,
    ];
    expect(one.history).toHaveLength(stored.length);
    expect(again.history).toEqual(one.history);
    const keys = one.history.map((entry: { key: string }) => entry.key);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    // The stored keys hold their causes: the VK event's key, the operator's request and its Idempotency-Key.
    expect(stored.map((entry) => entry.key).join(' ')).toMatch(/openapi-1.*op:local-admin:take:take-1/s);
    expect(keys.join(' ')).not.toMatch(/openapi-1|op:|take-1/);
    for (const entry of one.history) {
      expect(
        Object.keys(entry).filter((field) => !HISTORY_FIELDS.includes(field)),
        entry.kind,
      ).toEqual([]);
      expect(entry.detail).not.toHaveProperty('eventKey');
    }
    const opening = one.history.find((entry: { kind: string }) => entry.kind === 'message');
    expect(opening.detail.messageRef).toBe(one.inquiry.openingMessage.messageRef);
    expect(JSON.stringify(document)).not.toContain('"eventKey"');
  });

  it('fails an inquiry with a field it does not describe, or without one it requires', async () => {
    const one = (await call('GET', `/api/v1/inquiries/${id}`, ADMIN)).body;
    const schema = described('/api/v1/inquiries/{id}', 'get', '200');
    expect(issues(schema, { ...one, inquiry: { ...one.inquiry, secret: 1 } })).not.toEqual([]);
    const { lastMessageAt: _dropped, ...without } = one.inquiry;
    expect(issues(schema, { ...one, inquiry: without })).not.toEqual([]);
    const [first, ...rest] = one.history;
    expect(
      issues(schema, { ...one, history: [{ ...first, detail: { ...first.detail, extra: 1 } }, ...rest] }),
    ).not.toEqual([]);
    // A kind the document does not know yet passes with whatever detail it has.
    expect(issues(schema, { ...one, history: [{ ...first, kind: 'someday', detail: { any: 1 } }] })).toEqual(
      [],
    );
  });

  it('tells how to repeat a change and make it on what was read: Idempotency-Key, If-Match and ETag, 412, 503 with Retry-After, 500, and a server', () => {
    const reply = document.paths['/api/v1/inquiries/{id}/reply'].post;
    const key = reply.parameters.find((parameter: { name: string }) => parameter.name === 'Idempotency-Key');
    expect(key).toMatchObject({ in: 'header', required: false, schema: { maxLength: 100 } });
    expect(new RegExp(key.schema.pattern).test('retry-1.a_b')).toBe(true);
    expect(new RegExp(key.schema.pattern).test('no spaces')).toBe(false);
    expect(reply.responses['503'].headers['Retry-After']).toBeDefined();
    expect(reply.responses['503'].headers['Idempotency-Key']).toBeDefined();
    expect(
      issues(described('/api/v1/inquiries/{id}/reply', 'post', '503'), {
        code: 'unavailable',
        message: 'the change is saved, but the message to the citizen could not be queued',
        idempotencyKey: '6f1c0b9e-4a57-4a4e-9d0e-2c1d5b7a8e31',
      }),
    ).toEqual([]);
    expect(reply.responses['500']).toBeDefined();
    for (const action of ['take', 'close', 'reopen', 'reject', 'release', 'move', 'intermediate-answer'])
      expect(
        document.paths[`/api/v1/inquiries/{id}/${action}`].post.parameters.map(
          (parameter: { name: string }) => parameter.name,
        ),
      ).toContain('Idempotency-Key');
    expect(document.paths['/api/v1/inquiries/{id}/take'].post.responses['503']).toBeUndefined();
    for (const action of [
      'take',
      'reply',
      'close',
      'reopen',
      'reject',
      'release',
      'move',
      'intermediate-answer',
    ]) {
      const change = document.paths[`/api/v1/inquiries/{id}/${action}`].post;
      expect(change.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header' }));
      expect(change.responses['412'].headers.ETag).toBeDefined();
      expect(change.responses['200'].headers.ETag).toBeDefined();
      // A repeat once the inquiry is out of the operator's reach: made, and nothing of the inquiry shown.
      expect(change.responses['204'].description).toMatch(/nothing of the inquiry is shown/);
      expect(change.responses['204']).not.toHaveProperty('content');
    }
    expect(document.paths['/api/v1/inquiries/{id}'].get.responses['200'].headers.ETag).toBeDefined();
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('names each operation and its group, and gives each shared schema once, for a generated client', () => {
    const operations = Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, Json>).map(([method, operation]) => ({
        path,
        method,
        operation,
      })),
    );
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids).toEqual(expect.arrayContaining(['listInquiries', 'getInquiry', 'getInquiryHistory']));
    expect(ids).toEqual(expect.arrayContaining(['takeInquiry', 'replyToInquiry', 'moveInquiry', 'getMe']));
    expect(ids).toEqual(expect.arrayContaining(['addInquiryNote']));
    expect(ids).toEqual(
      expect.arrayContaining(['listAnswerTemplates', 'putAnswerTemplate', 'deleteAnswerTemplate']),
    );
    expect(new Set(ids).size).toBe(operations.length);
    const tags = served.tags.map((tag: { name: string }) => tag.name);
    for (const { operation } of operations) expect(tags).toEqual(expect.arrayContaining(operation.tags));
    // Every body and answer is a shared schema, the inquiry's fields written out once for the inquiry and once
    // for the answer to a change, not in each of the routes that give one.
    const schemas = served.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'Inquiry',
        'HistoryEntry',
        'ReplyEntry',
        'NoteEntry',
        'NoteBody',
        'Problem',
        'GatewayProblem',
        'MoveBody',
      ]),
    );
    for (const { path, method, operation } of operations) {
      for (const [status, answer] of Object.entries(
        operation.responses as Record<string, { content?: object }>,
      ))
        if (answer.content)
          expect(answer.content, `${method} ${path} ${status}`).toEqual({
            'application/json': { schema: { $ref: expect.stringMatching(/^#\/components\/schemas\/\w+$/) } },
            // The statistics' spreadsheet, beside their JSON.
            ...(path === '/api/v1/statistics' &&
              status === '200' && {
                'text/csv': { schema: { $ref: '#/components/schemas/StatisticsCsv' } },
              }),
            ...(path === '/api/v1/statistics/operators' &&
              status === '200' && {
                'text/csv': { schema: { $ref: '#/components/schemas/OperatorStatisticsCsv' } },
              }),
          });
      if (operation.requestBody)
        expect(operation.requestBody.content['application/json'].schema.$ref).toMatch(/Body$/);
    }
    const text = JSON.stringify(served);
    expect(text.match(/"firstResponseStartedAt"/g)).toHaveLength(2);
    // Some 6 KB more with 1.4.0's three routes of answer templates, each answer's headers written out; 8 KB
    // more with 1.5.0's statistics as a spreadsheet, 3 KB of it the CSV's 44 columns, each with its field; 9 KB
    // more with 1.5.0's department workload, its route (each of its five answers' headers written out) and
    // its answer's schema; 8 KB more with 1.6.0's workload overview, its route and its answer's schema, 1 KB
    // with its words naming at most 10 people, said on each field of words, 8 KB with its one answer to
    // many inquiries, its route (its answers' headers written out) and its body's and answer's schemas, and
    // 12 KB with its operators' figures, their route's answers' headers and the answer figures of an
    // operator and of no one's.
    expect(text.length).toBeLessThan(312_000);
  });

  it('stays OpenAPI 3.0: only Schema Object keywords, one type, a $ref alone and to a schema there is', () => {
    const KEYWORDS = new Set(
      (
        'title multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern maxItems ' +
        'minItems uniqueItems maxProperties minProperties required enum type not allOf oneOf anyOf items ' +
        'properties additionalProperties description format default nullable discriminator readOnly writeOnly ' +
        'example externalDocs deprecated xml'
      ).split(' '),
    );
    const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
    const wrong: string[] = [];
    const check = (schema: Json, at: string): void => {
      if (typeof schema?.$ref === 'string') {
        if (Object.keys(schema).length > 1) wrong.push(`${at}: $ref beside other keywords`);
        if (!served.components.schemas[schema.$ref.replace('#/components/schemas/', '')])
          wrong.push(`${at}: no ${schema.$ref}`);
        return;
      }
      for (const keyword of Object.keys(schema)) if (!KEYWORDS.has(keyword)) wrong.push(`${at}: ${keyword}`);
      if ('type' in schema && !TYPES.includes(schema.type)) wrong.push(`${at}: type ${schema.type}`);
      if (schema.type === 'array' && !schema.items) wrong.push(`${at}: an array without items`);
      for (const keyword of ['allOf', 'anyOf', 'oneOf'])
        for (const [index, each] of (schema[keyword] ?? []).entries() as [number, Json][])
          check(each, `${at}/${keyword}/${index}`);
      for (const [name, each] of Object.entries(schema.properties ?? {})) check(each, `${at}/${name}`);
      if (schema.items) check(schema.items, `${at}/items`);
      if (schema.not) check(schema.not, `${at}/not`);
      if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties, `${at}/*`);
    };
    for (const [name, schema] of Object.entries(served.components.schemas)) check(schema, name);
    for (const [path, methods] of Object.entries(served.paths))
      for (const [method, operation] of Object.entries(methods as Record<string, Json>)) {
        for (const parameter of operation.parameters ?? [])
          check(parameter.schema, `${path} ${parameter.name}`);
        for (const [status, answer] of Object.entries(operation.responses))
          for (const [name, header] of Object.entries((answer as Json).headers ?? {}))
            check((header as Json).schema, `${method} ${path} ${status} ${name}`);
      }
    expect(wrong).toEqual([]);
  });

  it('says what a move needs, as the API answers it: a department, a category or a priority', async () => {
    const body = served.components.schemas.MoveBody;
    const fits = (given: object) =>
      body.anyOf.some((branch: { required: string[] }) => branch.required.every((field) => field in given));
    expect(fits({ reason: 'x' })).toBe(false);
    expect(fits({ priority: 'high', reason: 'x' })).toBe(true);
    expect(body.description).toMatch(/changes nothing.*200.*same `ETag`.*writes nothing/);
    const refused = await call('POST', `/api/v1/inquiries/${other}/move`, ADMIN, { reason: 'просто так' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('names the holder’s 409 on what ends their work, and on every change the ETag and the way out of it', () => {
    const conflict = (action: string) =>
      document.paths[`/api/v1/inquiries/{id}/${action}`].post.responses['409'];
    for (const action of [
      'take',
      'intermediate-answer',
      'reply',
      'close',
      'reopen',
      'reject',
      'release',
      'move',
    ])
      expect(conflict(action).description, action).toContain('`taken_by_other`');
    for (const action of [
      'take',
      'intermediate-answer',
      'reply',
      'close',
      'reopen',
      'reject',
      'release',
      'move',
    ]) {
      expect(conflict(action).description, action).toContain('`left_your_departments`');
      expect(Object.keys(conflict(action).headers), action).toContain('ETag');
    }
    for (const body of ['CloseBody', 'ReopenBody', 'RejectBody', 'MoveBody'])
      expect(served.components.schemas[body].properties.force, body).toMatchObject({ type: 'boolean' });
    // No route takes a reason alone any longer.
    expect(served.components.schemas).not.toHaveProperty('ReasonBody');
  });

  it('warns that an urgent list is paged by the deadline as it is now: de-duplicate, read again from the top', () => {
    const parameters = served.paths['/api/v1/inquiries'].get.parameters as {
      name: string;
      description: string;
    }[];
    const said = (name: string) => parameters.find((parameter) => parameter.name === name)?.description;
    expect(said('order')).toMatch(/comes again.*passed over.*one of each `id`.*first page/s);
    expect(said('cursor')).toMatch(/not a copy of the list/);
  });

  it("lists one post's, topic's, photo's, video's or product's inquiries by its VK name, and says how", async () => {
    const parameters = served.paths['/api/v1/inquiries'].get.parameters as { name: string; schema: Json }[];
    const post = parameters.find((parameter) => parameter.name === 'post');
    expect(post?.schema.pattern).toBeDefined();
    for (const place of [
      '-123456789_42',
      'topic-123456789_5',
      'photo-1_7',
      'video-1_8',
      'product-1_9',
      encodeURIComponent('https://vk.com/wall-1_42?reply=7'),
    ])
      expect(await call('GET', `/api/v1/inquiries?post=${place}`, ADMIN), place).toMatchObject({
        status: 200,
      });
    expect(post?.schema.pattern && new RegExp(post.schema.pattern).test('https://vk.com/wall-1_42')).toBe(
      true,
    );
    expect(await call('GET', '/api/v1/inquiries?post=https://vk.com/club1', ADMIN)).toMatchObject({
      status: 400,
      body: {
        code: 'validation_failed',
        issues: [
          expect.stringMatching(/^post: a wall post, board topic, photo, video or product as VK names it/),
        ],
      },
    });
    expect(await call('GET', '/api/v1/inquiries?post=topic123456789_5', ADMIN)).toMatchObject({
      status: 400,
      body: {
        code: 'validation_failed',
        issues: [expect.stringMatching(/^post: a board topic is a community's: topic-<group>_<topic>/)],
      },
    });
  });

  it('lists the inquiries the citizen called settled, a filter a lookup by case number refuses', async () => {
    const parameters = served.paths['/api/v1/inquiries'].get.parameters as { name: string; schema: Json }[];
    expect(parameters.find((parameter) => parameter.name === 'settled')?.schema.enum).toEqual([
      'true',
      'false',
    ]);
    expect(await call('GET', '/api/v1/inquiries?settled=true', ADMIN)).toMatchObject({ status: 200 });
    expect(await call('GET', '/api/v1/inquiries?settled=yes', ADMIN)).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', issues: [expect.stringMatching(/^settled:/)] },
    });
    expect(await call('GET', '/api/v1/inquiries?caseNumber=2026-000001&settled=true', ADMIN)).toMatchObject({
      status: 400,
      body: { issues: ['settled: not with caseNumber'] },
    });
  });

  it('describes the path parameter as the routes match it', async () => {
    const parameter = served.paths['/api/v1/inquiries/{id}'].get.parameters[0];
    expect(parameter).toMatchObject({ name: 'id', in: 'path', required: true });
    const pattern = new RegExp(parameter.schema.pattern);
    for (const candidate of ['inq-abc_1', 'a'.repeat(64), 'a'.repeat(65), 'inq.1', ''])
      expect(pattern.test(candidate), candidate).toBe(
        matchRoute('GET', `/api/v1/inquiries/${candidate}`)?.params.id === candidate,
      );
    expect(parameter.schema.pattern).toBe(`^${PATH_PARAMETER_PATTERN}$`);
  });

  it("describes API Gateway's own 401, 413, 429 and 500 as it sends them: no answer headers, WWW-Authenticate on 401", async () => {
    for (const [path, methods] of Object.entries(served.paths))
      for (const [method, operation] of Object.entries(methods as Record<string, Json>)) {
        const at = `${method} ${path}`;
        expect(Object.keys(operation.responses['401'].headers), at).toEqual(['WWW-Authenticate']);
        expect(operation.responses['413'].headers, at).toBeUndefined();
        expect(operation.responses['429'].headers, at).toBeUndefined();
        expect(operation.responses['500'].headers, at).toBeUndefined();
      }
    const refused = await call('GET', '/api/v1/inquiries', 'not-a-token');
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses an access token the authorizer lets through: 401, saying why, and nothing recorded under a bare sub', async () => {
    // What API Gateway hands on from a Cognito access token of the app client: no `aud`, so `client_id` passed.
    const answer = await dispatch(
      {
        rawPath: `/api/v1/inquiries/${id}/take`,
        rawQueryString: '',
        headers: {},
        requestContext: {
          http: { method: 'POST' },
          requestId: 'access-token',
          authorizer: {
            jwt: {
              claims: {
                sub: '5f0c7a3e-1111-2222-3333-444455556666',
                token_use: 'access',
                client_id: 'app-client',
                username: '5f0c7a3e-1111-2222-3333-444455556666',
                'cognito:groups': '[admins]',
              },
            },
          },
        },
      } as never,
      {} as RouteDeps,
    );
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({
      code: 'unauthorized',
      message: /access token.*ID token/,
    });
    expect(answer.headers?.['www-authenticate']).toMatch(
      /^Bearer error="invalid_token", error_description="[^"\\]+"$/,
    );
    expect(
      issues(described('/api/v1/inquiries/{id}/take', 'post', '401'), JSON.parse(answer.body ?? '')),
    ).toEqual([]);
    expect(served.components.securitySchemes.bearer.description).toMatch(/ID token.*never its access token/);
  });

  it('has a version of its own, and says what changed in each', () => {
    expect(served.info.version).toBe('1.6.0');
    expect(served.info.description).toMatch(/1\.6\.0: `GET \/api\/v1\/workload` \(`getWorkloadOverview`/);
    expect(served.info.description).toMatch(
      /1\.6\.0: .*; an operator’s words on an inquiry .* name at most 10 people/,
    );
    expect(served.info.description).toMatch(/1\.6\.0: .*; `POST \/api\/v1\/replies` \(`replyToInquiries`/);
    expect(served.info.description).toMatch(/1\.6\.0: .*; `GET \/api\/v1\/statistics\/operators`/);
    expect(served.info.description).toMatch(
      /1\.5\.0: `GET \/api\/v1\/statistics` answers the same figures as a spreadsheet for `Accept: text\/csv`/,
    );
    expect(served.info.description).toMatch(
      /1\.4\.0: A department’s answer templates, .*`GET \/api\/v1\/departments\/\{department\}\/answer-templates`/,
    );
    expect(served.info.description).toMatch(/1\.3\.0: `POST \/api\/v1\/inquiries\/\{id\}\/note`/);
    expect(served.info.description).toMatch(
      /1\.2\.0: a `routed` history entry of an inquiry opened by a new matter/,
    );
    expect(served.info.description).toMatch(/1\.1\.0: an inquiry's detail gives the newest 100 entries/);
  });
});
