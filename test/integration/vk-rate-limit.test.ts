import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoVkRateLimiter } from '../../lambdas/adapters/vk-rate-limit.js';
import { RateLimitBusy } from '../../lambdas/domain/outbox/ports.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';

/**
 * The VK call slots, booked in the table of the real emulator. The clock stands still and the waits are
 * recorded rather than slept, so the slots each caller got can be read exactly; the calls the SDK makes are
 * counted. (The responder's burst test shows the same spacing on VK's side, in real time.)
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo);
  recordCommands(documents, calls);
});
afterAll(() => aws?.stop());

/** 20 calls a second, spaced 10 % wider: 1000 / 20 × 1.1, rounded up (as floating point has it, 56 ms). */
const INTERVAL = Math.ceil((1000 / 20) * 1.1);

/** A limiter whose clock reads `at.now` and whose sleeps are recorded in `waits`. */
function limiter(at: { now: number }, waits: number[], maxWaitMs = 10_000) {
  return new DynamoVkRateLimiter(documents, aws.tableName, {
    maxWaitMs,
    now: () => at.now,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

describe('DynamoVkRateLimiter', () => {
  it('gives concurrent callers slots one interval apart, each in one or two writes', async () => {
    const at = { now: 1_000_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits);
    calls.length = 0;
    await Promise.all(Array.from({ length: 12 }, () => slots.acquire('concurrent', 20)));
    expect([0, ...waits].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n * INTERVAL));
    expect(calls.every((name) => name === 'UpdateItemCommand')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(2 * 12);
  });

  it('books the calls of one responder that come at once in one write each: one takes the line, the rest queue', async () => {
    const at = { now: 1_500_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits);
    calls.length = 0;
    // A batch's five messages to one community, handled at the same time.
    await Promise.all(Array.from({ length: 5 }, () => slots.acquire('one-batch', 20)));
    expect(waits.sort((a, b) => a - b)).toEqual([1, 2, 3, 4].map((n) => n * INTERVAL));
    expect(calls).toEqual(Array.from({ length: 5 }, () => 'UpdateItemCommand'));
  });

  it('takes the free line again once the booked slots have passed', async () => {
    const at = { now: 2_000_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits);
    await slots.acquire('idle', 20);
    await slots.acquire('idle', 20);
    expect(waits).toEqual([INTERVAL]);
    at.now += 1000;
    calls.length = 0;
    await slots.acquire('idle', 20);
    expect(waits).toEqual([INTERVAL]);
    expect(calls).toEqual(['UpdateItemCommand']);
  });

  it('books each slot of a steady flow in one write, and takes the free line again once it is free', async () => {
    const at = { now: 2_500_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits);
    calls.length = 0;
    // One responder's replies one after the other, each before the last one's slot has passed.
    for (let n = 0; n < 10; n++) await slots.acquire('steady', 20);
    expect(waits).toEqual(Array.from({ length: 9 }, (_, n) => (n + 1) * INTERVAL));
    // The free line, then the queue: one write each, as the slot booked last is still ahead.
    expect(calls).toEqual(Array.from({ length: 10 }, () => 'UpdateItemCommand'));
    at.now += 60_000;
    calls.length = 0;
    await slots.acquire('steady', 20);
    expect(waits).toHaveLength(9);
    await slots.acquire('steady', 20);
    expect(waits.at(-1)).toBe(INTERVAL);
    expect(calls).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
  });

  it('takes the free line when the slots it booked are gone from the table', async () => {
    const at = { now: 2_700_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits);
    await slots.acquire('gone', 20);
    await documents.send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: 'VKRATE#gone', sk: 'RATE' } }),
    );
    await slots.acquire('gone', 20);
    expect(waits).toEqual([]);
  });

  it('books again for a caller that comes to its slot too late, rather than call just before the next ones', async () => {
    // In real time, at a user token's 3 calls a second (slots 367 ms apart). The first caller to queue wakes
    // 300 ms after its slot, as on an event loop kept busy: called then, it would make four calls in a second
    // with the three booked after it.
    const interval = Math.ceil((1000 / 3) * 1.1);
    let oversleep = 300;
    const slots = new DynamoVkRateLimiter(documents, aws.tableName, {
      sleep: (ms) => {
        const extra = ms <= interval ? oversleep : 0;
        if (extra > 0) oversleep = 0;
        return new Promise((resolve) => setTimeout(resolve, ms + extra));
      },
    });
    calls.length = 0;
    const called: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await slots.acquire('late', 3);
        called.push(Date.now());
      }),
    );
    expect(oversleep).toBe(0);
    called.sort((a, b) => a - b);
    // VK counts the calls of the last second: never more than three in any.
    for (let n = 3; n < called.length; n++)
      expect((called[n] ?? 0) - (called[n - 3] ?? 0)).toBeGreaterThanOrEqual(1000);
    // The late caller's slot went unused: it booked once more.
    expect(calls.filter((name) => name === 'UpdateItemCommand').length).toBeGreaterThanOrEqual(6);
  });

  it('refuses a slot further off than the caller may wait, and books none for it', async () => {
    const at = { now: 3_000_000 };
    const waits: number[] = [];
    const slots = limiter(at, waits, 3 * INTERVAL);
    for (let n = 0; n < 4; n++) await slots.acquire('busy', 20);
    expect(waits).toEqual([INTERVAL, 2 * INTERVAL, 3 * INTERVAL]);
    await expect(slots.acquire('busy', 20)).rejects.toThrow(RateLimitBusy);
    await expect(slots.acquire('busy', 20)).rejects.toThrow(`within ${3 * INTERVAL} ms`);
    // The refused callers booked nothing: once a slot is free, it is the next caller's.
    at.now += INTERVAL;
    await slots.acquire('busy', 20);
    expect(waits.at(-1)).toBe(3 * INTERVAL);
  });
});
