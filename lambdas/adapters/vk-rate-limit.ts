import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitBusy, type VkRateLimiter } from '../domain/outbox/ports.js';
import { conditionHeld } from './conditional-write.js';

/** How long a caller waits for its slot at most, unless told otherwise. */
export const SLOT_WAIT_MS = 10_000;
/** Calls are spaced this much wider than the limit strictly needs, unless told otherwise. */
const SLOT_HEADROOM = 1.1;
/** The time between two slots of a token, in ms. */
export const slotInterval = (callsPerSecond: number, headroom = SLOT_HEADROOM) =>
  Math.ceil((1000 / callsPerSecond) * headroom);

interface DynamoRateLimiterOptions {
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

/**
 * Rounds of "take the free line, else join the queue" before a caller gives up: each round loses only a race,
 * or a slot the caller came to too late.
 */
const ROUNDS = 5;

/**
 * How late after its slot a caller may still call. Slots `interval` apart put `limit` calls over more than a
 * second by `limit × interval − 1000` ms (120 ms at 20 a second, 101 ms at 3): so long as each call reaches
 * VK within that much of its slot, no second holds more than the limit. Half of it is for the caller coming
 * to its slot late (its write slow to come back, its timer late on a busy event loop), half for the way to VK.
 */
const mostLateMs = (callsPerSecond: number, interval: number) => (callsPerSecond * interval - 1000) / 2;

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
 * knows the line is not free, and joins the queue at once: under a steady flow of replies, one write a slot;
 * so do its callers that come while one of them tries for the free line, once that one has it. A caller that comes to its slot too late leaves it unused and books another: called late, it would reach
 * VK right before the callers booked after it, who are on time.
 */
export class DynamoVkRateLimiter implements VkRateLimiter {
  private readonly maxWaitMs: number;
  private readonly headroom: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per key, the `nextAt` this limiter's last booking left: the item's is that or later. */
  private readonly bookedUntil = new Map<string, number>();
  /** Per key, this limiter's try for the free line, while it is on its way. */
  private readonly taking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoRateLimiterOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? SLOT_WAIT_MS;
    this.headroom = options.headroom ?? SLOT_HEADROOM;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(key: string, callsPerSecond: number): Promise<void> {
    const interval = slotInterval(callsPerSecond, this.headroom);
    const mostLate = mostLateMs(callsPerSecond, interval);
    const itemKey = { pk: `VKRATE#${key}`, sk: 'RATE' };
    for (let round = 0; round < ROUNDS; round++) {
      // The calls of one batch come at once: while one of them tries for the free line, the others wait to
      // see it taken and join the queue behind it, instead of each trying for the line in vain first.
      const taking = this.taking.get(key);
      if (taking !== undefined) await taking.catch(() => undefined);
      const now = this.now();
      // `nextAt` never goes back: while a slot this limiter booked is still ahead, the line cannot be free.
      const lineBusy = (this.bookedUntil.get(key) ?? 0) > now;
      if (!lineBusy && (await this.tryFreeLine(key, itemKey, now, interval))) {
        this.booked(key, now + interval);
        if (this.now() - now <= mostLate) return;
        // Come back too late for the slot it took: it goes unused, and the caller books another.
        continue;
      }
      const slot = await this.joinQueue(itemKey, now, interval);
      if (slot !== undefined) {
        this.booked(key, slot + interval);
        const wait = slot - this.now();
        if (wait > 0) await this.sleep(wait);
        if (this.now() - slot <= mostLate) return;
        // Woken too late for its slot: the same.
        continue;
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
    throw new RateLimitBusy(`too much contention for the VK call slots of ${key}, or each came too late`);
  }

  private booked(key: string, nextAt: number): void {
    this.bookedUntil.set(key, Math.max(nextAt, this.bookedUntil.get(key) ?? 0));
  }

  /** `takeFreeLine`, known to this limiter's other callers of the key while it is on its way. */
  private async tryFreeLine(key: string, itemKey: object, now: number, interval: number): Promise<boolean> {
    const attempt = this.takeFreeLine(itemKey, now, interval);
    this.taking.set(key, attempt);
    try {
      return await attempt;
    } finally {
      if (this.taking.get(key) === attempt) this.taking.delete(key);
    }
  }

  /** The slot is now if no call is booked after now; the next one then starts one interval later. */
  private async takeFreeLine(itemKey: object, now: number, interval: number): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: 'SET nextAt = :next, entity = :entity',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':next': now + interval, ':now': now, ':entity': 'rate' },
        }),
      ),
    );
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
