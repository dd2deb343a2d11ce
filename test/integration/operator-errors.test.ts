import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { matchRoute, OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { inlined } from '../support/openapi.js';
import { type OperatorApiCall, rawBody, startOperatorApi } from '../support/operator-api.js';

/**
 * What the operator API answers a request it does not take, held against what its OpenAPI document promises:
 * a `code` of the enum, under a status the route declares, `issues` on every 400 naming where (a query
 * parameter, a body field, a header), and messages that say what is wrong.
 */
const ADMIN = 'local-admin-token-change-me';
const HOUSING = 'local-housing-token-change-me';
const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
let id = '';

/** Every issue of an answer against the schema the document gives for its route and status. */
function undocumented(method: string, path: string, answer: { status: number; body: unknown }) {
  const template = matchRoute(method, path.split('?')[0] ?? '')?.route.path ?? '';
  const declared = document.paths[template]?.[method.toLowerCase()]?.responses[String(answer.status)];
  if (!declared) return [`${answer.status} is not declared for ${method} ${template}`];
  const schema = z.fromJSONSchema(declared.content['application/json'].schema, {
    defaultTarget: 'openapi-3.0',
  });
  return (
    schema.safeParse(answer.body).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ??
    []
  );
}

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  const router = createMessageRouter({
    config: readConfigFile('config/local.json'),
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
  });
  ({ inquiryId: id } = await router.routeCitizenMessage(
    classifiedDirectMessage({
      peerId: 9700,
      eventKey: 'errors-1',
      text: 'Не вывозят мусор',
      category: 'waste',
      at,
    }),
  ));
  document = inlined((await call('GET', OPENAPI_PATH)).body);
});
afterAll(() => aws?.stop());

describe('the operator API: a community there is not', () => {
  it('answers 400 naming it, as for a department, in the list, a case-number lookup and the statistics', async () => {
    for (const path of [
      '/api/v1/inquiries?community=999',
      '/api/v1/inquiries?community=999&caseNumber=2026-000001',
      '/api/v1/inquiries?community=999&author=9700',
      `/api/v1/statistics?${PERIOD}&community=999`,
    ]) {
      const answer = await call('GET', path, ADMIN);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toEqual({
        code: 'validation_failed',
        message: 'invalid query',
        issues: ['community: no community 999 is configured'],
      });
      expect(undocumented('GET', path, answer), path).toEqual([]);
    }
    // A configured one still answers.
    expect((await call('GET', '/api/v1/inquiries?community=123456789', HOUSING)).status).toBe(200);
    expect((await call('GET', `/api/v1/statistics?${PERIOD}&community=123456789`, HOUSING)).status).toBe(200);
  });

  it("says in the parameter's description that a community no longer configured is counted without it", () => {
    const described = (path: string) =>
      document.paths[path].get.parameters.find(
        (parameter: { name: string }) => parameter.name === 'community',
      ).description as string;
    for (const path of ['/api/v1/inquiries', '/api/v1/statistics']) {
      expect(described(path), path).toMatch(/not configured answers 400/);
      expect(described(path), path).toMatch(/taken out of the configuration/);
    }
  });
});

