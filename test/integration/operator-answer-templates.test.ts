import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerTemplates } from '../../lambdas/adapters/answer-templates.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import {
  TEMPLATE_TEXT_MAX_LENGTH,
  TEMPLATES_PER_DEPARTMENT,
} from '../../lambdas/domain/operator/answer-templates.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  type Who,
} from '../support/operator-api.js';
import { everyTableItem } from '../support/table-items.js';

/**
 * A department's answer templates, kept by its operators through the API: the handler against dynalite, each
 * operator's ID-token claims as API Gateway's JWT authorizer hands them on; answers checked against the
 * document the API serves. Kept in the inquiry table, they are never taken for inquiries.
 */

const olga: Who = { sub: 'sub-tpl-olga', name: 'Ольга Смирнова', groups: ['dept-housing'] };
const anna: Who = { sub: 'sub-tpl-anna', name: 'Анна Иванова', groups: ['dept-housing'] };
const boris: Who = { sub: 'sub-tpl-boris', name: 'Борис Петров', groups: ['dept-roads'] };
const admin: Who = { sub: 'sub-tpl-admin', name: 'Администратор', groups: ['admins'] };

const OUTAGE = 'Аварийное отключение воды устраняется, подача будет восстановлена до 18:00.';
const PASSED = 'Передано в управляющую компанию, срок устранения — 3 рабочих дня.';

const LIST = '/api/v1/departments/{department}/answer-templates';
const ONE = '/api/v1/departments/{department}/answer-templates/{templateId}';
const list = (department: string) => `/api/v1/departments/${department}/answer-templates`;
const one = (department: string, id: string) => `${list(department)}/${id}`;

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
const config = readConfigFile('config/local.json');

const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(idTokenClaims(who), method, path, body, headers);

/** Every issue of an answer against the schema the served document gives for it: none, when it tells the truth. */
const issues = (path: string, method: string, answer: { status: number; body: unknown }) =>
  answerIssues(document, path, method, answer);

const titles = async (who: Who, department: string) => {
  const read = await call(who, 'GET', list(department));
  expect(read.status).toBe(200);
  return read.body.items.map((item: { title: string }) => item.title);
};

function everyItem(): Promise<Record<string, unknown>[]> {
  return everyTableItem(documents, aws.tableName);
}

beforeAll(async () => {
  aws = await startTestAws();
  process.env.ANSWERS_QUEUE_URL = aws.queues.answers.url;
  api = await operatorApiWithClaims();
  ({ documents, repository } = operatorApiDepsOn(aws, config));
  document = inlined((await call(admin, 'GET', OPENAPI_PATH)).body);
});
afterAll(() => aws?.stop());

