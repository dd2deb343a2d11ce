import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Erasure } from '../domain/ports.js';
import { citizenKey } from './inquiry-table.js';

type Key = Record<string, unknown>;

/** What the table holds of one citizen in one community, as a citizen's erasure finds it. */
export interface CitizenRecords {
  /** The ids of their inquiries (read each again, consistently, before acting on it). */
  inquiryIds: string[];
  /** Erasures of their inquiries begun and not finished (a run stopped midway). */
  erasures: Erasure[];
  /** Their conversations' pointers, each naming the conversation's latest inquiry. */
  pointers: { key: Key; inquiryId: string }[];
  /** Whether the table holds their messaging permission. */
  permission: boolean;
}

/** A citizen's items that no index finds by the citizen, for `npm run citizen:erase`. */
export class DynamoCitizenRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A Scan of the whole table, filtered: a rare request (a few a year), and the only read that finds every
   * inquiry of the citizen. The index by department (what the admin's `?author=` filters) lists neither a
   * message rejected before rejected messages were listed under triage (no department) nor an inquiry of a
   * department since removed from the configuration; a conversation's pointer is keyed by the conversation,
   * which only the inquiries tell. Consistent, so that a second run right after the first sees its deletions.
   * It reads every item once (consistent: a read unit per 4 KB read), and returns only the citizen's.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
   */
  async find(groupId: number, userId: number): Promise<CitizenRecords> {
    const found: CitizenRecords = { inquiryIds: [], erasures: [], pointers: [], permission: false };
    // The pointer's key ends with the author's id (inquiry-table.ts): what the filter cannot say, the code does.
    const pointerPrefix = `CONV#${groupId}#`;
    const pointerSuffix = `#${userId}`;
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          FilterExpression:
            '(#entity IN (:inquiry, :erasure) AND #groupId = :groupId AND #authorId = :userId) OR ' +
            '(#entity = :citizen AND #groupId = :groupId AND #userId = :userId) OR ' +
            '(#entity = :conversation AND begins_with(#pk, :pointers))',
          ExpressionAttributeNames: {
            '#entity': 'entity',
            '#groupId': 'groupId',
            '#authorId': 'authorId',
            '#userId': 'userId',
            '#pk': 'pk',
          },
          ExpressionAttributeValues: {
            ':inquiry': 'inquiry',
            ':erasure': 'erasure',
            ':citizen': 'citizen',
            ':conversation': 'conversation',
            ':groupId': groupId,
            ':userId': userId,
            ':pointers': pointerPrefix,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const { pk, sk, entity, ...item } of page.Items ?? []) {
        if (entity === 'inquiry') found.inquiryIds.push(String(item.id));
        else if (entity === 'erasure') found.erasures.push(item as unknown as Erasure);
        else if (entity === 'citizen') found.permission = true;
        else if (entity === 'conversation' && String(pk).endsWith(pointerSuffix))
          found.pointers.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** Deletes the pointer if it still names the inquiry (not one the conversation has opened since). */
  async deletePointer(key: Key, inquiryId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'inquiryId = :inquiryId',
          ExpressionAttributeValues: { ':inquiryId': inquiryId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Deletes the citizen's messaging permission; false when there was none. */
  async deletePermission(groupId: number, userId: number): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: citizenKey(groupId, userId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }
}
