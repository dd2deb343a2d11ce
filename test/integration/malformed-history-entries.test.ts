import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { MalformedHistoryEntry } from '../../lambdas/adapters/history-items.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * A history entry that does not read as one (an edit in the console, a restore of a half-written state) is
 * left out of what the operator API shows, and told by its inquiry, time and attributes: the inquiry and the
 * rest of its history are still shown, not a 500 that hides the whole case from its operators.
 */
const ADMIN = 'local-admin-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  ({ aws, call, documents } = await startOperatorApi('answers'));
});
afterAll(() => aws?.stop());

/** A history item of the inquiry at `at`, as an edit in the console leaves it. */
const putEntry = (inquiryId: string, at: string, entry: Record<string, unknown>) => {
  const key = `${at}#edited-by-hand#0`;
  const item = { pk: `INQ#${inquiryId}`, sk: `HIST#${key}`, entity: 'history', inquiryId, key, at, ...entry };
  return documents.send(new PutCommand({ TableName: aws.tableName, Item: item }));
};

describe('a malformed history entry', () => {
  it('is left out of the detail and the history pages, which show the rest, and is told by its attributes', async () => {
    const opened = new Date(Date.now() - 10 * 60_000);
    const minute = (n: number) => new Date(opened.getTime() + n * 60_000).toISOString();
    const router = createMessageRouter({
      config,
      inquiries: new DynamoInquiryRepository(documents, aws.tableName),
      clock: { now: () => opened },
      inquiryIdFor: (_groupId, eventKey) => `bad-history-${eventKey}`,
    });
    const message = classifiedDirectMessage({
      peerId: 4_600_001,
      eventKey: 'entries',
      text: 'Не вывозят мусор',
      category: 'waste',
      at: opened.toISOString(),
    });
    const id = (await router.routeCitizenMessage(message)).inquiryId;
    const actor = 'router';
    // A kind this release does not know (a later one's): shown, its detail empty, as the document says.
    await putEntry(id, minute(1), { kind: 'a_later_kind', actor, detail: { note: 'x' } });
    await putEntry(id, minute(2), { kind: 'message', actor, detail: 'Не вывозят мусор' });
    await putEntry(id, minute(3), { kind: 'status', actor: 'martian', detail: {} });
    await putEntry(id, minute(4), { kind: 'status', actor, at: 'вчера', detail: {} });
    await putEntry(id, minute(5), { kind: 'status', actor, key: 7, detail: ['x'] });
    const stored = await documents.send(
      new GetCommand({
        TableName: aws.tableName,
        Key: { pk: `INQ#${id}`, sk: `HIST#${minute(5)}#edited-by-hand#0` },
      }),
    );

    const detail = await call('GET', `/api/v1/inquiries/${id}`, ADMIN);
    const history = await call('GET', `/api/v1/inquiries/${id}/history`, ADMIN);
    for (const answer of [detail, history]) {
      expect(answer.status).toBe(200);
      const entries = answer.body.history as { kind: string; at: string; detail: unknown }[];
      expect(entries.map((entry) => entry.kind)).toContain('routed');
      expect(entries.filter((entry) => entry.at >= minute(1))).toEqual([
        expect.objectContaining({ kind: 'a_later_kind', at: minute(1), detail: {} }),
      ]);
    }

    const told: MalformedHistoryEntry[] = [];
    const repository = new DynamoInquiryRepository(documents, aws.tableName, (found) => told.push(found));
    const page = await repository.historyPage(id, { limit: 100 });
    expect(page.entries.filter((entry) => entry.at >= minute(1)).map((entry) => entry.kind)).toEqual([
      'a_later_kind',
    ]);
    expect(told).toEqual([
      { inquiryId: id, at: minute(5), attributes: ['key', 'detail'] },
      { inquiryId: id, at: minute(4), attributes: ['at'] },
      { inquiryId: id, at: minute(3), attributes: ['actor'] },
      { inquiryId: id, at: minute(2), attributes: ['detail'] },
    ]);
    // Read, not mended: the item is as the edit left it.
    const again = await documents.send(
      new GetCommand({
        TableName: aws.tableName,
        Key: { pk: `INQ#${id}`, sk: `HIST#${minute(5)}#edited-by-hand#0` },
      }),
    );
    expect(again.Item).toEqual(stored.Item);
  });
});
