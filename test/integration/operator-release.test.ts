import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import type { TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiWithClaims,
  startOperatorApi,
  type Who,
} from '../support/operator-api.js';

/**
 * What an operator moved to another department still holds in the old one (docs/runbook.md): found by
 * `assignee=<their id>` and released back into the work to take. The handler against dynalite, each operator's
 * ID token claims as API Gateway's JWT authorizer hands them on, so that one operator's departments change
 * between requests as their token's groups do; answers checked against the document the API serves.
 */

const olga: Who = { sub: 'sub-olga', name: 'Ольга Смирнова', groups: ['dept-housing'] };
/** Olga once moved to roads: her new token names that group only. */
const olgaMoved: Who = { ...olga, groups: ['dept-roads'] };
const anna: Who = { sub: 'sub-anna', name: 'Анна Иванова', groups: ['dept-housing'] };
const boris: Who = { sub: 'sub-boris', name: 'Борис Петров', groups: ['dept-roads'] };
const admin: Who = { sub: 'sub-admin', name: 'Администратор', groups: ['admins'] };
const holder = (who: Who) => ({ id: who.sub, name: who.name });

let aws: TestAws;
let repository: DynamoInquiryRepository;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
const ids: Record<string, string> = {};

/** A request by `who`, with the claims API Gateway's JWT authorizer would put on it. */
const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(idTokenClaims(who), method, path, body, headers);

/** Every issue of an answer against the schema the served document gives for it: none, when it tells the truth. */
const issues = (path: string, method: string, answer: { status: number; body: unknown }) =>
  answerIssues(document, path, method, answer);

const listed = async (who: Who, query: string) => {
  const list = await call(who, 'GET', `/api/v1/inquiries?${query}&limit=100`);
  expect(list.status, query).toBe(200);
  expect(issues('/api/v1/inquiries', 'get', list), query).toEqual([]);
  return new Set(list.body.items.map((item: { id: string }) => item.id));
};

const release = (who: Who, id: string, headers: Record<string, string> = {}, reason = 'перевели в дороги') =>
  call(who, 'POST', `/api/v1/inquiries/${id}/release`, { reason }, headers);

beforeAll(async () => {
  ({ aws, repository } = await startOperatorApi('answers'));
  api = await operatorApiWithClaims();
  const got = await call(admin, 'GET', OPENAPI_PATH);
  document = inlined(got.body);
  const config = readConfigFile('config/local.json');
  // One at a time: dynalite has lost concurrent writes to one partition.
  for (const [n, name] of ['taken', 'answered', 'free', 'annas'].entries())
    ids[name] = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8900 + n, eventKey: `release-${name}`, text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
  for (const name of ['taken', 'answered'])
    expect((await call(olga, 'POST', `/api/v1/inquiries/${ids[name]}/take`)).status).toBe(200);
  expect(
    (await call(olga, 'POST', `/api/v1/inquiries/${ids.answered}/reply`, { text: 'Вывезли.' })).status,
  ).toBe(200);
  expect((await call(anna, 'POST', `/api/v1/inquiries/${ids.annas}/take`)).status).toBe(200);
});
afterAll(() => aws?.stop());