describe("a department's answer templates", () => {
  it('are kept by its operators, listed by title, replaced on the version read and deleted', async () => {
    expect((await call(olga, 'GET', list('housing'))).body).toEqual({ items: [] });

    const outage = await call(olga, 'PUT', one('housing', 'water-outage'), {
      title: '  Отключение воды ',
      text: `${OUTAGE}\n`,
    });
    expect(outage.status).toBe(200);
    expect(issues(ONE, 'put', outage)).toEqual([]);
    expect(outage.body).toEqual({
      id: 'water-outage',
      title: 'Отключение воды',
      text: OUTAGE,
      version: 1,
      updatedAt: expect.any(String),
      updatedBy: { id: olga.sub, name: olga.name },
    });
    expect(outage.headers.etag).toBe('"1"');
    const passed = await call(anna, 'PUT', one('housing', 'passed_on'), {
      title: 'Передано в УК',
      text: PASSED,
    });
    expect(passed.status).toBe(200);
    await call(anna, 'PUT', one('housing', 'remit'), {
      title: 'вне компетенции',
      text: 'Вопрос вне полномочий.',
    });

    const read = await call(anna, 'GET', list('housing'));
    expect(read.status).toBe(200);
    expect(issues(LIST, 'get', read)).toEqual([]);
    // Alphabetical as a Russian reader looks, case aside: в, О, П.
    expect(read.body.items.map((item: { id: string }) => item.id)).toEqual([
      'remit',
      'water-outage',
      'passed_on',
    ]);

    // A colleague replaces it on the version she read; the one who read it before is refused, and sees hers.
    const replaced = await call(
      anna,
      'PUT',
      one('housing', 'water-outage'),
      { title: 'Отключение воды', text: `${OUTAGE} Приносим извинения.` },
      { 'if-match': '"1"' },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, updatedBy: { id: anna.sub, name: anna.name } });
    expect(replaced.headers.etag).toBe('"2"');
    const stale = await call(
      olga,
      'PUT',
      one('housing', 'water-outage'),
      { title: 'Отключение воды', text: 'Другое' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    expect(stale.headers.etag).toBe('"2"');
    // Her repeat after a lost answer is answered as made, whatever the version it names, and writes nothing.
    const repeat = await call(
      anna,
      'PUT',
      one('housing', 'water-outage'),
      { title: 'Отключение воды', text: `${OUTAGE} Приносим извинения.` },
      { 'if-match': '"1"' },
    );
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(replaced.body);
    // If-Match on one there is not: a colleague deleted it.
    expect(
      (await call(olga, 'PUT', one('housing', 'gone'), { title: 'Т', text: 'Т' }, { 'if-match': '"1"' }))
        .status,
    ).toBe(412);

    const staleDelete = await call(olga, 'DELETE', one('housing', 'water-outage'), undefined, {
      'if-match': '"1"',
    });
    expect(staleDelete.status).toBe(412);
    expect(await titles(olga, 'housing')).toContain('Отключение воды');
    const deleted = await call(olga, 'DELETE', one('housing', 'water-outage'), undefined, {
      'if-match': '"2"',
    });
    expect(deleted).toMatchObject({ status: 204, body: null });
    // Deleted twice (a repeat, or a colleague at once): gone either way.
    expect(
      (await call(anna, 'DELETE', one('housing', 'water-outage'), undefined, { 'if-match': '"2"' })).status,
    ).toBe(204);
    expect((await call(anna, 'DELETE', one('housing', 'water-outage'))).status).toBe(204);
    expect(await titles(anna, 'housing')).toEqual(['вне компетенции', 'Передано в УК']);
  });

  it("are another department's operators' to neither read nor change; an admin's to both", async () => {
    await call(olga, 'PUT', one('housing', 'kept'), { title: 'Своё', text: 'Текст отдела' });
    const before = await titles(olga, 'housing');
    for (const [method, body] of [
      ['GET'],
      ['PUT', { title: 'Чужое', text: 'Чужой текст' }],
      ['DELETE'],
    ] as const) {
      const path = method === 'GET' ? list('housing') : one('housing', 'kept');
      const refused = await call(boris, method, path, body);
      expect(refused.status, method).toBe(403);
      expect(refused.body.code, method).toBe('forbidden');
    }
    expect(await titles(olga, 'housing')).toEqual(before);

    const byAdmin = await call(admin, 'PUT', one('roads', 'pothole'), {
      title: 'Яма',
      text: 'Ремонт запланирован.',
    });
    expect(byAdmin.status).toBe(200);
    expect(await titles(boris, 'roads')).toEqual(['Яма']);
    expect(await titles(admin, 'housing')).toEqual(before);
    expect((await call(admin, 'DELETE', one('roads', 'pothole'))).status).toBe(204);

    // A department not configured (removed, renamed) is none to anyone: 400, as for a list.
    for (const who of [admin, olga]) {
      const unknown = await call(who, 'GET', list('water'));
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({
        code: 'validation_failed',
        issues: ['department: no department "water" is configured'],
      });
    }
  });

  it('refuse a body that does not fit, with what is wrong', async () => {
    const refused = async (body: unknown, headers: Record<string, string> = {}) => {
      const answer = await call(olga, 'PUT', one('housing', 'bad'), body, headers);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
      return answer.body.issues as string[];
    };
    expect(await refused({ title: '   ', text: 'Текст' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^title: /)]),
    );
    expect(await refused({ title: 'Т', text: '\u200b \u2060' })).toEqual([
      expect.stringMatching(/^text: .*visible/),
    ]);
    expect(await refused({ title: 'Т'.repeat(201), text: 'Текст' })).toEqual([
      expect.stringMatching(/^title: /),
    ]);
    expect(await refused({ title: 'Т', text: 'ж'.repeat(TEMPLATE_TEXT_MAX_LENGTH + 1) })).toEqual([
      expect.stringMatching(/^text: /),
    ]);
    // Counted as the reply route counts words: an emoji is two UTF-16 code units there, so 4487 would not fit.
    expect(await refused({ title: 'Т', text: '😀'.repeat(TEMPLATE_TEXT_MAX_LENGTH / 2 + 1) })).toEqual([
      expect.stringMatching(/^text: too long/),
    ]);
    expect(await refused({ title: 'Т', text: 'Текст', caseNumber: '2026-1' })).toEqual([
      'caseNumber: not a field of this body',
    ]);
    expect(await refused({ title: 'Т', text: 'Текст' }, { 'if-match': '2' })).toEqual([
      'If-Match: the ETag the template was read with, as "3"',
    ]);
    // The longest the reply route takes for an inquiry with the default line is kept.
    const longest = await call(olga, 'PUT', one('housing', 'long'), {
      title: 'Т',
      text: 'ж'.repeat(TEMPLATE_TEXT_MAX_LENGTH),
    });
    expect(longest.status).toBe(200);
    const emoji = await call(olga, 'PUT', one('housing', 'emoji'), {
      title: 'Т',
      text: '😀'.repeat(TEMPLATE_TEXT_MAX_LENGTH / 2),
    });
    expect(emoji.status).toBe(200);
    for (const id of ['long', 'emoji'])
      expect((await call(olga, 'DELETE', one('housing', id))).status).toBe(204);
    // An id out of its characters or length is no route.
    for (const id of ['a'.repeat(65), 'шаблон', 'a.b'])
      expect(
        (await call(olga, 'PUT', one('housing', encodeURIComponent(id)), { title: 'Т', text: 'Т' })).status,
      ).toBe(404);
    expect((await titles(olga, 'housing')).length).toBe(3);
  });

  it(`are at most ${TEMPLATES_PER_DEPARTMENT} a department; one kept is still replaced at the cap`, async () => {
    const store = new DynamoAnswerTemplates(documents, aws.tableName);
    const have = (await store.list('roads')).length;
    for (let n = have; n < TEMPLATES_PER_DEPARTMENT - 1; n += 1)
      await store.put(
        {
          id: `seeded-${n}`,
          department: 'roads',
          title: `Шаблон ${n}`,
          text: 'Текст',
          version: 1,
          updatedAt: '2026-12-01T00:00:00.000Z',
          updatedBy: { id: 'seed', name: 'seed' },
        },
        'absent',
      );
    expect(
      (await call(boris, 'PUT', one('roads', 'last'), { title: 'Последний', text: 'Текст' })).status,
    ).toBe(200);
    const over = await call(boris, 'PUT', one('roads', 'one-more'), { title: 'Ещё', text: 'Текст' });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('too_many_templates');
    expect(issues(ONE, 'put', over)).toEqual([]);
    expect(
      (await call(boris, 'PUT', one('roads', 'last'), { title: 'Последний', text: 'Другой текст' })).status,
    ).toBe(200);
    const listed = await call(boris, 'GET', list('roads'));
    expect(listed.body.items).toHaveLength(TEMPLATES_PER_DEPARTMENT);
    // Numbers by their value: "Шаблон 2" before "Шаблон 10".
    const numbered = listed.body.items
      .map((item: { title: string }) => item.title)
      .filter((title: string) => title.startsWith('Шаблон'));
    expect(numbered.indexOf('Шаблон 2')).toBeLessThan(numbered.indexOf('Шаблон 10'));
  });

  it('one edited out of shape is written over when saved again, and named on a change made on a version', async () => {
    // By hand, in the console of the table: `version` and `updatedBy` lost. The department keeps 200.
    await documents.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: {
          pk: 'TEMPLATES#roads',
          sk: 'TEMPLATE#last',
          entity: 'answer-template',
          templateId: 'last',
          department: 'roads',
          title: 'Последний',
          text: 'Текст',
        },
      }),
    );
    expect((await call(boris, 'GET', list('roads'))).body.items).toHaveLength(TEMPLATES_PER_DEPARTMENT - 1);

    // A change made on a version it had: none matches, and the operator is told why, not that it was deleted.
    for (const [method, body] of [['PUT', { title: 'Последний', text: 'Текст' }], ['DELETE']] as const) {
      const refused = await call(boris, method, one('roads', 'last'), body, { 'if-match': '"2"' });
      expect(refused.status).toBe(412);
      expect(refused.body.message).toContain('cannot be read');
      expect(refused.headers.etag).toBeUndefined();
      expect(issues(ONE, method.toLowerCase(), refused)).toEqual([]);
    }
    // Saved without If-Match, it is written over (the cap aside: it counted already), and listed again.
    const mended = await call(boris, 'PUT', one('roads', 'last'), { title: 'Последний', text: 'Текст' });
    expect(mended.status).toBe(200);
    expect(mended.body).toMatchObject({ id: 'last', version: 1, updatedBy: { id: boris.sub } });
    expect(mended.headers.etag).toBe('"1"');
    expect((await call(boris, 'GET', list('roads'))).body.items).toHaveLength(TEMPLATES_PER_DEPARTMENT);
  });

  it('are never listed, counted, swept or erased as inquiries', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 9300, eventKey: 'templates-beside', text: 'Нет воды в доме', category: 'housing' },
    );
    const year = new Date().getUTCFullYear();
    const statistics = `/api/v1/statistics?from=${year}-01-01T00:00:00Z&to=${year + 1}-01-01T00:00:00Z`;
    const inquiries = await call(admin, 'GET', '/api/v1/inquiries?limit=100');
    expect(inquiries.status).toBe(200);
    expect(inquiries.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    const counted = await call(admin, 'GET', statistics);
    expect(counted.status).toBe(200);
    const total = counted.body.groups.reduce((sum: number, group: { total: number }) => sum + group.total, 0);
    expect(total).toBe(1);
    expect((await repository.listAll()).map((inquiry) => inquiry.id)).toEqual([id]);
    // Not even read and left out as a malformed inquiry: the lists' and the statistics' indexes hold none.
    const malformed: unknown[] = [];
    const queries = new DynamoOperatorQueries(documents, aws.tableName, undefined, (found) =>
      malformed.push(found),
    );
    const departments = config.departments.map((department) => department.id);
    for (const order of ['newest', 'urgent'] as const)
      expect(
        (await queries.listInquiries(departments, { order, limit: 100 }, new Date())).items,
      ).toHaveLength(1);
    let opened = 0;
    for (const department of departments)
      for await (const page of queries.openedBetween(
        department,
        `${year}-01-01T00:00:00.000Z`,
        `${year + 1}-01-01T00:00:00.000Z`,
      ))
        opened += page.inquiries.length;
    expect(opened).toBe(1);
    expect(malformed).toEqual([]);

    // Years on, the sweep deletes what is past its period: the templates are kept until deleted, and are
    // none of the finished inquiries it looks for.
    const templates = (await everyItem()).filter((item) => item.entity === 'answer-template');
    expect(templates.length).toBeGreaterThan(TEMPLATES_PER_DEPARTMENT);
    const retention = new DynamoRetentionStore(documents, aws.tableName);
    for (const department of departments)
      expect(
        await retention.finishedBefore(department, new Date(`${year + 5}-01-01T00:00:00.000Z`), {
          limit: 500,
        }),
      ).toEqual({ inquiryIds: [] });
    const run = await createRetentionSweep({
      config: { ...config, retention: { closedInquiryDays: 1 } },
      store: retention,
      clock: { now: () => new Date(`${year + 5}-03-20T06:00:00.000Z`) },
    })(() => true);
    expect(run).toMatchObject({ failed: 0, complete: true });
    expect((await everyItem()).filter((item) => item.entity === 'answer-template')).toEqual(templates);

    // A citizen's erasure reads the whole table for their items and the words that mention them: a template
    // that holds the same digits (it must hold no citizen's data, but a number may look like one) is not one.
    await call(olga, 'PUT', one('housing', 'numbers'), { title: 'Номера', text: 'Звоните 9300 или id9300.' });
    const withNumbers = (await everyItem()).filter((item) => item.entity === 'answer-template');
    const erased = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: 9300,
      includeOpen: true,
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    expect(erased).toMatchObject({ deleted: 1, kept: [] });
    expect(await repository.getInquiry(id)).toBeUndefined();
    expect((await everyItem()).filter((item) => item.entity === 'answer-template')).toEqual(withNumbers);
  });
});
