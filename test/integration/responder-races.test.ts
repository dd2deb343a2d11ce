import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger, OUTBOX_CLAIM_LEASE_MS } from '../../lambdas/adapters/outbox-ledger.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { VkCaller } from '../../lambdas/domain/outbox/ports.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { closeInquiry } from '../../lambdas/operator-api/use-cases/close-inquiry.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { createMessageDeliverer } from '../../lambdas/responder/deliver-message.js';
import { RESPONDER_QUEUE } from '../../lib/resources.js';
import { localDynamoClient } from '../../local/emulators.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { openInquiry, storeInquiryOf } from '../support/inquiries.js';
import { type Latch, latch, stoppedAt } from '../support/latch.js';
import { deliveriesOf, directAnswer } from '../support/responder.js';

/**
 * Races of two writers over one message to a citizen, each staged in a chosen order: one responder (or the
 * write of one) is stopped at a latch in front of a port, the other writer runs whole, then the first goes
 * on. What must hold is what a serial order gives: VK called by one responder at a time, the message counted
 * and its delivery in the history once, the inquiry as if one change came after the other.
 */
const TOKEN = 'test-community-token-123456789';
const NOW = new Date('2026-03-02T08:00:00.000Z');
const operator: Operator = { id: 'sub-anna', name: 'Anna', admin: false, departments: ['housing'] };

let aws: TestAws;
let vk: VkStandIn;
let repository: DynamoInquiryRepository;
let api: OperatorApiDeps;
const queued: OutboxMessage[] = [];

/** Documents over a DynamoDB client of its own: each responder is a Lambda instance of its own. */
const ownDocuments = () =>
  DynamoDBDocumentClient.from(localDynamoClient(aws.emulators.dynamoEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN });
  await vk.start();
  repository = new DynamoInquiryRepository(ownDocuments(), aws.tableName);
  api = {
    config: loadConfig(TEST_CONFIG_FILE),
    inquiries: repository,
    queries: undefined as unknown as OperatorApiDeps['queries'],
    outbox: { send: async (message) => void queued.push(message) },
    clock: { now: () => new Date() },
  };
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});

const toVk: VkCaller = (token, method, params) =>
  new VkApiClient(token, { baseUrl: vk.baseUrl }).call(method, params);

const counted: string[] = [];

/**
 * One responder instance over the real table and the VK stand-in: its own clients; its ledger's claims read
 * `ledgerClock`; `vk` and `inquiries` may be wrapped to stop it at a latch.
 */
function responder(
  options: {
    ledgerClock?: () => Date;
    vk?: VkCaller;
    inquiries?: (real: DynamoInquiryRepository) => DynamoInquiryRepository;
    clock?: () => Date;
    maxReceiveCount?: number;
  } = {},
) {
  const documents = ownDocuments();
  const inquiries = new DynamoInquiryRepository(documents, aws.tableName);
  return createMessageDeliverer({
    config: api.config,
    ledger: new DynamoOutboxLedger(documents, aws.tableName, {
      now: options.ledgerClock ?? (() => new Date()),
    }),
    inquiries: options.inquiries ? options.inquiries(inquiries) : inquiries,
    tokens: { tokenFor: async () => TOKEN },
    vk: options.vk ?? toVk,
    limiter: { acquire: async () => undefined },
    sleep: async () => undefined,
    clock: { now: options.clock ?? (() => NOW) },
    metrics: { count: (name, dimensions) => void counted.push(`${name}:${dimensions.purpose ?? ''}`) },
    ...(options.maxReceiveCount !== undefined && { maxReceiveCount: options.maxReceiveCount }),
  });
}

/** The stand-in VK, reached only once the responder is let past `at`. */
const vkStoppedAt = (at: Latch): VkCaller => stoppedAt(toVk, at);

/** The repository, its `update` stopped at `at` (the write after the read a change is computed on). */
const updateStoppedAt = (at: Latch) => (real: DynamoInquiryRepository) =>
  Object.assign(Object.create(real) as DynamoInquiryRepository, {
    update: stoppedAt(real.update.bind(real), at),
  });

