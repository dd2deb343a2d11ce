import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SameTurnBatch } from './same-turn-batch.js';

/** DynamoDB's limit of keys in one BatchGetItem. */
const BATCH_GET_KEYS = 100;

interface TableKey {
  pk: string;
  sk: string;
}
type Item = Record<string, unknown>;

const keyId = (key: { pk?: unknown; sk?: unknown }) => `${key.pk}\u0000${key.sk}`;

/**
 * Strongly consistent reads of items by key made side by side (the records of a batch) in the same turn
 * of the event loop, asked together in BatchGetItem calls of up to 100 keys (a lone key in one GetItem); what
 * DynamoDB leaves unprocessed is asked again, as its docs ask:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 * Each caller gets the items of its own keys that exist; all callers of a turn reject if a call failed.
 */
export class TableReadGatherer {
  private readonly reads = new SameTurnBatch<{ keys: TableKey[]; found: Map<string, Item> }>(
    async (batch) => {
      const wanted = new Map<string, TableKey>();
      for (const { value } of batch) for (const key of value.keys) wanted.set(keyId(key), key);
      try {
        const items = await this.getAll([...wanted.values()]);
        for (const { value, resolve } of batch) {
          for (const key of value.keys) {
            const item = items.get(keyId(key));
            if (item) value.found.set(keyId(key), item);
          }
          resolve();
        }
      } catch (error) {
        for (const read of batch) read.reject(error);
      }
    },
  );

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The item of this key, if it exists. */
  async item(key: TableKey): Promise<Item | undefined> {
    return (await this.get([key])).find(key);
  }

  /** The items of these keys that exist, by key. */
  async get(keys: TableKey[]): Promise<{ find(key: TableKey): Item | undefined }> {
    const found = new Map<string, Item>();
    await this.reads.add({ keys, found });
    return { find: (key) => found.get(keyId(key)) };
  }

  private async getAll(keys: TableKey[]): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    const [lone] = keys;
    if (keys.length === 1 && lone) {
      const { Item: item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: lone.pk, sk: lone.sk },
          ConsistentRead: true,
        }),
      );
      if (item) items.set(keyId(item), item);
      return items;
    }
    for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
      let wanted: Item[] = keys.slice(start, start + BATCH_GET_KEYS).map(({ pk, sk }) => ({ pk, sk }));
      for (let attempt = 0; wanted.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) items.set(keyId(item), item);
        wanted = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return items;
  }
}

const shared = new WeakMap<DynamoDBDocumentClient, Map<string, TableReadGatherer>>();

/**
 * The read gatherer of a table through a client, shared by every adapter that reads the table through it (the
 * inquiries, the outbox's records): the reads of different items one record makes side by side go in one call
 * too, not one per adapter.
 */
export function tableReads(client: DynamoDBDocumentClient, tableName: string): TableReadGatherer {
  let byTable = shared.get(client);
  if (!byTable) {
    byTable = new Map();
    shared.set(client, byTable);
  }
  let reads = byTable.get(tableName);
  if (!reads) {
    reads = new TableReadGatherer(client, tableName);
    byTable.set(tableName, reads);
  }
  return reads;
}
