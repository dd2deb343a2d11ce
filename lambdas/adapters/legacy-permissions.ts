import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionHeld } from './conditional-write.js';
import { scanConsistently, type TableReading } from './dynamo-parallel-scan.js';
import { CITIZEN_PK_PREFIX, CITIZEN_SK } from './inquiry-keys.js';

/** A messaging permission's key, and its community (a group id, nothing of the citizen). */
export interface LegacyPermission {
  key: { pk: string; sk: string };
  /** `unknown` for an item whose attribute and key both fail to name one (edited by hand). */
  groupId: number | 'unknown';
}

const GROUP_IN_KEY = new RegExp(`^${CITIZEN_PK_PREFIX}(-?[0-9]{1,15})#`);

/** The item's community: its `groupId`, else the one its key names (CITIZEN#<group id>#<user id>). */
function communityOf(item: Record<string, unknown>): LegacyPermission['groupId'] {
  if (Number.isSafeInteger(item.groupId)) return item.groupId as number;
  const inKey = String(item.pk).match(GROUP_IN_KEY)?.[1];
  return inKey === undefined ? 'unknown' : Number(inKey);
}

/**
 * The citizens' messaging permissions (inquiry-keys.ts, citizenKey) that releases up to 13d2507 wrote for each
 * message_allow / message_deny and nothing reads since, for `npm run permissions:forget`. No index holds them
 * and the retention sweep never reads them: only a Scan finds them all.
 */
export class DynamoLegacyPermissions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A Scan of the whole table, filtered to the permissions, consistent (a second run right after the first
   * sees its deletions), in `segments` parts side by side (scanConsistently). It reads only their keys and
   * community: never the citizen's id or permission. `pageSize` caps the items a request reads.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
   */
  async scan(
    options: TableReading & { onPage: (permissions: LegacyPermission[]) => Promise<void> },
  ): Promise<void> {
    await scanConsistently(
      this.client,
      {
        TableName: this.tableName,
        FilterExpression: '#entity = :citizen AND #sk = :sk AND begins_with(#pk, :prefix)',
        ProjectionExpression: '#pk, #sk, #groupId',
        ExpressionAttributeNames: { '#entity': 'entity', '#pk': 'pk', '#sk': 'sk', '#groupId': 'groupId' },
        ExpressionAttributeValues: { ':citizen': 'citizen', ':sk': CITIZEN_SK, ':prefix': CITIZEN_PK_PREFIX },
      },
      options,
      (items) =>
        options.onPage(
          items.map((item) => ({
            key: { pk: String(item.pk), sk: String(item.sk) },
            groupId: communityOf(item),
          })),
        ),
    );
  }

  /**
   * Deletes the item if it is still a messaging permission; false when it is not (gone meanwhile: a
   * citizen's erasure, a run beside this one), so that nothing else at its key is ever deleted.
   */
  async delete(key: LegacyPermission['key']): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: '#entity = :citizen',
          ExpressionAttributeNames: { '#entity': 'entity' },
          ExpressionAttributeValues: { ':citizen': 'citizen' },
        }),
      ),
    );
  }
}