const callsTo = (peerId: number) => vk.calls.filter((call) => call.params.peer_id === String(peerId));
const deliveredTo = (peerId: number) => vk.delivered.filter((call) => call.params.peer_id === String(peerId));
/** A VK whose calls never get an answer: each try fails as a dropped connection does. */
const vkNeverAnswers: VkCaller = async () => {
  throw new Error('socket hang up');
};
const deliveries = (inquiryId: string) => deliveriesOf(ownDocuments(), aws.tableName, inquiryId);
const answer = (name: string, peerId: number): OutboxMessage =>
  directAnswer(name, peerId, { id: `inq-${name}:answer:op:${name}` });

/** A ledger clock `ms` after `start`. */
const clockAt = (start: number, ms: number) => () => new Date(start + ms);

describe('two copies of one message (SQS delivers at least once)', () => {
  it('gives back the copy that comes while the other is calling VK, and VK hears the words once', async () => {
    const message = answer('copy-during-call', 7801);
    await storeInquiryOf(repository, message);
    const calling = latch();
    counted.length = 0;
    const first = responder({ vk: vkStoppedAt(calling) })(message, 1);
    await calling.reached;

    const second = await responder()(message, 1);
    expect(second).toMatchObject({ done: false, outcome: { kind: 'claimed' } });
    expect(second.done === false && second.retryAfterSeconds).toBeGreaterThan(90);
    expect(callsTo(7801)).toHaveLength(0);

    calling.release();
    expect(await first).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    // The copy given back, when it comes again, finds the message recorded.
    expect(await responder()(message, 2)).toEqual({ done: true, outcome: { kind: 'duplicate' } });
    expect(callsTo(7801)).toHaveLength(1);
    expect(counted).toEqual(['MessagesDelivered:answer']);
    expect(await deliveries(message.inquiryId)).toHaveLength(1);
  });

  it('counts and keeps the delivery once when the claim runs out while VK is called and another copy takes over', async () => {
    const message = answer('lease-ran-out', 7802);
    await storeInquiryOf(repository, message);
    const start = Date.now();
    const calling = latch();
    counted.length = 0;
    // A responder slow, not dead: its call of VK outlasts the claim's lease.
    const slow = responder({ ledgerClock: clockAt(start, 0), vk: vkStoppedAt(calling) })(message, 1);
    await calling.reached;

    const takeover = await responder({ ledgerClock: clockAt(start, OUTBOX_CLAIM_LEASE_MS + 1000) })(
      message,
      2,
    );
    expect(takeover).toMatchObject({ done: true, outcome: { kind: 'delivered' } });

    calling.release();
    // VK drops its call by the same random_id; the record is the takeover's, and so is the history's entry.
    expect(await slow).toEqual({ done: true, outcome: { kind: 'duplicate' } });
    expect(deliveredTo(7802)).toHaveLength(1);
    expect(counted).toEqual(['MessagesDelivered:answer']);
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ attempt: '2.1', result: 'delivered' }) }),
    ]);
  });

  it('keeps the slow copy’s delivery when it records first, the copy that took over still calling VK', async () => {
    const message = answer('slow-records-first', 7804);
    await storeInquiryOf(repository, message);
    const start = Date.now();
    const slowCalling = latch();
    counted.length = 0;
    const slow = responder({ ledgerClock: clockAt(start, 0), vk: vkStoppedAt(slowCalling) })(message, 1);
    await slowCalling.reached;
    const takeoverCalling = latch();
    const takeover = responder({
      ledgerClock: clockAt(start, OUTBOX_CLAIM_LEASE_MS + 1000),
      vk: vkStoppedAt(takeoverCalling),
    })(message, 2);
    await takeoverCalling.reached;

    slowCalling.release();
    expect(await slow).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    takeoverCalling.release();
    // VK drops the takeover's call by the same random_id; the slow copy's record stands, and its entry.
    expect(await takeover).toEqual({ done: true, outcome: { kind: 'duplicate' } });
    expect(deliveredTo(7804)).toHaveLength(1);
    expect(counted).toEqual(['MessagesDelivered:answer']);
    expect(await deliveries(message.inquiryId)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ attempt: '1.1', result: 'delivered' }) }),
    ]);
  });

  it('leaves the claim of the copy that took over when the slow one gives its message back', async () => {
    const message = answer('released-late', 7803);
    await storeInquiryOf(repository, message);
    const start = Date.now();
    const slowCalling = latch();
    // The slow responder's VK never answers, on every try: it gives the message back, releasing its claim.
    const slow = responder({ ledgerClock: clockAt(start, 0), vk: stoppedAt(vkNeverAnswers, slowCalling) })(
      message,
      1,
    );
    await slowCalling.reached;

    const takeoverCalling = latch();
    const takeover = responder({
      ledgerClock: clockAt(start, OUTBOX_CLAIM_LEASE_MS + 1000),
      vk: vkStoppedAt(takeoverCalling),
    })(message, 2);
    await takeoverCalling.reached;

    slowCalling.release();
    expect(await slow).toMatchObject({ done: false, outcome: { kind: 'retry' } });

    // The takeover is still calling VK: a third copy, within its lease, is given back.
    const third = await responder({ ledgerClock: clockAt(start, OUTBOX_CLAIM_LEASE_MS + 2000) })(message, 3);
    expect(third).toMatchObject({ done: false, outcome: { kind: 'claimed' } });
    expect(callsTo(7803)).toHaveLength(0);

    takeoverCalling.release();
    expect(await takeover).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    expect(callsTo(7803)).toHaveLength(1);
  });
});

