import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';

const { byDepartmentDeadline } = INQUIRY_TABLE.indexes;
const DEPARTMENT_PREFIX = 'DEPT#';

/**
 * The ids of the open inquiries listed under a department not in `configured`: a Scan of the sparse index of
 * open work by deadline (inquiry-items.ts), which holds every open inquiry with a department, and nothing else.
 * Its partitions are departments' ids, and nothing lists the ids a configuration no longer names, so no Query
 * finds them. It reads the whole index (its items' size counts, whatever the projection returns), a page per
 * MB: about the size of the open work.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
export async function openUnderUnconfiguredDepartments(
  client: DynamoDBDocumentClient,
  tableName: string,
  configured: ReadonlySet<string>,
): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        IndexName: byDepartmentDeadline.name,
        ProjectionExpression: '#id, #pk',
        ExpressionAttributeNames: { '#id': 'id', '#pk': byDepartmentDeadline.partitionKey },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const listedUnder = String(item[byDepartmentDeadline.partitionKey]).slice(DEPARTMENT_PREFIX.length);
      if (!configured.has(listedUnder) && typeof item.id === 'string') ids.push(item.id);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}
