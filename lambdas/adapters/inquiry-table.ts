import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import type { InquiryRepository } from '../domain/ports.js';

const INQUIRY_SK = 'INQUIRY';
const OPEN_STATUSES = new Set(['new', 'routed', 'in_progress', 'reopened']);
const { byDepartmentDeadline, byConversation } = INQUIRY_TABLE.indexes;

const inquiryPk = (id: string) => `INQ#${id}`;

/**
 * The inquiry item: the inquiry's fields plus the keys of the indexes that serve operators, the escalator
 * and threading. Only open inquiries carry index keys, so the indexes hold open work only (sparse indexes).
 */
export function toInquiryItem(inquiry: Inquiry): Record<string, unknown> {
  const open = OPEN_STATUSES.has(inquiry.status);
  return {
    pk: inquiryPk(inquiry.id),
    sk: INQUIRY_SK,
    entity: 'inquiry',
    ...inquiry,
    ...(open &&
      inquiry.department && {
        [byDepartmentDeadline.partitionKey]: `DEPT#${inquiry.department}`,
        [byDepartmentDeadline.sortKey]: `${inquiry.firstResponseDueAt ?? '9999'}#${inquiry.id}`,
      }),
    ...(open && {
      [byConversation.partitionKey]: `CONV#${inquiry.groupId}#${inquiry.conversationKey}#${inquiry.authorId}`,
      [byConversation.sortKey]: inquiry.createdAt,
    }),
  };
}

function toHistoryItem(entry: HistoryEntry, index: number): Record<string, unknown> {
  // The position keeps entries written in the same millisecond apart and in order.
  return {
    pk: inquiryPk(entry.inquiryId),
    sk: `HIST#${entry.at}#${String(index).padStart(3, '0')}`,
    entity: 'history',
    ...entry,
  };
}

function fromInquiryItem(item: Record<string, unknown>): Inquiry {
  const { pk, sk, entity, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ...inquiry } = item;
  return inquiry as unknown as Inquiry;
}

export class DynamoInquiryRepository implements InquiryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * History first, then the inquiry, conditional on its absence. History keys are deterministic, so a
   * retry after a crash between the two writes rewrites the same entries and then creates the inquiry;
   * a redelivery after success finds the inquiry and writes nothing.
   */
  async create(inquiry: Inquiry, history: HistoryEntry[]): Promise<boolean> {
    const existing = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: inquiryPk(inquiry.id), sk: INQUIRY_SK },
        ConsistentRead: true,
      }),
    );
    if (existing.Item) return false;
    await this.putAll(history.map(toHistoryItem));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toInquiryItem(inquiry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Writes items in batches of 25 (DynamoDB's limit), retrying what DynamoDB left unprocessed. */
  private async putAll(items: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < items.length; start += 25) {
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async get(id: string): Promise<{ inquiry: Inquiry; history: HistoryEntry[] } | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inquiryPk(id) },
      }),
    );
    const items = result.Items ?? [];
    const meta = items.find((item) => item.sk === INQUIRY_SK);
    if (!meta) return undefined;
    const history = items
      .filter((item) => item.entity === 'history')
      .map(({ pk, sk, entity, ...entry }) => entry as unknown as HistoryEntry);
    return { inquiry: fromInquiryItem(meta), history };
  }

  /**
   * Every inquiry, newest first. A Scan: it serves the local runtime's view of what came out of the
   * pipeline, not production traffic, which reads through the indexes.
   */
  async listAll(): Promise<Inquiry[]> {
    const inquiries: Inquiry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': INQUIRY_SK },
          ExclusiveStartKey: startKey,
        }),
      );
      inquiries.push(...(page.Items ?? []).map(fromInquiryItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return inquiries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }
}
