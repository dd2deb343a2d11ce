import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/ports.js';
import type { ClaimResult, VkEventLedger } from '../domain/vk/event-ledger.js';
import { TableWriteGatherer } from './dynamo-batch-write.js';

/**
 * How long an event is remembered: VK retries for about 1 h 43 min, and a message can wait in a dead-letter
 * queue for 14 days before someone redrives it. The attribute is DynamoDB's TTL attribute; items past it are
 * deleted by DynamoDB within days (the local dynalite keeps them, which only makes it stricter).
 */
const REMEMBER_SECONDS = 15 * 24 * 3600;

/**
 * How long a claim holds before another attempt may take the event over: longer than the consumer's
 * timeout, so a live attempt is never overtaken; shorter than the queue's visibility timeout, so the
 * redelivery after a crash finds the claim expired.
 */
const CLAIM_LEASE_MS = 60_000;

/**
 * The lease, from `VK_EVENT_CLAIM_LEASE_MS` if set (default 60 s). Only local runs set it: the local pollers
 * bring a failed or abandoned message back within seconds, and the lease must stay shorter than that wait.
 */
function claimLeaseMs(value = process.env.VK_EVENT_CLAIM_LEASE_MS): number {
  if (value === undefined || value === '') return CLAIM_LEASE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new Error(
      `VK_EVENT_CLAIM_LEASE_MS must be a positive whole number of milliseconds, not "${value}"`,
    );
  return ms;
}

const keyOf = (groupId: number, eventKey: string) => ({ pk: `EVENT#${groupId}#${eventKey}`, sk: 'EVENT' });

/**
 * One item per VK event in the inquiry table, written with single-item conditional writes (no transactions:
 * the local DynamoDB has none). `claimed` while an attempt hands the event on, `forwarded` once it has.
 */
export class DynamoVkEventLedger implements VkEventLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    private readonly leaseMs = claimLeaseMs(),
  ) {
    this.marks = new TableWriteGatherer(client, tableName);
  }

  private readonly marks: TableWriteGatherer;

  async claim(groupId: number, eventKey: string): Promise<ClaimResult> {
    const now = this.clock.now().getTime();
    // This attempt's mark on its claim: a put that DynamoDB applied but answered too late (the SDK's 2 s per
    // try, sdk-timeouts.ts) is tried again by the SDK and refused by its own claim, which is then this
    // attempt's, not another copy's: taken for busy, the event would wait out the queue's visibility timeout.
    const claimToken = randomUUID();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(groupId, eventKey),
            entity: 'vk_event',
            state: 'claimed',
            claimToken,
            leaseUntil: now + this.leaseMs,
            expiresAt: Math.floor(now / 1000) + REMEMBER_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(groupId, eventKey), ConsistentRead: true }),
    );
    if (existing.Item?.state === 'forwarded') return 'done';
    return existing.Item?.state === 'claimed' && existing.Item.claimToken === claimToken ? 'claimed' : 'busy';
  }

  /**
   * Marks the event handed on: an unconditional put, so the marks of a batch's records, made side by side,
   * share one BatchWriteItem.
   */
  complete(groupId: number, eventKey: string): Promise<void> {
    const now = this.clock.now().getTime();
    return this.marks.put([
      {
        ...keyOf(groupId, eventKey),
        entity: 'vk_event',
        state: 'forwarded',
        forwardedAt: new Date(now).toISOString(),
        expiresAt: Math.floor(now / 1000) + REMEMBER_SECONDS,
      },
    ]);
  }

  async release(groupId: number, eventKey: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(groupId, eventKey),
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
