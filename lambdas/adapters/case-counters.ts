import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { formatCaseNumber } from '../domain/inquiry/case-number.js';
import { caseCounterKey, caseLookupKey } from './inquiry-keys.js';

/**
 * A community's case counter for a year as one table holds it (case-sequences.ts draws from it): `last`, the
 * last number given, none before the year's first; `floor`, what a carry from the table the functions used
 * before (`from`) moved it on to (a table restored from a point in time), the numbers above it this table's
 * own. A table restored from a restored one has its source's floor, carried from another table.
 */
export interface CaseCounter {
  last?: number;
  floor?: { at: number; from: string };
}

/** Reading a table's case counters, and moving one on past numbers another table gave. */
export class CaseCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The counter as it is now (a strongly consistent read: a number just given counts). */
  async read(groupId: number, year: number): Promise<CaseCounter> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: caseCounterKey(groupId, year), ConsistentRead: true }),
    );
    return {
      ...(typeof item?.last === 'number' && { last: item.last }),
      ...(typeof item?.floor === 'number' &&
        typeof item.floorFrom === 'string' && { floor: { at: item.floor, from: item.floorFrom } }),
    };
  }

  /** The inquiry a case number was given to, by its lookup; undefined when the table holds no lookup of it. */
  async holderOf(groupId: number, year: number, sequence: number): Promise<string | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: caseLookupKey(groupId, formatCaseNumber(year, sequence)),
        ConsistentRead: true,
      }),
    );
    return typeof item?.inquiryId === 'string' ? item.inquiryId : undefined;
  }

  /**
   * Sets the counter to `floor`, so that the next number drawn is the one after it, and records the floor and
   * the table `from` whose numbers it is past; only while it is below it: a counter is never moved back,
   * whoever drew from it meanwhile. The router's ADD keeps the floor. False when the counter was at or past it
   * already.
   */
  async moveOn(groupId: number, year: number, floor: number, from: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: caseCounterKey(groupId, year),
          UpdateExpression: 'SET #last = :floor, #floor = :floor, floorFrom = :from, entity = :entity',
          ConditionExpression: 'attribute_not_exists(#last) OR #last < :floor',
          ExpressionAttributeNames: { '#last': 'last', '#floor': 'floor' },
          ExpressionAttributeValues: { ':floor': floor, ':from': from, ':entity': 'case_counter' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
