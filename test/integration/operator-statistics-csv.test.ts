import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { INQUIRY_STATUSES, STATUS_NAMES } from '../../lambdas/domain/inquiry/status.js';
import type { AnswerFigures, StatisticsGroup } from '../../lambdas/domain/operator/statistics.js';
import { CATEGORIES, CATEGORY_NAMES } from '../../lambdas/domain/taxonomy.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import type { TestAws } from '../support/aws.js';
import { csvRows } from '../support/csv.js';
import { type OperatorApiCall, operatorApiWithClaims, startOperatorApi } from '../support/operator-api.js';
import { routedInquiry } from '../support/routed-inquiry.js';

/**
 * The statistics asked as a spreadsheet (`Accept: text/csv`) through the operator API's handler, against
 * dynalite: the same figures as the JSON of the same request, cell by cell.
 */
const ADMIN = 'local-admin-token-change-me';
const HOUSING = 'local-housing-token-change-me';
const config = readConfigFile('config/local.json');
const PERM = config.communities[0]?.groupId ?? 0;
const MARCH = 'from=2026-03-01T00:00:00%2B05:00&to=2026-04-01T00:00:00%2B05:00';
const STATISTICS = `/api/v1/statistics?${MARCH}`;

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let call: OperatorApiCall;

/** Opened on a March day at 09:00 in Perm (04:00 UTC), due at 08:00 UTC. */
const opened = (id: string, day: string, more: Partial<Inquiry>): Inquiry => {
  const at = (time: string) => `2026-03-${day}T${time}:00.000Z`;
  return routedInquiry({
    id,
    groupId: PERM,
    createdAt: at('04:00'),
    firstResponseStartedAt: at('04:00'),
    firstResponseDueAt: at('08:00'),
    ...more,
  });
};

const answered = (day: string, time: string, late: boolean): Partial<Inquiry> => ({
  status: 'answered',
  firstRespondedAt: `2026-03-${day}T${time}:00.000Z`,
  firstResponseLate: late,
  answeredAt: `2026-03-${day}T${time}:00.000Z`,
  clock: undefined,
});

beforeAll(async () => {
  ({ aws, call, documents } = await startOperatorApi('answers'));
  const inquiries = [
    opened('h1', '02', { category: 'housing', ...answered('02', '04:30', false) }),
    opened('h2', '03', {
      category: 'waste',
      ...answered('03', '09:15', true),
      citizenSettledAt: '2026-03-03T10:00:00.000Z',
    }),
    opened('h3', '04', { category: 'waste' }),
    // A community no longer configured: its row names none.
    opened('h5', '06', { groupId: 1, category: 'improvement', ...answered('06', '05:00', false) }),
    opened('r1', '09', {
      department: 'roads',
      category: 'roads',
      status: 'in_progress',
      firstRespondedAt: '2026-03-09T07:00:00.000Z',
      firstResponseLate: false,
      resolutionDueAt: '2026-03-12T08:00:00.000Z',
    }),
    opened('t1', '10', { department: 'triage', category: 'other', status: 'rejected', clock: undefined }),
  ];
  for (const each of inquiries)
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: toInquiryItem(each) }));
});
afterAll(() => aws?.stop());

/** A cell as the CSV writes a JSON figure: a decimal comma, null as nothing. */
const cellOf = (value: number | string | null | undefined) =>
  value === null || value === undefined ? '' : String(value).replace('.', ',');

const FIGURES: [string, keyof AnswerFigures][] = [
  ['дано', 'count'],
  ['медиана, мин', 'medianMinutes'],
  ['90-й процентиль, мин', 'p90Minutes'],
  ['медиана, рабочих мин', 'medianWorkingMinutes'],
  ['90-й процентиль, рабочих мин', 'p90WorkingMinutes'],
  ['в срок', 'inTime'],
  ['с опозданием', 'late'],
  ['доля в срок', 'inTimeShare'],
];

/** The names the console's directory gives the ids: the department and community columns name them so. */
interface Directory {
  departments: { id: string; name: string }[];
  communities: { groupId: number; name: string }[];
}

/** The row a JSON group should be, header by header, as the documentation names the columns. */
function expectedRow(group: StatisticsGroup, directory: Directory): Record<string, string> {
  const department = directory.departments.find((each) => each.id === group.department);
  const community = directory.communities.find((each) => each.groupId === group.community);
  return {
    'Код отдела': group.department,
    Отдел: department?.name ?? '',
    'ID сообщества VK': String(group.community),
    'Сообщество VK': community?.name ?? '',
    'Всего обращений': cellOf(group.total),
    ...Object.fromEntries(
      INQUIRY_STATUSES.map((status) => [
        `Статус: ${STATUS_NAMES[status]}`,
        cellOf(group.byStatus[status] ?? 0),
      ]),
    ),
    ...Object.fromEntries(
      CATEGORIES.map((category) => [
        `Категория: ${CATEGORY_NAMES[category]}`,
        cellOf(group.byCategory[category] ?? 0),
      ]),
    ),
    'Вопрос решён по словам гражданина': cellOf(group.citizenSettled),
    ...Object.fromEntries(
      FIGURES.flatMap(([header, field]) => [
        [`Первый ответ: ${header}`, cellOf(group.firstResponse[field])],
        [`Ответ по существу: ${header}`, cellOf(group.resolution[field])],
      ]),
    ),
  };
}

/** The rows of the file, its byte order mark taken off, each as header → cell. */
function sheet(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header = [], ...rows] = csvRows(text.slice(1));
  for (const row of rows) expect(row).toHaveLength(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}

