import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';

/**
 * A deadline an operator's change sets, counted across a year the production calendar does not list, is told
 * of as the router tells of one: the operator API against dynalite and fauxqs. The shipped calendar lists 2026
 * and 2027.
 */
let aws: TestAws;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
});
afterAll(() => aws?.stop());

describe('a deadline an operator sets beyond the production calendar', () => {
  it('is warned of and counted when the intermediate answer starts a resolution clock running into 2028', async () => {
    // Fri 24 December 2027, 09:00 in Yekaterinburg: the first response is due within 2027.
    const opened = '2027-12-24T04:00:00.000Z';
    const router = createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date(opened) },
      inquiryIdFor: (_groupId, key) => `cal-${key}`,
    });
    const message = {
      peerId: 9101,
      eventKey: 'new-year',
      text: 'Не вывозят мусор',
      category: 'waste' as const,
    };
    const { inquiryId } = await router.routeCitizenMessage(
      classifiedDirectMessage({ ...message, at: opened }),
    );
    const metrics = recordingMetrics();
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const deps: OperatorApiDeps = {
      config,
      inquiries: repository,
      queries: new DynamoOperatorQueries(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName),
      outbox: new SqsOutbox(aws.sqs, aws.queues.answers.url),
      // 10:00 local: 56 working hours on run past the New Year holidays.
      clock: { now: () => new Date('2027-12-24T05:00:00.000Z') },
      metrics,
      logWarning: (text, fields) => void warnings.push({ message: text, fields }),
    };
    const request = { operator: anna, params: { id: inquiryId }, query: {}, body: { text: 'Работаем' } };
    const answered = await intermediateAnswer({ ...request, idempotencyKey: 'calendar-1' }, deps);
    expect(answered.status).toBe(200);

    const due = (await repository.getInquiry(inquiryId))?.resolutionDueAt;
    expect(due?.startsWith('2028-01')).toBe(true);
    expect(warnings).toEqual([
      {
        message: expect.stringContaining('a year the calendar does not list'),
        fields: { inquiryId, groupId: DEMO_GROUP_ID, clock: 'resolution', dueAt: due, years: [2028] },
      },
    ]);
    expect(metrics.counts).toContainEqual({
      name: 'DeadlinesOutsideCalendar',
      dimensions: { community: String(DEMO_GROUP_ID) },
    });
    // The same request again changes nothing, and tells of nothing again.
    await intermediateAnswer({ ...request, idempotencyKey: 'calendar-1' }, deps);
    expect(warnings).toHaveLength(1);
  });
});
