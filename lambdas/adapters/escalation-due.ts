import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { DuePart } from '../domain/ports.js';
import { CRITICAL_CHECK_PREFIX, uncheckedInquiryOf } from './inquiry-items.js';

const { byEscalationDue } = INQUIRY_TABLE.indexes;

/** Where the keys of the rest start: a time's first digit. */
const TIMES_FROM = '0';

/**
 * A page of the department's part of the sparse escalation index, up to `now`: only what is due, never a
 * scan; its critical work (`part: 'critical'`) or the rest. Its key goes back as `after`, so that the next
 * page goes on from there.
 */
export async function dueForEscalation(
  client: DynamoDBDocumentClient,
  tableName: string,
  department: string,
  now: Date,
  page: { limit: number; after?: string; part?: DuePart },
): Promise<{ inquiries: Inquiry[]; after?: string }> {
  const result = await client.send(
    new QueryCommand({
      ...dueQuery(tableName, department, now, page.part ?? 'rest'),
      Limit: page.limit,
      ...(page.after !== undefined && {
        ExclusiveStartKey: JSON.parse(page.after) as Record<string, unknown>,
      }),
    }),
  );
  return {
    // Unchecked: the escalator checks each by key (a malformed one fails its own check, not the page's).
    inquiries: (result.Items ?? []).map(uncheckedInquiryOf),
    ...(result.LastEvaluatedKey && { after: JSON.stringify(result.LastEvaluatedKey) }),
  };
}

/** Both parts counted: DynamoDB returns the count alone, a page per MB it reads. */
export async function countDueForEscalation(
  client: DynamoDBDocumentClient,
  tableName: string,
  department: string,
  now: Date,
): Promise<number> {
  let count = 0;
  for (const part of ['critical', 'rest'] as const) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          ...dueQuery(tableName, department, now, part),
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return count;
}

/**
 * The keys of a part up to `now`, earliest first. Items written before critical work had a part of its own
 * keep a key of the rest until their next write: their checks come in the backlog's order, as they did.
 */
function dueQuery(tableName: string, department: string, now: Date, part: DuePart) {
  const upTo = `${now.toISOString()}#\uffff`;
  const [from, to] =
    part === 'critical' ? [CRITICAL_CHECK_PREFIX, `${CRITICAL_CHECK_PREFIX}${upTo}`] : [TIMES_FROM, upTo];
  return {
    TableName: tableName,
    IndexName: byEscalationDue.name,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': byEscalationDue.partitionKey, '#sk': byEscalationDue.sortKey },
    ExpressionAttributeValues: { ':pk': `DEPT#${department}`, ':from': from, ':to': to },
  };
}
