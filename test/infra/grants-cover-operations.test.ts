import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { operatorApiBehindAuthorizer } from './support/aws-stand-ins.js';
import {
  type Call,
  checkedCallsOf,
  expectAllowed,
  GRANTS_CONFIG_FILE,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';
import { inquiryOpener } from './support/opened-inquiries.js';

/**
 * As grants-cover-answering.test.ts, for the rest of the operator API: an inquiry taken into work, noted on,
 * answered in between and then finally, closed, reopened and moved to another department, a rejected message moved
 * into work and rejected again, a department's statistics and its open work at a glance, its most urgent work
 * naming the cases it follows, and an overdue inquiry raised to critical. Each change reads the inquiry and writes
 * it back conditionally, with its history. Last, every grant of the operator API's policy must be used on one of
 * these paths.
 */
const FUNCTION = 'OperatorsOperatorApi';
/** config/local.secrets.json's admin: a rejected message is listed under triage, not housing. */
const ADMIN_TOKEN = 'local-admin-token-change-me';

let aws: TestAws;
let config: AppConfig;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;
let operatorRequest: Awaited<ReturnType<typeof operatorApiBehindAuthorizer>>;
let inquiryId = '';
let caseNumber = '';
let rejectedId = '';

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  process.env.CONFIG_FILE = GRANTS_CONFIG_FILE;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  config = readConfigFile(GRANTS_CONFIG_FILE);
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues });
  operatorRequest = await operatorApiBehindAuthorizer(config);
  const opened = await inquiryOpener(aws, config)(7_900_001, new Date().toISOString());
  inquiryId = opened.id;
  caseNumber = opened.caseNumber ?? '';
  rejectedId = (await inquiryOpener(aws, config)(7_900_002, new Date().toISOString(), { inquiry: false })).id;
}, 120_000);
afterAll(async () => {
  await aws?.stop();
});

const onTable = (action: string): Call => ({ action, resource: { kind: 'table' } });
/** What every change calls: the inquiry read by key, and written back on its version. */
const CHANGE: Call[] = [onTable('dynamodb:GetItem'), onTable('dynamodb:PutItem')];
/** The operators' words to the citizen go to the answers queue, not the outbox. */
const TO_THE_ANSWERS: Call = { action: 'sqs:SendMessage', resource: { kind: 'queue', name: 'answers' } };

/** A change of the inquiry by the housing operator: its answer, and the calls it made, checked. */
async function change(route: string, body: unknown, expected: Record<string, unknown>, including: Call[]) {
  const calls = await callsOf(async () => {
    const answer = await operatorRequest('POST', `/api/v1/inquiries/${inquiryId}/${route}`, body);
    expect(answer, route).toMatchObject({ status: 200, body: expected });
  });
  expectAllowed(policies, FUNCTION, `POST …/${route}`, calls, { including });
}

