import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import { FINISHED_STATUSES, referencesIn } from '../domain/inquiry/retention.js';
import type { DepartmentCensus, Erasure, Opening, RetentionStore } from '../domain/ports.js';
import { deleteIfNaming } from './conditional-delete.js';
import { deleteAll } from './dynamo-batch-write.js';
import { fromInquiryItem } from './inquiry-items.js';
import {
  caseLookupKey,
  conversationPointerKey,
  inquiryKey,
  inquiryPk,
  messageLookupKey,
  openingKey,
} from './inquiry-keys.js';
import { recordKey } from './outbox-ledger.js';
import { DynamoSweptDepartments } from './swept-departments.js';
import { discardUnopened, openingsBefore } from './unopened-inquiries.js';

const { byDepartmentOpened } = INQUIRY_TABLE.indexes;

/** The marks of erasures under way: one small partition, read whole at the start of every sweep. */
const ERASURES_PK = 'RETENTION';
const erasureKey = (inquiryId: string) => ({ pk: ERASURES_PK, sk: `ERASE#${inquiryId}` });

type Key = Record<string, unknown>;

/** The retention sweep's reads and deletes, in the inquiry table. */
export class DynamoRetentionStore implements RetentionStore {
  private readonly departments: DynamoSweptDepartments;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.departments = new DynamoSweptDepartments(client, tableName);
  }

  async unfinishedErasures(limit: number): Promise<Erasure[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :erase)',
        ExpressionAttributeValues: { ':pk': ERASURES_PK, ':erase': 'ERASE#' },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(({ pk, sk, entity, ...erasure }) => erasure as Erasure);
  }

  /**
   * The department's part of the index of every inquiry by opening, up to the cutoff: its sort key starts
   * with the opening time. The filter leaves out open inquiries and those finished since the cutoff (one
   * stored before `finishedAt` was kept: changed since), which DynamoDB still reads but does not return.
   */
  async finishedBefore(
    department: string,
    cutoff: Date,
    page: { limit: number; after?: string },
  ): Promise<{ inquiryIds: string[]; after?: string }> {
    const statuses = FINISHED_STATUSES.map((_, index) => `:s${index}`);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byDepartmentOpened.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :opened',
        FilterExpression:
          `#status IN (${statuses.join(', ')}) AND ` +
          '(#finishedAt <= :cutoff OR (attribute_not_exists(#finishedAt) AND #updatedAt <= :cutoff))',
        ProjectionExpression: '#id',
        ExpressionAttributeNames: {
          '#pk': byDepartmentOpened.partitionKey,
          '#sk': byDepartmentOpened.sortKey,
          '#status': 'status',
          '#finishedAt': 'finishedAt',
          '#updatedAt': 'updatedAt',
          '#id': 'id',
        },
        ExpressionAttributeValues: {
          ':pk': `DEPT#${department}`,
          ':opened': `${cutoff.toISOString()}#\uffff`,
          ':cutoff': cutoff.toISOString(),
          ...Object.fromEntries(FINISHED_STATUSES.map((status, index) => [statuses[index], status])),
        },
        Limit: page.limit,
        ...(page.after !== undefined && { ExclusiveStartKey: JSON.parse(page.after) as Key }),
      }),
    );
    return {
      inquiryIds: (result.Items ?? []).map((item) => item.id as string),
      ...(result.LastEvaluatedKey && { after: JSON.stringify(result.LastEvaluatedKey) }),
    };
  }

  async getInquiry(id: string): Promise<Inquiry | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: inquiryKey(id), ConsistentRead: true }),
    );
    return result.Item ? fromInquiryItem(result.Item) : undefined;
  }

  async beginErasure(erasure: Erasure): Promise<'begun' | 'changed' | 'gone'> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...erasureKey(erasure.inquiryId), entity: 'erasure', ...erasure },
      }),
    );
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: inquiryKey(erasure.inquiryId),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': erasure.version },
        }),
      );
      return 'begun';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    if (!(await this.getInquiry(erasure.inquiryId))) {
      // Gone since it was found due: another deletion took it, and counts it. What that one left goes all the
      // same, with the mark written above: left, the next sweep would take it for a stopped run's and count
      // the inquiry deleted once more.
      await this.finishErasure(erasure);
      return 'gone';
    }
    // Changed since it was found due (reopened, say): kept. The mark goes, unless another sweep has marked
    // the newer version meanwhile.
    await this.deleteIfNaming(erasureKey(erasure.inquiryId), 'version', erasure.version);
    return 'changed';
  }

  /**
   * The items of other partitions first, found through the history, which is deleted only after them: a
   * sweep stopped midway leaves the history that finds what is left, and the mark that finds the history.
   */
  async finishErasure(erasure: Erasure): Promise<number> {
    const { inquiryId, groupId } = erasure;
    const own = await this.partition(inquiryId);
    const history = own
      .filter((item) => item.entity === 'history')
      .map(({ pk, sk, entity, ...entry }) => entry as unknown as HistoryEntry);
    const { messageRefs, outboxIds } = referencesIn(history);
    const naming: Key[] = [
      ...messageRefs.map((messageRef) => messageLookupKey(groupId, messageRef)),
      ...outboxIds.map(recordKey),
      ...(erasure.caseNumber !== undefined ? [caseLookupKey(groupId, erasure.caseNumber)] : []),
      conversationPointerKey(groupId, erasure.conversationKey, erasure.authorId),
    ];
    let deleted = 0;
    // One at a time: each is conditional (a batch cannot be), and a daily sweep is in no hurry.
    for (const key of naming) if (await this.deleteIfNaming(key, 'inquiryId', inquiryId)) deleted++;
    // Never the inquiry item itself here: only beginErasure deletes it, on its version.
    const items = own.filter((item) => item.sk !== inquiryKey(inquiryId).sk);
    await deleteAll(
      this.client,
      this.tableName,
      items.map(({ pk, sk }) => ({ pk, sk })),
    );
    deleted += items.length;
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: erasureKey(inquiryId) }));
    return deleted;
  }

  async isBeingErased(inquiryId: string): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: erasureKey(inquiryId), ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  async dropErasure(erasure: Erasure): Promise<void> {
    await this.deleteIfNaming(erasureKey(erasure.inquiryId), 'version', erasure.version);
  }

  openingsBefore(cutoff: Date, limit: number): Promise<Opening[]> {
    return openingsBefore(this.client, this.tableName, cutoff, limit);
  }

  /**
   * The opening's leftovers and mark (unopened-inquiries.ts); its mark alone once the inquiry is stored (a try
   * that stored it stopped before deleting it), unless a newer try marked it since.
   */
  async discardOpening(opening: Opening): Promise<number | 'opened'> {
    const discarded = await discardUnopened(this.client, this.tableName, {
      ...opening,
      conversationKeys: [opening.conversationKey],
    });
    if (discarded === 'opened') await this.deleteIfNaming(openingKey(opening.inquiryId), 'at', opening.at);
    return discarded;
  }

  knownDepartments(): Promise<string[]> {
    return this.departments.known();
  }

  noteDepartments(departments: readonly string[]): Promise<void> {
    return this.departments.note(departments);
  }

  forgetDepartment(department: string): Promise<void> {
    return this.departments.forget(department);
  }

  holdsNothing(department: string): Promise<boolean> {
    return this.departments.holdsNothing(department);
  }

  census(): Promise<DepartmentCensus | undefined> {
    return this.departments.census();
  }

  saveCensus(census: DepartmentCensus): Promise<void> {
    return this.departments.saveCensus(census);
  }

  censusPage(after: string | undefined, limit?: number): Promise<{ departments: string[]; after?: string }> {
    return this.departments.censusPage(after, limit);
  }

  /** Every item of the inquiry's partition, read consistently. */
  private async partition(inquiryId: string): Promise<Key[]> {
    const items: Key[] = [];
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': inquiryPk(inquiryId) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private deleteIfNaming(key: Key, attribute: string, value: unknown): Promise<boolean> {
    return deleteIfNaming(this.client, this.tableName, key, attribute, value);
  }
}