describe('the operator API: a route there is not, and a method a path does not take', () => {
  it('answers an unknown path 404 `no_such_route`, never `not_found`, which is an inquiry’s', async () => {
    for (const path of [
      '/api/v1/nowhere',
      `/api/v1/inquiries/${id}/replly`,
      `/api/v1/inquiries/${'x'.repeat(65)}`,
      '/api/v1/inquiries/inq.1',
      `/v0/api/v1/inquiries/${id}`,
    ]) {
      const answer = await call('GET', path, HOUSING);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toMatchObject({ code: 'no_such_route' });
    }
    expect(await call('GET', '/api/v1/inquiries/inq-none', HOUSING)).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
  });

  it('answers a known path under another method 405 `method_not_allowed`, naming the method in `Allow`', async () => {
    for (const [method, path, allow] of [
      ['POST', '/api/v1/inquiries', 'GET'],
      ['GET', `/api/v1/inquiries/${id}/take`, 'POST'],
      ['DELETE', `/api/v1/inquiries/${id}`, 'GET'],
      ['POST', OPENAPI_PATH, 'GET'],
    ] as const) {
      const answer = await call(method, path, HOUSING, method === 'POST' ? {} : undefined);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow, `${method} ${path}`).toBe(allow);
      expect(answer.body, `${method} ${path}`).toMatchObject({ code: 'method_not_allowed' });
    }
    // The inquiry is as it was: nothing was taken.
    expect((await repository.getInquiry(id))?.status).toBe('routed');
  });

  it('declares both codes in the document', () => {
    const codes = document.components.schemas.Problem.properties.code;
    expect(codes.enum).toEqual(expect.arrayContaining(['no_such_route', 'method_not_allowed']));
    expect(codes.description).toMatch(/no_such_route: 404/);
    expect(codes.description).toMatch(/method_not_allowed: 405.*`Allow`/);
    expect(codes.description).not.toMatch(/not_found: [^;]*route/);
  });
});

describe('the operator API: every 400 says where', () => {
  const take = `/api/v1/inquiries/inq-none/take`;
  const refusals: [
    what: string,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    issues: string[],
  ][] = [
    ['a body not JSON', 'POST', take, rawBody('{'), {}, ['body: not JSON: send a JSON object']],
    [
      'a bad Idempotency-Key',
      'POST',
      take,
      {},
      { 'idempotency-key': 'a b' },
      ["Idempotency-Key: 1 to 100 letters, digits, '.', '_' or '-'"],
    ],
    [
      'a bad If-Match',
      'POST',
      take,
      {},
      { 'if-match': '3' },
      ['If-Match: the ETag the inquiry was read with, as "3"'],
    ],
    [
      'a cursor this API never gave',
      'GET',
      '/api/v1/inquiries?cursor=abc',
      undefined,
      {},
      ['cursor: the cursor is not one this API gave'],
    ],
    [
      // The format's and the list's bytes, and nothing of the query after them: no other query's cursor.
      'a cursor cut short of its query',
      'GET',
      '/api/v1/inquiries?cursor=AQA',
      undefined,
      {},
      ['cursor: the cursor is not one this API gave'],
    ],
    [
      'an empty cursor',
      'GET',
      '/api/v1/inquiries?cursor=',
      undefined,
      {},
      ['cursor: the cursor is not one this API gave'],
    ],
    [
      'author without community',
      'GET',
      '/api/v1/inquiries?author=9700',
      undefined,
      {},
      ['author: a VK id within one community: give community too'],
    ],
    [
      'a move to a department there is not',
      'POST',
      '/api/v1/inquiries/inq-none/move',
      { department: 'nowhere', reason: 'x' },
      {},
      ['department: no department "nowhere" is configured'],
    ],
  ];
  for (const [what, method, path, body, headers, issues] of refusals)
    it(`names the part at fault: ${what}`, async () => {
      const answer = await call(method, path, ADMIN, body, headers);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'validation_failed', issues });
      expect(undocumented(method, path, answer)).toEqual([]);
    });

  it('refuses an empty cursor in the list as the history does, rather than starting again at page one', async () => {
    const list = await call('GET', '/api/v1/inquiries?cursor=', ADMIN);
    const history = await call('GET', `/api/v1/inquiries/${id}/history?cursor=`, ADMIN);
    expect([list.status, history.status]).toEqual([400, 400]);
    expect(list.body.issues).toEqual(history.body.issues);
  });
});

