import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { ROUTES } from '../../lambdas/operator-api/routes.js';
import type { TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiWithClaims,
  startOperatorApi,
  type Who,
} from '../support/operator-api.js';

/**
 * Who may see and change what, tried as an operator holding a valid token would try it: every route that names
 * an inquiry, for tokens of one department, of two, of none, of a department no longer configured, of triage
 * and of an admin, against inquiries of each department, a message rejected into triage and an id there is
 * not; the lists' and statistics' scope; bodies naming fields no change takes; a cursor made by hand. The
 * handler against dynalite, each token's claims as API Gateway's JWT authorizer hands them on.
 */

const OPERATORS = {
  housing: { sub: 'sub-access-housing', groups: ['dept-housing'] },
  triage: { sub: 'sub-access-triage', groups: ['dept-triage'] },
  both: { sub: 'sub-access-both', groups: ['dept-housing', 'dept-roads'] },
  none: { sub: 'sub-access-none', groups: [] },
  gone: { sub: 'sub-access-gone', groups: ['dept-parks'] },
  admin: { sub: 'sub-access-admin', groups: ['admins'] },
} satisfies Record<string, Who>;
type Name = keyof typeof OPERATORS;
/** The configured departments each token may see. */
const SEES: Record<Name, string[]> = {
  housing: ['housing'],
  triage: ['triage'],
  both: ['housing', 'roads'],
  none: [],
  gone: [],
  admin: ['triage', 'housing', 'roads'],
};

let aws: TestAws;
let repository: DynamoInquiryRepository;
let api: ClaimsCall;
/** The inquiries tried: housing's, roads', a message rejected into triage; each its department. */
const inquiries: Record<string, { id: string; department: string }> = {};

/** A request by `who`, with the claims API Gateway's JWT authorizer would put on it. */
const call = (who: Who, method: string, path: string, body?: unknown) =>
  api(idTokenClaims(who), method, path, body);

/** A body each change takes, so that only who asks decides the answer. */
const validBody = (path: string) =>
  path.endsWith('/move')
    ? { department: 'housing', reason: 'к нам' }
    : path.endsWith('answer') || path.endsWith('/reply') || path.endsWith('/note')
      ? { text: 'Ответ' }
      : ['/close', '/reopen', '/reject', '/release'].some((action) => path.endsWith(action))
        ? { reason: 'причина' }
        : {};

const INQUIRY_ROUTES = ROUTES.filter((route) => route.path.includes('{id}'));
const pathOf = (route: (typeof ROUTES)[number], id: string) => route.path.replace('{id}', id);

beforeAll(async () => {
  ({ aws, repository } = await startOperatorApi('answers'));
  api = await operatorApiWithClaims();
  const config = readConfigFile('config/local.json');
  const opened = [
    ['housing', 'waste', false],
    ['housing-2', 'waste', false],
    ['roads', 'roads', false],
    ['triage', 'waste', true],
  ] as const;
  // One at a time: dynalite has lost concurrent writes to one partition.
  for (const [n, [name, category, notAnInquiry]] of opened.entries()) {
    const id = await openInquiry(
      { config, inquiries: repository },
      {
        peerId: 8700 + n,
        eventKey: `access-${name}`,
        text: notAnInquiry ? 'Спасибо!' : 'Яма у дома 5, не вывозят мусор',
        category,
        notAnInquiry,
        at: new Date(Date.now() - (10 - n) * 60_000).toISOString(),
      },
    );
    const stored = await repository.getInquiry(id);
    inquiries[name] = { id, department: stored?.department ?? '' };
  }
  expect(Object.values(inquiries).map(({ department }) => department)).toEqual([
    'housing',
    'housing',
    'roads',
    'triage',
  ]);
});
afterAll(() => aws?.stop());

describe('an inquiry out of the token’s departments', () => {
  it('answers 404 on every route, as an id there is not, telling and changing nothing', async () => {
    let cells = 0;
    for (const [name, who] of Object.entries(OPERATORS) as [Name, Who][])
      for (const [inquiry, { id, department }] of [
        ...Object.entries(inquiries),
        ['unknown', { id: 'inq-access-none-such', department: '' }] as const,
      ]) {
        if (SEES[name].includes(department) || inquiry === 'housing-2') continue;
        const before = await repository.getInquiry(id);
        for (const route of INQUIRY_ROUTES) {
          const path = pathOf(route, id);
          const answer = await call(
            who,
            route.method,
            path,
            route.method === 'POST' ? validBody(path) : undefined,
          );
          const cell = `${name} ${route.method} ${route.path} ${inquiry}`;
          expect(answer.status, cell).toBe(404);
          // No `current`, no ETag: nothing of it, not even that it is there.
          expect(answer.body, cell).toEqual({ code: 'not_found', message: 'no such inquiry' });
          expect(answer.headers.etag, cell).toBeUndefined();
          cells++;
        }
        expect(await repository.getInquiry(id), `${name} ${inquiry}`).toEqual(before);
      }
    // housing: roads, triage, unknown; triage: housing, roads, unknown; both: triage, unknown; none and gone:
    // all four; admin: unknown; each on 11 routes.
    expect(cells).toBe((3 + 3 + 2 + 4 + 4 + 1) * INQUIRY_ROUTES.length);
  });

  it('is read in full by the tokens whose departments hold it', async () => {
    for (const [name, who] of Object.entries(OPERATORS) as [Name, Who][])
      for (const [inquiry, { id, department }] of Object.entries(inquiries)) {
        if (!SEES[name].includes(department)) continue;
        for (const route of INQUIRY_ROUTES.filter((each) => each.method === 'GET')) {
          const answer = await call(who, 'GET', pathOf(route, id));
          expect(answer.status, `${name} ${route.path} ${inquiry}`).toBe(200);
        }
      }
  });
});