/** An operator's action through the operator API's use case; the message it queued, if any. */
async function act<Body>(useCase: UseCase<Body>, id: string, body: Body, key: string) {
  const request: ApiRequest<Body> = { operator, params: { id }, query: {}, body, idempotencyKey: key };
  const before = queued.length;
  const result = await useCase(request, api);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return { inquiry: result.body as Inquiry, message: queued[before] as OutboxMessage };
}

const open = (peerId: number) =>
  openInquiry(
    { config: api.config, inquiries: repository },
    { peerId, eventKey: `staged-${peerId}`, text: 'Не вывозят мусор во дворе', category: 'waste' },
  );

/** Words VK failed on every try of their last receive (error 10): flagged, kept in the dead letters. */
async function keptInDeadLetters(message: OutboxMessage) {
  vk.failNext(10, 3, ['messages.send']);
  await responder({ clock: () => new Date(), maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount })(
    message,
    RESPONDER_QUEUE.maxReceiveCount,
  );
  expect(await repository.getInquiry(message.inquiryId)).toMatchObject({
    undelivered: { outboxId: message.id },
  });
}

describe('the inquiry changed between the responder’s read of it and its write', () => {
  it('keeps an inquiry closed while a replayed answer’s delivery was being recorded closed', async () => {
    const id = await open(7811);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7811');
    await keptInDeadLetters(message);
    const writing = latch();
    const replay = responder({ clock: () => new Date(), inquiries: updateStoppedAt(writing) })(message, 1);
    await writing.reached;

    // The operator closes the inquiry (the flag goes with it) after the replay read it flagged.
    const { inquiry: closed } = await act(closeInquiry, id, { reason: 'answered by phone' }, 'close-7811');
    writing.release();

    // As if the close came first: the words, delivered, change nothing the department dealt with.
    expect(await replay).toMatchObject({ done: true, outcome: { kind: 'delivered' }, inquiry: 'refused' });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: 'closed', version: closed.version });
    expect(inquiry?.undelivered).toBeUndefined();
  });

  it('keeps an intermediate answer given while a refusal of the answer was being recorded', async () => {
    const id = await open(7812);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, 'reply-7812');
    await keptInDeadLetters(message);
    vk.denyMessagesFrom(7812);
    const writing = latch();
    const replay = responder({ clock: () => new Date(), inquiries: updateStoppedAt(writing) })(message, 1);
    await writing.reached;

    const { inquiry: given } = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7812');
    writing.release();

    // Both changes, one after the other: the refusal's reason on the flag, on top of the intermediate answer.
    expect(await replay).toMatchObject({
      done: true,
      outcome: { kind: 'undeliverable' },
      inquiry: 'changed',
    });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry?.version).toBe(given.version + 1);
    expect(inquiry).toMatchObject({
      firstRespondedAt: given.firstRespondedAt,
      undelivered: { outboxId: message.id, reason: expect.stringContaining('VK error 901') },
    });
  });
});