describe('the operator API: where a query’s issue is', () => {
  it('names a parameter a route does not take, in the query', async () => {
    for (const path of [
      '/api/v1/inquiries?foo=1',
      `/api/v1/inquiries/${id}/history?foo=1`,
      `/api/v1/statistics?${PERIOD}&foo=1`,
    ]) {
      const answer = await call('GET', path, ADMIN);
      expect(answer.body, path).toMatchObject({
        code: 'validation_failed',
        issues: ['foo: not a parameter of this route'],
      });
    }
  });

  it('puts what the period gets wrong on `to`, never on a body a GET has none of', async () => {
    const backwards = await call(
      'GET',
      '/api/v1/statistics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      ADMIN,
    );
    expect(backwards.body.issues).toEqual(['to: from must be before to']);
    const long = await call(
      'GET',
      '/api/v1/statistics?from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      ADMIN,
    );
    expect(long.body.issues).toEqual(['to: the period is longer than 366 days: ask for a year or less']);
  });

  it('labels a whole query or body at fault by where it is', async () => {
    const body = await call('POST', `/api/v1/inquiries/${id}/take`, ADMIN, null);
    expect(body.body.issues).toEqual(['body: Invalid input: expected object, received null']);
    const extra = await call('POST', `/api/v1/inquiries/${id}/take`, ADMIN, { x: 1 });
    expect(extra.body.issues).toEqual(['x: not a field of this body']);
    const notJson = await call('POST', `/api/v1/inquiries/${id}/take`, ADMIN, rawBody('{'));
    expect(notJson.body).toMatchObject({ message: 'invalid body' });
    expect(body.body).toMatchObject({ message: 'invalid body' });
  });
});

describe('the operator API: messages that say what is wrong', () => {
  it('tells a weak ETag never matches, and to send the ETag as given', async () => {
    const version = (await repository.getInquiry(id))?.version ?? 0;
    const answer = await call(
      'POST',
      `/api/v1/inquiries/${id}/take`,
      HOUSING,
      {},
      { 'if-match': `W/"${version}"` },
    );
    expect(answer.status).toBe(412);
    expect(answer.body.message).toMatch(/weak ETag.*never matches.*as given/);
    expect(answer.body.message).not.toMatch(/changed since/);
    expect(answer.body.current).toEqual({ status: 'routed', version });
    // A strong tag of an older version: the inquiry did change.
    const stale = await call(
      'POST',
      `/api/v1/inquiries/${id}/take`,
      HOUSING,
      {},
      { 'if-match': `"${version - 1}"` },
    );
    expect(stale.body.message).toMatch(/changed since it was read/);
  });

  it('tells that a moment must be a real date and time, with seconds', async () => {
    for (const from of ['2026-02-30T00:00:00Z', '2026-01-01T00:00Z']) {
      const answer = await call('GET', `/api/v1/statistics?from=${from}&to=2026-03-05T00:00:00Z`, ADMIN);
      expect(answer.body.issues, from).toEqual([
        'from: a real date and time, with seconds and Z or an offset, such as 2026-12-01T00:00:00+05:00 (in a URL, write + as %2B)',
      ]);
    }
  });
});

describe('the operator API: a lookup by case number', () => {
  it('refuses `order` and `limit` beside it, as its description says', async () => {
    for (const [query, named] of [
      ['order=urgent', 'order'],
      ['limit=1', 'limit'],
      ['order=newest&limit=20', 'order'],
    ] as const) {
      const answer = await call('GET', `/api/v1/inquiries?caseNumber=2026-000001&${query}`, ADMIN);
      expect(answer.status, query).toBe(400);
      expect(answer.body.issues, query).toContain(`${named}: not with caseNumber`);
    }
    expect(
      (await call('GET', '/api/v1/inquiries?caseNumber=2026-000001&community=123456789', ADMIN)).status,
    ).toBe(200);
  });
});

describe('the operator API document: API Gateway’s 413', () => {
  it('declares it on every route, in API Gateway’s shape', () => {
    for (const [path, methods] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(
        methods as Record<string, { responses: Record<string, unknown> }>,
      )) {
        const declared = operation.responses['413'] as {
          description: string;
          content: Record<string, { schema: unknown }>;
        };
        expect(declared, `${method} ${path}`).toBeDefined();
        expect(declared.description).toMatch(/10 MB/);
        const schema = z.fromJSONSchema(declared.content['application/json']?.schema as never, {
          defaultTarget: 'openapi-3.0',
        });
        expect(schema.safeParse({ message: 'Request Entity Too Large' }).success).toBe(true);
      }
  });
});
