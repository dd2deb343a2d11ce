import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { erasureOf } from '../../lambdas/domain/inquiry/retention.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { eraseInquiry } from '../../ops/citizen-erase/erase-inquiry.js';
import { openInquiryFinisher } from '../../ops/citizen-erase/finish-open.js';
import { answeredWasteReport } from '../support/answered-report.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';

/** One inquiry of a citizen's erasure, deleted through the retention sweep's path, as it is when it comes to it. */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let store: DynamoRetentionStore;
const config = readConfigFile(TEST_CONFIG_FILE);
const community = config.communities.find(({ groupId }) => groupId === DEMO_GROUP_ID);
const OPEN = 'open: not deleted without --include-open';

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  store = new DynamoRetentionStore(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/** A citizen's message routed at `at`, answered an hour later unless `open`; the inquiry as stored. */
const inquiryOf = (peerId: number, eventKey: string, at: string, open = false): Promise<Inquiry> =>
  answeredWasteReport({
    config,
    repository,
    idPrefix: 'ei',
    peerId,
    eventKey,
    at,
    ...(!open && { answeredAt: new Date(Date.parse(at) + 3_600_000).toISOString() }),
  });

describe("an inquiry of a citizen's erasure, against dynalite", () => {
  it('is deleted on what it has become when it changed since it was read, still finished', async () => {
    const read = await inquiryOf(7_400_001, 'c1', '2026-03-02T04:00:00.000Z');
    // An operator's change lands between the erasure's read and its deletion: the inquiry stays answered.
    await repository.update(
      { ...read, version: read.version + 1, updatedAt: '2026-03-03T04:00:00.000Z' },
      read.version,
      [],
    );
    const erased = await eraseInquiry(read, store, undefined, OPEN);
    expect(erased).toEqual({ deleted: true, items: expect.any(Number) });
    expect(await repository.getInquiry(read.id)).toBeUndefined();
  });

  it('is not counted deleted when another deletion took it meanwhile', async () => {
    const read = await inquiryOf(7_400_002, 'g1', '2026-03-02T04:00:00.000Z');
    expect(await store.beginErasure(erasureOf(read))).toBe('begun');
    await store.finishErasure(erasureOf(read));
    expect(await eraseInquiry(read, store, undefined, OPEN)).toEqual({ deleted: false });
    // Nor by the next sweep, which would take a mark left of it for a stopped run's.
    const sweep = createRetentionSweep({
      config,
      store,
      clock: { now: () => new Date('2026-03-05T00:00:00.000Z') },
    });
    expect(await sweep(() => true)).toMatchObject({ deleted: 0, failed: 0 });
  });

  it('is kept, with the refusal as its reason, when finishing it open is refused', async () => {
    const open = await inquiryOf(7_400_003, 'r1', '2026-03-02T04:00:00.000Z', true);
    const asked: string[] = [];
    const refusing = async (inquiry: Inquiry) => {
      asked.push(inquiry.id);
      return 'the inquiry cannot be rejected now';
    };
    expect(await eraseInquiry(open, store, refusing, OPEN)).toEqual({
      deleted: false,
      kept: 'the inquiry cannot be rejected now',
    });
    expect(asked).toEqual([open.id]);
    expect(await repository.getInquiry(open.id)).toMatchObject({ status: open.status });
  });

  it('is rejected into its community’s triage when open, out of its department’s work, before it is deleted', async () => {
    const open = await inquiryOf(7_400_004, 'o1', '2026-03-02T04:00:00.000Z', true);
    expect(open.department).not.toBe(community?.triageDepartment);
    const finish = openInquiryFinisher({
      config,
      inquiries: repository,
      queries: new DynamoOperatorQueries(documents, aws.tableName),
      outbox: { send: () => Promise.reject(new Error('nothing is sent')) },
      clock: { now: () => new Date('2026-03-02T05:00:00.000Z') },
    });
    expect(await finish(open)).toBeUndefined();
    expect(await repository.getInquiry(open.id)).toMatchObject({
      status: 'rejected',
      department: community?.triageDepartment,
    });
  });
});
