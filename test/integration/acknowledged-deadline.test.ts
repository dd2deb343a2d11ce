import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Category, Priority } from '../../lambdas/domain/taxonomy.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * The first-response time an acknowledgement told the citizen, kept when an operator moves the inquiry before
 * the first response: against dynalite and fauxqs, with the router acknowledging through the outbox queue and
 * the operator API's handler.
 */

const TOKENS = { triage: 'local-triage-token-change-me', housing: 'local-housing-token-change-me' };
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;

beforeAll(async () => {
  ({ aws, call } = await startOperatorApi('outbox'));
});
afterAll(() => aws?.stop());

/** A new inquiry routed and acknowledged now; its acknowledgement as queued. */
async function acknowledged(eventKey: string, peerId: number, category: Category, priority: Priority) {
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const clock = { now: () => new Date() };
  const router = createMessageRouter({
    config,
    inquiries: new DynamoInquiryRepository(documents, aws.tableName),
    clock,
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
    acknowledge: createAcknowledger({ config, outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url), clock }),
  });
  const message = classifiedDirectMessage({
    peerId,
    eventKey,
    text: 'В подъезде оголённые провода',
    category,
    at: new Date().toISOString(),
  });
  const routed = await router.routeCitizenMessage({
    ...message,
    classification: { ...message.classification, priority },
  });
  expect(routed.acknowledgement).toBe('queued');
  const [told] = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
    (body) => JSON.parse(body) as OutboxMessage,
  );
  return { id: routed.inquiryId, dueAt: told?.dueAt as string };
}

describe('the time an acknowledgement told the citizen', () => {
  it('stands when triage moves the inquiry to a department and category with longer terms', async () => {
    // `safety` has no routing rule: triage gets it, on its terms (a first response within 2 working hours).
    const { id, dueAt } = await acknowledged('promise-triage', 9701, 'safety', 'normal');
    const opened = await call('GET', `/api/v1/inquiries/${id}`, TOKENS.triage);
    expect(opened.body.inquiry).toMatchObject({ department: 'triage', firstResponseDueAt: dueAt });

    const moved = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.triage, {
      department: 'housing',
      category: 'housing',
      reason: 'электрика в подъезде: ЖКХ',
    });
    expect(moved.status).toBe(200);
    // Housing's terms give 9 working hours from the same start; the citizen was told 2.
    expect(moved.body).toMatchObject({
      department: 'housing',
      terms: { firstResponseHours: 9 },
      firstResponseDueAt: dueAt,
      clock: { dueAt },
    });
    expect(moved.body.clock.warnAt < dueAt).toBe(true);
  });

  it('stands when an operator lowers the priority by hand, which may still bring it forward', async () => {
    const { id, dueAt } = await acknowledged('promise-lowered', 9702, 'housing', 'high');
    const lowered = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      priority: 'normal',
      reason: 'не срочно',
    });
    expect(lowered.body).toMatchObject({ priority: 'normal', firstResponseDueAt: dueAt });
    const raised = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      priority: 'critical',
      reason: 'искрит проводка',
    });
    expect(raised.body.firstResponseDueAt < dueAt).toBe(true);
    const back = await call('POST', `/api/v1/inquiries/${id}/move`, TOKENS.housing, {
      priority: 'normal',
      reason: 'ложная тревога',
    });
    expect(back.body.firstResponseDueAt).toBe(dueAt);
  });
});