describe('the flag cleared while the words replayed from the dead letters are being sent', () => {
  it('leaves the inquiry as the department’s newer words left it when the old ones reach the citizen after all', async () => {
    const id = await open(7831);
    const { message } = await act(intermediateAnswer, id, { text: 'Работаем.' }, 'working-7831');
    await keptInDeadLetters(message);
    const calling = latch();
    const replay = responder({ clock: () => new Date(), vk: vkStoppedAt(calling) })(message, 1);
    await calling.reached;

    // The department gives other words (the flag of the first goes with it) while VK has the replayed ones.
    const { inquiry: given } = await act(
      intermediateAnswer,
      id,
      { text: 'Передали подрядчику.' },
      'working-7831-2',
    );
    expect(given.undelivered).toBeUndefined();
    calling.release();

    // As if the newer words came after the replay's: nothing to clear, and the inquiry as they left it.
    expect(await replay).toMatchObject({ done: true, outcome: { kind: 'delivered' }, inquiry: 'refused' });
    const inquiry = await repository.getInquiry(id);
    expect(inquiry).toMatchObject({ status: given.status, version: given.version });
    expect(inquiry?.undelivered).toBeUndefined();
  });
});

describe('a copy delivered while the copy on its last receive records its words kept in the dead letters', () => {
  /**
   * An operator's answer to the inquiry of `peer`, and its copy on its last receive: VK never answers, so it
   * gives the message back, its claim released, and stops at `recording`, before it records the words kept.
   */
  async function lastReceiveStoppedAt(peer: number, recording: Latch) {
    const id = await open(peer);
    const { message } = await act(reply, id, { text: 'Контейнеры вывезены.' }, `reply-${peer}`);
    const last = responder({
      clock: () => new Date(),
      vk: vkNeverAnswers,
      inquiries: updateStoppedAt(recording),
      maxReceiveCount: RESPONDER_QUEUE.maxReceiveCount,
    })(message, RESPONDER_QUEUE.maxReceiveCount);
    await recording.reached;
    return { id, message, last };
  }

  it('leaves no flag of words undelivered on an inquiry whose words reached the citizen', async () => {
    const recording = latch();
    counted.length = 0;
    const { id, message, last } = await lastReceiveStoppedAt(7821, recording);

    // Another copy, received meanwhile, claims the released message and VK takes the words.
    const other = await responder({ clock: () => new Date() })(message, 2);
    expect(other).toMatchObject({ done: true, outcome: { kind: 'delivered' } });
    recording.release();
    await last;

    expect(deliveredTo(7821)).toHaveLength(1);
    // Counted as what they came to: delivered, not undeliverable.
    expect(counted).toEqual(['MessagesDelivered:answer']);
    const inquiry = await repository.getInquiry(id);
    expect(inquiry?.undelivered).toBeUndefined();
    expect(inquiry).toMatchObject({ status: 'answered' });
  });
  it('clears the flag the copy on its last receive recorded after the other copy read the inquiry', async () => {
    const givenBack = latch();
    const { id, message, last } = await lastReceiveStoppedAt(7822, givenBack);
    // The other copy reads the inquiry unflagged, claims the message and calls VK…
    const calling = latch();
    const other = responder({ clock: () => new Date(), vk: vkStoppedAt(calling) })(message, 2);
    await calling.reached;
    // …while the last receive records the words kept in the dead letters.
    givenBack.release();
    await last;
    expect(await repository.getInquiry(id)).toMatchObject({ undelivered: { outboxId: message.id } });
    calling.release();

    // Told that it changed the inquiry: the flag it cleared.
    expect(await other).toMatchObject({ done: true, outcome: { kind: 'delivered' }, inquiry: 'changed' });
    expect(deliveredTo(7822)).toHaveLength(1);
    const inquiry = await repository.getInquiry(id);
    expect(inquiry?.undelivered).toBeUndefined();
    expect(inquiry).toMatchObject({ status: 'answered' });
  });
  it('keeps the flag when VK refused the words to the other copy while the last receive recorded them kept', async () => {
    const recording = latch();
    const { id, message, last } = await lastReceiveStoppedAt(7823, recording);

    // Another copy claims the released message, and VK refuses the words for good: once the second of the
    // calls before is over, as VK answers more than 20 of a community's calls a second with error 6.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    vk.denyMessagesFrom(7823);
    expect(await responder({ clock: () => new Date() })(message, 2)).toMatchObject({
      done: true,
      outcome: { kind: 'undeliverable' },
    });
    recording.release();
    await last;

    // Not delivered by anyone: the flag stays for the department to reach the citizen another way.
    expect(await repository.getInquiry(id)).toMatchObject({ undelivered: { outboxId: message.id } });
  });
});
