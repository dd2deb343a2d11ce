import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { localConfigWithout } from '../support/config-without.js';
import { warningsBesidesCalendar } from '../support/counted.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage, openInquiry } from '../support/inquiries.js';
import { answeredByOperator } from '../support/operator-answer.js';

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

const stored = async (id: string): Promise<Inquiry> => {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  return inquiry;
};

/** A citizen's pothole report, routed to roads while roads was configured; its id. */
const openedUnderRoads = async (peerId: number) => {
  const id = await openInquiry(
    { config: withRoads, inquiries: repository },
    { peerId, eventKey: `e:${peerId}a`, text: 'Яма на дороге', category: 'roads' },
  );
  expect((await stored(id)).department).toBe('roads');
  return id;
};

/** The citizen's follow-up, routed by a router whose configuration no longer has roads. */
const followUp = (
  peerId: number,
  metrics = recordingMetrics(),
  logWarning?: (message: string, detail: Record<string, unknown>) => void,
) => {
  const router = createMessageRouter({
    config: withoutRoads,
    inquiries: repository,
    metrics,
    ...(logWarning && { logWarning }),
    clock: { now: () => new Date() },
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
  });
  const message = classifiedDirectMessage({
    peerId,
    eventKey: `e:${peerId}b`,
    text: 'Яма всё ещё на месте',
    category: 'roads',
    at: new Date().toISOString(),
  });
  return () => router.routeCitizenMessage(message);
};

const movedEntries = async (id: string) =>
  ((await repository.get(id))?.history ?? []).filter((entry) => entry.kind === 'moved');

