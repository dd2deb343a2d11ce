import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { inquiryPk } from '../../lambdas/adapters/inquiry-keys.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { addNote } from '../../lambdas/operator-api/use-cases/add-note.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { eraseInquiry } from '../../ops/citizen-erase/erase-inquiry.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ClaimsCall,
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  type Who,
} from '../support/operator-api.js';

/**
 * An operator's internal note on an inquiry (what they did outside the product, for colleagues and heads): kept
 * in the history as a `note` entry naming them, sent to no one, changing nothing else; made as every change is
 * made (who may, `Idempotency-Key`, `If-Match`), and deleted with the inquiry. The handler against dynalite,
 * each operator's ID token claims as API Gateway's JWT authorizer hands them on; answers checked against the
 * document the API serves.
 */

const localConfig = readConfigFile('config/local.json');
/** The local configuration once its demo community is removed (another in its place), its departments kept. */
const withoutDemo: AppConfig = {
  ...localConfig,
  communities: localConfig.communities.map((community) => ({ ...community, groupId: 222333444 })),
};

const olga: Who = { sub: 'sub-note-olga', name: 'Ольга Смирнова', groups: ['dept-housing'] };
const anna: Who = { sub: 'sub-note-anna', name: 'Анна Иванова', groups: ['dept-housing'] };
const boris: Who = { sub: 'sub-note-boris', name: 'Борис Петров', groups: ['dept-roads'] };
const admin: Who = { sub: 'sub-note-admin', name: 'Администратор', groups: ['admins'] };

/** A note that holds what a note may: the citizen's phone, which no log line may carry. */
const CALLED = 'Позвонили жителю по +7 912 345-67-89, не ответил; перезвоним завтра';

let aws: TestAws;
let repository: DynamoInquiryRepository;
let store: DynamoRetentionStore;
let documents: DynamoDBDocumentClient;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
const ids: Record<string, string> = {};

const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(idTokenClaims(who), method, path, body, headers);

