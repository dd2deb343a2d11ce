import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { QuotedMessage } from '../../lambdas/domain/vk/citizen-message.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * An inquiry's history read a page at a time: the handler against dynalite, as the console calls it. A
 * dialogue grows with every message, edit and delivery, and one answer of Lambda's holds 6 MB at most.
 */

const HOUSING = 'local-housing-token-change-me';
const ROADS = 'local-roads-token-change-me';
/** What Lambda answers at most (a synchronous invocation's response payload), all of the answer's JSON. */
const LAMBDA_ANSWER_LIMIT = 6 * 1024 * 1024;
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;

/** A long message in Cyrillic (two bytes a character), as long as VK lets a message be. */
const longText = (n: number) => `Сообщение ${n}: ${'в подъезде снова не убрано '.repeat(160)}`.slice(0, 4096);
/** Fifty forwarded messages, 6,000 characters in all: as much as the classifier keeps of them. */
const forwarded: QuotedMessage[] = Array.from({ length: 50 }, (_, index) => ({
  kind: 'forwarded',
  depth: 1,
  authorId: 700 + index,
  sentAt: '2026-01-10T09:00:00.000Z',
  text: `Переслано ${index}: ${'соседи жалуются на мусор '.repeat(5)}`.slice(0, 120),
}));

/** An inquiry opened by a message and written to `followUps` times more by its citizen, through the router. */
async function dialogue(peerId: number, followUps: number, quoted?: QuotedMessage[]): Promise<string> {
  const start = Date.now() - (followUps + 10) * 60_000;
  const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
  const router = (minute: number) =>
    createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date(at(minute)) },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
  const message = (n: number) => {
    const classified = classifiedDirectMessage({
      peerId,
      eventKey: `history-${peerId}-${n}`,
      text: n === 0 ? 'Не вывозят мусор во дворе' : longText(n),
      category: 'waste',
      at: at(n),
    });
    return n === 0 || !quoted ? classified : { ...classified, message: { ...classified.message, quoted } };
  };
  const { inquiryId } = await router(0).routeCitizenMessage(message(0));
  for (let n = 1; n <= followUps; n++) await router(n).routeCitizenMessage(message(n));
  return inquiryId;
}

/** Every page of the history, from the detail back to the first entry: the keys as each page gave them. */
async function wholeHistory(id: string, limit?: number) {
  const detail = await call('GET', `/api/v1/inquiries/${id}`, HOUSING);
  expect(detail.status).toBe(200);
  const pages = [detail.body.history as { key: string; kind: string }[]];
  let cursor: string | undefined = detail.body.historyCursor;
  while (cursor) {
    const page = await call(
      'GET',
      `/api/v1/inquiries/${id}/history?cursor=${cursor}${limit ? `&limit=${limit}` : ''}`,
      HOUSING,
    );
    expect(page.status).toBe(200);
    pages.unshift(page.body.history);
    cursor = page.body.nextCursor;
  }
  return { detail, pages, entries: pages.flat() };
}

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
});
afterAll(() => aws?.stop());

