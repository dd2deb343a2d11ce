import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { INQUIRY_SK, inquiryPk } from '../../lambdas/adapters/inquiry-keys.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { MAX_INQUIRIES_PER_REPLY } from '../../lambdas/operator-api/contract/replies.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { answerIssues, inlined } from '../support/openapi.js';
import {
  type ApiAnswer,
  type ClaimsCall,
  idTokenClaims,
  operatorApiDepsOn,
  operatorApiWithClaims,
  rawBody,
  toCitizen,
  type Who,
} from '../support/operator-api.js';
import { recordingDeliverer } from '../support/responder.js';

/**
 * One answer to many inquiries (an incident's): each inquiry answered as a reply to it alone answers it, its
 * citizen reading the words after their own case line, a result for each; a repeat sends nothing twice. The
 * handler against dynalite and fauxqs, each operator's ID token claims as API Gateway's JWT authorizer hands
 * them on; answers checked against the document the API serves.
 */

const localConfig = readConfigFile('config/local.json');

const olga: Who = { sub: 'sub-many-olga', name: 'Ольга Смирнова', groups: ['dept-housing'] };
const anna: Who = { sub: 'sub-many-anna', name: 'Анна Иванова', groups: ['dept-housing'] };
const admin: Who = { sub: 'sub-many-admin', name: 'Администратор', groups: ['admins'] };

const WORDS = 'Подача воды восстановлена в 18:00. Приносим извинения за неудобства.';

let aws: TestAws;
let repository: DynamoInquiryRepository;
let documents: DynamoDBDocumentClient;
let api: ClaimsCall;
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
let document: any;
let peer = 9300;

const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(idTokenClaims(who), method, path, body, headers);

const replies = (who: Who, body: unknown, headers: Record<string, string> = {}) =>
  call(who, 'POST', '/api/v1/replies', body, headers);

/** Every issue of the answer against the schema the served document gives for it: none, when it tells the truth. */
const issues = (answer: ApiAnswer) => answerIssues(document, '/api/v1/replies', 'post', answer);

/** A citizen's new inquiry, routed by its category; one at a time: dynalite has lost concurrent writes. */
const opened = (name: string, category: Category = 'housing', text = 'Нет воды в доме с утра') =>
  openInquiry(
    { config: localConfig, inquiries: repository },
    { peerId: ++peer, eventKey: `many-${name}`, text, category },
  );

const queued = async () =>
  (await drainQueue(aws.sqs, aws.queues.answers.url)).map((body) => JSON.parse(body) as OutboxMessage);

const detail = async (id: string) => {
  const read = await call(admin, 'GET', `/api/v1/inquiries/${id}`);
  expect(read.status).toBe(200);
  return read.body;
};

/**
 * The history entries a change added, without what differs from one change to another of the same kind: when
 * it was made, its key, its outbox id.
 */
const added = (before: { history: unknown[] }, after: { history: HistoryEntry[] }) =>
  after.history
    .slice(before.history.length)
    .map(({ at, key, inquiryId, detail: { outboxId, ...detail } = {}, ...entry }) => ({ ...entry, detail }));

/** A history entry as the API gives it, of what these tests read. */
type HistoryEntry = { at: string; key: string; inquiryId: string; detail?: Record<string, unknown> };

