import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { localConfigWithout } from '../support/config-without.js';
import { classifiedDirectMessage, openInquiry } from '../support/inquiries.js';

let aws: TestAws;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  aws = await startTestAws();
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
});
afterAll(() => aws?.stop());

const withRoads = parseAppConfig(localConfig, 'local');
const withoutRoads = localConfigWithout('roads');

const GONE_GROUP_ID = 777_002;
/** The configuration before a second community was removed from it, roads still in it. */
const withGoneCommunity = parseAppConfig(
  {
    ...localConfig,
    communities: [
      ...localConfig.communities,
      JSON.parse(
        JSON.stringify({ ...localConfig.communities[0], groupId: GONE_GROUP_ID }).replaceAll(
          `/${localConfig.communities[0]?.groupId}/`,
          `/${GONE_GROUP_ID}/`,
        ),
      ),
    ],
  },
  'local',
);

describe('the escalator and open inquiries under a department no longer configured, against dynalite', () => {
  it("hands them to the community's triage department, whose head is told of their deadline, once", async () => {
    // Routed to roads on Monday morning; its first response was due on Tuesday.
    const overdue = await openInquiry(
      { config: withRoads, inquiries: repository },
      {
        peerId: 7201,
        eventKey: 'e:7201',
        text: 'Яма на дороге',
        category: 'roads',
        at: '2026-03-02T06:00:00.000Z',
      },
    );
    // Routed the Friday after: due on Monday, not yet near its deadline at the run.
    const notYetDue = await openInquiry(
      { config: withRoads, inquiries: repository },
      {
        peerId: 7202,
        eventKey: 'e:7202',
        text: 'Не работает светофор',
        category: 'roads',
        at: '2026-03-06T06:00:00.000Z',
      },
    );
    const housing = await openInquiry(
      { config: withRoads, inquiries: repository },
      {
        peerId: 7203,
        eventKey: 'e:7203',
        text: 'Не вывозят мусор',
        category: 'waste',
        at: '2026-03-06T06:00:00.000Z',
      },
    );
    const notifier = recordingNotifier();
    const metrics = recordingMetrics();
    const warnings: unknown[] = [];
    const escalate = createEscalator({
      config: withoutRoads,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-06T07:00:00.000Z') },
      notifier,
      metrics,
      logWarning: (message, fields) => warnings.push({ message, ...fields }),
    });
    await escalate();

    for (const id of [overdue, notYetDue]) {
      const stored = await repository.get(id);
      expect(stored?.inquiry.department, id).toBe('triage');
      const moves = stored?.history.filter((entry) => entry.kind === 'moved') ?? [];
      expect(moves, id).toHaveLength(1);
      expect(moves[0]?.reason).toMatch(/department roads is no longer configured/);
    }
    expect((await repository.getInquiry(housing))?.department).toBe('housing');
    // The overdue one is told to triage's head on the run that moved it.
    const toTriage = notifier.sent.filter((digest) => digest.department === 'triage');
    expect(toTriage.flatMap((digest) => digest.notifications.map((notice) => notice.inquiryId))).toContain(
      overdue,
    );
    expect(
      metrics.counts.filter((count) => count.name === 'InquiriesMovedFromUnconfiguredDepartments'),
    ).toEqual([
      { name: 'InquiriesMovedFromUnconfiguredDepartments', dimensions: {} },
      { name: 'InquiriesMovedFromUnconfiguredDepartments', dimensions: {} },
    ]);
    expect(warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ inquiryId: overdue, fromDepartment: 'roads' })]),
    );

    // The next run finds nothing left to move.
    await escalate();
    for (const id of [overdue, notYetDue]) {
      const moves = (await repository.get(id))?.history.filter((entry) => entry.kind === 'moved') ?? [];
      expect(moves, id).toHaveLength(1);
    }
    expect(
      metrics.counts.filter((count) => count.name === 'InquiriesMovedFromUnconfiguredDepartments'),
    ).toHaveLength(2);
  });

  it('leaves one of a community no longer configured where it is, and says so, every run', async () => {
    const router = createMessageRouter({
      config: withGoneCommunity,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-02T06:00:00.000Z') },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const opened = classifiedDirectMessage({
      peerId: 7301,
      eventKey: 'e:7301',
      text: 'Яма на дороге',
      category: 'roads',
      at: '2026-03-02T06:00:00.000Z',
    });
    const { inquiryId } = await router.routeCitizenMessage({
      ...opened,
      message: { ...opened.message, groupId: GONE_GROUP_ID },
    });
    expect((await repository.getInquiry(inquiryId))?.department).toBe('roads');
    const warnings: { message: string }[] = [];
    const run = await createEscalator({
      config: withoutRoads,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-06T07:00:00.000Z') },
      notifier: recordingNotifier(),
      logWarning: (message, fields) => warnings.push({ message, ...fields }),
    })();
    expect(run).toMatchObject({ failed: 0 });
    expect((await repository.getInquiry(inquiryId))?.department).toBe('roads');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/left there: its community is not configured/),
        inquiryId,
        department: 'roads',
      }),
    );
  });
});
