import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import type { OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxLedger } from '../domain/outbox/ports.js';
import { type TableReadGatherer, tableReads } from './dynamo-batch-get.js';
import { deleteAll, TableWriteGatherer } from './dynamo-batch-write.js';
import { inquiryPk, toHistoryItem } from './inquiry-table.js';

/** The record of one message to a citizen: it names its inquiry. */
export const recordKey = (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' });

/** The outbox's records and the delivery history, in the inquiry table: one item per message, by key. */
export class DynamoOutboxLedger implements OutboxLedger {
  private readonly history: TableWriteGatherer;
  private readonly reads: TableReadGatherer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.history = new TableWriteGatherer(client, tableName);
    this.reads = tableReads(client, tableName);
  }

  /** Read consistently, in one call with the other reads of the table made in the same turn (the inquiry's). */
  async getRecord(id: string): Promise<OutboxRecord | undefined> {
    const item = await this.reads.item(recordKey(id));
    if (!item) return undefined;
    const { pk, sk, entity, ...record } = item;
    return record as unknown as OutboxRecord;
  }

  async putRecord(record: OutboxRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...recordKey(record.id), entity: 'outbox', ...record },
      }),
    );
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
