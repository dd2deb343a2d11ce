import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerTemplates } from '../../lambdas/adapters/answer-templates.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { ApiAnswer } from '../../lambdas/operator-api/api.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { departmentWorkload } from '../../lambdas/operator-api/use-cases/department-workload.js';
import { getWorkloadOverview } from '../../lambdas/operator-api/use-cases/workload-overview.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { type ListedFields, storeListed } from '../support/listed-inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  type Who,
} from '../support/operator-api.js';

/**
 * The open work of every department at a glance, through the operator API against dynalite: each row the
 * department's own workload at the same moment, the most overdue first, and their totals.
 */

const ROUTE = '/api/v1/workload';

const roads: Who = { sub: 'sub-ov-roads', name: 'Ирина Дорожная', groups: ['dept-roads'] };
const twoDepartments: Who = {
  sub: 'sub-ov-two',
  name: 'Пётр Двойной',
  groups: ['dept-roads', 'dept-housing'],
};
const admin: Who = { sub: 'sub-ov-admin', name: 'Администратор', groups: ['admins'] };

let aws: TestAws;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
/** The commands sent to the emulators' table through the clients the use cases are wired with, in order. */
const commands: string[] = [];

const call = (who: Who, path = ROUTE) => api(idTokenClaims(who), 'GET', path);
const issues = (answer: { status: number; body: unknown }) => answerIssues(document, ROUTE, 'get', answer);

const HOUR = 3_600_000;
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

const FIGURES = ['open', 'critical', 'byStatus', 'byPriority', 'overdue', 'dueSoon', 'unassigned'] as const;

beforeAll(async () => {
  aws = await startTestAws();
  api = await operatorApiWithClaims();
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  document = inlined((await call(admin, OPENAPI_PATH)).body);
  recordCommands(aws.dynamo, commands);
  const store = (id: string, department: string, fields: Partial<ListedFields>) =>
    storeListed(documents, aws.tableName, id, department, {
      createdAt: hoursFromNow(-30),
      dueAt: null,
      ...fields,
    });

  // Roads: four overdue, the oldest 5 h; one due soon; one due later, held.
  for (const [index, hours] of [-5, -4, -2, -1].entries())
    await store(`ov-r${index}`, 'roads', {
      dueAt: hoursFromNow(hours),
      priority: index === 0 ? 'critical' : 'normal',
    });
  await store('ov-r-soon', 'roads', { dueAt: hoursFromNow(1), warnAt: hoursFromNow(-1), priority: 'high' });
  await store('ov-r-later', 'roads', {
    dueAt: hoursFromNow(20),
    warnAt: hoursFromNow(10),
    status: 'in_progress',
    assignee: 'sub-olga',
  });
  for (const status of ['answered', 'closed'] as const)
    await store(`ov-r-${status}`, 'roads', { dueAt: hoursFromNow(-10), status });
  // Housing: three overdue, the oldest 10 h (fewer than roads', older), and a dozen of 100 KB each due later,
  // so that its open work takes two pages of 1 MB.
  for (const [index, hours] of [-10, -6, -3].entries())
    await store(`ov-h${index}`, 'housing', { dueAt: hoursFromNow(hours), status: 'reopened' });
  for (let index = 0; index < 12; index++)
    await store(`ov-h-long-${index}`, 'housing', {
      dueAt: hoursFromNow(index + 2),
      warnAt: hoursFromNow(index + 1),
      text: 'x'.repeat(100_000),
      status: 'in_progress',
      assignee: 'sub-anna',
    });
  // Triage: one open, not yet due; a rejected message, no open work.
  await store('ov-t1', 'triage', { dueAt: hoursFromNow(3), warnAt: hoursFromNow(2), status: 'new' });
  await store('ov-t-rejected', 'triage', { dueAt: null, status: 'rejected' });
  // Open work left under a department the configuration no longer names: the escalator moves it to triage.
  await store('ov-gone', 'lighting', { dueAt: hoursFromNow(-50) });
});
afterAll(() => aws?.stop());

/**
 * The use cases on the emulators' table as the handler wires them, on a clock given the Queries sent so far
 * (each a page of a department's open work).
 */
