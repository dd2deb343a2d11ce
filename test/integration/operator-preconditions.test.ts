import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { openInquiry as openInquiryAs } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi, toCitizen } from '../support/operator-api.js';

/**
 * Changes made from a view of the inquiry (its ETag, sent back as `If-Match`): the handler against dynalite
 * and fauxqs, as the console calls it.
 */

const HOUSING = 'local-housing-token-change-me';
const ADMIN = 'local-admin-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;

let opened = 0;
const openInquiry = () => {
  opened++;
  return openInquiryAs(
    { config, inquiries: repository },
    {
      peerId: 7600 + opened,
      eventKey: `precondition-${opened}`,
      text: 'Не вывозят мусор во дворе',
      category: 'waste',
    },
  );
};

const queued = async () =>
  (await drainQueue(aws.sqs, aws.queues.answers.url)).map((body) => JSON.parse(body) as OutboxMessage);
const repliesOf = async (id: string) =>
  ((await repository.get(id))?.history ?? []).filter((entry) => entry.kind === 'reply');

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
});
afterAll(() => aws?.stop());
beforeEach(async () => {
  await drainQueue(aws.sqs, aws.queues.answers.url);
});

describe('a change made from what the operator saw (If-Match)', () => {
  it('gives the inquiry’s version as its ETag, in its detail and in the answer to a change', async () => {
    const id = await openInquiry();
    const detail = await call('GET', `/api/v1/inquiries/${id}`, HOUSING);
    expect(detail.headers.etag).toBe(`"${detail.body.inquiry.version}"`);
    const taken = await call(
      'POST',
      `/api/v1/inquiries/${id}/take`,
      HOUSING,
      {},
      { 'if-match': detail.headers.etag ?? '' },
    );
    expect(taken.status).toBe(200);
    expect(taken.headers.etag).toBe(`"${taken.body.version}"`);
    expect(taken.body.version).toBe(detail.body.inquiry.version + 1);
  });

  it('refuses a second answer from a stale view with 412, its current status and version, and sends nothing', async () => {
    const id = await openInquiry();
    // The operator and an admin both have the inquiry open, as routed.
    const seen = (await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).headers.etag ?? '';
    expect((await call('GET', `/api/v1/inquiries/${id}`, ADMIN)).headers.etag).toBe(seen);
    const first = await call(
      'POST',
      `/api/v1/inquiries/${id}/reply`,
      HOUSING,
      { text: 'Вывезли утром' },
      { 'if-match': seen },
    );
    expect(first.status).toBe(200);
    const second = await call(
      'POST',
      `/api/v1/inquiries/${id}/reply`,
      ADMIN,
      { text: 'Контейнеры вывезены' },
      { 'if-match': seen },
    );
    expect(second.status).toBe(412);
    expect(second.body).toMatchObject({ current: { status: 'answered', version: first.body.version } });
    expect(second.headers.etag).toBe(`"${first.body.version}"`);
    expect((await queued()).map((message) => message.text)).toEqual([toCitizen('Вывезли утром')]);
    expect((await repliesOf(id)).map((entry) => entry.detail.text)).toEqual(['Вывезли утром']);
    expect((await repository.getInquiry(id))?.version).toBe(first.body.version);
  });

  it('makes the change on the current version, or any with `*`; without If-Match as before', async () => {
    const id = await openInquiry();
    const seen = (await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).body.inquiry.version as number;
    const taken = await call(
      'POST',
      `/api/v1/inquiries/${id}/take`,
      HOUSING,
      {},
      { 'If-Match': `W/"${seen}", "${seen - 1}", "${seen}"` },
    );
    expect(taken.status).toBe(200);
    const answered = await call(
      'POST',
      `/api/v1/inquiries/${id}/intermediate-answer`,
      HOUSING,
      { text: 'Работаем' },
      { 'if-match': '*' },
    );
    expect(answered.status).toBe(200);
    // A weak tag never matches: If-Match compares strongly.
    const weak = await call(
      'POST',
      `/api/v1/inquiries/${id}/reply`,
      HOUSING,
      { text: 'Готово' },
      { 'if-match': `W/"${answered.body.version}"` },
    );
    expect(weak.status).toBe(412);
    // No If-Match: a reply to an inquiry answered meanwhile is a further word, as it always was.
    expect((await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Готово' })).status).toBe(
      200,
    );
    expect((await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Ещё' })).status).toBe(200);
    expect((await repliesOf(id)).map((entry) => entry.detail.text)).toEqual(['Работаем', 'Готово', 'Ещё']);
  });

  it('answers a repeat of a change made (same Idempotency-Key) as made, though its version moved on', async () => {
    const id = await openInquiry();
    const seen = (await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).headers.etag ?? '';
    const headers = { 'if-match': seen, 'idempotency-key': 'answer-once' };
    const first = await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Вывезли' }, headers);
    const again = await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Вывезли' }, headers);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    // Queued by both (the first may have stopped before), as one message: the responder sends it once.
    expect(new Set((await queued()).map((message) => message.id)).size).toBe(1);
    expect(await repliesOf(id)).toHaveLength(1);
    // Other words under the key are another change: made on the version it names, or not at all.
    const other = await call('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Иное' }, headers);
    expect(other.status).toBe(412);
  });

  it('answers a move that changes nothing with the inquiry as it is, and writes nothing', async () => {
    const id = await openInquiry();
    const seen = await call('GET', `/api/v1/inquiries/${id}`, HOUSING);
    const { category, priority, version } = seen.body.inquiry;
    for (const body of [
      { department: 'housing', reason: 'это наше' },
      { category, priority, reason: 'так и есть' },
    ]) {
      const moved = await call('POST', `/api/v1/inquiries/${id}/move`, ADMIN, body);
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ department: 'housing', category, priority, version });
      expect(moved.headers.etag).toBe(seen.headers.etag);
    }
    expect((await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).body.history).toEqual(seen.body.history);
    // A colleague's view is still the inquiry's: their change is made.
    const taken = await call(
      'POST',
      `/api/v1/inquiries/${id}/take`,
      HOUSING,
      {},
      { 'if-match': seen.headers.etag ?? '' },
    );
    expect(taken.status).toBe(200);
    // A move that changes something is made as before (on purpose: the colleague holds it now).
    const moved = await call('POST', `/api/v1/inquiries/${id}/move`, ADMIN, {
      department: 'roads',
      reason: 'это дороги',
      force: true,
    });
    expect(moved.body).toMatchObject({ department: 'roads', version: version + 2 });
  });

  it('refuses an If-Match that names no ETag with 400, and changes nothing', async () => {
    const id = await openInquiry();
    const version = (await repository.getInquiry(id))?.version;
    for (const value of [String(version), `"${version}`, `"${version}" "${version}"`])
      expect(
        (await call('POST', `/api/v1/inquiries/${id}/take`, HOUSING, {}, { 'if-match': value })).status,
        value,
      ).toBe(400);
    expect((await repository.getInquiry(id))?.status).toBe('routed');
  });
});
