import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { citizenKey } from '../../lambdas/adapters/inquiry-keys.js';

/**
 * A citizen's messaging permission as releases up to 13d2507 recorded it for each message_allow /
 * message_deny: what a deployed table may still hold, which nothing reads and a citizen's erasure deletes.
 */
export async function putLegacyPermission(
  client: DynamoDBDocumentClient,
  tableName: string,
  permission: { groupId: number; userId: number; allowed: boolean; at: string },
): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...citizenKey(permission.groupId, permission.userId),
        entity: 'citizen',
        groupId: permission.groupId,
        userId: permission.userId,
        canMessage: permission.allowed,
        permissionAt: permission.at,
        permissionEventKey: `e:${permission.allowed ? 'allow' : 'deny'}-${permission.userId}`,
      },
    }),
  );
}
