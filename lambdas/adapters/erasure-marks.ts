import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionHeld } from './conditional-write.js';
import { scanConsistently, type TableReading } from './dynamo-parallel-scan.js';
import { COMMUNITY_ERASURES, ERASED_CITIZEN } from './erased-citizens.js';

/**
 * An erasure's mark as stored (erased-citizens.ts): a citizen's (`ERASED#<group id>#<digest>`) or a
 * community's latest erasure (`ERASURES#<group id>`). Neither holds a VK id.
 */
export interface ErasureMark {
  pk: string;
  sk: string;
  entity: typeof ERASED_CITIZEN | typeof COMMUNITY_ERASURES;
  erasedAt: string;
  /** DynamoDB's TTL attribute, seconds since the epoch. */
  expiresAt: number;
}

/** The community a mark is of: the group id after its key's prefix. */
export const communityOf = (mark: ErasureMark): number => Number(mark.pk.split('#')[1]);

/**
 * The erasures' marks of one table, read and copied whole, for `npm run erasures:copy`: a table restored from
 * a point in time lacks the marks of the erasures made since, and without them the router would store again a
 * late message of a citizen erased meanwhile. No index holds them: only a Scan finds them all.
 */
export class DynamoErasureMarks {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Every mark whose erasure is at `since` or later, in `segments` parts side by side: a consistent Scan,
   * filtered to the marks. `pageSize` caps the items a request reads.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
   */
  async since(since: Date, options: TableReading = {}): Promise<ErasureMark[]> {
    const marks: ErasureMark[] = [];
    await scanConsistently(
      this.client,
      {
        TableName: this.tableName,
        FilterExpression: '#entity IN (:citizen, :community) AND #erasedAt >= :since',
        ProjectionExpression: '#pk, #sk, #entity, #erasedAt, #expiresAt',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#sk': 'sk',
          '#entity': 'entity',
          '#erasedAt': 'erasedAt',
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: {
          ':citizen': ERASED_CITIZEN,
          ':community': COMMUNITY_ERASURES,
          // Stored as toISOString writes it, which sorts as the time does.
          ':since': since.toISOString(),
        },
      },
      options,
      (items) => {
        for (const item of items)
          marks.push({
            pk: String(item.pk),
            sk: String(item.sk),
            entity: item.entity as ErasureMark['entity'],
            erasedAt: String(item.erasedAt),
            expiresAt: Number(item.expiresAt),
          });
      },
    );
    return marks;
  }

  /**
   * Writes the mark as it is, its erasure and expiry unchanged, unless the table holds a later erasure at its
   * key (as a mark is moved on: never back). False when it does.
   */
  async copy(mark: ErasureMark): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...mark },
          ConditionExpression: 'attribute_not_exists(pk) OR erasedAt <= :erasedAt',
          ExpressionAttributeValues: { ':erasedAt': mark.erasedAt },
        }),
      ),
    );
  }
}