describe("an inquiry's history, a page at a time", () => {
  it('opens an inquiry of 300 long messages within what Lambda answers, and reaches all of its history', async () => {
    const id = await dialogue(8800, 300, forwarded);
    const stored = (await repository.get(id))?.history ?? [];
    expect(stored.filter((entry) => entry.kind === 'message')).toHaveLength(301);

    const { detail, pages, entries } = await wholeHistory(id);
    expect(Buffer.byteLength(JSON.stringify(detail.body))).toBeLessThan(LAMBDA_ANSWER_LIMIT);
    // The newest entries first: the citizen's last message ends the detail's page.
    expect(detail.body.history.at(-1)).toMatchObject({
      kind: 'message',
      detail: { text: longText(300), quoted: forwarded },
    });
    expect(detail.body.historyCursor).toEqual(expect.any(String));
    expect(pages.length).toBeGreaterThan(1);
    // Every entry once, in the order of its key, the first page beginning with the opening message.
    expect(entries).toHaveLength(stored.length);
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(stored.length);
    const keys = entries.map((entry) => entry.key);
    expect(keys.map((key) => key.split('#')[0])).toEqual(stored.map((entry) => entry.key.split('#')[0]));
    expect(entries[0]).toMatchObject({ kind: 'message', detail: { text: 'Не вывозят мусор во дворе' } });
  }, 120_000);

  it('gives in the detail the newest page of 100 entries at most, the page the history gives first', async () => {
    const id = await dialogue(8803, 0);
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not opened');
    const from = Date.now() + 60_000;
    const entries = Array.from({ length: 120 }, (_entry, index) => {
      const at = new Date(from + index * 1000).toISOString();
      return {
        inquiryId: id,
        key: `${at}#short-${index}#0`,
        at,
        kind: 'message' as const,
        actor: 'citizen' as const,
        actorId: inquiry.authorId,
        detail: { text: `И ещё ${index}` },
      };
    });
    await repository.update({ ...inquiry, version: inquiry.version + 1 }, inquiry.version, entries);

    const detail = (await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).body;
    // At most 100, the oldest instant of those read left to the next page, which holds it whole.
    expect(detail.history.length).toBeGreaterThan(90);
    expect(detail.history.length).toBeLessThanOrEqual(100);
    expect(detail.history.at(-1)).toMatchObject({ detail: { text: 'И ещё 119' } });
    const newest = (await call('GET', `/api/v1/inquiries/${id}/history`, HOUSING)).body;
    expect(newest).toEqual({ history: detail.history, nextCursor: detail.historyCursor });
  });

  it('keeps the entries of one instant on one page, so that small pages give each entry once', async () => {
    const id = await dialogue(8801, 3);
    const stored = (await repository.get(id))?.history ?? [];
    const whole = (await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).body.history;
    expect(whole).toHaveLength(stored.length);
    expect((await call('GET', `/api/v1/inquiries/${id}`, HOUSING)).body.historyCursor).toBeUndefined();

    // Pages of two, from the newest page (the history route without a cursor, as the detail gives it).
    const pages: { key: string }[][] = [];
    let query = '?limit=2';
    for (;;) {
      const page = await call('GET', `/api/v1/inquiries/${id}/history${query}`, HOUSING);
      expect(page.status).toBe(200);
      pages.unshift(page.body.history);
      if (!page.body.nextCursor) break;
      query = `?limit=2&cursor=${page.body.nextCursor}`;
    }
    expect(pages.flat()).toEqual(whole);
    // The opening message's entries (message, classification, routing) share their instant and their page.
    const instantOf = (key: string) => key.split('#')[0];
    const opening = instantOf(whole[0].key);
    const ofOpening = (entries: { key: string }[]) =>
      entries.filter((entry) => instantOf(entry.key) === opening);
    expect(ofOpening(whole).length).toBeGreaterThan(2);
    expect(pages.map((page) => ofOpening(page).length)).toContain(ofOpening(whole).length);
    // Two entries a page at most, but for the page that holds the opening's instant whole.
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) if (ofOpening(page).length === 0) expect(page.length).toBeLessThanOrEqual(2);
  });

  it('answers 400 to a cursor it did not give (one made by hand too), and 404 for another department’s inquiry', async () => {
    const id = await dialogue(8802, 0);
    const bad = await call('GET', `/api/v1/inquiries/${id}/history?cursor=not-a-cursor`, HOUSING);
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    // Made by hand in the cursor's own shape, with no time in it: refused, not the newest page again.
    // A date or a number JavaScript would read as a time, or an instant that is none.
    for (const before of ['zzzz', '2026-13-45', ' ', '2026-03-01', '1', '2026-13-01T10:00:00Z']) {
      const forged = Buffer.from(JSON.stringify({ before })).toString('base64url');
      const answer = await call('GET', `/api/v1/inquiries/${id}/history?cursor=${forged}`, HOUSING);
      expect(answer).toMatchObject({
        status: 400,
        body: { code: 'validation_failed', issues: ['cursor: the cursor is not one this API gave'] },
      });
    }
    expect((await call('GET', `/api/v1/inquiries/${id}/history?limit=0`, HOUSING)).status).toBe(400);
    expect((await call('GET', `/api/v1/inquiries/${id}/history`, ROADS)).status).toBe(404);
    expect((await call('GET', '/api/v1/inquiries/no-such-inquiry/history', HOUSING)).status).toBe(404);
  });
});