describe('what an operator moved to another department still holds', () => {
  it('is listed by their id to an admin and to the old department’s operators, within their departments', async () => {
    const theirs = new Set([ids.taken, ids.answered]);
    expect(await listed(anna, `department=housing&assignee=${olga.sub}`)).toEqual(theirs);
    expect(await listed(anna, `assignee=${olga.sub}`)).toEqual(theirs);
    expect(await listed(admin, `assignee=${olga.sub}`)).toEqual(theirs);
    expect(await listed(anna, `assignee=${anna.sub}`)).toEqual(new Set([ids.annas]));
    // Not in the work to take, nor in the moved operator's own list any more.
    const free = await listed(anna, 'department=housing&assignee=none');
    expect(free.has(ids.free)).toBe(true);
    expect(free.has(ids.taken)).toBe(false);
    expect(await listed(olgaMoved, 'assignee=me')).toEqual(new Set());
    // Another department's operator learns nothing of housing's: refused there, and none in their own.
    const elsewhere = await call(boris, 'GET', `/api/v1/inquiries?department=housing&assignee=${olga.sub}`);
    expect(elsewhere.body).toMatchObject({ code: 'forbidden' });
    expect(await listed(boris, `assignee=${olga.sub}`)).toEqual(new Set());
    const spaced = await call(admin, 'GET', '/api/v1/inquiries?assignee=olga%20smirnova');
    expect(spaced.status).toBe(400);
    expect(spaced.body.issues).toEqual([expect.stringMatching(/^assignee: /)]);
  });

  it('is released by an admin into the work to take, the history saying who, why and whose it was', async () => {
    const id = ids.taken ?? '';
    // Out of the moved operator's reach, and a colleague who is no admin takes it over rather than releasing it.
    expect((await release(olgaMoved, id)).body).toMatchObject({ code: 'left_your_departments' });
    const colleague = await release(anna, id);
    expect(colleague.status).toBe(409);
    expect(colleague.body).toMatchObject({ code: 'taken_by_other', holder: holder(olga) });
    expect(issues('/api/v1/inquiries/{id}/release', 'post', colleague)).toEqual([]);

    const seen = await call(admin, 'GET', `/api/v1/inquiries/${id}`);
    const stale = await release(admin, id, { 'if-match': `"${seen.body.inquiry.version - 1}"` });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed' });

    const key = { 'idempotency-key': 'release-olga-1', 'if-match': seen.headers.etag ?? '' };
    const released = await release(admin, id, key);
    expect(released.status).toBe(200);
    expect(issues('/api/v1/inquiries/{id}/release', 'post', released)).toEqual([]);
    expect(released.body).toMatchObject({ status: 'in_progress', version: seen.body.inquiry.version + 1 });
    expect(released.body.assignee).toBeUndefined();
    expect(released.headers.etag).toBe(`"${released.body.version}"`);
    const history = (await call(admin, 'GET', `/api/v1/inquiries/${id}`)).body.history;
    expect(history.at(-1)).toMatchObject({
      kind: 'status',
      actor: 'operator',
      actorId: admin.sub,
      actorName: admin.name,
      reason: 'перевели в дороги',
      detail: { fromAssignee: holder(olga) },
    });

    // Repeated, or released again: nothing written, the version and ETag kept.
    for (const again of [await release(admin, id, key), await release(admin, id), await release(anna, id)]) {
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(released.body.version);
      expect(again.headers.etag).toBe(released.headers.etag);
    }
    expect((await call(admin, 'GET', `/api/v1/inquiries/${id}`)).body.history).toHaveLength(history.length);

    expect((await listed(anna, 'department=housing&assignee=none')).has(id)).toBe(true);
    expect(await listed(admin, `assignee=${olga.sub}`)).toEqual(new Set([ids.answered]));
    // The department answers it without taking it over: it is the answerer's then.
    const answered = await call(anna, 'POST', `/api/v1/inquiries/${id}/reply`, { text: 'Вывезли сегодня.' });
    expect(answered.body).toMatchObject({ status: 'answered', assignee: holder(anna) });
  });

  it('is released answered too, so that a follow-up reopening it is no one’s', async () => {
    const released = await release(admin, ids.answered ?? '');
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('answered');
    expect(released.body.assignee).toBeUndefined();
    expect(await listed(admin, `assignee=${olga.sub}`)).toEqual(new Set());
  });
});

describe('an inquiry an operator holds', () => {
  it('is released by its holder into the work to take', async () => {
    const id = ids.annas ?? '';
    const released = await release(anna, id, {}, 'не успеваю до отпуска');
    expect(released.status).toBe(200);
    expect(released.body.assignee).toBeUndefined();
    expect((await listed(anna, 'assignee=none')).has(id)).toBe(true);
    expect((await listed(anna, 'assignee=me')).has(id)).toBe(false);
    const entry = (await call(anna, 'GET', `/api/v1/inquiries/${id}`)).body.history.at(-1);
    expect(entry).toMatchObject({ actorId: anna.sub, detail: { fromAssignee: holder(anna) } });
  });
});