describe('lists and statistics', () => {
  const listed = async (who: Who, query: string) => {
    const page = await call(who, 'GET', `/api/v1/inquiries?${query}${query ? '&' : ''}limit=100`);
    expect(page.status, query).toBe(200);
    return (page.body.items as { id: string; department: string }[]).map((item) => item.id);
  };
  const ofDepartments = (departments: string[]) =>
    Object.values(inquiries)
      .filter(({ department }) => departments.includes(department))
      .map(({ id }) => id)
      .sort();

  it("list only the token's departments; another's is 403, one not configured 400, to every token", async () => {
    for (const [name, who] of Object.entries(OPERATORS) as [Name, Who][]) {
      expect((await listed(who, '')).sort(), name).toEqual(ofDepartments(SEES[name]));
      for (const department of ['triage', 'housing', 'roads']) {
        const answer = await call(who, 'GET', `/api/v1/inquiries?department=${department}`);
        if (SEES[name].includes(department)) expect(answer.status, `${name} ${department}`).toBe(200);
        else
          expect(answer, `${name} ${department}`).toMatchObject({
            status: 403,
            body: { code: 'forbidden' },
          });
      }
      // A group of a department no longer configured opens nothing: it is no department to list.
      expect((await call(who, 'GET', '/api/v1/inquiries?department=parks')).status, name).toBe(400);
    }
  });

  it("find another department's case number as none, and give the citizen's VK id to admins only", async () => {
    const roads = await repository.getInquiry(inquiries.roads?.id ?? '');
    const number = roads?.caseNumber ?? '';
    expect(number).not.toBe('');
    for (const [name, who] of Object.entries(OPERATORS) as [Name, Who][]) {
      const found = await call(who, 'GET', `/api/v1/inquiries?caseNumber=${number}`);
      expect(found.status, name).toBe(200);
      expect(
        found.body.items.map((item: { id: string }) => item.id),
        name,
      ).toEqual(SEES[name].includes('roads') ? [roads?.id] : []);
      expect(found.body.leftYourDepartments, name).toBeUndefined();
      const byAuthor = await call(
        who,
        'GET',
        `/api/v1/inquiries?author=${roads?.authorId}&community=${roads?.groupId}`,
      );
      expect(byAuthor.status, name).toBe(name === 'admin' ? 200 : 403);
    }
  });

  it("count only the token's departments; another's is 403", async () => {
    const period = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';
    for (const [name, who] of Object.entries(OPERATORS) as [Name, Who][]) {
      const all = await call(who, 'GET', `/api/v1/statistics?${period}`);
      expect(all.status, name).toBe(200);
      const counted = new Set(all.body.groups.map((group: { department: string }) => group.department));
      expect(
        [...counted].every((department) => SEES[name].includes(department as string)),
        name,
      ).toBe(true);
      const roads = await call(who, 'GET', `/api/v1/statistics?${period}&department=roads`);
      expect(roads.status, name).toBe(SEES[name].includes('roads') ? 200 : 403);
    }
  });

  it("go on from a cursor made by hand only within the token's departments", async () => {
    const housing = OPERATORS.housing;
    const first = await call(housing, 'GET', '/api/v1/inquiries?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // The cursor's header kept (its list, query and departments), its position put at roads' inquiry and past
    // every inquiry there is: still housing's partition alone.
    const header = Buffer.from(first.body.nextCursor, 'base64url').subarray(0, 11);
    const roads = await repository.getInquiry(inquiries.roads?.id ?? '');
    for (const after of [`${roads?.createdAt}#${roads?.id}`, `9999-12-31T00:00:00.000Z#${roads?.id}`]) {
      const cursor = Buffer.concat([header, Buffer.from(after)]).toString('base64url');
      const page = await call(housing, 'GET', `/api/v1/inquiries?limit=100&cursor=${cursor}`);
      expect(page.status, after).toBe(200);
      expect(new Set(page.body.items.map((item: { department: string }) => item.department)), after).toEqual(
        new Set(page.body.items.length > 0 ? ['housing'] : []),
      );
    }
    // Another token's cursor is another query's: its departments are not these.
    const both = await call(OPERATORS.both, 'GET', `/api/v1/inquiries?limit=1`);
    const taken = await call(housing, 'GET', `/api/v1/inquiries?cursor=${both.body.nextCursor}`);
    expect(taken).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('a change naming a field it does not take', () => {
  it('is refused with 400 and changes nothing: no status, department, holder or case number set by a body', async () => {
    const { id } = inquiries['housing-2'] ?? { id: '' };
    const before = await repository.getInquiry(id);
    const fields = {
      status: 'closed',
      department: 'roads',
      caseNumber: '2026-999999',
      assignee: { id: 'sub-someone', name: 'Кто-то' },
      holder: { id: 'sub-someone', name: 'Кто-то' },
      admin: true,
      version: 1,
    };
    let cells = 0;
    for (const route of INQUIRY_ROUTES.filter((each) => each.method === 'POST')) {
      const path = pathOf(route, id);
      for (const [field, value] of Object.entries(fields)) {
        // A move takes a department: it is where the inquiry goes, checked as such (move-inquiry.ts).
        if (route.path.endsWith('/move') && field === 'department') continue;
        const answer = await call(OPERATORS.housing, 'POST', path, { ...validBody(path), [field]: value });
        expect(answer, `${route.path} ${field}`).toMatchObject({
          status: 400,
          body: { code: 'validation_failed', issues: [`${field}: not a field of this body`] },
        });
        cells++;
      }
    }
    expect(cells).toBe(9 * 7 - 1);
    expect(await repository.getInquiry(id)).toEqual(before);
  });
});
