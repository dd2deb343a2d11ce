import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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

/**
 * VK allows 20 calls a second per community token (3 for a user token), counted over every process using the
 * token: https://dev.vk.com/ru/api/api-requests#Частота%20обращений. One item per token holds the moment the
 * next call may start (`nextAt`); a caller reserves its slot by moving `nextAt` one interval on with a
 * conditional write on the value it read, then waits for its slot. Calls are thus spaced evenly, so no
 * second, however it is cut, holds more than the limit, whatever number of responders run at once.
 */
export class DynamoVkRateLimiter implements VkRateLimiter {
  private readonly maxWaitMs: number;
  private readonly headroom: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

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
    for (let tries = 0; tries < 50; tries++) {
      const read = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      );
      const seen = read.Item?.nextAt as number | undefined;
      const now = this.now();
      const slot = Math.max(now, seen ?? 0);
      if (slot - now > this.maxWaitMs)
        throw new RateLimitBusy(`no VK call slot for ${key} within ${this.maxWaitMs} ms`);
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...itemKey, entity: 'rate', nextAt: slot + interval },
            ConditionExpression: seen === undefined ? 'attribute_not_exists(pk)' : 'nextAt = :seen',
            ...(seen !== undefined && { ExpressionAttributeValues: { ':seen': seen } }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          // Another responder took the slot: read again (with a little jitter so that we do not collide again).
          await this.sleep(Math.random() * 5);
          continue;
        }
        throw error;
      }
      const wait = slot - this.now();
      if (wait > 0) await this.sleep(wait);
      return;
    }
    throw new RateLimitBusy(`too much contention for the VK call slots of ${key}`);
  }
}
