import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InquiryRepository, MessageLookup } from '../domain/ports.js';
import { historySk } from './history-items.js';
import { inquiryPk, messagePk } from './inquiry-keys.js';

function toLookupItem(lookup: MessageLookup): Record<string, unknown> {
  return { pk: messagePk(lookup.groupId, lookup.messageRef), sk: 'MSG', entity: 'message', ...lookup };
}

/**
 * A message's lookup item as the lookup it holds. Its `priority` is of the words changed at `priorityAt` (the
 * first words, unchanged, without either): one of other words, which a release before it was kept changed
 * since (after a rollback), is not theirs, and is not given.
 */
export function fromLookupItem({
  pk,
  sk,
  entity,
  priorityAt,
  ...lookup
}: Record<string, unknown>): MessageLookup {
  const { priority, ...rest } = lookup as unknown as MessageLookup;
  return (
    priorityAt === rest.changedAt && priority !== undefined ? { ...rest, priority } : rest
  ) as MessageLookup;
}

/**
 * Conditional, so that a message's lookup is written once: a second writer of the same message (a
 * redelivery handled alongside) cannot put back the words a change has since stored on it.
 */
export async function saveMessageLookup(
  client: DynamoDBDocumentClient,
  tableName: string,
  lookup: MessageLookup,
): Promise<void> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: toLookupItem(lookup),
        ConditionExpression: 'attribute_not_exists(pk) OR eventKey <> :eventKey OR inquiryId <> :inquiryId',
        ExpressionAttributeValues: { ':eventKey': lookup.eventKey, ':inquiryId': lookup.inquiryId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function getMessageLookup(
  client: DynamoDBDocumentClient,
  tableName: string,
  groupId: number,
  messageRef: string,
): Promise<MessageLookup | undefined> {
  const result = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: messagePk(groupId, messageRef), sk: 'MSG' },
      ConsistentRead: true,
    }),
  );
  return result.Item ? fromLookupItem(result.Item) : undefined;
}

/**
 * Each write is conditional on the time of the change it stores: two changes of one message handled side
 * by side (the records of a batch, or SQS redelivering one late) may reach either item in either order.
 */
export async function changeStoredMessage(
  client: DynamoDBDocumentClient,
  tableName: string,
  lookup: MessageLookup,
  change: Parameters<InquiryRepository['changeStoredMessage']>[1],
): Promise<boolean> {
  const text = change.text ?? lookup.text;
  // The priority of the words it leaves, written with the time of the change (fromLookupItem).
  const { priority } = change;
  const priorityUpdate =
    priority === undefined ? ' REMOVE priority, priorityAt' : ', priority = :priority, priorityAt = :at';
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: messagePk(lookup.groupId, lookup.messageRef), sk: 'MSG' },
        UpdateExpression: `SET #text = :text, deleted = :deleted, changedAt = :at${priorityUpdate}`,
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(changedAt) OR changedAt <= :at)',
        ExpressionAttributeNames: { '#text': 'text' },
        ExpressionAttributeValues: {
          ':text': text,
          ':deleted': change.deleted,
          ':at': change.changedAt,
          ...(priority !== undefined && { ':priority': priority }),
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
  const entry = { pk: inquiryPk(lookup.inquiryId), sk: historySk(lookup.historyKey) };
  // Words an answer covered stay in the entry: the answer was to them.
  const editedAt = change.answered?.editedAt;
  const sets = [
    ...(change.answered ? [] : ['#detail.#text = :text']),
    '#detail.#deleted = :deleted',
    '#detail.#changedAt = :at',
    ...(editedAt !== undefined ? ['#detail.#edited = :edited'] : []),
  ];
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: entry,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(#detail.#changedAt) OR #detail.#changedAt <= :at)',
        ExpressionAttributeNames: {
          '#detail': 'detail',
          ...(!change.answered && { '#text': 'text' }),
          '#deleted': 'deleted',
          '#changedAt': 'changedAt',
          ...(editedAt !== undefined && { '#edited': 'editedAfterAnswerAt' }),
        },
        ExpressionAttributeValues: {
          ...(!change.answered && { ':text': text }),
          ':deleted': change.deleted,
          ':at': change.changedAt,
          ...(editedAt !== undefined && { ':edited': editedAt }),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // A newer change got to the entry first (it keeps its words); a missing entry is an error, as before.
    const found = await client.send(
      new GetCommand({ TableName: tableName, Key: entry, ConsistentRead: true }),
    );
    if (!found.Item) throw error;
  }
  return true;
}
