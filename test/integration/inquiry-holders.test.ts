import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import type { InquiryHolders } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import { holdersAfter, NO_HOLDERS } from '../../lambdas/domain/operator/left-departments.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { rejectInquiry } from '../../lambdas/operator-api/use-cases/reject-inquiry.js';
import { releaseInquiry } from '../../lambdas/operator-api/use-cases/release-inquiry.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { openInquiryFinisher } from '../../ops/citizen-erase/finish-open.js';
import { moveDepartment } from '../../ops/move-department.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { localConfigWithout } from '../support/config-without.js';
import { classifiedDirectMessage, openInquiry } from '../support/inquiries.js';
import { operatorApiDepsOn } from '../support/operator-api.js';

/**
 * Who has had an inquiry (Inquiry.pastHolders) after each way its department changes, against dynalite: always what
 * its whole history tells (holdersAfter over every entry), so that the operator API's answer read from the item
 * is the one the history would give. The retention sweep, a citizen's erasure and the erasures copied after a
 * restore delete the inquiry item: there is nothing left to keep there.
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let deps: OperatorApiDeps;
const config = readConfigFile('config/local.json');
const admin: Operator = { id: 'sub-head', name: 'Ольга Сидорова', admin: true, departments: [] };
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const boris: Operator = { id: 'sub-boris', name: 'Борис Сидоров', admin: false, departments: ['roads'] };

beforeAll(async () => {
  aws = await startTestAws();
  ({ documents: client, repository, deps } = operatorApiDepsOn(aws, config));
});
afterAll(() => aws?.stop());

let requests = 0;
async function change<B>(useCase: UseCase<B>, operator: Operator, id: string, body: B): Promise<void> {
  const request: ApiRequest<B> = {
    operator,
    params: { id },
    query: {},
    body,
    idempotencyKey: `holders-${++requests}`,
  };
  expect((await useCase(request, deps)).status, `${operator.id} ${JSON.stringify(body)}`).toBe(200);
}

const sorted = (holders: InquiryHolders | undefined) =>
  holders && { departments: [...holders.departments].sort(), operators: [...holders.operators].sort() };

/** The inquiry's `pastHolders` is what its whole history tells, and names `departments` among others. */
async function expectHeldAsHistoryTells(id: string, path: string, departments: string[]): Promise<void> {
  const stored = await repository.get(id);
  if (!stored) throw new Error(`${path}: no inquiry ${id}`);
  expect(stored.inquiry.pastHolders, path).toBeDefined();
  expect(sorted(stored.inquiry.pastHolders), path).toEqual(sorted(holdersAfter(NO_HOLDERS, stored.history)));
  expect(stored.inquiry.pastHolders?.departments, path).toEqual(expect.arrayContaining(departments));
}

