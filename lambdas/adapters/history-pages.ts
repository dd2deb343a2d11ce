import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { historyKey, historyKeyParts } from '../domain/inquiry/inquiry.js';
import { DEPARTMENT_FIELDS, type InquiryTrace } from '../domain/operator/left-departments.js';
import type { HistoryPage } from '../domain/ports.js';
import {
  HISTORY_PREFIX,
  historyEntriesOf,
  historySk,
  historyTimeOf,
  type MalformedHistoryEntry,
} from './history-items.js';
import { inquiryPk } from './inquiry-keys.js';

/**
 * A page of the inquiry's history, read newest first and given in the order of its keys (oldest first): at
 * most `limit` entries and one Query's 1 MB, so that the longest dialogue is read a page at a time within
 * Lambda's 6 MB answer. A page holds every entry of each instant it reaches (the entries of one instant
 * are few: one cause's), so that `before`, the time of its oldest entry, continues it exactly: given while
 * older entries may be left. An entry that does not read as one is told to `malformed` and left out of the page.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */
export async function historyPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  page: { limit: number; before?: string },
  malformed?: (found: MalformedHistoryEntry) => void,
): Promise<HistoryPage> {
  const read = (condition: string, values: Record<string, unknown>, startKey?: Record<string, unknown>) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: { ':pk': inquiryPk(id), ...values },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
  // Every entry of an instant sorts at or after `HIST#<time>#`, and every entry before it below that.
  const first = await read(
    page.before === undefined ? 'begins_with(sk, :from)' : 'sk BETWEEN :from AND :to',
    { ':from': HISTORY_PREFIX, ...(page.before !== undefined && { ':to': historySk(`${page.before}#`) }) },
  );
  const items = first.Items ?? [];
  const last = items.at(-1);
  if (!first.LastEvaluatedKey || !last) return { entries: historyEntriesOf(items, malformed) };
  // The oldest instant read may go on past the page: it is left whole to the next page...
  const oldest = historyTimeOf(last.sk as string);
  const whole = items.filter((item) => historyTimeOf(item.sk as string) !== oldest);
  const before = whole.at(-1);
  if (before)
    return { entries: historyEntriesOf(whole, malformed), before: historyTimeOf(before.sk as string) };
  // ...unless it fills the page alone: then the page holds all of it.
  let startKey: Record<string, unknown> | undefined = first.LastEvaluatedKey;
  while (startKey) {
    const more = await read('begins_with(sk, :instant)', { ':instant': historySk(`${oldest}#`) }, startKey);
    items.push(...(more.Items ?? []));
    startKey = more.LastEvaluatedKey;
  }
  return { entries: historyEntriesOf(items, malformed), before: oldest };
}

/**
 * The inquiry's history as traces of who had it (operator/left-departments.ts), newest first, before `before` (a
 * time, as a page's) if given: a Query's 1 MB a page, of each entry only who acted and the departments it names.
 * The projection spares the transfer, not the read, which counts the whole items:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Other.html
 */
export async function* historyTraces(
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  before?: string,
): AsyncGenerator<InquiryTrace[]> {
  const fields = DEPARTMENT_FIELDS.map((field, index) => [`#f${index}`, field] as const);
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: `pk = :pk AND ${before === undefined ? 'begins_with(sk, :from)' : 'sk BETWEEN :from AND :to'}`,
        ExpressionAttributeValues: {
          ':pk': inquiryPk(id),
          ':from': HISTORY_PREFIX,
          ...(before !== undefined && { ':to': historySk(`${before}#`) }),
        },
        ProjectionExpression: ['#actorId', ...fields.map(([name]) => `#detail.${name}`)].join(', '),
        ExpressionAttributeNames: {
          '#actorId': 'actorId',
          '#detail': 'detail',
          ...Object.fromEntries(fields),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => ({
      ...(item.actorId !== undefined && { actorId: item.actorId as InquiryTrace['actorId'] }),
      detail: (item.detail ?? {}) as InquiryTrace['detail'],
    }));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Reads the keys alone, oldest first from `from`: the entries after a cause's time are few. */
export async function historyKeyOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  inquiryId: string,
  cause: string,
  n: number,
  from: string,
): Promise<string | undefined> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': inquiryPk(inquiryId),
          ':from': historySk(from),
          // Past every history item: '$' follows the prefix's '#'.
          ':to': 'HIST$',
        },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = (item.sk as string).slice(HISTORY_PREFIX.length);
      if (key === historyKey(historyKeyParts(key).at, cause, n)) return key;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return undefined;
}