function useCasesOn(clock: (queriesSent: number) => Date) {
  const { deps, documents } = operatorApiDepsOn(aws, readConfigFile('config/local.json'));
  const before = commands.length;
  const queries = () => commands.slice(before).filter((name) => name === 'QueryCommand').length;
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  const wired = {
    ...deps,
    templates: new DynamoAnswerTemplates(documents, aws.tableName),
    clock: { now: () => clock(queries()) },
    logWarning: (message: string, fields: Record<string, unknown>) => warnings.push({ message, fields }),
  };
  const asAdmin: Operator = { id: admin.sub, name: 'Администратор', admin: true, departments: [] };
  const request = (department?: string) => ({
    operator: asAdmin,
    params: (department === undefined ? {} : { department }) as Record<string, string>,
    query: {},
    body: {},
    idempotencyKey: 'workload',
  });
  return {
    overview: () => getWorkloadOverview(request(), wired),
    department: (department: string) => departmentWorkload(request(department), wired),
    queries,
    warnings,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON read as the test expects them
const bodyOf = (answer: ApiAnswer): any => answer.body;

describe('every department’s open work at a glance', () => {
  it('gives each department the figures its own workload gives at the same moment, and their sums', async () => {
    const now = new Date();
    const { overview, department } = useCasesOn(() => now);
    const answer = await overview();
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    const { asOf, departments, totals, unfinished } = bodyOf(answer);
    expect(asOf).toBe(now.toISOString());
    expect(unfinished).toEqual([]);
    // The most overdue first: roads (4) before housing (3, though older), then triage (none).
    expect(departments.map((row: { department: string }) => row.department)).toEqual([
      'roads',
      'housing',
      'triage',
    ]);
    for (const row of departments) {
      const own = bodyOf(await department(row.department));
      expect(row).toEqual({
        department: own.department,
        name: expect.any(String),
        counted: true,
        ...Object.fromEntries(FIGURES.map((figure) => [figure, own[figure]])),
        oldestOverdue: own.oldestOverdue,
      });
    }
    expect(departments[0]).toMatchObject({
      name: 'Департамент дорог и транспорта',
      open: 6,
      critical: 1,
      overdue: 4,
      dueSoon: 1,
      unassigned: 5,
      oldestOverdue: { id: 'ov-r0', overdueMinutes: 5 * 60 },
    });
    expect(departments[1]).toMatchObject({ open: 15, overdue: 3, dueSoon: 0, unassigned: 3 });
    expect(departments[2]).toMatchObject({ open: 1, overdue: 0, oldestOverdue: null });

    const sum = (pick: (row: Record<string, number & Record<string, number>>) => number) =>
      departments.reduce((total: number, row: never) => total + pick(row), 0);
    for (const figure of ['open', 'critical', 'overdue', 'dueSoon', 'unassigned'])
      expect(totals[figure], figure).toBe(sum((row) => row[figure] as number));
    for (const [status, count] of Object.entries(totals.byStatus))
      expect(count, status).toBe(sum((row) => row.byStatus?.[status] ?? 0));
    for (const [priority, count] of Object.entries(totals.byPriority))
      expect(count, priority).toBe(sum((row) => row.byPriority?.[priority] ?? 0));
    // The open work left under a department no longer configured is in no row, and in no total.
    expect(totals.open).toBe(22);
    // The longest overdue of them all, with its department: housing's, though roads is first.
    expect(totals.oldestOverdue).toEqual({ department: 'housing', ...departments[1].oldestOverdue });
  });

  it('shows an admin every configured department, triage too, and an operator theirs alone', async () => {
    const rowsOf = async (who: Who) => {
      const answer = await call(who);
      expect(answer.status, who.sub).toBe(200);
      expect(issues(answer), who.sub).toEqual([]);
      return answer.body.departments.map((row: { department: string }) => row.department);
    };
    expect(await rowsOf(admin)).toEqual(['roads', 'housing', 'triage']);
    expect(await rowsOf(twoDepartments)).toEqual(['roads', 'housing']);
    expect(await rowsOf(roads)).toEqual(['roads']);
    const single = await call(roads);
    expect(single.body.totals).toMatchObject({ open: 6, overdue: 4 });
  });

  it('answers an operator of no configured department with no rows, as their lists and statistics', async () => {
    for (const groups of [[], ['dept-lighting']]) {
      const answer = await call({ sub: 'sub-ov-none', groups });
      expect(answer.status).toBe(200);
      expect(issues(answer)).toEqual([]);
      expect(answer.body).toMatchObject({
        departments: [],
        unfinished: [],
        totals: { open: 0, overdue: 0, dueSoon: 0, unassigned: 0, critical: 0, oldestOverdue: null },
      });
    }
  });
});

describe('every department’s open work read within the time a request has', () => {
  const start = Date.now();
  const at = (seconds: number) => new Date(start + seconds * 1000);

  it('names a department not read to its end in time, counts the rest, and totals only those', async () => {
    // 8 s on once the three departments' first pages are asked for: past the budget at housing's second.
    const late = useCasesOn((sent) => at(sent >= 3 ? 8 : 0));
    const answer = await late.overview();
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    const { departments, totals, unfinished } = bodyOf(answer);
    expect(unfinished).toEqual([{ department: 'housing', name: 'Департамент ЖКХ' }]);
    // Housing is a row too, first, blank where it was not counted: a table of the rows cannot leave it out.
    expect(departments.map((row: { department: string }) => row.department)).toEqual([
      'housing',
      'roads',
      'triage',
    ]);
    expect(departments[0]).toMatchObject({ counted: false, open: null, overdue: null, oldestOverdue: null });
    expect(totals).toMatchObject({ open: 7, overdue: 4, oldestOverdue: { department: 'roads' } });
    // Housing's second page was never asked for.
    expect(late.queries()).toBe(3);
    // A 200 says nothing in the access log: ops are told the time ran out, and for which departments.
    expect(late.warnings).toEqual([
      {
        message: expect.stringMatching(/not read in time/),
        fields: { unfinished: ['housing'], counted: 2, readBudgetSeconds: 7 },
      },
    ]);
  });

  it('counts a last page that comes in past the time, as a department’s own workload does', async () => {
    // 8 s on once housing's second page is asked for: it has no page after it, so nothing is left unread.
    const lastLate = useCasesOn((sent) => at(sent >= 4 ? 8 : 0));
    const answer = bodyOf(await lastLate.overview());
    expect(answer.unfinished).toEqual([]);
    expect(answer.totals.open).toBe(22);
    expect(lastLate.queries()).toBe(4);
    expect(lastLate.warnings).toEqual([]);
  });

  it('begins no department once the time is out', async () => {
    let looks = 0;
    // Past the budget from the first look after the moment counted at.
    const outOfTime = useCasesOn(() => at(looks++ > 0 ? 8 : 0));
    const answer = bodyOf(await outOfTime.overview());
    expect(answer.departments.map((row: { counted: boolean }) => row.counted)).toEqual([false, false, false]);
    expect(answer.totals).toMatchObject({ open: 0, oldestOverdue: null });
    expect(answer.unfinished.map((row: { department: string }) => row.department)).toEqual([
      'triage',
      'housing',
      'roads',
    ]);
    expect(outOfTime.queries()).toBe(0);
  });
});
