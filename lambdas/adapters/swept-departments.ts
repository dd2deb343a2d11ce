import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import type { DepartmentCensus } from '../domain/ports.js';

const { byDepartmentOpened } = INQUIRY_TABLE.indexes;

/**
 * The departments the retention sweep has known the table to hold inquiries under: one small partition, read
 * whole each night. The configuration names only today's departments, and DynamoDB lists no index's
 * partitions, so without it the inquiries of a department since removed would be found by no Query.
 */
const DEPARTMENTS_PK = 'DEPARTMENTS';
const departmentKey = (department: string) => ({ pk: DEPARTMENTS_PK, sk: `DEPT#${department}` });
const CENSUS_KEY = { pk: DEPARTMENTS_PK, sk: 'CENSUS' };
const DEPARTMENT_PREFIX = 'DEPT#';

type Key = Record<string, unknown>;

/** The retention sweep's list of departments, and the census of the index that fills it. */
export class DynamoSweptDepartments {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async known(): Promise<string[]> {
    const departments: string[] = [];
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dept)',
          ExpressionAttributeValues: { ':pk': DEPARTMENTS_PK, ':dept': DEPARTMENT_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) departments.push(String(item.sk).slice(DEPARTMENT_PREFIX.length));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return departments;
  }

  /** One write per department: a daily sweep notes only those it does not know yet. */
  async note(departments: readonly string[]): Promise<void> {
    for (const department of departments) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...departmentKey(department), entity: 'swept-department', department },
        }),
      );
    }
  }

  async forget(department: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: departmentKey(department) }));
  }

  /** Whether the index of inquiries by opening lists nothing at all under the department, open or finished. */
  async holdsNothing(department: string): Promise<boolean> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byDepartmentOpened.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byDepartmentOpened.partitionKey },
        ExpressionAttributeValues: { ':pk': `${DEPARTMENT_PREFIX}${department}` },
        ProjectionExpression: '#pk',
        Limit: 1,
      }),
    );
    return (result.Items ?? []).length === 0;
  }

  async census(): Promise<DepartmentCensus | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: CENSUS_KEY, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { pk, sk, entity, ...census } = result.Item;
    return census as DepartmentCensus;
  }

  async saveCensus(census: DepartmentCensus): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...CENSUS_KEY, entity: 'department-census', ...census },
      }),
    );
  }

  /**
   * A page of a Scan of the index of every inquiry by department and opening: the departments its items are
   * listed under. A Scan reads the items whole (the index keeps them all), a page per MB unless `limit` caps
   * it; `after` continues. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
   */
  async censusPage(
    after: string | undefined,
    limit?: number,
  ): Promise<{ departments: string[]; after?: string }> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        IndexName: byDepartmentOpened.name,
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': byDepartmentOpened.partitionKey },
        ...(limit !== undefined && { Limit: limit }),
        ...(after !== undefined && { ExclusiveStartKey: JSON.parse(after) as Key }),
      }),
    );
    const departments = new Set(
      (page.Items ?? []).map((item) =>
        String(item[byDepartmentOpened.partitionKey]).slice(DEPARTMENT_PREFIX.length),
      ),
    );
    return {
      departments: [...departments],
      ...(page.LastEvaluatedKey && { after: JSON.stringify(page.LastEvaluatedKey) }),
    };
  }
}
