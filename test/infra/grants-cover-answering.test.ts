import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { ESCALATOR, INQUIRY_TABLE } from '../../lib/resources.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { lambdaContext, type SqsFunction } from '../integration/ingest-requests.js';

import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import {
  operatorApiBehindAuthorizer,
  startSecretsExtension,
  startSnsStandIn,
} from './support/aws-stand-ins.js';
import {
  type Call,
  checkedCallsOf,
  expectAllowed,
  GRANTS_CONFIG_FILE,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';
import { inquiryOpener, openingNearingDeadline } from './support/opened-inquiries.js';

/** The escalator's invocation, with its whole time ahead of it. */
const escalatorContext = {
  ...lambdaContext,
  getRemainingTimeInMillis: () => ESCALATOR.timeoutSeconds * 1000,
};

/**
 * As grants-cover-calls.test.ts, for the functions that answer citizens and watch deadlines: the operator API
 * (list, read, answer), the responder (a delivery to the VK API stand-in, and deliveries put off when VK
 * limits or fails) and the escalator (a breach and a warning published to SNS, through a stand-in SNS
 * endpoint). The operator API's other routes, and the check that every grant of its policy is used, are in
 * grants-cover-operations.test.ts. As for the pipeline, every grant of the responder and the escalator must be
 * used on one of the paths.
 */
const TOPIC_ARN = 'arn:aws:sns:eu-central-1:000000000000:vk-inquiries-test-escalations';

let aws: TestAws;
let config: AppConfig;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;
let vk: VkStandIn;
let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
let extension: { stop(): Promise<void> };
let operatorRequest: Awaited<ReturnType<typeof operatorApiBehindAuthorizer>>;
let open: ReturnType<typeof inquiryOpener>;
const inquiryIds: Record<'recent' | 'overdue', string> = { recent: '', overdue: '' };

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  config = readConfigFile(GRANTS_CONFIG_FILE);
  extension = await startSecretsExtension();
  sns = await startSnsStandIn(TOPIC_ARN);
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: 'local-community-token-123456789' });
  Object.assign(process.env, {
    CONFIG_FILE: GRANTS_CONFIG_FILE,
    VK_API_BASE_URL: await vk.start(),
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues, topicArn: TOPIC_ARN });
  operatorRequest = await operatorApiBehindAuthorizer(config);

  // Inquiries of the housing department: one opened now, two whose deadline passed long ago, which the
  // escalator's run takes up side by side (its reads and writes of the same turn batched).
  open = inquiryOpener(aws, config);
  inquiryIds.recent = (await open(7_800_001, new Date().toISOString())).id;
  inquiryIds.overdue = (await open(7_800_002, '2025-06-02T06:00:00.000Z')).id;
  await open(7_800_006, '2025-06-02T06:00:00.000Z');
}, 120_000);
afterAll(async () => {
  await vk?.stop();
  await sns?.stop();
  await extension?.stop();
  await aws?.stop();
});

const onTable = (action: string): Call => ({ action, resource: { kind: 'table' } });

/**
 * What waits on the answers queue (where the operator API puts its words), or on the outbox, as Lambda's
 * event source hands it on: with the receipt handles SQS gave, and the queue's ARN.
 */
async function receivedFromAnswers(queue: 'answers' | 'outbox' = 'answers'): Promise<SQSEvent> {
  const { Messages = [] } = await aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: aws.queues[queue].url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: aws.queues[queue].url, AttributeNames: ['QueueArn'] }),
  );
  const event = sqsEvent(Messages.map((message) => message.Body ?? ''));
  for (const [index, record] of event.Records.entries()) {
    const message = Messages[index];
    record.eventSourceARN = Attributes?.QueueArn ?? '';
    record.receiptHandle = message?.ReceiptHandle ?? '';
    record.messageId = message?.MessageId ?? record.messageId;
    record.attributes.ApproximateReceiveCount = message?.Attributes?.ApproximateReceiveCount ?? '1';
  }
  return event;
}

