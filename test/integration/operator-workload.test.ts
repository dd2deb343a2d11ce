import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerTemplates } from '../../lambdas/adapters/answer-templates.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import type { DeadlineClock } from '../../lambdas/domain/inquiry/deadline.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import {
  WORKLOAD_FIELDS,
  type WorkloadInquiry,
  workloadAccumulator,
} from '../../lambdas/domain/operator/workload.js';
import { READ_BUDGET_SECONDS } from '../../lambdas/operator-api/api.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { departmentWorkload } from '../../lambdas/operator-api/use-cases/department-workload.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { type ListedFields, listedInquiry, storeListed } from '../support/listed-inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  type Who,
} from '../support/operator-api.js';

/**
 * A department's open work at a glance, through the operator API's handler against dynalite: each figure
 * equal to what the lists give for the same filter, paged to their end.
 */

const ROUTE = '/api/v1/departments/{department}/workload';
const workloadPath = (department: string) => `/api/v1/departments/${department}/workload`;

const roads: Who = { sub: 'sub-wl-roads', name: 'Ирина Дорожная', groups: ['dept-roads'] };
const housing: Who = { sub: 'sub-wl-housing', name: 'Пётр Жилищный', groups: ['dept-housing'] };
const admin: Who = { sub: 'sub-wl-admin', name: 'Администратор', groups: ['admins'] };

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;

const call = (who: Who, path: string) => api(idTokenClaims(who), 'GET', path);

const HOUR = 3_600_000;
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

