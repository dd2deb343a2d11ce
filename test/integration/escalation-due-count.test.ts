import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

/**
 * The count of what a run cut short left (the run's checksLeft and the EscalationChecksLeft metric): every
 * inquiry of the department due by the run's time, its critical work and the rest, however many pages of the
 * index they take.
 */
let aws: TestAws;
let client: DynamoDBDocumentClient;
const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => aws?.stop());

/** A citizen's message to housing at `at`, of `priority`, in its own dialogue. */
const message = (
  eventKey: string,
  at: string,
  priority: 'critical' | 'high',
  text: string,
): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: at,
  message: {
    groupId: DEMO_GROUP_ID,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${eventKey}`,
    conversationKey: `dm:5:${eventKey}`,
    authorId: 5,
    text,
    attachments: [],
    sentAt: at,
  },
  classification: { category: 'housing', priority, confidence: 1, inquiry: true, triage: false, model: 't' },
});

describe('counting the inquiries due for escalation', () => {
  it('counts the critical work and the rest, on every page the index gives', async () => {
    const repository = new DynamoInquiryRepository(client, aws.tableName);
    const open = (routed: ClassifiedMessage) =>
      createMessageRouter({
        config,
        inquiries: repository,
        clock: { now: () => new Date(routed.receivedAt) },
        inquiryIdFor: (_groupId, eventKey) => `due-${eventKey}`,
      }).routeCitizenMessage(routed);
    await open(message('gas', '2026-04-03T21:00:00.000Z', 'critical', 'Пахнет газом'));
    for (let n = 0; n < 3; n++)
      await open(message(`leak-${n}`, `2026-04-06T0${n}:00:00.000Z`, 'high', 'Течёт крыша'));
    const weekLater = new Date('2026-04-13T12:00:00.000Z');
    expect(await repository.countDueForEscalation('housing', weekLater)).toBe(4);

    // The index read a key at a time, as DynamoDB pages a count past 1 MB.
    const paging = DynamoDBDocumentClient.from(aws.dynamo);
    paging.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Select?: string; Limit?: number };
        if (input.Select === 'COUNT') input.Limit = 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    expect(
      await new DynamoInquiryRepository(paging, aws.tableName).countDueForEscalation('housing', weekLater),
    ).toBe(4);
  });
});