const note = (who: Who, id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(who, 'POST', `/api/v1/inquiries/${id}/note`, body, headers);

const detail = async (id: string) => {
  const read = await call(admin, 'GET', `/api/v1/inquiries/${id}`);
  expect(read.status).toBe(200);
  return read;
};

/** Every issue of an answer against the schema the served document gives for it: none, when it tells the truth. */
const issues = (path: string, method: string, answer: { status: number; body: unknown }) =>
  answerIssues(document, path, method, answer);

/** The inquiry as the API shows it, but what any change moves on: its version, when and by whom it last changed. */
const unchangedPart = ({ version, updatedAt, operatorActedAt, ...rest }: Record<string, unknown>) => rest;

/** The items of the inquiry's partition in the table: the inquiry and its history. */
const partition = async (id: string) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: aws.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inquiryPk(id) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

beforeAll(async () => {
  aws = await startTestAws();
  // INFO, as in AWS, so that the request lines are written and a test below reads them.
  Object.assign(process.env, { ANSWERS_QUEUE_URL: aws.queues.answers.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
  api = await operatorApiWithClaims();
  ({ documents, repository } = operatorApiDepsOn(aws, localConfig));
  store = new DynamoRetentionStore(documents, aws.tableName);
  document = inlined((await call(admin, 'GET', OPENAPI_PATH)).body);
  // One at a time: dynalite has lost concurrent writes to one partition.
  for (const [n, name] of ['held', 'answered', 'keys', 'bodies'].entries())
    ids[name] = await openInquiry(
      { config: localConfig, inquiries: repository },
      { peerId: 9100 + n, eventKey: `note-${name}`, text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
  expect((await call(olga, 'POST', `/api/v1/inquiries/${ids.held}/take`)).status).toBe(200);
  expect(
    (await call(olga, 'POST', `/api/v1/inquiries/${ids.answered}/reply`, { text: 'Вывезли.' })).status,
  ).toBe(200);
});
afterAll(() => aws?.stop());

describe('a note on an inquiry', () => {
  it('is kept in its history, naming who wrote it, and changes nothing else, though a colleague holds it', async () => {
    const id = ids.held ?? '';
    const before = await detail(id);
    expect(before.body.inquiry).toMatchObject({ status: 'in_progress', assignee: { id: olga.sub } });
    await drainQueue(aws.sqs, aws.queues.answers.url);

    const written = await note(anna, id, { text: `  ${CALLED}\n` });
    expect(written.status).toBe(200);
    expect(issues('/api/v1/inquiries/{id}/note', 'post', written)).toEqual([]);
    expect(unchangedPart(written.body)).toEqual(unchangedPart(before.body.inquiry));
    expect(written.body.version).toBe(before.body.inquiry.version + 1);
    expect(written.headers.etag).toBe(`"${written.body.version}"`);
    expect(written.body.outboxId).toBeUndefined();

    const after = await detail(id);
    expect(issues('/api/v1/inquiries/{id}', 'get', after)).toEqual([]);
    expect(unchangedPart(after.body.inquiry)).toEqual(unchangedPart(before.body.inquiry));
    const entry = {
      kind: 'note',
      actor: 'operator',
      actorId: anna.sub,
      actorName: anna.name,
      reason: CALLED,
      detail: {},
    };
    expect(after.body.history).toEqual([...before.body.history, expect.objectContaining(entry)]);
    expect(after.body.history.at(-1).from).toBeUndefined();
    // The older pages give it too, as the console pages back through a long dialogue.
    const page = await call(anna, 'GET', `/api/v1/inquiries/${id}/history?limit=1`);
    expect(issues('/api/v1/inquiries/{id}/history', 'get', page)).toEqual([]);
    expect(page.body.history).toEqual([expect.objectContaining(entry)]);
    // Nothing was queued for the citizen.
    expect(await drainQueue(aws.sqs, aws.queues.answers.url)).toEqual([]);
  });

  it('is written to an answered inquiry, which stays answered, its response and the statistics as they were', async () => {
    const id = ids.answered ?? '';
    const year = new Date().getUTCFullYear();
    const statistics = `/api/v1/statistics?department=housing&from=${year}-01-01T00:00:00Z&to=${year + 1}-01-01T00:00:00Z`;
    const counted = (await call(admin, 'GET', statistics)).body;
    const before = await detail(id);
    expect(before.body.inquiry).toMatchObject({ status: 'answered', assignee: { id: olga.sub } });

    const written = await note(anna, id, { text: 'Житель перезвонил, благодарит' });
    expect(written.status).toBe(200);
    expect(unchangedPart(written.body)).toEqual(unchangedPart(before.body.inquiry));
    expect((await detail(id)).body.history.at(-1)).toMatchObject({ kind: 'note', actorId: anna.sub });
    expect((await call(admin, 'GET', statistics)).body).toEqual(counted);
  });

  it('is not seen nor written by another department’s operator: 404, as an inquiry there is not', async () => {
    const id = ids.held ?? '';
    const before = await repository.getInquiry(id);
    const refused = await note(boris, id, { text: 'Не наше' });
    expect(refused).toMatchObject({ status: 404, body: { code: 'not_found', message: 'no such inquiry' } });
    expect(refused.headers.etag).toBeUndefined();
    expect(await repository.getInquiry(id)).toEqual(before);
    // An admin writes one to any department's.
    expect((await note(admin, id, { text: 'Проверено' })).status).toBe(200);
  });
});

describe('a note sent twice, or on an inquiry read before', () => {
  it('is written once when repeated with its Idempotency-Key; other words under the key are another note', async () => {
    const id = ids.keys ?? '';
    const entries = async () =>
      (await detail(id)).body.history.filter((each: { kind: string }) => each.kind === 'note');
    const key = { 'idempotency-key': 'note-called-1' };
    const first = await note(anna, id, { text: CALLED }, key);
    const again = await note(anna, id, { text: CALLED }, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(first.body.version);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await entries()).toHaveLength(1);

    expect((await note(anna, id, { text: 'Передали в УК, заявка № 123' }, key)).status).toBe(200);
    expect((await entries()).map((each: { reason: string }) => each.reason)).toEqual([
      CALLED,
      'Передали в УК, заявка № 123',
    ]);
  });

  it('needs no If-Match; one sent is kept to, and a note moves the ETag on as any change does', async () => {
    const id = ids.keys ?? '';
    const read = await detail(id);
    const stale = `"${read.body.inquiry.version - 1}"`;
    const refused = await note(anna, id, { text: 'Выезд назначен на четверг' }, { 'if-match': stale });
    expect(refused).toMatchObject({
      status: 412,
      body: { code: 'precondition_failed', current: { version: read.body.inquiry.version } },
    });
    expect((await detail(id)).body.history).toEqual(read.body.history);

    const kept = await note(
      anna,
      id,
      { text: 'Выезд назначен на четверг' },
      { 'if-match': read.headers.etag ?? '' },
    );
    expect(kept.status).toBe(200);
    // A colleague's change made from the page read before the note is told the inquiry changed: they see it.
    const taken = await call(
      olga,
      'POST',
      `/api/v1/inquiries/${id}/take`,
      {},
      { 'if-match': read.headers.etag ?? '' },
    );
    expect(taken).toMatchObject({ status: 412, body: { current: { version: kept.body.version } } });
    expect(taken.headers.etag).toBe(kept.headers.etag);
  });
});

describe('a note that does not fit', () => {
  it('is refused with 400 validation_failed naming `text`, nothing written', async () => {
    const id = ids.bodies ?? '';
    const before = await repository.getInquiry(id);
    for (const body of [
      {},
      { text: '' },
      { text: '   \n\t ' },
      { text: '\u200b\u2060\ufeff ' },
      { text: 'a'.repeat(2001) },
      { text: 42 },
    ]) {
      const answer = await note(anna, id, body);
      const what = JSON.stringify(body).slice(0, 40);
      expect(answer, what).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(answer.body.issues.length, what).toBeGreaterThan(0);
      for (const issue of answer.body.issues) expect(issue, what).toMatch(/^text: /);
      expect(issues('/api/v1/inquiries/{id}/note', 'post', answer)).toEqual([]);
    }
    expect((await note(anna, id, { text: 'Есть', force: true })).body).toMatchObject({
      code: 'validation_failed',
      issues: ['force: not a field of this body'],
    });
    expect(await repository.getInquiry(id)).toEqual(before);
    // The longest one is taken whole, its spaces trimmed.
    const longest = 'б'.repeat(2000);
    expect((await note(anna, id, { text: ` ${longest} ` })).status).toBe(200);
    expect((await detail(id)).body.history.at(-1)).toMatchObject({ kind: 'note', reason: longest });
  });
});

describe('a note’s words', () => {
  it('are in no log line, written or refused', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      expect((await note(anna, ids.bodies ?? '', { text: CALLED })).status).toBe(200);
      expect((await note(anna, ids.bodies ?? '', { text: `${CALLED}${'!'.repeat(2000)}` })).status).toBe(400);
    } finally {
      write.mockRestore();
    }
    expect(lines.join('')).toContain('operator request');
    expect(lines.join('')).not.toContain('345-67-89');
  });

  it('is written on an inquiry whose community is no longer configured, open or finished; nothing else is', async () => {
    const open = await openInquiry(
      { config: localConfig, inquiries: repository },
      { peerId: 9110, eventKey: 'note-removed-open', text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
    const answered = await openInquiry(
      { config: localConfig, inquiries: repository },
      {
        peerId: 9111,
        eventKey: 'note-removed-answered',
        text: 'Не вывозят мусор во дворе',
        category: 'waste',
      },
    );
    expect(
      (await call(olga, 'POST', `/api/v1/inquiries/${answered}/reply`, { text: 'Вывезли.' })).status,
    ).toBe(200);
    // The community taken out of the configuration deployed, its departments kept.
    const { deps } = operatorApiDepsOn(aws, withoutDemo);
    const operator = { id: olga.sub, name: olga.name ?? olga.sub, admin: false, departments: ['housing'] };
    const asked = <Body>(id: string, key: string, body: Body) => ({
      operator,
      params: { id },
      query: {},
      body,
      idempotencyKey: key,
    });
    for (const [id, status] of [
      [open, 'routed'],
      [answered, 'answered'],
    ] as const) {
      const before = await repository.getInquiry(id);
      const noted = await addNote(asked(id, `removed-${id}`, { text: CALLED }), deps);
      expect(noted.status, JSON.stringify(noted.body)).toBe(200);
      expect(noted.body).toMatchObject({ status, version: (before?.version ?? 0) + 1 });
      expect((await repository.get(id))?.history.at(-1)).toMatchObject({
        kind: 'note',
        actorId: olga.sub,
        reason: CALLED,
      });
    }
    // What would time a deadline or end the work still waits for the community to be added back.
    const closed = await closeInquiry(asked(answered, 'removed-close', { reason: 'решено' }), deps);
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ code: 'community_not_configured' });
  });

  it('are deleted with the inquiry when the citizen’s data is erased', async () => {
    const id = ids.answered ?? '';
    expect((await partition(id)).some((item) => item.kind === 'note')).toBe(true);
    const read = await repository.getInquiry(id);
    if (!read) throw new Error('the answered inquiry is gone');
    expect(await eraseInquiry(read, store, undefined, 'open: kept')).toEqual({
      deleted: true,
      items: expect.any(Number),
    });
    expect(await partition(id)).toEqual([]);
  });
});
