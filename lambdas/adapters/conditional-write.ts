import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * Whether a conditional write (a put, update or delete with a ConditionExpression) was made: false when
 * DynamoDB refused it for its condition, any other failure thrown as it came.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