describe('the statistics as a spreadsheet', () => {
  it('give the figures of the JSON of the same request, cell by cell, one row per group', async () => {
    const json = await call('GET', STATISTICS, ADMIN);
    const csv = await call('GET', STATISTICS, ADMIN, undefined, { accept: 'text/csv' });
    expect(json.status).toBe(200);
    expect(csv.status).toBe(200);
    const groups = json.body.groups as StatisticsGroup[];
    // Every department and community of the period, figures of every kind among them.
    expect(groups.map((group) => `${group.department} ${group.community}`).sort()).toEqual(
      [`housing ${PERM}`, 'housing 1', `roads ${PERM}`, `triage ${PERM}`].sort(),
    );
    const housing = groups.find((group) => group.department === 'housing' && group.community === PERM);
    expect(housing?.firstResponse.inTimeShare).toBe(0.333);
    expect(housing?.citizenSettled).toBe(1);
    const directory = (await call('GET', '/api/v1/directory', ADMIN)).body as Directory;
    const rows = sheet(csv.body);
    expect(rows).toEqual(groups.map((group) => expectedRow(group, directory)));
    // The triage department by the name operators and the deadline e-mails know it by, not the body's name
    // that acknowledgements give the citizen (`publicName`), which several departments may share.
    expect(rows.find((row) => row['Код отдела'] === 'triage')?.Отдел).toBe(
      'Центр управления регионом: разбор обращений',
    );
    expect(rows.find((row) => row['ID сообщества VK'] === '1')?.['Сообщество VK']).toBe('');
    expect(rows.find((row) => row['Код отдела'] === 'housing')?.['Первый ответ: доля в срок']).toBe('0,333');
  });

  it('come as a UTF-8 attachment named for the period and scope, kept from caches, varying by Accept', async () => {
    const csv = await call('GET', STATISTICS, ADMIN, undefined, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="statistics_2026-03-01_2026-04-01.csv"',
    );
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.headers['x-content-type-options']).toBe('nosniff');
    expect(csv.headers.vary).toBe('accept');
    const json = await call('GET', STATISTICS, ADMIN);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers.vary).toBe('accept');
    // An operator asks for their department: the name says so; a moment not at midnight is written whole.
    const scoped = await call(
      'GET',
      `/api/v1/statistics?department=housing&community=${PERM}&from=2026-03-01T09:30:00Z&to=2026-04-01T00:00:00.000Z`,
      HOUSING,
      undefined,
      { accept: 'text/csv' },
    );
    expect(scoped.status).toBe(200);
    expect(scoped.headers['content-disposition']).toBe(
      `attachment; filename="statistics_housing_${PERM}_2026-03-01T093000Z_2026-04-01.csv"`,
    );
    expect(sheet(scoped.body).map((row) => row['Код отдела'])).toEqual(['housing']);
  });

  it('answer JSON to */*, application/json, and an Accept that weighs it at least as much', async () => {
    for (const accept of ['*/*', 'application/json', 'text/csv, application/json', 'application/*']) {
      const answer = await call('GET', STATISTICS, ADMIN, undefined, { accept });
      expect(answer.headers['content-type'], accept).toBe('application/json; charset=utf-8');
      expect(answer.body.groups, accept).toHaveLength(4);
    }
    const preferred = await call('GET', STATISTICS, ADMIN, undefined, {
      accept: 'application/json;q=0.5, text/csv',
    });
    expect(preferred.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('answer 406 with a problem to an Accept that allows neither, and errors as JSON whatever was asked', async () => {
    const refused = await call('GET', STATISTICS, ADMIN, undefined, { accept: 'application/xml' });
    expect(refused.status).toBe(406);
    expect(refused.body).toEqual({ code: 'not_acceptable', message: expect.stringContaining('text/csv') });
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused.headers.vary).toBe('accept');
    expect(refused.headers['cache-control']).toBe('no-store');
    const invalid = await call('GET', '/api/v1/statistics?from=2026-03-01', ADMIN, undefined, {
      accept: 'text/csv',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');
    expect(invalid.headers.vary).toBe('accept');
    const forbidden = await call('GET', `/api/v1/statistics?department=roads&${MARCH}`, HOUSING, undefined, {
      accept: 'text/csv',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('forbidden');
    expect(forbidden.headers.vary).toBe('accept');
    // The other routes answer JSON as before, whatever Accept says.
    const list = await call('GET', '/api/v1/directory', ADMIN, undefined, { accept: 'application/xml' });
    expect(list.status).toBe(200);
    expect(list.headers.vary).toBeUndefined();
  });

  it('refuse a request without an operator 401 before they weigh its Accept', async () => {
    const accept = { accept: 'application/xml' };
    // No token: the authorizer's own 401 (API Gateway's; locally, the verifier's).
    expect((await call('GET', STATISTICS, undefined, undefined, accept)).status).toBe(401);
    // A token the authorizer let through that names no operator (an access token): the function's 401.
    const withClaims = await operatorApiWithClaims();
    const refused = await withClaims(
      { sub: 'someone', token_use: 'access' },
      'GET',
      STATISTICS,
      undefined,
      accept,
    );
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthorized');
  });

  it('are described by the document: a text/csv answer of the statistics, and their 406', async () => {
    const document = await call('GET', OPENAPI_PATH);
    const operation = document.body.paths['/api/v1/statistics'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    const schema = document.body.components.schemas.StatisticsCsv;
    expect(schema.type).toBe('string');
    expect(schema.description).toContain('Первый ответ: доля в срок (`firstResponse.inTimeShare`)');
    expect(operation.responses['200'].headers).toHaveProperty('Content-Disposition');
    expect(operation.responses['406'].description).toMatch(/not_acceptable/);
  });
});
