import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger, OUTBOX_CLAIM_LEASE_MS } from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { VkCaller } from '../../lambdas/domain/outbox/ports.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { deliveriesOf, directAnswer } from '../support/responder.js';

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

const answer = (name: string, peerId: number): OutboxMessage =>
  directAnswer(name, peerId, { id: `inq-${name}:answer:op:${name}` });

/** Documents over a DynamoDB client of its own: each responder is a Lambda instance of its own. */
const ownDocuments = () =>
  DynamoDBDocumentClient.from(localDynamoClient(aws.emulators.dynamoEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });

const counted: string[] = [];
/** The slots of VK's rate limit booked. */
const booked: string[] = [];
const toVk: VkCaller = (token, method, params) =>
  new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params);

/** One responder instance: its own clients, ledger (claims read `ledgerClock`) and repository. */
function responder(
  options: { ledgerClock?: Clock; leaseMs?: number; vk?: VkCaller; maxReceiveCount?: number } = {},
) {
  const documents = ownDocuments();
  return createMessageDeliverer({
    config: loadConfig(TEST_CONFIG_FILE),
    ledger: new DynamoOutboxLedger(
      documents,
      aws.tableName,
      options.ledgerClock ?? { now: () => new Date() },
      options.leaseMs ?? OUTBOX_CLAIM_LEASE_MS,
    ),
    inquiries: new DynamoInquiryRepository(documents, aws.tableName),
    tokens: { tokenFor: async () => TOKEN },
    vk: options.vk ?? toVk,
    limiter: { acquire: async (line) => void booked.push(line) },
    sleep: async () => undefined,
    clock: { now: () => NOW },
    metrics: { count: (name, dimensions) => void counted.push(`${name}:${dimensions.purpose ?? ''}`) },
    ...(options.maxReceiveCount !== undefined && { maxReceiveCount: options.maxReceiveCount }),
  });
}

const deliveries = (inquiryId: string) => deliveriesOf(ownDocuments(), aws.tableName, inquiryId);

const callsTo = (peerId: number) => vk.calls.filter((call) => call.params.peer_id === String(peerId));
const countsOf = (run: () => Promise<unknown>) => async () => {
  counted.length = 0;
  await run();
  return counted.splice(0);
};

describe('two responders handed the same message at the same time (SQS delivers at least once)', () => {
  it('VK is called once, the history has one delivery and the message is counted once', async () => {
    const message = answer('twice-at-once', 7701);
    await storeInquiryOf(new DynamoInquiryRepository(ownDocuments(), aws.tableName), message);
    // VK answers across the network: both copies are past the ledger's read before either is recorded.
    vk.answerAfter(150);
    const [first, second] = [responder(), responder()];
    booked.length = 0;
    let results: Awaited<ReturnType<typeof first>>[] = [];
    const counts = await countsOf(async () => {
      results = await Promise.all([first(message, 1), second(message, 1)]);
    })();
    vk.clearFaults();
    expect(callsTo(7701)).toHaveLength(1);
    expect(await deliveries(message.inquiryId)).toHaveLength(1);
    expect(counts).toEqual(['MessagesDelivered:answer']);
    // The copy given back booked no slot of the rate limit.
    expect(booked).toHaveLength(1);
    // The other copy goes back to its queue until the claim would have run out: then it finds it delivered.
    expect(results.map((result) => result.outcome.kind).sort()).toEqual(['claimed', 'delivered']);
    const givenBack = results.find((result) => !result.done);
    expect(givenBack?.done === false && givenBack.retryAfterSeconds).toBeGreaterThan(90);
    expect(await responder()(message, 2)).toMatchObject({ done: true, outcome: { kind: 'duplicate' } });
    expect(callsTo(7701)).toHaveLength(1);
  });

  it('a claim taken over from a responder that was slow, not dead: only the first to record counts', async () => {
    const message = answer('overtaken', 7702);
    await storeInquiryOf(new DynamoInquiryRepository(ownDocuments(), aws.tableName), message);
    // A lease that has run out at once: both call VK (which drops the second by its random_id), both finish.
    vk.answerAfter(150);
    const [first, second] = [responder({ leaseMs: 1 }), responder({ leaseMs: 1 })];
    let kinds: string[] = [];
    const counts = await countsOf(async () => {
      const results = await Promise.all([
        first(message, 1),
        new Promise((resolve) => setTimeout(resolve, 20)).then(() => second(message, 2)),
      ]);
      kinds = results.map((result) => result.outcome.kind).sort();
    })();
    vk.clearFaults();
    expect(vk.delivered.filter((call) => call.params.peer_id === '7702')).toHaveLength(1);
    expect(kinds).toEqual(['delivered', 'duplicate']);
    expect(counts).toEqual(['MessagesDelivered:answer']);
    // The loser's entry (another receive, so another key) is gone; the winner's stays.
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ attempt: '1.1', result: 'delivered' }) }),
    ]);
  });
});

