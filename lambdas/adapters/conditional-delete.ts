import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionHeld } from './conditional-write.js';

/**
 * Deletes the item if its `attribute` still holds `value`: a lookup or pointer that names another inquiry
 * by now (the conversation's next one) stays. False when there was nothing of it to delete.
 */
export async function deleteIfNaming(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, unknown>,
  attribute: string,
  value: unknown,
): Promise<boolean> {
  return conditionHeld(
    client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: '#attribute = :value',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':value': value },
      }),
    ),
  );
}
