import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConversationPointer } from '../domain/ports.js';
import { conditionHeld } from './conditional-write.js';
import { conversationPk } from './inquiry-keys.js';

/** A conversation's pointer item as the router reads it. */
export const pointerOf = (item: Record<string, unknown> | undefined): ConversationPointer | undefined =>
  item
    ? {
        inquiryId: item.inquiryId as string,
        ...(typeof item.claimedAt === 'string' && { claimedAt: item.claimedAt }),
        ...(typeof item.follows === 'string' && { follows: item.follows }),
      }
    : undefined;

/**
 * The pointer item of a conversation, read consistently. An index cannot serve this decision: a GSI is
 * eventually consistent, and a citizen who sends three short messages in a second would open three cases.
 */
export async function latestInConversation(
  client: DynamoDBDocumentClient,
  tableName: string,
  groupId: number,
  conversationKey: string,
  authorId: number,
): Promise<ConversationPointer | undefined> {
  const result = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: conversationPk(groupId, conversationKey, authorId), sk: 'LATEST' },
      ConsistentRead: true,
    }),
  );
  return pointerOf(result.Item);
}

/**
 * InquiryRepository.claimConversation (ports/inquiry-repository.ts): a put on the condition that the pointer
 * is still `previous`.
 */
export function claimConversation(
  client: DynamoDBDocumentClient,
  tableName: string,
  claim: {
    groupId: number;
    conversationKey: string;
    authorId: number;
    inquiryId: string;
    previous: Pick<ConversationPointer, 'inquiryId' | 'claimedAt'> | undefined;
    claimedAt: Date;
    follows?: string;
  },
): Promise<boolean> {
  const { groupId, conversationKey, authorId, inquiryId, previous, claimedAt, follows } = claim;
  return conditionHeld(
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: conversationPk(groupId, conversationKey, authorId),
          sk: 'LATEST',
          entity: 'conversation',
          inquiryId,
          claimedAt: claimedAt.toISOString(),
          ...(follows !== undefined && { follows }),
        },
        // A pointer written before claims were timed has no claimedAt: the claim holds it by its absence.
        ConditionExpression:
          previous === undefined
            ? 'attribute_not_exists(pk)'
            : previous.claimedAt === undefined
              ? 'inquiryId = :previous AND attribute_not_exists(claimedAt)'
              : 'inquiryId = :previous AND claimedAt = :claimedAt',
        ...(previous !== undefined && {
          ExpressionAttributeValues: {
            ':previous': previous.inquiryId,
            ...(previous.claimedAt !== undefined && { ':claimedAt': previous.claimedAt }),
          },
        }),
      }),
    ),
  );
}