beforeAll(async () => {
  aws = await startTestAws();
  // INFO, as in AWS, so that the request's lines are written and a test below reads them.
  Object.assign(process.env, { ANSWERS_QUEUE_URL: aws.queues.answers.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
  api = await operatorApiWithClaims();
  ({ documents, repository } = operatorApiDepsOn(aws, localConfig));
  document = inlined((await call(admin, 'GET', OPENAPI_PATH)).body);
});
afterAll(() => aws?.stop());

describe('one answer to many inquiries', () => {
  it('answers each inquiry as a reply to it alone does: one message each, with its own case line', async () => {
    const ids = [await opened('a1'), await opened('a2'), await opened('a3')];
    const single = await opened('a-single');
    const before = await Promise.all([...ids, single].map(detail));
    await queued();

    const answer = await replies(
      olga,
      { inquiries: ids, text: WORDS },
      { 'idempotency-key': 'burst-main-1' },
    );
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ answered: 3, refused: 0 });
    expect(answer.body.results.map((result: { id: string }) => result.id)).toEqual(ids);
    // Of each, what a console acts on: its case number, status, version (its ETag) and the message's outbox id.
    for (const [index, result] of answer.body.results.entries())
      expect(result).toEqual({
        id: ids[index],
        status: 200,
        inquiry: {
          caseNumber: before[index]?.inquiry.caseNumber,
          status: 'answered',
          version: before[index]?.inquiry.version + 1,
          outboxId: expect.any(String),
        },
      });
    for (const id of ids) expect((await detail(id)).inquiry.assignee).toMatchObject({ id: olga.sub });

    // One message to each citizen, where they wrote, after the line naming their own case.
    const messages = await queued();
    expect(messages).toHaveLength(3);
    for (const [index, id] of ids.entries()) {
      const { caseNumber, replyTo } = before[index]?.inquiry ?? {};
      expect(messages.find((message) => message.inquiryId === id)).toMatchObject({
        id: answer.body.results[index].inquiry.outboxId,
        purpose: 'answer',
        replyTo,
        text: toCitizen(WORDS, caseNumber),
        requestedBy: olga.sub,
      });
    }

    // Recorded as a reply to one of them alone records it: the same entries, naming the operator.
    const alone = await call(olga, 'POST', `/api/v1/inquiries/${single}/reply`, { text: WORDS });
    expect(alone.status).toBe(200);
    const singleEntries = added(before[3], await detail(single));
    expect(singleEntries).toContainEqual(expect.objectContaining({ kind: 'reply', actorId: olga.sub }));
    for (const [index, id] of ids.entries())
      expect(added(before[index], await detail(id))).toEqual(singleEntries);
  });

  it('answers the others when some are refused, each result as a reply to it alone answers it', async () => {
    const fresh = await opened('b-fresh');
    const roads = await opened('b-roads', 'roads');
    const held = await opened('b-held');
    const answered = await opened('b-answered');
    const numbered = await opened('b-numbered');
    const last = await opened('b-last');
    expect((await call(anna, 'POST', `/api/v1/inquiries/${held}/take`)).status).toBe(200);
    expect((await call(olga, 'POST', `/api/v1/inquiries/${answered}/reply`, { text: 'Ждите.' })).status).toBe(
      200,
    );
    // A community's millionth case of the year: a case line one character longer, words one fewer.
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: inquiryPk(numbered), sk: INQUIRY_SK },
        UpdateExpression: 'SET caseNumber = :number',
        ExpressionAttributeValues: { ':number': '2026-1000001' },
      }),
    );
    const heldBefore = await detail(held);
    const numberedBefore = await detail(numbered);
    await queued();

    // As long as a six-digit case's line leaves room for.
    const words = `${WORDS} `.repeat(200).slice(0, 8972).trim().padEnd(8972, '.');
    const inquiries = [fresh, roads, held, answered, numbered, last];
    const answer = await replies(olga, { inquiries, text: words }, { 'idempotency-key': 'burst-main-2' });
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ answered: 3, refused: 3 });
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        id: fresh,
        status: 200,
        inquiry: expect.objectContaining({ status: 'answered' }),
      }),
      { id: roads, status: 404, problem: expect.objectContaining({ code: 'not_found' }) },
      {
        id: held,
        status: 409,
        problem: expect.objectContaining({
          code: 'taken_by_other',
          holder: { id: anna.sub, name: anna.name },
          current: { status: 'in_progress', version: heldBefore.inquiry.version },
        }),
      },
      // Answered before: a further word, recorded as such, the inquiry answered still.
      expect.objectContaining({
        id: answered,
        status: 200,
        inquiry: expect.objectContaining({ status: 'answered' }),
      }),
      {
        id: numbered,
        status: 400,
        problem: expect.objectContaining({
          code: 'validation_failed',
          issues: [expect.stringMatching(/at most 8971 characters for this inquiry/)],
        }),
      },
      expect.objectContaining({ id: last, status: 200 }),
    ]);
    const messages = await queued();
    expect(messages.map((message) => message.inquiryId).sort()).toEqual([fresh, answered, last].sort());
    expect(
      (await detail(answered)).history.filter((entry: { kind: string }) => entry.kind === 'reply'),
    ).toHaveLength(2);
    // Those refused are as they were.
    expect((await detail(held)).inquiry.version).toBe(heldBefore.inquiry.version);
    expect((await detail(numbered)).inquiry.version).toBe(numberedBefore.inquiry.version);

    // With `force`, the colleague's is answered too, and made the sender's; an admin answers any department's.
    const forced = await replies(
      olga,
      { inquiries: [held], text: WORDS, force: true },
      { 'idempotency-key': 'burst-main-2-forced' },
    );
    expect(forced.body.results).toEqual([expect.objectContaining({ status: 200 })]);
    expect((await detail(held)).inquiry.assignee).toMatchObject({ id: olga.sub });
    const byAdmin = await replies(
      admin,
      { inquiries: [roads, numbered], text: WORDS },
      { 'idempotency-key': 'burst-main-2-admin' },
    );
    expect(byAdmin.body).toMatchObject({ answered: 2, refused: 0 });
    expect((await queued()).map((message) => message.requestedBy)).toEqual([olga.sub, admin.sub, admin.sub]);
  });

  it('sends nothing twice when repeated with its key, whatever inquiries or `force` the repeat names', async () => {
    const ids = [await opened('c1'), await opened('c2'), await opened('c3')];
    await queued();
    const body = { inquiries: ids, text: WORDS };
    const key = { 'idempotency-key': 'burst-main-3' };
    const first = await replies(olga, body, key);
    expect(first.body).toMatchObject({ answered: 3, refused: 0 });
    const again = await replies(olga, body, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // A repeat naming more inquiries, with `force`: the new one answered, the others as made.
    const more = await opened('c4');
    const wider = await replies(olga, { inquiries: [...ids, more], text: WORDS, force: true }, key);
    expect(wider.body.results.slice(0, 3)).toEqual(first.body.results);
    expect(wider.body.results[3]).toMatchObject({ id: more, status: 200 });

    // A repeat queues the message again under the same outbox id (the first try may have stopped before it),
    // which the responder sends once: each citizen reads the answer once.
    const messages = await queued();
    expect(new Set(messages.map((message) => message.id))).toEqual(
      new Set([...first.body.results, wider.body.results[3]].map((result) => result.inquiry.outboxId)),
    );
    const { deliver, sent } = recordingDeliverer({
      config: localConfig,
      documents,
      tableName: aws.tableName,
    });
    for (const message of messages) expect((await deliver(message, 1)).done).toBe(true);
    expect(sent).toHaveLength(4);
    for (const id of [...ids, more])
      expect(
        (await detail(id)).history.filter((entry: { kind: string }) => entry.kind === 'reply'),
      ).toHaveLength(1);

    // Other words under the same key are another answer.
    const other = await replies(olga, { inquiries: ids, text: 'И ещё одно.' }, key);
    expect(other.body.results.map((result: { status: number }) => result.status)).toEqual([200, 200, 200]);
    expect(await queued()).toHaveLength(3);
  });

  it('answers the others when an inquiry’s item does not read as one, that result saying so', async () => {
    const ids = [await opened('m1'), await opened('m2'), await opened('m3'), await opened('m4', 'roads')];
    // Items edited by hand: one of Olga's department, one of another's, which she is never told of.
    for (const broken of [ids[1], ids[3]])
      await documents.send(
        new UpdateCommand({
          TableName: aws.tableName,
          Key: { pk: inquiryPk(broken ?? ''), sk: INQUIRY_SK },
          UpdateExpression: 'REMOVE replyTo',
        }),
      );
    await queued();
    const key = { 'idempotency-key': 'burst-main-malformed' };
    const answer = await replies(olga, { inquiries: ids, text: WORDS }, key);
    expect(answer.status).toBe(200);
    expect(issues(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ answered: 2, refused: 2 });
    expect(answer.body.results).toEqual([
      expect.objectContaining({ id: ids[0], status: 200 }),
      {
        id: ids[1],
        status: 500,
        problem: { code: 'stored_item_malformed', message: expect.stringContaining('replyTo') },
      },
      expect.objectContaining({ id: ids[2], status: 200 }),
      { id: ids[3], status: 404, problem: { code: 'not_found', message: 'no such inquiry' } },
    ]);
    expect((await queued()).map((message) => message.inquiryId).sort()).toEqual([ids[0], ids[2]].sort());
    // A repeat, the item still malformed, answers the same: not a 503 to repeat for ever.
    const again = await replies(olga, { inquiries: ids, text: WORDS }, key);
    expect(again.status).toBe(200);
    expect(again.body.results.map((result: { status: number }) => result.status)).toEqual([
      200, 500, 200, 404,
    ]);
  });

  it('asks for an Idempotency-Key, without which a retry after a lost answer would answer each citizen twice', async () => {
    const ids = [await opened('k1'), await opened('k2')];
    await queued();
    {
      const answer = await replies(olga, { inquiries: ids, text: WORDS });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'validation_failed', message: 'invalid header' });
      expect(answer.body.issues).toEqual([expect.stringMatching(/^Idempotency-Key: required/)]);
      expect(issues(answer)).toEqual([]);
    }
    expect(await queued()).toEqual([]);
    for (const id of ids) expect((await detail(id)).inquiry.status).toBe('routed');
  });

  it('logs how many were answered and refused, never the words nor which inquiries', async () => {
    const ids = [await opened('f1'), await opened('f2')];
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const words = 'Перезвоните нам по +7 912 345-67-89 или на water@example.ru';
      const answer = await replies(
        olga,
        { inquiries: [...ids, 'no-such-inquiry'], text: words },
        { 'idempotency-key': 'burst-main-logged' },
      );
      expect(answer.body).toMatchObject({ answered: 2, refused: 1 });
    } finally {
      write.mockRestore();
    }
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ message: 'operator replies', inquiries: 3, answered: 2, refused: 1 }),
    );
    const all = lines.join('');
    for (const secret of ['345-67-89', 'water@example.ru', 'Перезвоните', ...ids])
      expect(all).not.toContain(secret);
  });

  it('refuses a list it cannot answer: empty, too long, an inquiry twice, an id that is none', async () => {
    const id = await opened('d1');
    await queued();
    const refused = async (body: unknown, issue: RegExp) => {
      const answer = await replies(olga, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'validation_failed' });
      expect(answer.body.issues).toContainEqual(expect.stringMatching(issue));
      expect(answerIssues(document, '/api/v1/replies', 'post', answer)).toEqual([]);
    };
    await refused({ inquiries: [], text: WORDS }, /^inquiries: name at least one inquiry/);
    await refused(
      { inquiries: Array.from({ length: MAX_INQUIRIES_PER_REPLY + 1 }, (_, n) => `${id}${n}`), text: WORDS },
      /^inquiries: at most 100 inquiries a request/,
    );
    await refused({ inquiries: [id, 'other', id], text: WORDS }, /^inquiries\.2: the inquiry at 0 again/);
    await refused({ inquiries: [id, '../x'], text: WORDS }, /^inquiries\.1: not an inquiry’s id/);
    await refused({ inquiries: id, text: WORDS }, /^inquiries: /);
    await refused({ inquiries: [id] }, /^text: /);
    await refused({ inquiries: [id], text: '\u200b' }, /^text: holds no visible character/);
    await refused({ inquiries: [id], text: WORDS, ifMatch: '"1"' }, /^ifMatch: not a field of this body/);
    await refused(rawBody('{"inquiries": ['), /^body: not JSON/);
    expect(await queued()).toEqual([]);
    expect((await detail(id)).inquiry.status).toBe('routed');
  });

  it('answers a full page of 100 inquiries, in one request or, should its time run out, in its repeats', async () => {
    // Citizens' messages as long as VK lets them be (4096 characters), none of which the answer repeats.
    const long = (n: number) =>
      `Дом ${n}: ${'нет горячей воды и отопления третий день, '.repeat(100)}`.slice(0, 4096);
    const ids: string[] = [];
    for (let n = 0; n < MAX_INQUIRIES_PER_REPLY; n++) ids.push(await opened(`e${n}`, 'housing', long(n)));
    await queued();
    // Some 2 s here; a machine busy with other work may take longer than the time a request has: it answers
    // 503 with its key then, and the console repeats it, as a repeat after a 503 finishes the rest.
    const key = { 'idempotency-key': 'full-page' };
    let answer = await replies(olga, { inquiries: ids, text: WORDS }, key);
    for (let repeats = 0; answer.status === 503 && repeats < 3; repeats++)
      answer = await replies(olga, { inquiries: ids, text: WORDS }, key);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ answered: 100, refused: 0 });
    expect(answer.body.results.map((result: { id: string }) => result.id)).toEqual(ids);
    expect(issues(answer)).toEqual([]);
    expect(new Set((await queued()).map((message) => message.id)).size).toBe(100);
    // Eight at a time, each recorded: none of the writes side by side lost.
    for (const id of ids) expect((await repository.getInquiry(id))?.status).toBe('answered');
    // What a console needs of each, never the inquiries whole: far within Lambda's 6 MB of an answer, whatever
    // the citizens wrote (the body goes as a string within the function's answer, its quotes escaped).
    const sent = JSON.stringify(JSON.stringify(answer.body));
    expect(sent).not.toContain('горячей воды');
    expect(Buffer.byteLength(sent)).toBeLessThan(32 * 1024);
  });
});
