import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';

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
