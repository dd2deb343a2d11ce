import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { type AppConfig, parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../lambdas/domain/inquiry/state-machine.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import type { DeadlineDigest, EscalationNotifier } from '../../lambdas/domain/ports.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';

/**
 * Deadline warnings the escalator holds back while their e-mail is refused, and then never tells: each is
 * counted (`DeadlineWarningsDropped`) and logged by ids. Through the escalator's and the state machine's code
 * against dynalite.
 */

let aws: TestAws;
let repository: DynamoInquiryRepository;

/**
 * The demo configuration with a resolution of one working hour for `high` roads inquiries: the resolution's
 * deadline can pass before the first response's, owed again after VK refused the intermediate answer.
 */
const local = JSON.parse(readFileSync('config/local.json', 'utf8'));
const config: AppConfig = parseAppConfig(
  {
    ...local,
    sla: {
      ...local.sla,
      overrides: [...local.sla.overrides, { category: 'roads', priority: 'high', resolutionHours: 1 }],
    },
  },
  'short resolution',
);

beforeAll(async () => {
  aws = await startTestAws();
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
});
afterAll(() => aws?.stop());

const refusing: EscalationNotifier = {
  notify: async () => {
    throw new Error('SNS cannot be reached');
  },
};

let citizens = 0;

/** A `high` roads inquiry opened at 09:00 in Perm on `day`: warned at 12:12 (07:12 UTC), due at 13:00 (08:00 UTC). */
async function openAt(day: string, key: string): Promise<string> {
  return openInquiry(
    { config, inquiries: repository },
    {
      peerId: 8000 + ++citizens,
      eventKey: key,
      text: 'Яма',
      category: 'roads',
      priority: 'high',
      at: `${day}T04:00:00.000Z`,
      idPrefix: 'dropped',
    },
  );
}

/** Applies an operator's or the responder's change to the stored inquiry, as their writers do. */
async function save(id: string, event: InquiryEvent, at: string) {
  const calendar = config.communities.find((community) => community.groupId === DEMO_GROUP_ID)?.calendar;
  if (!calendar) throw new Error('no demo community');
  const current = (await repository.getInquiry(id)) as Inquiry;
  const result = applyEvent(current, event, {
    calendar,
    warnAtFraction: config.sla.warnAtFraction,
    now: new Date(at),
  });
  if (result.outcome !== 'changed') throw new Error(result.outcome);
  await repository.update(result.inquiry, current.version, result.history);
}

/** One escalator run at `at`, telling `notifier`, its counts and warnings recorded. */
async function escalateAt(at: string, notifier: EscalationNotifier) {
  const metrics = recordingMetrics();
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  await createEscalator({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    notifier,
    metrics,
    logWarning: (message, fields) => void warnings.push({ message, fields }),
  })();
  const dropped = metrics.counts.filter((count) => count.name === 'DeadlineWarningsDropped');
  return { dropped, warnings };
}

/** The notices of an inquiry the digests gave, as [kind, clock]. */
const toldOf = (digests: DeadlineDigest[], id: string) =>
  digests.flatMap((digest) =>
    digest.notifications
      .filter((notice) => notice.inquiryId === id)
      .map((notice) => [notice.kind, notice.clock]),
  );

describe('a deadline warning held back while its e-mail was refused', () => {
  it('is counted and logged when the inquiry was answered in time for it, and so never told', async () => {
    // Monday 6 April 2026: warned at 12:15 while SNS is down, answered at 12:20, 40 minutes early.
    const id = await openAt('2026-04-06', 'answered-in-time');
    expect((await escalateAt('2026-04-06T07:15:00.000Z', refusing)).dropped).toEqual([]);
    expect((await repository.getInquiry(id))?.pendingNotification).toMatchObject({ kind: 'warning' });
    await save(
      id,
      {
        type: 'final_answer',
        cause: 'op:a1',
        at: '2026-04-06T07:20:00.000Z',
        operatorId: 'op',
        text: 'Засыпали',
        via: 'console',
      },
      '2026-04-06T07:20:00.000Z',
    );

    const told = recordingNotifier();
    const run = await escalateAt('2026-04-06T07:25:00.000Z', told);
    expect(toldOf(told.sent, id)).toEqual([]);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
    expect(run.dropped).toEqual([{ name: 'DeadlineWarningsDropped', dimensions: {} }]);
    expect(run.warnings).toEqual([
      {
        message: 'escalator: a deadline warning was dropped unsent',
        fields: {
          inquiryId: id,
          department: 'roads',
          clock: 'first_response',
          dueAt: '2026-04-06T08:00:00.000Z',
          reason: 'moot',
        },
      },
    ]);
    // Once: the next run finds nothing pending.
    expect((await escalateAt('2026-04-06T07:30:00.000Z', recordingNotifier())).dropped).toEqual([]);
  });

  it("is counted and logged when another deadline's breach takes its place on the inquiry", async () => {
    // Tuesday 7 April 2026, 09:00 Perm: the first response is due at 13:00 (08:00 UTC), warned at 12:12.
    const id = await openAt('2026-04-07', 'taken-over');
    // An intermediate answer at 11:40 starts the resolution's hour (due 12:40, 07:40 UTC); VK refuses it a
    // minute later, and the first response is owed again by 13:00.
    const given = '2026-04-07T06:40:00.000Z';
    await save(
      id,
      {
        type: 'intermediate_answer',
        cause: 'op:i1',
        at: given,
        operatorId: 'op',
        text: 'Работаем',
        via: 'console',
      },
      given,
    );
    const outboxId = outboxIdFor(id, 'intermediate_answer', 'op:i1');
    await save(
      id,
      {
        type: 'delivery_failed',
        cause: deliveryFailedCause(outboxId),
        at: '2026-04-07T06:41:00.000Z',
        outboxId,
        purpose: 'intermediate_answer',
        reason: "VK error 901: Can't send messages for users without permission",
      },
      '2026-04-07T06:41:00.000Z',
    );

    // 12:15: the first response's warning is marked, and its e-mail refused.
    await escalateAt('2026-04-07T07:15:00.000Z', refusing);
    expect((await repository.getInquiry(id))?.pendingNotification).toMatchObject({
      kind: 'warning',
      clock: 'first_response',
    });
    // 12:45, SNS back: the resolution's deadline has passed, and its breach takes the one pending notice.
    const breached = recordingNotifier();
    const run = await escalateAt('2026-04-07T07:45:00.000Z', breached);
    expect(toldOf(breached.sent, id)).toEqual([['breach', 'resolution']]);
    expect(run.dropped).toEqual([{ name: 'DeadlineWarningsDropped', dimensions: {} }]);
    expect(run.warnings).toEqual([
      {
        message: 'escalator: a deadline warning was dropped unsent',
        fields: {
          inquiryId: id,
          department: 'roads',
          clock: 'first_response',
          dueAt: '2026-04-07T08:00:00.000Z',
          reason: 'breach_of_another_deadline',
        },
      },
    ]);

    // The first response's warning is never told; its breach is, at 13:05.
    const later = recordingNotifier();
    expect((await escalateAt('2026-04-07T08:05:00.000Z', later)).dropped).toEqual([]);
    expect(toldOf(later.sent, id)).toEqual([['breach', 'first_response']]);
  });

  it("is not counted when its own deadline's breach takes its place: the breach tells of it", async () => {
    // Wednesday 8 April 2026: warned at 12:15 while SNS is down, still refused at 12:45, escalated at 13:05.
    const id = await openAt('2026-04-08', 'own-breach');
    await escalateAt('2026-04-08T07:15:00.000Z', refusing);
    const told = recordingNotifier();
    const run = await escalateAt('2026-04-08T08:05:00.000Z', told);
    expect(toldOf(told.sent, id)).toEqual([['breach', 'first_response']]);
    expect(run.dropped).toEqual([]);
    expect(run.warnings).toEqual([]);
  });
});
