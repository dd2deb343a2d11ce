import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAws, type TestAws } from '../support/aws.js';
import { storeListed } from '../support/listed-inquiries.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';
import { temporaryFile } from '../support/temp-dir.js';

/**
 * The operator API's lists through its real handler against dynalite, with many departments (a region's
 * worth, and more): every page reachable, a cursor kept to the query it came from, a filtered page read in
 * proportion to its size (the items each Query read, as DynamoDB counts them), and a query that cannot
 * match, or names a parameter twice, refused.
 */
const TOKENS = {
  admin: 'local-admin-token-change-me',
  housing: 'local-housing-token-change-me',
};
/** Many more departments than config/local.json's three, with ids as long as a real configuration's. */
const MANY = Array.from({ length: 64 }, (_, n) => `district-office-${String(n).padStart(2, '0')}`);
const BULK = 'district-office-bulk';

let aws: TestAws;
let call: OperatorApiCall;
let documents: DynamoDBDocumentClient;
/** What the handler's Queries read (`ScannedCount`: before the filter drops any), since the last reset. */
let scanned = 0;

const now = Date.now();
const minutes = (count: number) => new Date(now + count * 60_000).toISOString();
/** An id as the router makes them: 16 characters of a hash. */
const idOf = (name: string) => createHash('sha256').update(name).digest('base64url').slice(0, 16);

beforeAll(async () => {
  aws = await startTestAws();
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  config.departments.push(
    ...[...MANY, BULK].map((id) => ({ id, name: `Управление ${id}`, notify: [`${id}@example.org`] })),
  );
  process.env.CONFIG_FILE = temporaryFile('operator-lists-', 'config.json', JSON.stringify(config));
  call = await localOperatorApi();
  // The handler's own document client (one per container): count what its Queries read.
  const { documentClient } = await import('../../lambdas/adapters/aws-clients.js');
  documentClient().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      scanned += output.ScannedCount ?? 0;
      return result;
    },
    { name: 'countScanned', step: 'initialize' },
  );
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // Sequential: dynalite has lost concurrent writes to one partition.
  for (const [index, department] of MANY.entries())
    for (let n = 0; n < 3; n++)
      await storeListed(documents, aws.tableName, idOf(`${department}-${n}`), department, {
        // Opened and due in turns across the departments, so that every page takes from most of them.
        createdAt: minutes(-1000 + n * 100 + index),
        dueAt: minutes(1000 + n * 100 + index),
        ...(n === 1 && { assignee: 'local-housing-operator' }),
      });
  // One department's open work, of about 1 KB each: a third taken, the rest no one's.
  for (let n = 0; n < 300; n++)
    await storeListed(documents, aws.tableName, idOf(`bulk-${n}`), BULK, {
      createdAt: minutes(-2000 + n),
      dueAt: minutes(2000 + n),
      text: `Не вывозят мусор, двор ${n}. ${'Подробности. '.repeat(40)}`,
      ...(n % 3 === 0 && { assignee: 'local-housing-operator' }),
    });
  // Housing's inquiries held by the admin and by the housing operator: whom `assignee=me` means.
  for (const holder of ['local-admin', 'local-housing-operator'])
    for (let n = 0; n < 3; n++)
      await storeListed(documents, aws.tableName, idOf(`${holder}-${n}`), 'housing', {
        createdAt: minutes(-500 + n),
        dueAt: minutes(500 + n),
        assignee: holder,
      });
});
afterAll(() => aws?.stop());

interface Walk {
  ids: string[];
  cursors: string[];
  /** The items the Queries of each page read. */
  reads: number[];
}

