import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitBusy, type VkRateLimiter } from '../domain/outbox/ports.js';

export interface DynamoRateLimiterOptions {
  /** The longest a caller waits for its turn before giving the message back to the queue. */
  maxWaitMs?: number;
  /**
   * Spacing headroom over 1/limit: a call granted at t reaches VK a little later or earlier than the next
   * one, so calls are spaced 10 % wider than the limit strictly needs.
   */
  headroom?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Rounds of "take the free line, else join the queue" before a caller gives up: each round loses only a race. */
const ROUNDS = 5;

/**
 * VK allows 20 calls a second per community token (3 for a user token), counted over every process using the
 * token: https://dev.vk.com/ru/api/api-requests#Частота%20обращений. One item per token holds the moment the
 * next call may start (`nextAt`), so calls are spaced evenly and no second, however it is cut, holds more
 * than the limit, whatever number of responders run at once.
 *
 * A caller takes its slot in one conditional write, with no read before it: when `nextAt` has passed, the
 * slot is now and `nextAt` becomes one interval later; otherwise it joins the queue by adding one interval
 * to `nextAt` (an atomic ADD, which concurrent callers cannot lose), and its slot is the value before. Under
 * contention no write fails and none is retried; only a queue longer than the caller may wait costs a read,
 * to tell it from a queue that emptied between the two writes. A limiter that booked a slot not yet begun
 * knows the line is not free, and joins the queue at once: under a steady flow of replies, one write a slot.
 */
export class DynamoVkRateLimiter implements VkRateLimiter {
  private readonly maxWaitMs: number;
  private readonly headroom: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per key, the `nextAt` this limiter's last booking left: the item's is that or later. */
  private readonly bookedUntil = new Map<string, number>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoRateLimiterOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.headroom = options.headroom ?? 1.1;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(key: string, callsPerSecond: number): Promise<void> {
    const interval = Math.ceil((1000 / callsPerSecond) * this.headroom);
    const itemKey = { pk: `VKRATE#${key}`, sk: 'RATE' };
    for (let round = 0; round < ROUNDS; round++) {
      const now = this.now();
      // `nextAt` never goes back: while a slot this limiter booked is still ahead, the line cannot be free.
      const lineBusy = (this.bookedUntil.get(key) ?? 0) > now;
      if (!lineBusy && (await this.takeFreeLine(itemKey, now, interval))) {
        this.booked(key, now + interval);
        return;
      }
      const slot = await this.joinQueue(itemKey, now, interval);
      if (slot !== undefined) {
        this.booked(key, slot + interval);
        const wait = slot - this.now();
        if (wait > 0) await this.sleep(wait);
        return;
      }
      // The queue is too long, or it emptied between the two writes: only the first is worth another round.
      // (Nor is the slot booked last worth trusting any more: the item may be gone, as after a restore.)
      this.bookedUntil.delete(key);
      const read = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      );
      const nextAt = read.Item?.nextAt as number | undefined;
      if (nextAt !== undefined && nextAt - this.now() > this.maxWaitMs)
        throw new RateLimitBusy(`no VK call slot for ${key} within ${this.maxWaitMs} ms`);
    }
    throw new RateLimitBusy(`too much contention for the VK call slots of ${key}`);
  }

  private booked(key: string, nextAt: number): void {
    this.bookedUntil.set(key, Math.max(nextAt, this.bookedUntil.get(key) ?? 0));
  }

  /** The slot is now if no call is booked after now; the next one then starts one interval later. */
  private async takeFreeLine(itemKey: object, now: number, interval: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: 'SET nextAt = :next, entity = :entity',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':next': now + interval, ':now': now, ':entity': 'rate' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The slot after the last one booked, if it starts within the longest wait: `nextAt` moves one interval on
   * and the slot is where it was. Undefined when the queue is longer, or empty again.
   */
  private async joinQueue(itemKey: object, now: number, interval: number): Promise<number | undefined> {
    try {
      const updated = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: 'ADD nextAt :interval',
          ConditionExpression: 'nextAt > :now AND nextAt <= :latest',
          ExpressionAttributeValues: { ':interval': interval, ':now': now, ':latest': now + this.maxWaitMs },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return (updated.Attributes?.nextAt as number) - interval;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
