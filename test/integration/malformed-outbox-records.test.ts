import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import {
  DynamoOutboxLedger,
  MalformedOutboxRecord,
  recordKey,
} from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import { malformedAttributesOf } from '../../lambdas/domain/inquiry/stored-inquiry.js';
import type { VkCaller } from '../../lambdas/domain/outbox/ports.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { directAnswer } from '../support/responder.js';

/**
 * A message's record in the ledger that does not read as one (edited by hand, restored half written) is that
 * message's trouble alone: a second copy of the message is neither sent again nor acted on as the record
 * says, which would write the record's fault onto its inquiry, but refused, named by its id and attributes.
 */
const TOKEN = 'test-community-token-123456789';
const NOW = new Date('2026-03-02T08:00:00.000Z');

let aws: TestAws;
let vk: VkStandIn;
beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN });
  await vk.start();
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});

describe('a malformed outbox record', () => {
  it.each([
    ['a refusal without its time', 7_901, { status: 'undeliverable', reason: 'x' }, ['at', 'attempts']],
    [
      'a status of no release',
      7_902,
      { status: 'sent', at: '2026-03-02T07:00:00.000Z', attempts: 1 },
      ['status'],
    ],
  ])(
    '%s: a second copy is refused by its id and attributes, not sent, and its inquiry is left as it was',
    async (_case, peerId, stored, attributes) => {
      const documents = DynamoDBDocumentClient.from(localDynamoClient(aws.emulators.dynamoEndpoint), {
        marshallOptions: { removeUndefinedValues: true },
      });
      const key = `bad-record-${peerId}`;
      const message = directAnswer(key, peerId, { id: `inq-${key}:answer:op:${key}` });
      const inquiries = new DynamoInquiryRepository(documents, aws.tableName);
      await storeInquiryOf(inquiries, message);
      const record = {
        ...recordKey(message.id),
        entity: 'outbox',
        id: message.id,
        inquiryId: message.inquiryId,
      };
      await documents.send(new PutCommand({ TableName: aws.tableName, Item: { ...record, ...stored } }));
      const inquiryItem = async () =>
        (
          await documents.send(
            new GetCommand({ TableName: aws.tableName, Key: inquiryKey(message.inquiryId) }),
          )
        ).Item;
      const before = await inquiryItem();
      const toVk: VkCaller = (token, method, params) =>
        new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params);
      const deliver = createMessageDeliverer({
        config: loadConfig(TEST_CONFIG_FILE),
        ledger: new DynamoOutboxLedger(documents, aws.tableName, { now: () => NOW }),
        inquiries,
        tokens: { tokenFor: async () => TOKEN },
        vk: toVk,
        limiter: { acquire: async () => undefined },
        sleep: async () => undefined,
        clock: { now: () => NOW },
      });

      const refusal = await deliver(message, 2).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(MalformedOutboxRecord);
      expect(refusal).toMatchObject({ outboxId: message.id, attributes });
      expect((refusal as Error).message).toBe(
        `the outbox record ${message.id} is malformed: ${attributes.join(', ')}`,
      );
      expect(vk.calls.filter((call) => call.params.peer_id === String(peerId))).toHaveLength(0);
      const after = await inquiryItem();
      expect(malformedAttributesOf(after ?? {})).toBeUndefined();
      expect(after).toEqual(before);
    },
  );
});
