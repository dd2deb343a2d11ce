import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { SameTurnBatch } from './same-turn-batch.js';

/** DynamoDB's limit of items in one BatchWriteItem. */
const BATCH_WRITE_ITEMS = 25;

type Item = Record<string, unknown>;

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/**
 * Writes with BatchWriteItem, 25 requests at a time, writing again (with a growing pause) what DynamoDB left
 * unprocessed, as its docs ask: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * Batches rather than parallel calls: dynalite has lost concurrent puts to one partition.
 */
async function writeAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  all: WriteRequest[],
): Promise<void> {
  for (let start = 0; start < all.length; start += BATCH_WRITE_ITEMS) {
    let requests = all.slice(start, start + BATCH_WRITE_ITEMS);
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
}

/** Puts items, 25 to a BatchWriteItem call. */
const putAll = (client: DynamoDBDocumentClient, tableName: string, items: Item[]) =>
  writeAll(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

/** Deletes the items of these keys, 25 to a BatchWriteItem call. */
export const deleteAll = (client: DynamoDBDocumentClient, tableName: string, keys: Item[]) =>
  writeAll(
    client,
    tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );

/**
 * Unconditional puts to one table made side by side (the records of a batch) in the same turn of the event
 * loop, written together: one PutItem for a lone item, BatchWriteItem calls for more. Every caller of the
 * turn resolves once all of them are written, or rejects if any call failed (the puts are idempotent: a
 * retried record writes the same items again). An item named twice is written once, the later one, as
 * DynamoDB refuses a batch that names one key twice.
 */
export class TableWriteGatherer {
  private readonly puts = new SameTurnBatch<Item[]>(async (batch) => {
    const byKey = new Map<string, Item>();
    for (const { value } of batch) for (const item of value) byKey.set(`${item.pk}\u0000${item.sk}`, item);
    const items = [...byKey.values()];
    try {
      if (items.length === 1)
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: items[0] }));
      else await putAll(this.client, this.tableName, items);
      for (const put of batch) put.resolve();
    } catch (error) {
      for (const put of batch) put.reject(error);
    }
  });

  /** Unconditional deletes made in the same turn, written together as the puts are. */
  private readonly deletes = new SameTurnBatch<Item[]>(async (batch) => {
    const byKey = new Map<string, Item>();
    for (const { value } of batch) for (const key of value) byKey.set(`${key.pk}\u0000${key.sk}`, key);
    const keys = [...byKey.values()];
    try {
      if (keys.length === 1)
        await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys[0] }));
      else await deleteAll(this.client, this.tableName, keys);
      for (const request of batch) request.resolve();
    } catch (error) {
      for (const request of batch) request.reject(error);
    }
  });

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  put(items: Item[]): Promise<void> {
    return items.length === 0 ? Promise.resolve() : this.puts.add(items);
  }

  delete(keys: Item[]): Promise<void> {
    return keys.length === 0 ? Promise.resolve() : this.deletes.add(keys);
  }
}