describe('the IAM policy of the operator API', () => {
  it('allows what it calls to take an inquiry, note on it, answer it, close it and reopen it', async () => {
    await change('take', undefined, { status: 'in_progress' }, CHANGE);
    // A note naming someone asks the erasure marks (a GetItem of the community's latest erasure) too.
    await change(
      'note',
      { text: 'Позвонили жителю, не ответил; сосед vk.com/id7900003 тоже жаловался' },
      { status: 'in_progress' },
      CHANGE,
    );
    await change('intermediate-answer', { text: 'Передали подрядчику.' }, { status: 'in_progress' }, [
      ...CHANGE,
      TO_THE_ANSWERS,
    ]);
    await change('reply', { text: 'Мусор вывезен.' }, { status: 'answered' }, [...CHANGE, TO_THE_ANSWERS]);
    await change('close', { reason: 'вопрос решён' }, { status: 'closed' }, CHANGE);
    await change('reopen', { reason: 'житель пишет, что вывезли не всё' }, { status: 'reopened' }, CHANGE);
  });

  it('allows what it calls to keep a department’s answer templates: written, listed, replaced and deleted', async () => {
    const path = '/api/v1/departments/housing/answer-templates';
    const calls = await callsOf(async () => {
      const body = { title: 'Отключение воды', text: 'Подача воды будет восстановлена до 18:00.' };
      expect(await operatorRequest('PUT', `${path}/water`, body)).toMatchObject({ status: 200 });
      expect(await operatorRequest('GET', path)).toMatchObject({ status: 200, body: { items: [body] } });
      const replaced = await operatorRequest(
        'PUT',
        `${path}/water`,
        { ...body, text: 'До 20:00.' },
        { 'if-match': '"1"' },
      );
      expect(replaced).toMatchObject({ status: 200, body: { version: 2 } });
      expect(
        await operatorRequest('DELETE', `${path}/water`, undefined, { 'if-match': '"2"' }),
      ).toMatchObject({ status: 204 });
    });
    expectAllowed(policies, FUNCTION, '… /answer-templates', calls, {
      including: [
        onTable('dynamodb:GetItem'),
        onTable('dynamodb:PutItem'),
        onTable('dynamodb:Query'),
        onTable('dynamodb:DeleteItem'),
      ],
    });
  });

  it('allows what it calls to find an inquiry by its case number', async () => {
    const calls = await callsOf(async () => {
      const answer = await operatorRequest('GET', `/api/v1/inquiries?caseNumber=${caseNumber}`);
      expect(answer).toMatchObject({ status: 200, body: { items: [{ id: inquiryId, caseNumber }] } });
    });
    expectAllowed(policies, FUNCTION, 'GET …/inquiries?caseNumber=', calls, {
      including: [onTable('dynamodb:GetItem')],
    });
  });

  it('allows what it calls for a department’s statistics', async () => {
    const from = new Date(Date.now() - 24 * 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const calls = await callsOf(async () => {
      const answer = await operatorRequest('GET', `/api/v1/statistics?from=${from}&to=${to}`);
      expect(answer).toMatchObject({
        status: 200,
        body: { groups: [{ department: 'housing', total: 1, byStatus: { reopened: 1 } }] },
      });
    });
    expectAllowed(policies, FUNCTION, 'GET …/statistics', calls, {
      including: [
        {
          action: 'dynamodb:Query',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentOpened.name },
        },
      ],
    });
  });

  it('allows what it calls for a department’s open work', async () => {
    const calls = await callsOf(async () => {
      const answer = await operatorRequest('GET', '/api/v1/departments/housing/workload');
      expect(answer).toMatchObject({ status: 200, body: { department: 'housing', open: 1, unassigned: 0 } });
    });
    expectAllowed(policies, FUNCTION, 'GET …/workload', calls, {
      including: [
        {
          action: 'dynamodb:Query',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentDeadline.name },
        },
      ],
    });
  });

  it('allows what it calls to move an inquiry to another department', async () => {
    await change(
      'move',
      { department: 'roads', reason: 'яма во дворе: дороги' },
      { department: 'roads', status: 'reopened' },
      CHANGE,
    );
  });

  it('allows what it calls to move a rejected message into work: its case number drawn, its lookup stored', async () => {
    const calls = await callsOf(async () => {
      const answer = await operatorRequest(
        'POST',
        `/api/v1/inquiries/${rejectedId}/move`,
        { department: 'housing', reason: 'это жалоба' },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      expect(answer).toMatchObject({
        status: 200,
        body: { status: 'routed', caseNumber: expect.stringMatching(/^\d{4}-\d{6}$/) },
      });
    });
    expectAllowed(policies, FUNCTION, 'POST …/move of a rejected message', calls, {
      // The counter (UpdateItem ADD), the number's lookup (a put) and the acknowledgement.
      including: [...CHANGE, onTable('dynamodb:UpdateItem'), TO_THE_ANSWERS],
    });
  });

  it('allows what it calls to reject a routed inquiry as none, listed under triage', async () => {
    const calls = await callsOf(async () => {
      const answer = await operatorRequest(
        'POST',
        `/api/v1/inquiries/${rejectedId}/reject`,
        { reason: 'реклама, не обращение' },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      expect(answer).toMatchObject({ status: 200, body: { status: 'rejected' } });
    });
    expectAllowed(policies, FUNCTION, 'POST …/reject', calls, { including: CHANGE });
  });

  it('allows what it calls for a department’s most urgent work, the cases it follows read in one call', async () => {
    // Two citizens answered on waste who then write of another matter: each new inquiry follows their case.
    const open = inquiryOpener(aws, config);
    const newMatters = inquiryOpener(aws, {
      ...config,
      threading: { ...config.threading, newMatterOpensInquiry: true },
    });
    const followers: string[] = [];
    for (const peer of [7_900_003, 7_900_004]) {
      const followed = await open(peer, new Date().toISOString());
      const reply = await operatorRequest('POST', `/api/v1/inquiries/${followed.id}/reply`, {
        text: 'Мусор вывезен.',
      });
      expect(reply).toMatchObject({ status: 200, body: { status: 'answered' } });
      const follower = await newMatters(peer, new Date().toISOString(), { category: 'housing', message: 2 });
      expect(follower.follows?.inquiryId).toBe(followed.id);
      followers.push(follower.id);
    }
    const calls = await callsOf(async () => {
      const answer = await operatorRequest('GET', '/api/v1/inquiries?department=housing&order=urgent');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((item: { id: string }) => item.id)).toEqual(
        expect.arrayContaining(followers),
      );
    });
    expectAllowed(policies, FUNCTION, 'GET …/inquiries?order=urgent', calls, {
      including: [
        {
          action: 'dynamodb:Query',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentDeadline.name },
        },
        // The departments of the followed cases, for the operator to be told of them by (case-departments.ts).
        onTable('dynamodb:BatchGetItem'),
      ],
    });
  });

  it('allows what it calls to raise an overdue inquiry to critical: its move and its escalation written together', async () => {
    // Its deadline on the critical terms, counted from its opening a year back, has passed: the move writes
    // its own history entry and the escalation's (critical-notice.ts), two puts in one BatchWriteItem.
    const { id } = await inquiryOpener(aws, config)(7_900_005, '2025-06-02T06:00:00.000Z');
    const calls = await callsOf(async () => {
      const answer = await operatorRequest('POST', `/api/v1/inquiries/${id}/move`, {
        priority: 'critical',
        reason: 'опасно: яма у детской площадки',
      });
      expect(answer).toMatchObject({ status: 200, body: { priority: 'critical' } });
    });
    expectAllowed(policies, FUNCTION, 'POST …/move to critical, past its deadline', calls, {
      including: [
        onTable('dynamodb:GetItem'),
        onTable('dynamodb:BatchWriteItem'),
        onTable('dynamodb:PutItem'),
      ],
    });
    // Both entries, as the operator reads them with the inquiry: its items read by Query.
    const read = await callsOf(async () => {
      const answer = await operatorRequest('GET', `/api/v1/inquiries/${id}`);
      expect(answer.status).toBe(200);
      expect(answer.body.history.map((entry: { kind: string }) => entry.kind)).toEqual(
        expect.arrayContaining(['moved', 'escalated']),
      );
    });
    expectAllowed(policies, FUNCTION, 'GET …/inquiries/{id}', read, {
      including: [onTable('dynamodb:Query')],
    });
  });

  // Last: what every test above made. A grant none of them used is a path without its test, or an action the
  // operator API does not need. DeleteItem also deletes the entries of a change that lost its write, on the
  // condition that it wrote them (grants-cover-lost-writes.test.ts); here, an answer template.
  it('uses every grant on the table and the queue its policy gives', () => {
    expect(policies.unused(FUNCTION, checkedCallsOf(FUNCTION))).toEqual([]);
  });
});
