import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import { deliveryHistoryEntry } from '../../lambdas/domain/outbox/delivery-outcome.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import {
  type Call,
  checkedCallsOf,
  expectAllowed,
  GRANTS_CONFIG_FILE,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';

/**
 * As grants-cover-calls.test.ts, for the retention sweep: what it calls to find a finished inquiry past its
 * period and delete it with its history, lookups, delivery record and pointer must be what its policy allows.
 */
let aws: TestAws;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  Object.assign(process.env, { CONFIG_FILE: GRANTS_CONFIG_FILE, POWERTOOLS_METRICS_DISABLED: 'true' });
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues });
}, 120_000);
afterAll(() => aws?.stop());

const onTable = (action: string): Call => ({ action, resource: { kind: 'table' } });

describe('the grants of the retention function', () => {
  it('allow what it calls to find a finished inquiry past its period and delete everything of it', async () => {
    const config = readConfigFile(GRANTS_CONFIG_FILE);
    const documents = DynamoDBDocumentClient.from(aws.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const repository = new DynamoInquiryRepository(documents, aws.tableName);
    // Answered six years ago, the answer delivered: past the shipped period of 1826 days.
    const at = new Date(Date.now() - 6 * 365 * 24 * 60 * 60 * 1000).toISOString();
    const router = createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date(at) },
      inquiryIdFor: (_groupId, key) => `grants-${key}`,
    });
    const { inquiryId } = await router.routeCitizenMessage(
      classifiedDirectMessage({ peerId: 7_900_001, eventKey: 'old', at, text: 'Яма', category: 'roads' }),
    );
    const inquiry = await repository.getInquiry(inquiryId);
    const calendar = config.communities[0]?.calendar;
    if (!inquiry || !calendar) throw new Error('no inquiry');
    const answered = applyEvent(
      inquiry,
      { type: 'final_answer', cause: 'op:a', at, operatorId: 'op', text: 'Заделали', via: 'console' },
      { calendar, warnAtFraction: 0.8, now: new Date(at) },
    );
    if (answered.outcome !== 'changed') throw new Error('not answered');
    await repository.update(answered.inquiry, inquiry.version, answered.history);
    const ledger = new DynamoOutboxLedger(documents, aws.tableName);
    const outboxId = outboxIdFor(inquiryId, 'answer', 'op:a');
    const message = {
      kind: 'message_to_citizen' as const,
      id: outboxId,
      inquiryId,
      groupId: inquiry.groupId,
      purpose: 'answer' as const,
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text: 'Заделали',
      requestedAt: at,
      requestedBy: 'op',
    };
    await ledger.appendHistory([
      deliveryHistoryEntry(message, { kind: 'delivered', method: 'messages.send' }, '1.1', at),
    ]);
    await ledger.putRecord({
      id: `${inquiryId}:answer:op:a`,
      inquiryId,
      status: 'delivered',
      at,
      attempts: 1,
    });

    const { handler } = await import('../../lambdas/retention/handler.js');
    const context = { functionName: 'retention', awsRequestId: 'r', getRemainingTimeInMillis: () => 300_000 };
    const run = await callsOf(async () => {
      expect(await handler({}, context as unknown as Context)).toMatchObject({ deleted: 1, failed: 0 });
    });
    expect(await repository.get(inquiryId)).toBeUndefined();
    expectAllowed(policies, 'Retention', 'a finished inquiry past its period', run, {
      including: [
        {
          action: 'dynamodb:Query',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentOpened.name },
        },
        // Its first night's census of the departments that index lists inquiries under.
        {
          action: 'dynamodb:Scan',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentOpened.name },
        },
        onTable('dynamodb:Query'),
        onTable('dynamodb:GetItem'),
        onTable('dynamodb:PutItem'),
        onTable('dynamodb:DeleteItem'),
        onTable('dynamodb:BatchWriteItem'),
      ],
    });
  });

  // Last, as in grants-cover-calls.test.ts: a grant no path above used is a path without its test, or an
  // action the sweep does not need. Not here: its schedule's dead-letter queue takes Lambda's record of a run
  // given up, sent with the function's role (scheduled-invoke.ts), no call of the function's.
  it('use every grant on the table and the queues its policy gives', () => {
    expect(policies.unused('Retention', checkedCallsOf('Retention'))).toEqual([
      'sqs:SendMessage on RetentionScheduleDlq',
    ]);
  });
});
