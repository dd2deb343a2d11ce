import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import type { OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxLedger } from '../domain/outbox/ports.js';
import { type TableReadGatherer, tableReads } from './dynamo-batch-get.js';
import { TableWriteGatherer } from './dynamo-batch-write.js';
import { toHistoryItem } from './inquiry-table.js';

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
}
