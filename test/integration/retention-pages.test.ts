import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { openingItem } from '../../lambdas/adapters/unopened-inquiries.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { answeredWasteReport } from '../support/answered-report.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { everyTableItem } from '../support/table-items.js';

/**
 * The sweep reads its lists a page at a time: what lies past the first page is as due as what lies on it, and
 * a count of what went is what went.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/** A citizen's message routed at `at`, answered by an operator at `answeredAt`; resolves the inquiry's id. */
const answered = async (peerId: number, eventKey: string, at: string, answeredAt: string): Promise<string> =>
  (
    await answeredWasteReport({
      config,
      repository,
      idPrefix: 'page',
      peerId,
      eventKey,
      at,
      answeredAt,
      text: 'Во дворе не вывозят мусор',
    })
  ).id;

const sweepAt = (at: string) =>
  createRetentionSweep({
    config,
    store: new DynamoRetentionStore(documents, aws.tableName),
    clock: { now: () => new Date(at) },
    pageSize: 1,
  });

const everyItem = () => everyTableItem(documents, aws.tableName);

describe('the retention sweep, a page at a time, against dynalite', () => {
  it("deletes every due inquiry of a department, past its index's first page", async () => {
    // One still open first in the index, then three answered: the pages past the first hold the due ones.
    await openedBefore('2026-03-02T03:00:00.000Z');
    const ids = [
      await answered(9_500_001, 'p1', '2026-03-02T04:00:00.000Z', '2026-03-02T06:00:00.000Z'),
      await answered(9_500_002, 'p2', '2026-03-02T04:10:00.000Z', '2026-03-02T06:00:00.000Z'),
      await answered(9_500_003, 'p3', '2026-03-02T04:20:00.000Z', '2026-03-02T06:00:00.000Z'),
    ];
    for (const id of [...ids, 'open-o1'])
      expect((await repository.getInquiry(id))?.department).toBe('housing');
    const run = await sweepAt('2031-03-04T06:00:00.000Z')(() => true);
    expect(run).toMatchObject({ deleted: 3, failed: 0, complete: true });
    for (const id of ids) expect(await repository.getInquiry(id)).toBeUndefined();
    expect(JSON.stringify(await everyItem())).not.toContain('"page-p');
    expect((await everyItem()).filter((item) => item.entity === 'inquiry')).toHaveLength(1);
  });

  it('discards the marks of every try past its days, past the first page, counting no inquiry for a mark alone', async () => {
    // Tries that stopped after their mark, before their history: nothing of the citizen's words was written.
    const marks = [1, 2, 3].map((n) => ({
      inquiryId: `page-stopped-${n}`,
      groupId: DEMO_GROUP_ID,
      conversationKey: `dm:${9_600_000 + n}`,
      authorId: 9_600_000 + n,
      at: `2026-05-0${n}T04:00:00.000Z`,
    }));
    for (const mark of marks)
      await documents.send(new PutCommand({ TableName: aws.tableName, Item: openingItem(mark) }));
    const run = await sweepAt('2026-06-01T06:00:00.000Z')(() => true);
    expect(run).toEqual({ deleted: 0, items: 0, kept: 0, unopened: 0, failed: 0, complete: true });
    expect((await everyItem()).filter((item) => item.entity === 'opening')).toEqual([]);
  });

  it('discards the mark of a try that stored its inquiry and stopped before deleting the mark, keeping the inquiry', async () => {
    const id = await answered(9_600_010, 's1', '2026-07-06T04:00:00.000Z', '2026-07-06T06:00:00.000Z');
    const mark = {
      inquiryId: id,
      groupId: DEMO_GROUP_ID,
      conversationKey: 'dm:9600010',
      authorId: 9_600_010,
      at: '2026-07-06T04:00:00.000Z',
    };
    await documents.send(new PutCommand({ TableName: aws.tableName, Item: openingItem(mark) }));
    const run = await sweepAt('2026-08-03T06:00:00.000Z')(() => true);
    expect(run).toEqual({ deleted: 0, items: 0, kept: 0, unopened: 0, failed: 0, complete: true });
    expect((await everyItem()).filter((item) => item.entity === 'opening')).toEqual([]);
    expect(await repository.getInquiry(id)).toBeDefined();
  });
});

/** An open inquiry of another citizen, opened before the others: the first in its department's index. */
async function openedBefore(at: string): Promise<void> {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, key) => `open-${key}`,
  });
  await router.routeCitizenMessage(
    classifiedDirectMessage({
      peerId: 9_500_000,
      eventKey: 'o1',
      at,
      text: 'Во дворе не вывозят мусор',
      category: 'waste',
    }),
  );
}
