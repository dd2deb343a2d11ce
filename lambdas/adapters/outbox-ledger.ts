import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import type { OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxLedger } from '../domain/outbox/ports.js';
import { TableWriteGatherer } from './dynamo-batch-write.js';
import { toHistoryItem } from './inquiry-table.js';

/** The record of one message to a citizen: it names its inquiry. */
export const recordKey = (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' });

/** The outbox's records and the delivery history, in the inquiry table: one item per message, by key. */
export class DynamoOutboxLedger implements OutboxLedger {
  private readonly history: TableWriteGatherer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.history = new TableWriteGatherer(client, tableName);
  }

  async getRecord(id: string): Promise<OutboxRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: recordKey(id), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { pk, sk, entity, ...record } = result.Item;
    return record as OutboxRecord;
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
}