/** Every page of a list as the admin (unless told) asks it, following `nextCursor` to the end. */
async function everyPage(query: string, token = TOKENS.admin): Promise<Walk> {
  const walk: Walk = { ids: [], cursors: [], reads: [] };
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    scanned = 0;
    const answer = await call(
      'GET',
      `/api/v1/inquiries?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    );
    expect(answer.status, `page ${pages + 1}: ${JSON.stringify(answer.body)}`).toBe(200);
    walk.reads.push(scanned);
    walk.ids.push(...answer.body.items.map((item: { id: string }) => item.id));
    cursor = answer.body.nextCursor;
    if (!cursor) return walk;
    walk.cursors.push(cursor);
  }
  throw new Error('the list did not end');
}

/** The ids of the many departments' inquiries, newest first or nearest deadline first. */
const manyIds = (keep: (department: string, n: number) => boolean = () => true) =>
  MANY.flatMap((department, index) =>
    [0, 1, 2]
      .filter((n) => keep(department, n))
      .map((n) => ({ id: idOf(`${department}-${n}`), at: n * 100 + index })),
  )
    .sort((a, b) => a.at - b.at)
    .map(({ id }) => id);

describe('the operator API: lists over many departments', () => {
  it('hands an admin every page of every department, whatever their number, on a cursor of a few bytes', async () => {
    const newest = await everyPage('order=newest&limit=50');
    const urgent = await everyPage('order=urgent&limit=50');
    const ofMany = (ids: string[]) => ids.filter((id) => manyIds().includes(id));
    expect(ofMany(newest.ids)).toEqual([...manyIds()].reverse());
    expect(ofMany(urgent.ids)).toEqual(manyIds());
    expect(newest.ids).toHaveLength(64 * 3 + 300 + 6);
    expect(new Set(urgent.ids)).toEqual(new Set(newest.ids));
    // A filter, read side by side in every department and merged: each page's cut lies elsewhere.
    const untaken = await everyPage('assignee=none&order=urgent&limit=7');
    expect(ofMany(untaken.ids)).toEqual(manyIds((_, n) => n !== 1));
    expect(untaken.ids).toHaveLength(64 * 2 + 200);
    for (const cursor of [...newest.cursors, ...urgent.cursors, ...untaken.cursors])
      expect(cursor.length).toBeLessThan(120);
    // About 60 pages of 67 departments' Queries each, thousands of dynalite calls: 10 s on a quiet 2-core
    // machine, 15 s and more on a busy one. The time is no target here: the timeout only ends a walk that hangs.
  }, 120_000);
});

describe('the operator API: a filtered page reads in proportion to its size', () => {
  it('reads the work to take a few pages’ worth at a time, not a megabyte a page', async () => {
    const walk = await everyPage(`department=${BULK}&assignee=none&order=urgent&limit=20`);
    const untaken = Array.from({ length: 300 }, (_, n) => n)
      .filter((n) => n % 3 !== 0)
      .map((n) => idOf(`bulk-${n}`));
    expect(walk.ids).toEqual(untaken);
    // Two of three match: a page of 20 needs 30 read. Read whole (DynamoDB's 1 MB), each page read all 300.
    for (const [page, read] of walk.reads.entries()) expect(read, `page ${page + 1}`).toBeLessThanOrEqual(80);
    expect(walk.reads.reduce((sum, read) => sum + read, 0)).toBeLessThanOrEqual(2 * 300);
  });

  it('still reads a page and one more without a filter', async () => {
    scanned = 0;
    const answer = await call(
      'GET',
      `/api/v1/inquiries?department=${BULK}&order=urgent&limit=20`,
      TOKENS.admin,
    );
    expect(answer.body.items).toHaveLength(20);
    expect(scanned).toBe(21);
  });
});

describe('the operator API: a cursor belongs to its query', () => {
  it('refuses a cursor sent with other filters, departments or operator, and takes it with another limit', async () => {
    const first = await call('GET', `/api/v1/inquiries?department=${BULK}&limit=5`, TOKENS.admin);
    const cursor = encodeURIComponent(first.body.nextCursor);
    for (const query of [
      `department=${BULK}&status=routed`,
      `department=${BULK}&assignee=none`,
      `department=${MANY[0]}`,
      // The admin's every department: the items read past in this one would be lost.
      '',
    ]) {
      const answer = await call('GET', `/api/v1/inquiries?${query}&cursor=${cursor}`, TOKENS.admin);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('another query'),
      });
    }
    const next = await call(
      'GET',
      `/api/v1/inquiries?department=${BULK}&limit=7&cursor=${cursor}`,
      TOKENS.admin,
    );
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(7);

    // `assignee=me` means whoever asks: the admin's cursor is not the housing operator's.
    const query = '/api/v1/inquiries?department=housing&assignee=me&limit=1';
    const mine = await call('GET', query, TOKENS.admin);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([idOf('local-admin-2')]);
    const again = `${query}&cursor=${encodeURIComponent(mine.body.nextCursor)}`;
    expect((await call('GET', again, TOKENS.admin)).body.items).toHaveLength(1);
    expect(await call('GET', again, TOKENS.housing)).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('another query') },
    });
  });
});

describe('the operator API: a list query that cannot mean anything', () => {
  it('refuses a closed status in the open lists, and the work to take in a status that is not open', async () => {
    for (const [query, issue] of [
      ['status=closed&order=urgent', 'status'],
      ['status=answered&overdue=false', 'status'],
      ['status=rejected&overdue=true', 'status'],
      ['status=answered&assignee=none', 'assignee'],
      ['status=rejected&assignee=none&order=newest', 'assignee'],
    ] as const) {
      scanned = 0;
      const answer = await call('GET', `/api/v1/inquiries?${query}`, TOKENS.admin);
      expect(answer.status, query).toBe(400);
      expect(answer.body.code, query).toBe('validation_failed');
      expect(answer.body.issues, query).toEqual([expect.stringMatching(new RegExp(`^${issue}: `))]);
      expect(scanned, query).toBe(0);
    }
    for (const query of ['status=routed&order=urgent', 'status=closed', 'status=answered&assignee=me'])
      expect((await call('GET', `/api/v1/inquiries?${query}`, TOKENS.admin)).status, query).toBe(200);
  });

  it('refuses a parameter given twice rather than keeping one of them', async () => {
    for (const [path, name] of [
      ['/api/v1/inquiries?status=routed&status=in_progress', 'status'],
      [`/api/v1/inquiries?department=${BULK}&order=urgent&department=housing`, 'department'],
      ['/api/v1/statistics?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', 'to'],
    ] as const) {
      const answer = await call('GET', path, TOKENS.admin);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toMatchObject({
        code: 'validation_failed',
        issues: [expect.stringMatching(new RegExp(`^${name}: `))],
      });
    }
  });
});