describe('an inquiry under a department no longer configured, against dynalite', () => {
  it("a citizen's follow-up joins it and hands it to the community's triage department, once", async () => {
    const id = await openedUnderRoads(7101);
    const metrics = recordingMetrics();
    const route = followUp(7101, metrics);
    const routed = await route();
    expect(routed).toMatchObject({ inquiryId: id, outcome: 'joined', department: 'triage' });
    const moved = await stored(id);
    expect(moved).toMatchObject({ department: 'triage', status: 'routed', messageCount: 2 });
    const entries = await movedEntries(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.reason).toMatch(/department roads is no longer configured/);
    expect(entries[0]?.detail).toMatchObject({ fromDepartment: 'roads', toDepartment: 'triage' });
    // Redelivered: nothing changes, nothing moves twice.
    expect(await route()).toMatchObject({ inquiryId: id, outcome: 'duplicate', department: 'triage' });
    expect((await stored(id)).version).toBe(moved.version);
    expect(await movedEntries(id)).toHaveLength(1);
    // Counted once, for the alarm that tells ops the rest of the old department is still to move.
    expect(metrics.counts.filter(({ name }) => name === 'InquiriesMovedFromUnconfiguredDepartments')).toEqual(
      [{ name: 'InquiriesMovedFromUnconfiguredDepartments', dimensions: {} }],
    );
  });

  it("a citizen's message reopens an answered one in triage, out of the hands of the operator who held it", async () => {
    const id = await openedUnderRoads(7102);
    const opened = await stored(id);
    const community = withRoads.communities[0];
    if (!community) throw new Error('no community');
    const answered = await answeredByOperator(repository, opened, {
      cause: `op:answer:${id}`,
      at: new Date().toISOString(),
      operatorId: 'roads-operator',
      operatorName: 'Оператор дорог',
      text: 'Заделаем',
      calendar: community.calendar,
    });
    expect(answered).toMatchObject({ status: 'answered', assignee: { id: 'roads-operator' } });

    const routed = await followUp(7102)();
    expect(routed).toMatchObject({ inquiryId: id, outcome: 'reopened', department: 'triage' });
    const reopened = await stored(id);
    expect(reopened).toMatchObject({ status: 'reopened', department: 'triage' });
    expect(reopened.assignee).toBeUndefined();
    expect(await movedEntries(id)).toHaveLength(1);
  });

  it("the citizen's edit of its message hands it to triage too, once", async () => {
    const id = await openedUnderRoads(7104);
    const router = createMessageRouter({
      config: withoutRoads,
      inquiries: repository,
      clock: { now: () => new Date() },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const edit = {
      kind: 'message_changed' as const,
      eventKey: 'e:7104:edit',
      receivedAt: new Date().toISOString(),
      groupId: DEMO_GROUP_ID,
      change: 'edited' as const,
      channel: 'direct_message' as const,
      messageRef: 'dm:7104:e:7104a',
      text: 'Яма на дороге у дома 5',
    };
    expect(await router.applyMessageChange(edit)).toMatchObject({ inquiryId: id, outcome: 'changed' });
    const moved = await stored(id);
    expect(moved).toMatchObject({ department: 'triage', text: 'Яма на дороге у дома 5' });
    expect(await router.applyMessageChange(edit)).toMatchObject({ inquiryId: id, outcome: 'duplicate' });
    expect((await stored(id)).version).toBe(moved.version);
    expect(await movedEntries(id)).toHaveLength(1);
  });

  it('a follow-up to an inquiry of a configured department moves nothing', async () => {
    const id = await openInquiry(
      { config: withRoads, inquiries: repository },
      { peerId: 7103, eventKey: 'e:7103a', text: 'Не вывозят мусор', category: 'waste' },
    );
    expect(await followUp(7103)()).toMatchObject({ inquiryId: id, outcome: 'joined', department: 'housing' });
    expect(await movedEntries(id)).toHaveLength(0);
  });

  it("a citizen's first message about the roads opens an inquiry in triage, which moved from nowhere", async () => {
    // Routed as the others' follow-ups, but of a citizen who never wrote before. The opening's follow-ups are
    // the stored change's (router-context.ts): its move to triage tells nothing here.
    const metrics = recordingMetrics();
    const warnings: string[] = [];
    const routed = await followUp(7106, metrics, (message) => warnings.push(message))();
    expect(routed).toMatchObject({ outcome: 'opened', created: true, department: 'triage' });
    expect(metrics.counts.map(({ name }) => name)).toContain('InquiriesOpened');
    expect(metrics.counts.map(({ name }) => name)).not.toContain('InquiriesMovedFromUnconfiguredDepartments');
    expect(warningsBesidesCalendar(warnings)).toEqual([]);
    expect(await movedEntries(routed.inquiryId as string)).toHaveLength(0);
  });
});

describe('an edit reporting a danger in an inquiry under a department no longer configured', () => {
  it('raises it and hands it to triage in one write, whose head hears of it as critical', async () => {
    const id = await openedUnderRoads(7105);
    const before = await stored(id);
    expect(before.priority).not.toBe('critical');
    const router = createMessageRouter({
      config: withoutRoads,
      inquiries: repository,
      clock: { now: () => new Date() },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const edit = {
      kind: 'message_changed' as const,
      eventKey: 'e:7105:edit',
      receivedAt: new Date().toISOString(),
      groupId: DEMO_GROUP_ID,
      change: 'edited' as const,
      channel: 'direct_message' as const,
      messageRef: 'dm:7105:e:7105a',
      text: 'Яма на дороге, и теперь пахнет газом из люка',
      classification: {
        category: 'roads' as const,
        priority: 'critical' as const,
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 'test',
      },
    };
    expect(await router.applyMessageChange(edit)).toMatchObject({ inquiryId: id, raised: true });
    const changed = await repository.get(id);
    expect(changed?.inquiry).toMatchObject({
      department: 'triage',
      priority: 'critical',
      raiseCause: edit.eventKey,
    });
    expect(await movedEntries(id)).toHaveLength(1);
    // Its critical notice goes to the department it is in, not to the one no longer configured.
    const notifier = recordingNotifier();
    await createEscalator({
      config: withoutRoads,
      inquiries: repository,
      clock: { now: () => new Date() },
      notifier,
    })();
    const told = notifier.sent.filter((digest) =>
      digest.notifications.some((notice) => notice.inquiryId === id),
    );
    expect(told.map((digest) => digest.department)).toEqual(['triage']);
  });
});