describe('a message given back to the queue unsent', () => {
  it('calls VK no more when the other recorded it between this one’s read of the record and its claim', async () => {
    const message = answer('read-then-recorded', 7405);
    await storeInquiryOf(new DynamoInquiryRepository(ownDocuments(), aws.tableName), message);
    expect(await responder()(message, 1)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    booked.length = 0;
    // This one read no record: the other's came after its read.
    const documents = ownDocuments();
    const ledger = new DynamoOutboxLedger(documents, aws.tableName);
    const late = createMessageDeliverer({
      config: loadConfig(TEST_CONFIG_FILE),
      ledger: Object.assign(Object.create(ledger) as DynamoOutboxLedger, {
        getRecord: async () => undefined,
      }),
      inquiries: new DynamoInquiryRepository(documents, aws.tableName),
      tokens: { tokenFor: async () => TOKEN },
      vk: toVk,
      limiter: { acquire: async (line) => void booked.push(line) },
      sleep: async () => undefined,
      clock: { now: () => NOW },
    });
    expect(await late(message, 1)).toEqual({ done: true, outcome: { kind: 'duplicate' } });
    expect(callsTo(7405)).toHaveLength(1);
    expect(booked).toEqual([]);
    expect(await deliveries(message.inquiryId)).toHaveLength(1);
  });

  it('is claimed again at once by its next receive: VK failing holds no claim', async () => {
    const message = answer('given-back', 7704);
    await storeInquiryOf(new DynamoInquiryRepository(ownDocuments(), aws.tableName), message);
    vk.failNext(6, 3, ['messages.send']);
    expect(await responder()(message, 1)).toMatchObject({ done: false, outcome: { kind: 'retry' } });
    expect(await responder()(message, 2)).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(callsTo(7704)).toHaveLength(4);
  });
});

describe('a responder that crashed while it held a message', () => {
  it('holds the message off until its claim runs out, then another responder sends it', async () => {
    const message = answer('crashed', 7703);
    await storeInquiryOf(new DynamoInquiryRepository(ownDocuments(), aws.tableName), message);
    const claimedAt = Date.now();
    const at = (ms: number): Clock => ({ now: () => new Date(claimedAt + ms) });
    // It claimed the message and called VK, and never came back (killed, or out of time).
    let called!: () => void;
    const calling = new Promise<void>((resolve) => {
      called = resolve;
    });
    void responder({
      ledgerClock: at(0),
      vk: () => {
        called();
        return new Promise<never>(() => undefined);
      },
    })(message, 1);
    await calling;

    // Within the lease: another copy goes back to the queue, and VK is not called. On the queue's last
    // receive too, it is not one to record as kept in the dead letters: the holder tells what became of it.
    counted.length = 0;
    const early = await responder({ ledgerClock: at(30_000), maxReceiveCount: 1 })(message, 1);
    expect(early).toMatchObject({ done: false, outcome: { kind: 'claimed' } });
    expect(early).not.toHaveProperty('lastReceive');
    expect(counted).toEqual([]);
    expect(early.done === false && early.retryAfterSeconds).toBe((OUTBOX_CLAIM_LEASE_MS - 30_000) / 1000);
    expect(callsTo(7703)).toHaveLength(0);

    // The copy SQS hands out again after the visibility timeout finds the claim expired, and sends it.
    const later = await responder({ ledgerClock: at(OUTBOX_CLAIM_LEASE_MS + 1000) })(message, 2);
    expect(later).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(callsTo(7703)).toHaveLength(1);
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ attempt: '2.1', result: 'delivered' }) }),
    ]);
  });
});
