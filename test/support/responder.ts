import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { HistoryEntry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { DEMO_GROUP_ID } from './fixtures.js';

/**
 * The responder's use case over the real table, with a token and a free rate limit granted, so that what
 * happens turns on the table and on what `vk` answers for each method called.
 */
export function deliverer(options: {
  config: AppConfig;
  documents: DynamoDBDocumentClient;
  tableName: string;
  vk: (method: string) => Promise<unknown>;
  now: string;
  sleep?: (ms: number) => Promise<void>;
}) {
  const { config, documents, tableName, vk, now, sleep } = options;
  return createMessageDeliverer({
    config,
    ledger: new DynamoOutboxLedger(documents, tableName),
    inquiries: new DynamoInquiryRepository(documents, tableName),
    tokens: { tokenFor: async () => 'test-community-token' },
    vk: (_token, method) => vk(method),
    limiter: { acquire: async () => undefined },
    clock: { now: () => new Date(now) },
    ...(sleep && { sleep }),
  });
}

/**
 * The responder's use case over the real table, as `deliverer`, on the real clock, recording the words of each
 * message it sends to VK: what the citizen reads.
 */
export function recordingDeliverer(options: {
  config: AppConfig;
  documents: DynamoDBDocumentClient;
  tableName: string;
}) {
  const sent: string[] = [];
  const deliver = createMessageDeliverer({
    config: options.config,
    ledger: new DynamoOutboxLedger(options.documents, options.tableName),
    inquiries: new DynamoInquiryRepository(options.documents, options.tableName),
    tokens: { tokenFor: async () => 'test-community-token' },
    vk: async (_token, _method, params) => {
      sent.push(String(params.message));
      return sent.length;
    },
    limiter: { acquire: async () => undefined },
    clock: { now: () => new Date() },
  });
  return { deliver, sent };
}

/** An operator's answer to the citizen of a direct dialogue, `inq-<id>`, as the answers queue carries it. */
export const directAnswer = (
  id: string,
  peerId: number,
  overrides: Partial<OutboxMessage> = {},
): OutboxMessage => ({
  kind: 'message_to_citizen',
  id: `inq-${id}:answer:${id}`,
  inquiryId: `inq-${id}`,
  groupId: DEMO_GROUP_ID,
  purpose: 'answer',
  replyTo: { channel: 'direct_message', peerId },
  citizenId: peerId,
  text: 'Контейнеры вывезут сегодня до 18:00.',
  requestedAt: '2026-03-02T07:00:00.000Z',
  requestedBy: 'operator-1',
  ...overrides,
});

/** The delivery entries of an inquiry's history (the inquiry item itself is not needed to hold them). */
export async function deliveriesOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  inquiryId: string,
): Promise<HistoryEntry[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': `INQ#${inquiryId}`, ':history': 'HIST#' },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).filter((entry) => entry.kind === 'delivery') as HistoryEntry[];
}