describe('the IAM policies of the answering functions', () => {
  it('allow what the operator API calls to list, read and answer a department’s inquiries', async () => {
    const list = await callsOf(async () => {
      const answer = await operatorRequest('GET', '/api/v1/inquiries?department=housing');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((item: { id: string }) => item.id)).toContain(inquiryIds.recent);
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'a department’s list', list);
    const read = await callsOf(async () => {
      expect((await operatorRequest('GET', `/api/v1/inquiries/${inquiryIds.recent}`)).status).toBe(200);
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'one inquiry', read);
    const answer = await callsOf(async () => {
      const reply = await operatorRequest('POST', `/api/v1/inquiries/${inquiryIds.recent}/reply`, {
        text: 'Мусор вывезен.',
      });
      expect(reply).toMatchObject({ status: 200, body: { status: 'answered' } });
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'an answer', answer);
  });

  it('allow what the responder calls to deliver the answer: token, rate limit, ledger, history', async () => {
    // The operator API's answer waits on the answers queue, not behind the outbox's acknowledgements.
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
    const outbox = await drainQueue(aws.sqs, aws.queues.answers.url);
    expect(outbox).toHaveLength(1);
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    const delivery = await callsOf(async () => {
      expect((await responder(sqsEvent(outbox), lambdaContext)).batchItemFailures).toEqual([]);
    });
    expect(vk.delivered).toEqual([
      expect.objectContaining({
        method: 'messages.send',
        params: expect.objectContaining({ peer_id: '7800001' }),
      }),
    ]);
    expectAllowed(policies, 'AnsweringResponder', 'a delivery', delivery);
  });

  it('allow what the escalator calls to find an overdue inquiry, mark it and notify its department', async () => {
    const { handler } = await import('../../lambdas/escalator/handler.js');
    const run = await callsOf(async () => {
      expect(await handler({}, escalatorContext)).toMatchObject({ checked: expect.any(Number) });
    });
    expect(sns.published()).toBeGreaterThan(0);
    expect(run.map((call) => call.action)).toContain('sns:Publish');
    expectAllowed(policies, 'Escalator', 'an overdue inquiry', run);
  });

  it('allow what the responder calls to put a delivery off when VK limits the calls or fails', async () => {
    // Two further words of the operator to the citizen: two messages on the answers queue.
    for (const key of ['further-1', 'further-2']) {
      const reply = await operatorRequest(
        'POST',
        `/api/v1/inquiries/${inquiryIds.recent}/reply`,
        { text: 'Дополнительно: вывоз по графику.' },
        { 'idempotency-key': key },
      );
      expect(reply.status).toBe(200);
    }
    const { Records: records } = await receivedFromAnswers();
    expect(records).toHaveLength(2);
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    // Error 6 (too many requests) and then 10 (VK's internal error) on every try of the invocation: each
    // message goes back to the queue, out of sight for its backoff (lambdas/domain/vk-api/errors.ts).
    for (const [index, [code, path]] of [
      [6, 'VK limiting the calls'],
      [10, 'the VK API failing'],
    ].entries()) {
      const record = records[index];
      if (!record) throw new Error(`no answers message for ${path}`);
      vk.failNext(Number(code), 3, ['messages.send']);
      const deferral = await callsOf(async () => {
        const result = await responder({ Records: [record] }, lambdaContext);
        expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      });
      expect(vk.calls.filter((call) => call.error === code)).toHaveLength(3);
      expectAllowed(policies, 'AnsweringResponder', `a delivery put off by ${path}`, deferral, {
        // In the queue the message came from.
        including: [{ action: 'sqs:ChangeMessageVisibility', resource: { kind: 'queue', name: 'answers' } }],
      });
    }
    // Out of sight: SQS does not hand them straight back.
    expect((await receivedFromAnswers()).Records).toEqual([]);
  });

  it('allow what the responder calls to put off a message of the outbox, in the outbox', async () => {
    const reply = await operatorRequest(
      'POST',
      `/api/v1/inquiries/${inquiryIds.recent}/reply`,
      { text: 'Дополнительно: вывоз по графику.' },
      { 'idempotency-key': 'further-outbox' },
    );
    expect(reply.status).toBe(200);
    // The same message, as the router's acknowledgements wait: on the outbox.
    const [body] = await drainQueue(aws.sqs, aws.queues.answers.url);
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.outbox.url, MessageBody: body ?? '' }));
    const { Records: records } = await receivedFromAnswers('outbox');
    expect(records).toHaveLength(1);
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    vk.failNext(6, 3, ['messages.send']);
    const deferral = await callsOf(async () => {
      const result = await responder({ Records: records }, lambdaContext);
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.messageId }]);
    });
    expectAllowed(policies, 'AnsweringResponder', 'a message of the outbox put off', deferral, {
      including: [{ action: 'sqs:ChangeMessageVisibility', resource: { kind: 'queue', name: 'outbox' } }],
    });
  });

  it('allow what the escalator calls to warn of an inquiry nearing its deadline, without escalating it', async () => {
    const now = new Date();
    const { clock } = await open(7_800_003, openingNearingDeadline(config, now));
    const at = now.toISOString();
    expect(clock).toMatchObject({ kind: 'first_response', warned: false });
    expect((clock?.warnAt ?? at) < at && at < (clock?.dueAt ?? at), JSON.stringify(clock)).toBe(true);
    const { handler } = await import('../../lambdas/escalator/handler.js');
    const published = sns.published();
    // The overdue inquiry was escalated once and for all, the answered one has no clock: only this one is due.
    const run = await callsOf(async () => {
      expect(await handler({}, escalatorContext)).toEqual({
        checked: 1,
        warned: 1,
        breached: 0,
        notified: 1,
        digests: 1,
        failed: 0,
        departmentsLeft: 0,
        checksLeft: 0,
        movedToTriage: 0,
      });
    });
    expect(sns.published()).toBe(published + 1);
    expectAllowed(policies, 'Escalator', 'an inquiry nearing its deadline', run, {
      including: [
        {
          action: 'dynamodb:Query',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byEscalationDue.name },
        },
        // Every run reads the open work for inquiries under a department no longer configured.
        {
          action: 'dynamodb:Scan',
          resource: { kind: 'index', name: INQUIRY_TABLE.indexes.byDepartmentDeadline.name },
        },
        onTable('dynamodb:GetItem'),
        onTable('dynamodb:PutItem'),
        { action: 'sns:Publish', resource: { kind: 'topic' } },
      ],
    });
  });

  it('allow what the responder calls to put back into open work an answer VK refused', async () => {
    const { id } = await open(7_800_004, new Date().toISOString());
    vk.denyMessagesFrom(7_800_004);
    const reply = await operatorRequest('POST', `/api/v1/inquiries/${id}/reply`, { text: 'Мусор вывезен.' });
    expect(reply.status).toBe(200);
    const event = await receivedFromAnswers();
    expect(event.Records).toHaveLength(1);
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    const refusal = await callsOf(async () => {
      expect((await responder(event, lambdaContext)).batchItemFailures).toEqual([]);
    });
    const list = await operatorRequest('GET', '/api/v1/inquiries?department=housing&undelivered=true');
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expectAllowed(policies, 'AnsweringResponder', 'an answer VK refused', refusal, {
      including: [onTable('dynamodb:GetItem'), onTable('dynamodb:PutItem')],
    });
  });

  it('allow what the responder calls to leave nothing of a message whose inquiry was deleted', async () => {
    const { id } = await open(7_800_005, new Date().toISOString());
    const reply = await operatorRequest('POST', `/api/v1/inquiries/${id}/reply`, { text: 'Мусор вывезен.' });
    expect(reply.status).toBe(200);
    const event = await receivedFromAnswers();
    expect(event.Records).toHaveLength(1);
    // Deleted (its inquiry item is what the responder goes by) after a try that wrote for it and stopped.
    await DynamoDBDocumentClient.from(aws.dynamo).send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: `INQ#${id}`, sk: 'INQUIRY' } }),
    );
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    const gone = await callsOf(async () => {
      expect((await responder(event, lambdaContext)).batchItemFailures).toEqual([]);
    });
    expectAllowed(policies, 'AnsweringResponder', 'a message whose inquiry was deleted', gone, {
      including: [onTable('dynamodb:Query'), onTable('dynamodb:BatchWriteItem')],
    });
  });

  // Last: what every test above made, by function. A grant none of them used is a path without its test, or
  // an action the function does not need.
  it('use every grant on the table, the queues, the topic and the parameters the responder’s and the escalator’s policies give', () => {
    // Not here: DeleteItem deletes the entries of a change that lost its write, on the condition that it wrote
    // them (grants-cover-lost-writes.test.ts); the escalator's schedule dead-letter queue takes Lambda's record
    // of a run given up, sent with the function's role (scheduled-invoke.ts), no call of the function's.
    expect(policies.unused('AnsweringResponder', checkedCallsOf('AnsweringResponder'))).toEqual([
      'dynamodb:DeleteItem on Inquiries',
    ]);
    expect(policies.unused('Escalator', checkedCallsOf('Escalator'))).toEqual([
      'sqs:SendMessage on EscalatorScheduleDlq',
      'dynamodb:DeleteItem on Inquiries',
    ]);
  });
});
