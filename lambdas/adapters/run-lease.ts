import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RunLease } from '../domain/ports.js';

/** The lease of a scheduled function, one item of the inquiry table. */
const leaseKey = (name: string) => ({ pk: `LEASE#${name}`, sk: 'LEASE' });

/**
 * A lease held in one item of the table, taken and given back by conditional writes: a run takes it when no
 * one holds it or its holder's time has passed. Given back by writing it without a holder (a Put, which the
 * function may already do: no DeleteItem to grant), whatever the clocks of later runs say.
 */
export function dynamoRunLease(client: DynamoDBDocumentClient, tableName: string, name: string): RunLease {
  const key = leaseKey(name);
  return {
    async take(now, until) {
      const token = randomUUID();
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, entity: 'lease', holder: token, heldUntil: until.toISOString() },
            ConditionExpression: 'attribute_not_exists(holder) OR heldUntil < :now',
            ExpressionAttributeValues: { ':now': now.toISOString() },
          }),
        );
        return token;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },
    async release(token) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, entity: 'lease' },
            ConditionExpression: 'holder = :token',
            ExpressionAttributeValues: { ':token': token },
          }),
        );
      } catch (error) {
        // Taken over by a run after its time had passed: it is that run's now.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
