import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';

type Key = Record<string, unknown>;

const { byDepartmentOpened } = INQUIRY_TABLE.indexes;

/**
 * The ids of a citizen's inquiries in the community opened at `since` or later, by the index of every
 * inquiry with a department by its opening (a message rejected as no inquiry is listed under its
 * community's triage department, inquiry-items.ts): a Query of each department's part from `since` on, which
 * reads only what was opened since, not the table. For `citizen:erase`, whose read of the whole table misses
 * what the citizen writes after it passed. The index is eventually consistent: an inquiry stored in the last
 * second or so may not be in it yet.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads
 */
export async function citizenInquiriesSince(
  client: DynamoDBDocumentClient,
  tableName: string,
  citizen: { groupId: number; userId: number; departments: readonly string[]; since: Date },
): Promise<string[]> {
  const ids: string[] = [];
  for (const department of new Set(citizen.departments)) {
    let startKey: Key | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: byDepartmentOpened.name,
          // Sort keys are `<createdAt>#<id>`: one opened at `since` sorts after it.
          KeyConditionExpression: '#pk = :pk AND #sk >= :since',
          FilterExpression: '#groupId = :groupId AND #authorId = :authorId',
          ProjectionExpression: '#id',
          ExpressionAttributeNames: {
            '#pk': byDepartmentOpened.partitionKey,
            '#sk': byDepartmentOpened.sortKey,
            '#groupId': 'groupId',
            '#authorId': 'authorId',
            '#id': 'id',
          },
          ExpressionAttributeValues: {
            ':pk': `DEPT#${department}`,
            ':since': citizen.since.toISOString(),
            ':groupId': citizen.groupId,
            ':authorId': citizen.userId,
          },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.id));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return ids;
}
