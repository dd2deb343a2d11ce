import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import type { OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxClaim, OutboxLedger } from '../domain/outbox/ports.js';
import { malformedRecordAttributesOf } from '../domain/outbox/stored-outbox-record.js';
import type { Clock } from '../domain/ports.js';
import { systemClock } from './clock.js';
import { type TableReadGatherer, tableReads } from './dynamo-batch-get.js';
import { deleteAll, TableWriteGatherer } from './dynamo-batch-write.js';
import { toHistoryItem } from './history-items.js';
import { inquiryPk } from './inquiry-keys.js';

/**
 * A message's record that does not read as one (stored-outbox-record.ts): the message's id and the attributes
 * at fault, never their values. Left in the table as it is, for ops to mend (docs/runbook.md, "A malformed
 * inquiry item").
 */
export class MalformedOutboxRecord extends Error {
  override readonly name = 'MalformedOutboxRecord';
  constructor(
    readonly outboxId: string,
    readonly attributes: string[],
  ) {
    super(`the outbox record ${outboxId} is malformed: ${attributes.join(', ')}`);
  }
}

/** The record of one message to a citizen: it names its inquiry. */
export const recordKey = (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' });

/**
 * How long a responder's claim on a message holds before another may take it over. Longer than the
 * responder's timeout (90 s, lib/resources.ts): a responder still running, and so perhaps still calling VK,
 * is never overtaken. Shorter than the visibility timeout of the outbox and the answers queue (540 s): the
 * copy SQS hands out again after a responder crashed (or timed out) holding the message finds the claim
 * expired, and sends it. A copy given back because of a live claim comes again once the claim would have
 * expired: by then the holder has recorded the message (the copy is a duplicate) or has crashed.
 */
export const OUTBOX_CLAIM_LEASE_MS = 150_000;

/**
 * The lease, from `OUTBOX_CLAIM_LEASE_MS` if set (default 150 s). Only local runs set it: their pollers
 * bring back a message whose consumer was killed within seconds, and the lease must stay shorter than that.
 */
function outboxClaimLeaseMs(value = process.env.OUTBOX_CLAIM_LEASE_MS): number {
  if (value === undefined || value === '') return OUTBOX_CLAIM_LEASE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new Error(`OUTBOX_CLAIM_LEASE_MS must be a positive whole number of milliseconds, not "${value}"`);
  return ms;
}

/**
 * A claim outlives its message by at most this (DynamoDB's TTL attribute): one left by a crashed responder
 * whose message then went to the dead-letter queue (kept 14 days) and was never replayed. A record replaces
 * the claim whole, without it, and is kept.
 */
const CLAIM_REMEMBERED_SECONDS = 15 * 24 * 3600;

/**
 * The outbox's records and the delivery history, in the inquiry table: one item per message, by key. The
 * item is first a claim (`status: claimed`, with a lease), while one responder sends the message, then its
 * record, written once.
 */
export class DynamoOutboxLedger implements OutboxLedger {
  private readonly history: TableWriteGatherer;
  private readonly reads: TableReadGatherer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
    private readonly leaseMs = outboxClaimLeaseMs(),
  ) {
    this.history = new TableWriteGatherer(client, tableName);
    this.reads = tableReads(client, tableName);
  }

  /**
   * Read consistently, in one call with the other reads of the table made in the same turn (the inquiry's).
   * A claim is no record: the message has not reached its final state. MalformedOutboxRecord if the item is
   * neither.
   */
  async getRecord(id: string): Promise<OutboxRecord | undefined> {
    const item = await this.reads.item(recordKey(id));
    if (!item || item.status === 'claimed') return undefined;
    const { pk, sk, entity, ...record } = item;
    const malformed = malformedRecordAttributesOf(record);
    if (malformed) throw new MalformedOutboxRecord(id, malformed);
    return record as unknown as OutboxRecord;
  }

  /**
   * A single-item conditional put (the local DynamoDB has no transactions): the item is absent, or a claim
   * whose lease has run out.
   */
  async claim(message: { id: string; inquiryId: string }): Promise<OutboxClaim> {
    const now = this.clock.now().getTime();
    const claimId = randomUUID();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...recordKey(message.id),
            entity: 'outbox',
            id: message.id,
            inquiryId: message.inquiryId,
            status: 'claimed',
            claimId,
            leaseUntil: now + this.leaseMs,
            expiresAt: Math.floor(now / 1000) + CLAIM_REMEMBERED_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return { kind: 'claimed', claimId };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: recordKey(message.id), ConsistentRead: true }),
    );
    // Gone between the two calls (discarded with its deleted inquiry), or released since: back briefly.
    if (!item) return { kind: 'held', heldForMs: 1000 };
    if (item.status !== 'claimed') return { kind: 'recorded' };
    return { kind: 'held', heldForMs: Math.max(1000, Number(item.leaseUntil) - now) };
  }

  /**
   * Ends the claim's lease now if the claim is still this one's (taken over since, it is another responder's):
   * an update, not a deletion, so that the responder needs no grant to delete items.
   */
  async release(id: string, claimId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: recordKey(id),
          UpdateExpression: 'SET leaseUntil = :over',
          ConditionExpression: '#status = :claimed AND claimId = :claimId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':claimId': claimId, ':over': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Written only over nothing or a claim (anyone's: the first final state wins, whichever responder reached
   * it); a record already there is left as it is and read back for the caller.
   */
  async putRecord(record: OutboxRecord): Promise<OutboxRecord | undefined> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...recordKey(record.id), entity: 'outbox', ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: recordKey(record.id), ConsistentRead: true }),
    );
    const { pk, sk, entity, ...earlier } = item ?? {};
    return earlier as unknown as OutboxRecord;
  }

  /** Batched with the other records' entries (and never as parallel puts: dynalite has lost those). */
  appendHistory(entries: HistoryEntry[]): Promise<void> {
    return this.history.put(entries.map(toHistoryItem));
  }

  /**
   * The history entries by a Query of the inquiry's partition (their keys hold the time of each attempt),
   * filtered to the message's; the record by its key (an outbox id is its inquiry's). Rare: only for a
   * message whose inquiry was deleted while it was handled, or after a try that stopped midway.
   */
  async discard(message: { id: string; inquiryId: string }): Promise<void> {
    const keys: Record<string, unknown>[] = [recordKey(message.id)];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
          FilterExpression: '#detail.#outboxId = :outboxId',
          ProjectionExpression: 'pk, sk',
          ExpressionAttributeNames: { '#detail': 'detail', '#outboxId': 'outboxId' },
          ExpressionAttributeValues: {
            ':pk': inquiryPk(message.inquiryId),
            ':history': 'HIST#',
            ':outboxId': message.id,
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      keys.push(...(page.Items ?? []).map(({ pk, sk }) => ({ pk, sk })));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    await deleteAll(this.client, this.tableName, keys);
  }
}