describe('who has had an inquiry, on every path that changes its department', () => {
  it('is what its whole history tells after each', async () => {
    const routed = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8901, eventKey: 'held-routed', text: 'Не вывозят мусор', category: 'waste' },
    );
    await expectHeldAsHistoryTells(routed, 'routed by the router', ['housing']);
    const rejected = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8902, eventKey: 'held-rejected', text: 'Спасибо', category: 'housing', notAnInquiry: true },
    );
    await expectHeldAsHistoryTells(rejected, 'rejected by the router', ['triage']);

    // The citizen's next word joins it: the router's change of it.
    const joined = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8901, eventKey: 'held-routed-2', text: 'И ещё контейнеры переполнены', category: 'waste' },
    );
    expect(joined).toBe(routed);
    expect((await repository.getInquiry(routed))?.messageCount).toBe(2);
    await expectHeldAsHistoryTells(routed, 'joined by the router', ['housing']);
    await change(takeInquiry, anna, routed, {});
    await expectHeldAsHistoryTells(routed, 'taken', ['housing']);
    await change(moveInquiry, admin, routed, { department: 'roads', reason: 'это дороги', force: true });
    await expectHeldAsHistoryTells(routed, 'moved by an operator', ['housing', 'roads']);
    await change(rejectInquiry, boris, routed, { reason: 'не обращение' });
    await expectHeldAsHistoryTells(routed, 'rejected by an operator', ['housing', 'roads', 'triage']);
    await change(moveInquiry, admin, rejected, { department: 'housing', reason: 'это обращение' });
    await expectHeldAsHistoryTells(rejected, 'routed by an operator', ['triage', 'housing']);

    const moved = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'housing',
      to: 'roads',
    });
    expect(moved.moved).toBeGreaterThan(0);
    await expectHeldAsHistoryTells(rejected, 'departments:move', ['triage', 'housing', 'roads']);

    const refused = await openInquiryFinisher(deps)((await repository.getInquiry(rejected)) ?? fail());
    expect(refused).toBeUndefined();
    await expectHeldAsHistoryTells(rejected, 'citizen:erase', ['triage', 'housing', 'roads']);

    // A `high` roads inquiry long past its deadline: warned and escalated in roads by the escalator.
    const due = await openInquiry(
      { config, inquiries: repository },
      {
        peerId: 8903,
        eventKey: 'held-due',
        text: 'Яма на дороге',
        category: 'roads',
        priority: 'high',
        at: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
      },
    );
    const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
    const escalate = createEscalatorHandler({ clock: systemClock, notifier: recordingNotifier() });
    await escalate({}, {
      functionName: 'escalator',
      awsRequestId: 'held',
      getRemainingTimeInMillis: () => 60_000,
    } as Context);
    const escalated = await repository.get(due);
    expect(escalated?.history.map((entry) => entry.kind)).toContain('escalated');
    await expectHeldAsHistoryTells(due, 'escalated', ['roads']);
  });
});

const withoutRoads = localConfigWithout('roads');

describe('who has had an inquiry, on the paths that release it or hand it to triage', () => {
  it('is what its whole history tells after each', async () => {
    const released = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8911, eventKey: 'held-released', text: 'Не вывозят мусор', category: 'waste' },
    );
    await change(takeInquiry, anna, released, {});
    await change(releaseInquiry, anna, released, { reason: 'не мой участок' });
    await expectHeldAsHistoryTells(released, 'released by its holder', ['housing']);
    await change(takeInquiry, anna, released, {});
    await change(releaseInquiry, admin, released, { reason: 'Анна в другом отделе' });
    await expectHeldAsHistoryTells(released, 'released by an admin', ['housing']);
    expect((await repository.get(released))?.inquiry.pastHolders?.operators).toEqual(
      expect.arrayContaining([anna.id, admin.id]),
    );

    // A roads inquiry held by Boris, left under roads once it is no longer configured: the escalator's.
    const byEscalator = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8912, eventKey: 'held-orphan-1', text: 'Яма на дороге', category: 'roads' },
    );
    await change(takeInquiry, boris, byEscalator, {});
    await createEscalator({
      config: withoutRoads,
      inquiries: repository,
      clock: systemClock,
      notifier: recordingNotifier(),
      metrics: recordingMetrics(),
    })();
    const movedByEscalator = await repository.get(byEscalator);
    expect(movedByEscalator?.inquiry.department).toBe('triage');
    expect(movedByEscalator?.inquiry.assignee).toBeUndefined();
    await expectHeldAsHistoryTells(byEscalator, 'handed to triage by the escalator', ['roads', 'triage']);

    // Another, opened since the run: the router's, when the citizen writes again.
    const followedUp = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8914, eventKey: 'held-orphan-3', text: 'Провал асфальта', category: 'roads' },
    );
    await change(takeInquiry, boris, followedUp, {});
    const router = createMessageRouter({
      config: withoutRoads,
      inquiries: repository,
      clock: systemClock,
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    await router.routeCitizenMessage(
      classifiedDirectMessage({
        peerId: 8914,
        eventKey: 'held-orphan-3b',
        text: 'Провал всё больше',
        category: 'roads',
        at: new Date().toISOString(),
      }),
    );
    const movedByRouter = await repository.get(followedUp);
    expect(movedByRouter?.inquiry.department).toBe('triage');
    await expectHeldAsHistoryTells(followedUp, 'handed to triage by the router', ['roads', 'triage']);
    expect(movedByRouter?.inquiry.pastHolders?.operators).toContain(boris.id);
  });
});

function fail(): never {
  throw new Error('no inquiry');
}
