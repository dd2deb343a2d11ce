import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { ListInquiriesQuery } from '../domain/operator/schemas.js';
import { fromInquiryItem } from './inquiry-table.js';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;
/** Per department: where its list continues (the last item handed out), or null once it has no more. */
type Cursor = Record<string, Key | null>;

const { byDepartmentDeadline, byDepartmentOpened } = INQUIRY_TABLE.indexes;

export class InvalidCursor extends Error {
  override name = 'InvalidCursor';
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(text: string | undefined): Cursor {
  if (!text) return {};
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Cursor;
  } catch {
    // fall through
  }
  throw new InvalidCursor('the cursor is not one this API gave');
}

/**
 * What operators read, through the indexes only (never a scan): a department's inquiries newest first by
 * `gsi4` (every routed inquiry by opening time), or its open inquiries nearest deadline first by `gsi1`
 * (sparse: open ones only; overdue = a key condition below now). Several departments (an admin, an operator
 * of two) are read side by side and merged; the cursor remembers where each one stopped. Status, category,
 * priority and community are filters within a department's partition.
 */
export class DynamoOperatorQueries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listInquiries(
    departments: string[],
    query: ListInquiriesQuery,
    now: Date,
  ): Promise<{ items: Inquiry[]; nextCursor?: string }> {
    const urgent = query.order === 'urgent' || query.overdue === 'true';
    const index = urgent ? byDepartmentDeadline : byDepartmentOpened;
    const cursor = decodeCursor(query.cursor);
    const filters: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {
      '#pk': index.partitionKey,
      ...(query.overdue === 'true' && { '#sk': index.sortKey }),
    };
    const filter = (field: string, value: unknown) => {
      if (value === undefined) return;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    };
    filter('status', query.status);
    filter('category', query.category);
    filter('priority', query.priority);
    filter('groupId', query.community);

    const candidates: { department: string; item: Item; more: boolean }[] = [];
    const pending = departments.filter((department) => cursor[department] !== null);
    await Promise.all(
      pending.map(async (department) => {
        let startKey = cursor[department] ?? undefined;
        const found: Item[] = [];
        let more = true;
        while (found.length < query.limit && more) {
          const page = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: index.name,
              KeyConditionExpression: query.overdue === 'true' ? '#pk = :pk AND #sk < :now' : '#pk = :pk',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ...values,
                ':pk': `DEPT#${department}`,
                ...(query.overdue === 'true' && { ':now': now.toISOString() }),
              },
              ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
              ScanIndexForward: urgent,
              Limit: query.limit * 2,
              ...(startKey && { ExclusiveStartKey: startKey }),
            }),
          );
          found.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
          more = startKey !== undefined;
        }
        for (const [position, item] of found.entries())
          candidates.push({ department, item, more: more || position < found.length - 1 });
        if (found.length === 0) cursor[department] = null;
      }),
    );

    const sortKey = (candidate: { item: Item }) => String(candidate.item[index.sortKey]);
    candidates.sort((a, b) => (urgent ? 1 : -1) * sortKey(a).localeCompare(sortKey(b)));
    const page = candidates.slice(0, query.limit);
    for (const candidate of page) {
      const { item } = candidate;
      cursor[candidate.department] = candidate.more
        ? {
            pk: item.pk,
            sk: item.sk,
            [index.partitionKey]: item[index.partitionKey],
            [index.sortKey]: item[index.sortKey],
          }
        : null;
    }
    const left = departments.some((department) => cursor[department] !== null);
    return {
      items: page.map(({ item }) => fromInquiryItem(item)),
      ...(left && { nextCursor: encodeCursor(cursor) }),
    };
  }

  /** A department's inquiries opened in [from, to], by the opening-time index. */
  async openedBetween(department: string, from: string, to: string): Promise<Inquiry[]> {
    const found: Inquiry[] = [];
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byDepartmentOpened.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: {
            '#pk': byDepartmentOpened.partitionKey,
            '#sk': byDepartmentOpened.sortKey,
          },
          ExpressionAttributeValues: { ':pk': `DEPT#${department}`, ':from': from, ':to': `${to}#\uffff` },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      found.push(...(page.Items ?? []).map(fromInquiryItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}
