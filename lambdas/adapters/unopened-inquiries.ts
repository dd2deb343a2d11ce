import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import { referencesIn } from '../domain/inquiry/retention.js';
import type { Opening } from '../domain/ports.js';
import { deleteIfNaming } from './conditional-delete.js';
import { deleteAll } from './dynamo-batch-write.js';
import {
  conversationPointerKey,
  INQUIRY_SK,
  inquiryKey,
  messageLookupKey,
  OPENINGS_PK,
  openingKey,
} from './inquiry-keys.js';
import { inquiryPartitionItems } from './inquiry-partition.js';

type Key = Record<string, unknown>;

/** The mark of a new inquiry being stored (ports/retention.ts, Opening). */
export const openingItem = (opening: Opening): Key => ({
  ...openingKey(opening.inquiryId),
  entity: 'opening',
  ...opening,
});

/** Where an unopened inquiry's items lie: its partition, and the pointers of the conversations it claimed. */
export interface UnopenedInquiry {
  inquiryId: string;
  groupId: number;
  authorId: number;
  /** The conversations whose pointer may name it; none known: the pointers are left to the caller. */
  conversationKeys: string[];
}

/**
 * Deletes what a try left of an inquiry it never stored: the lookups of the messages its history holds and
 * the pointers of its conversations, each only while it names it (the conversation's next inquiry keeps its
 * own), then its history and its opening's mark. Nothing when the inquiry item is there, read consistently before and with the
 * history: 'opened'. A retry of its message that comes later writes it all again (its keys come from the
 * event), so deleting it loses nothing; only one that stores the inquiry between the read and the deletes
 * would lose its history, which is why the sweep waits for the message's dead letter to expire
 * (retention.ts, UNOPENED_DAYS). Resolves the items deleted.
 */
export async function discardUnopened(
  client: DynamoDBDocumentClient,
  tableName: string,
  unopened: UnopenedInquiry,
): Promise<number | 'opened'> {
  const { inquiryId, groupId, authorId } = unopened;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: inquiryKey(inquiryId), ConsistentRead: true }),
  );
  if (Item) return 'opened';
  const own = await inquiryPartitionItems(client, tableName, inquiryId);
  if (own.some((item) => item.sk === INQUIRY_SK)) return 'opened';
  const history = own
    .filter((item) => item.entity === 'history')
    .map(({ pk, sk, entity, ...entry }) => entry as unknown as HistoryEntry);
  // No reply was ever sent for an inquiry never stored: its history names messages only.
  const { messageRefs } = referencesIn(history);
  const naming: Key[] = [
    ...messageRefs.map((messageRef) => messageLookupKey(groupId, messageRef)),
    ...unopened.conversationKeys.map((key) => conversationPointerKey(groupId, key, authorId)),
  ];
  let deleted = 0;
  for (const key of naming)
    if (await deleteIfNaming(client, tableName, key, 'inquiryId', inquiryId)) deleted++;
  // The history, then the mark, last: a run stopped before them leaves what finds the rest.
  await deleteAll(
    client,
    tableName,
    own.map(({ pk, sk }) => ({ pk, sk })),
  );
  await client.send(new DeleteCommand({ TableName: tableName, Key: openingKey(inquiryId) }));
  return deleted + own.length;
}

/**
 * Openings begun at or before `cutoff` (by their latest try), at most `limit`: a Query of their partition,
 * never a scan. The partition holds the tries under way and those that failed lately, so the filter reads
 * little it does not return.
 */
export async function openingsBefore(
  client: DynamoDBDocumentClient,
  tableName: string,
  cutoff: Date,
  limit: number,
): Promise<Opening[]> {
  const openings: Opening[] = [];
  let startKey: Key | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#at <= :cutoff',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':pk': OPENINGS_PK, ':cutoff': cutoff.toISOString() },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const { pk, sk, entity, ...opening } of page.Items ?? []) openings.push(opening as Opening);
    startKey = page.LastEvaluatedKey;
  } while (startKey && openings.length < limit);
  return openings.slice(0, limit);
}