/** How many inquiries a list gives for a query, read a page of 2 at a time to its end. */
async function listed(who: Who, query: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const path = `/api/v1/inquiries?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(who, path);
    expect(page.status, path).toBe(200);
    count += page.body.items.length;
    cursor = page.body.nextCursor;
  } while (cursor);
  return count;
}

beforeAll(async () => {
  aws = await startTestAws();
  api = await operatorApiWithClaims();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  document = inlined((await call(admin, OPENAPI_PATH)).body);

  const created = hoursFromNow(-30);
  // Roads' open work: overdue, due soon (past the warning point), due later, no deadline; held or not.
  const roadsWork: [string, Partial<ListedFields>][] = [
    ['wl-r1', { dueAt: hoursFromNow(-5) }],
    ['wl-r2', { dueAt: hoursFromNow(-2), assignee: 'sub-olga', status: 'in_progress', priority: 'critical' }],
    ['wl-r3', { dueAt: hoursFromNow(1), warnAt: hoursFromNow(-1), priority: 'high' }],
    [
      'wl-r4',
      { dueAt: hoursFromNow(2), warnAt: hoursFromNow(-0.5), assignee: 'sub-olga', status: 'in_progress' },
    ],
    [
      'wl-r5',
      { dueAt: hoursFromNow(20), warnAt: hoursFromNow(10), assignee: 'sub-anna', status: 'in_progress' },
    ],
    [
      'wl-r6',
      { dueAt: hoursFromNow(30), warnAt: hoursFromNow(20), status: 'reopened', category: 'improvement' },
    ],
    ['wl-r7', { dueAt: null, status: 'new' }],
    [
      'wl-r8',
      { dueAt: hoursFromNow(-1), assignee: 'sub-anna', status: 'in_progress', category: 'improvement' },
    ],
  ];
  for (const [id, fields] of roadsWork)
    await storeListed(documents, aws.tableName, id, 'roads', { createdAt: created, dueAt: null, ...fields });
  // Not roads' open work: answered, closed, rejected (listed for review, never work), and housing's.
  for (const status of ['answered', 'closed', 'rejected'] as const)
    await storeListed(documents, aws.tableName, `wl-done-${status}`, 'roads', {
      createdAt: created,
      dueAt: hoursFromNow(-10),
      status,
    });
  await storeListed(documents, aws.tableName, 'wl-h1', 'housing', {
    createdAt: created,
    dueAt: hoursFromNow(-3),
  });
  // One that does not read as an inquiry (a priority edited by hand): left out, as the lists leave it.
  const item = toInquiryItem({
    id: 'wl-bad',
    groupId: 1,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 1 },
    conversationKey: 'dm:wl-bad',
    authorId: 1,
    text: 'Яма',
    status: 'routed',
    category: 'roads',
    priority: 'normal',
    confidence: 0.9,
    triage: false,
    department: 'roads',
    clockCount: 0,
    escalated: false,
    messageCount: 1,
    lastMessageAt: created,
    reopenCount: 0,
    createdAt: created,
    updatedAt: created,
    version: 1,
    sourceEventKey: 'wl-bad',
    causes: ['wl-bad'],
  });
  await documents.send(new PutCommand({ TableName: aws.tableName, Item: { ...item, priority: 'срочно' } }));
});
afterAll(() => aws?.stop());

describe("a department's open work", () => {
  it('gives each figure as the lists give it for the same filter', async () => {
    const answer = await call(roads, workloadPath('roads'));
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    const workload = answer.body;
    expect(workload).toMatchObject({
      department: 'roads',
      open: 8,
      critical: 1,
      byStatus: { new: 1, routed: 2, in_progress: 4, reopened: 1 },
      byPriority: { critical: 1, high: 1, normal: 6 },
      byCategory: { roads: 6, improvement: 2 },
      overdue: 3,
      dueSoon: 2,
      unassigned: 4,
      byAssignee: [
        { id: 'sub-anna', name: 'Оператор sub-anna', open: 2, overdue: 1 },
        { id: 'sub-olga', name: 'Оператор sub-olga', open: 2, overdue: 1 },
      ],
      oldestOverdue: { id: 'wl-r1', overdueMinutes: expect.any(Number) },
    });
    expect(workload.oldestOverdue.overdueMinutes).toBeGreaterThanOrEqual(5 * 60 - 1);
    expect(Date.parse(workload.asOf)).toBeLessThanOrEqual(Date.now());

    const list = (query: string) => listed(roads, `department=roads&${query}`);
    expect(await list('order=urgent')).toBe(workload.open);
    expect(await list('overdue=true')).toBe(workload.overdue);
    expect(await list('assignee=none')).toBe(workload.unassigned);
    expect(await list('order=urgent&priority=critical')).toBe(workload.critical);
    for (const [status, count] of Object.entries(workload.byStatus))
      expect(await list(`order=urgent&status=${status}`), status).toBe(count);
    for (const [priority, count] of Object.entries(workload.byPriority))
      expect(await list(`order=urgent&priority=${priority}`), priority).toBe(count);
    for (const [category, count] of Object.entries(workload.byCategory))
      expect(await list(`order=urgent&category=${category}`), category).toBe(count);
    for (const holder of workload.byAssignee) {
      expect(await list(`order=urgent&assignee=${holder.id}`), holder.id).toBe(holder.open);
      expect(await list(`overdue=true&assignee=${holder.id}`), holder.id).toBe(holder.overdue);
    }
    const first = await call(roads, '/api/v1/inquiries?department=roads&overdue=true&limit=1');
    expect(first.body.items[0].id).toBe(workload.oldestOverdue.id);
  });

  it('is an admin’s to read too, and a department with no open work counts none', async () => {
    expect((await call(admin, workloadPath('roads'))).body).toMatchObject({ open: 8 });
    const triage = await call(admin, workloadPath('triage'));
    expect(triage.status).toBe(200);
    expect(issues(triage)).toEqual([]);
    expect(triage.body).toMatchObject({ open: 0, overdue: 0, byAssignee: [], oldestOverdue: null });
  });

  it('refuses another department’s operator (403), and a department not configured to anyone (400)', async () => {
    const forbidden = await call(housing, workloadPath('roads'));
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(issues(forbidden)).toEqual([]);
    const unknown = await call(admin, workloadPath('parks'));
    expect(unknown).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', issues: ['department: no department "parks" is configured'] },
    });
    expect(issues(unknown)).toEqual([]);
  });
});

describe("a department's open work read page by page", () => {
  // Housing's open work in pages of 1 MB: a dozen inquiries of 100 KB each (a long text) take two.
  beforeAll(async () => {
    for (let index = 0; index < 12; index++)
      await storeListed(documents, aws.tableName, `wl-long-${index}`, 'housing', {
        createdAt: hoursFromNow(-30),
        dueAt: hoursFromNow(index),
        text: 'x'.repeat(100_000),
      });
  });

  it('reads of each open inquiry only what it counts, to the last page', async () => {
    const queries = new DynamoOperatorQueries(documents, aws.tableName);
    const pages: WorkloadInquiry[][] = [];
    for await (const page of queries.openWork('housing')) pages.push(page.inquiries);
    expect(pages.length).toBe(2);
    expect(pages.flat()).toHaveLength(13);
    const read = new Set(pages.flat().flatMap((inquiry) => Object.keys(inquiry)));
    expect([...read].filter((field) => !(WORKLOAD_FIELDS as readonly string[]).includes(field))).toEqual([]);
    expect(read.has('clock')).toBe(true);
  });

  it(`stops reading after ${READ_BUDGET_SECONDS} s and says to page through the lists`, async () => {
    const { deps, documents: client } = operatorApiDepsOn(aws, readConfigFile('config/local.json'));
    const calls: string[] = [];
    recordCommands(client, calls);
    const queries = () => calls.splice(0).filter((name) => name === 'QueryCommand').length;
    // A clock that moves on `step` seconds each time it is read.
    const count = (department: string, step: number) => {
      let reads = 0;
      const start = Date.now();
      return departmentWorkload(
        {
          operator: { id: admin.sub, name: 'Администратор', admin: true, departments: [] },
          params: { department },
          query: {},
          body: {},
          idempotencyKey: 'workload',
        },
        {
          ...deps,
          templates: new DynamoAnswerTemplates(client, aws.tableName),
          clock: { now: () => new Date(start + step * 1000 * reads++) },
        },
      );
    };
    // Past the budget with a page still to read: given up before reading it.
    expect(await count('housing', 8)).toMatchObject({
      status: 422,
      body: { code: 'too_much_open_work', message: expect.stringContaining('lists') },
    });
    expect(queries()).toBe(1);
    // Past the budget once the last page is read: every open inquiry is counted, and answered.
    expect(await count('housing', 4)).toMatchObject({ status: 200, body: { open: 13 } });
    expect(queries()).toBe(2);
    expect(await count('roads', 8)).toMatchObject({ status: 200, body: { open: 8 } });
    expect(document.paths[ROUTE].get.responses['422'].description).toContain('lists');
  });
});

describe("a department's open work read through its projection", () => {
  // Lighting's open work, stored whole: the deadlines hang on the first-response fields beside the clock.
  const created = hoursFromNow(-30);
  const due = (hours: number, warnHours: number, kind: DeadlineClock['kind']): DeadlineClock => ({
    kind,
    cycle: 1,
    startedAt: created,
    dueAt: hoursFromNow(hours),
    warnAt: hoursFromNow(warnHours),
    warned: false,
    breached: false,
  });
  const resolution = due(30, 20, 'resolution');
  const inWork = (id: string, fields: Partial<Inquiry>): Inquiry => ({
    ...listedInquiry(id, 'lighting', { createdAt: created, dueAt: null, status: 'in_progress' }),
    clock: resolution,
    ...fields,
  });
  const overdueOwed = due(-2, -3, 'first_response');
  const soonOwed = due(1, -1, 'first_response');
  const inquiries = [
    // VK refused the first response, owed again since two hours ago: overdue.
    inWork('wl-p1', { firstResponseClock: overdueOwed, firstResponseDueAt: overdueOwed.dueAt }),
    // Owed again in an hour, past its warning point: due soon.
    inWork('wl-p2', { firstResponseClock: soonOwed, firstResponseDueAt: soonOwed.dueAt }),
    // Its first response given (late): only the resolution runs, neither overdue nor due soon.
    inWork('wl-p3', {
      firstResponseClock: overdueOwed,
      firstResponseDueAt: overdueOwed.dueAt,
      firstRespondedAt: hoursFromNow(-1),
    }),
    // One operator, renamed between the two they took: the later one's name.
    inWork('wl-p4', {
      clock: due(10, 8, 'resolution'),
      assignee: { id: 'sub-vera', name: 'Вера Петрова' },
      assignedAt: hoursFromNow(-20),
    }),
    inWork('wl-p5', {
      clock: due(12, 9, 'resolution'),
      assignee: { id: 'sub-vera', name: 'Вера Соколова' },
      assignedAt: hoursFromNow(-2),
    }),
  ];
  beforeAll(async () => {
    for (const inquiry of inquiries)
      await documents.send(new PutCommand({ TableName: aws.tableName, Item: toInquiryItem(inquiry) }));
  });

  it('counts of each inquiry’s projected fields what it counts of the whole inquiry', async () => {
    const now = new Date();
    const whole = workloadAccumulator('lighting', now);
    whole.add(inquiries);
    expect(whole.workload()).toMatchObject({
      open: 5,
      overdue: 1,
      dueSoon: 1,
      byAssignee: [{ id: 'sub-vera', name: 'Вера Соколова', open: 2 }],
      oldestOverdue: { id: 'wl-p1', deadline: overdueOwed.dueAt },
    });
    const projected = workloadAccumulator('lighting', now);
    for await (const page of new DynamoOperatorQueries(documents, aws.tableName).openWork('lighting'))
      projected.add(page.inquiries);
    expect(projected.workload()).toEqual(whole.workload());
  });
});

describe("a department's open work with an item malformed beyond what is counted", () => {
  // Triage's one open inquiry, its text saved as a number by an edit in the console: malformed, but not in a
  // field the workload reads.
  beforeAll(async () => {
    const inquiry = listedInquiry('wl-text', 'triage', {
      createdAt: hoursFromNow(-3),
      dueAt: hoursFromNow(-1),
    });
    await documents.send(
      new PutCommand({ TableName: aws.tableName, Item: { ...toInquiryItem(inquiry), text: 42 } }),
    );
  });

  it('counts it as open work, which the lists leave out', async () => {
    const workload = await call(admin, workloadPath('triage'));
    expect(workload.body).toMatchObject({ open: 1, overdue: 1, oldestOverdue: { id: 'wl-text' } });
    expect(await listed(admin, 'department=triage&order=urgent')).toBe(0);
  });
});

/** Every issue of an answer against the schema the served document gives for it: none, when it tells the truth. */
const issues = (answer: { status: number; body: unknown }) => answerIssues(document, ROUTE, 'get', answer);
