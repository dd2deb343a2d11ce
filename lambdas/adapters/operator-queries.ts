import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { type Inquiry, OPEN_STATUSES } from '../domain/inquiry/inquiry.js';
import type { InquiryListCriteria } from '../domain/operator/list-criteria.js';
import { type CountedInquiry, STATISTICS_FIELDS } from '../domain/operator/statistics.js';
import { caseLookupKey, fromInquiryItem, inquiryKey } from './inquiry-table.js';
import { decodeCursor, encodeCursor, type List, queryFingerprint } from './list-cursor.js';
import { QUERY_PAGES_PER_REQUEST } from './list-pages.js';

export { InvalidCursor } from './list-cursor.js';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

const { byDepartmentDeadline, byDepartmentOpened } = INQUIRY_TABLE.indexes;

/**
 * The Queries one request makes of one department at a time: a filter (a status few inquiries have) may drop
 * all they read, and the department is then read on while the page is empty.
 */
export const QUERY_PAGES_PER_DEPARTMENT = 4;

/**
 * What a department's first filtered Query of a request reads (`Limit`, before the filter drops any): one item
 * more than the page still wants, as without a filter, so that a filter most inquiries pass (the work to take)
 * reads about a page. Each further Query of the department in the request reads twice the one before, so that
 * a narrow filter reaches DynamoDB's 1 MB in a few of them, not in thousands.
 */
const growingLimit = (wanted: number, queriesBefore: number) =>
  Math.min((wanted + 1) * 2 ** queriesBefore, MAX_QUERY_LIMIT);
/** More than 1 MB of inquiries hold: DynamoDB ends the Query at 1 MB first. */
const MAX_QUERY_LIMIT = 100_000;

const listOf = (criteria: InquiryListCriteria): List =>
  criteria.overdue === true
    ? 'overdue=true'
    : criteria.overdue === false
      ? 'overdue=false'
      : criteria.order === 'urgent'
        ? 'order=urgent'
        : 'order=newest';

/**
 * DynamoDB's order of strings: by their UTF-8 bytes, which is neither a locale's collation (localeCompare
 * folds case and skips '-') nor, beyond the BMP, JavaScript's `<`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes
 */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** One department's part of a page: the items found in index order, and where the reading stopped. */
interface DepartmentRead {
  department: string;
  found: { item: Item; sortKey: string }[];
  /** The last sort key read (the filter may have dropped it), where reading goes on; undefined: its start. */
  position?: string;
  /** More may follow `position`. */
  more: boolean;
  /** The Queries made of it in this request. */
  queries: number;
}

/**
 * What operators read, through the indexes only (never a scan): a department's inquiries newest first by
 * `gsi4` (every routed inquiry by opening time), or its open inquiries nearest deadline first by `gsi1`
 * (sparse: open ones only; overdue = a key condition below now, not overdue = above it). Several departments
 * (an admin, an operator of two) are read side by side and merged in the index's order; the cursor remembers
 * the point all of them have been read to, as a bound of the key condition (list-cursor.ts). Status, category,
 * priority, community, undelivered, assignee and author are filters within a department's partition: DynamoDB
 * applies them after reading `Limit` items (or 1 MB), so a filtered list reads more than its page, more with
 * each Query while the page is short (growingLimit), and reads on while its page is empty, up to
 * QUERY_PAGES_PER_REQUEST Queries.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html
 */
export class DynamoOperatorQueries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The Queries one request of a list makes at most (QUERY_PAGES_PER_REQUEST). */
    private readonly pagesPerRequest = QUERY_PAGES_PER_REQUEST,
  ) {}

  /** `operatorId`: whom `assignee=me` means, the operator asking. */
  async listInquiries(
    departments: string[],
    criteria: InquiryListCriteria,
    now: Date,
    operatorId?: string,
  ): Promise<{ items: Inquiry[]; nextCursor?: string }> {
    const list = listOf(criteria);
    const index = list === 'order=newest' ? byDepartmentOpened : byDepartmentDeadline;
    const descending = list === 'order=newest';
    /** Negative when `a` comes first in the list. */
    const listOrder = (a: string, b: string) => (descending ? -1 : 1) * byBytes(a, b);
    const fingerprint = queryFingerprint([
      list,
      departments,
      criteria.status,
      criteria.category,
      criteria.priority,
      criteria.community,
      criteria.author,
      // Spelt as the query string spells it, as when the fingerprint was first taken: cursors given stay good.
      criteria.undelivered === undefined ? undefined : String(criteria.undelivered),
      criteria.assignee,
      criteria.assignee === 'me' ? operatorId : undefined,
    ]);
    const cursor = decodeCursor(criteria.cursor, list, fingerprint, departments.length);

    const filters: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const filter = (field: string, value: unknown) => {
      if (value === undefined) return;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    };
    filter('status', criteria.status);
    filter('category', criteria.category);
    filter('priority', criteria.priority);
    filter('groupId', criteria.community);
    // A citizen's inquiries, for admins tracing a complaint: a filter, not an index of its own. The router's
    // pointer items name only a conversation's latest inquiry, by a key that needs the post or thread; an index
    // by author would cost a write on every inquiry for a question asked a few times a month.
    filter('authorId', criteria.author);
    if (criteria.undelivered !== undefined) {
      names['#undelivered'] = 'undelivered';
      filters.push(`${criteria.undelivered ? 'attribute_exists' : 'attribute_not_exists'}(#undelivered)`);
    }
    if (criteria.assignee === 'me') {
      if (operatorId === undefined) throw new Error('assignee=me asked with no operator to mean');
      names['#assignee'] = 'assignee';
      names['#assigneeId'] = 'id';
      values[':assigneeId'] = operatorId;
      filters.push('#assignee.#assigneeId = :assigneeId');
    } else if (criteria.assignee === 'none') {
      // The work left to take: open, and no one's.
      names['#assignee'] = 'assignee';
      names['#status'] = 'status';
      OPEN_STATUSES.forEach((status, index) => {
        values[`:open${index}`] = status;
      });
      filters.push(
        `attribute_not_exists(#assignee) AND #status IN (${OPEN_STATUSES.map((_, index) => `:open${index}`).join(', ')})`,
      );
    }

    /**
     * The key condition of the part of a department's list after `position`, both bounds exclusive. A sort
     * key never equals `now` (it goes on with '#' and the id), so below now is due before now (overdue),
     * above it due at now or later. BETWEEN includes its bounds: the item at the lower one is read, then
     * dropped.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
     */
    const rangeAfter = (position: string | undefined): { lower?: string; upper?: string } | 'empty' => {
      const at = now.toISOString();
      switch (list) {
        case 'order=newest':
          return { ...(position && { upper: position }) };
        case 'order=urgent':
          return { ...(position && { lower: position }) };
        case 'overdue=true':
          if (position && byBytes(position, at) >= 0) return 'empty';
          return { upper: at, ...(position && { lower: position }) };
        case 'overdue=false':
          return { lower: position && byBytes(position, at) > 0 ? position : at };
      }
    };

    /** Reads on in a department, `pages` Queries at most, until it has a page's worth: how many it made. */
    const readMore = async (read: DepartmentRead, pages: number): Promise<number> => {
      let made = 0;
      while (read.more && read.found.length < criteria.limit) {
        const range = rangeAfter(read.position);
        if (range === 'empty') {
          read.more = false;
          break;
        }
        if (made === pages) break;
        const { lower, upper } = range;
        const between = lower !== undefined && upper !== undefined;
        const bounds = between
          ? '#sk BETWEEN :lower AND :upper'
          : lower !== undefined
            ? '#sk > :lower'
            : upper !== undefined
              ? '#sk < :upper'
              : undefined;
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: bounds ? `#pk = :pk AND ${bounds}` : '#pk = :pk',
            ExpressionAttributeNames: { ...names, ...(bounds && { '#sk': index.sortKey }) },
            ExpressionAttributeValues: {
              ...values,
              ':pk': `DEPT#${read.department}`,
              ...(lower !== undefined && { ':lower': lower }),
              ...(upper !== undefined && { ':upper': upper }),
            },
            ScanIndexForward: !descending,
            // A Limit counts items read, before the filter drops any; an item more than asked tells whether
            // the department has more, and BETWEEN reads the lower bound, which is not wanted.
            Limit:
              (filters.length > 0
                ? growingLimit(criteria.limit - read.found.length, read.queries)
                : criteria.limit - read.found.length + 1) + (between ? 1 : 0),
            ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
          }),
        );
        made++;
        read.queries++;
        for (const item of page.Items ?? []) {
          const sortKey = String(item[index.sortKey]);
          if (sortKey !== lower && sortKey !== upper) read.found.push({ item, sortKey });
        }
        const last = (page.LastEvaluatedKey as Key | undefined)?.[index.sortKey];
        if (last === undefined) read.more = false;
        else read.position = String(last);
      }
      return made;
    };

    // A department that stopped early may hold, past where it stopped, items that come before the others'
    // later ones: the page ends where the first of them stopped, so that pages follow one another in order.
    const endOf = (reads: DepartmentRead[]) =>
      reads
        .flatMap((read) => (read.more && read.position !== undefined ? [read.position] : []))
        .sort(listOrder)[0];
    const pageOf = (reads: DepartmentRead[]) => {
      const end = endOf(reads);
      return reads
        .flatMap((read) => read.found.map((found) => ({ department: read.department, ...found })))
        .filter((candidate) => end === undefined || listOrder(candidate.sortKey, end) <= 0)
        .sort((a, b) => listOrder(a.sortKey, b.sortKey))
        .slice(0, criteria.limit);
    };

    const reads: DepartmentRead[] = departments
      .filter((_, index) => !cursor?.done[index])
      .map((department) => ({ department, found: [], position: cursor?.after, more: true, queries: 0 }));
    // Each department that may hold more reads its share, side by side, again while the page is empty (a
    // filter dropped all that was read, or those found come after where another department stopped).
    let budget = Math.max(this.pagesPerRequest, reads.length);
    let page = pageOf(reads);
    for (;;) {
      const reading = reads.filter((read) => read.more && read.found.length < criteria.limit);
      if (reading.length === 0 || budget < reading.length) break;
      const share = Math.min(QUERY_PAGES_PER_DEPARTMENT, Math.floor(budget / reading.length));
      const made = await Promise.all(reading.map((read) => readMore(read, share)));
      budget -= made.reduce((sum, each) => sum + each, 0);
      page = pageOf(reads);
      if (page.length > 0) break;
    }

    // Each department's items on the page are the first of those it found, in the same order: one has no more
    // once it has no more to read and all it found is on the page.
    const done = departments.map((department) => {
      const read = reads.find((candidate) => candidate.department === department);
      if (!read) return true;
      const taken = page.filter((candidate) => candidate.department === department).length;
      return !read.more && taken === read.found.length;
    });
    const items = page.map(({ item }) => fromInquiryItem(item));
    if (done.every(Boolean)) return { items };
    // Every department was read to where the page ends (its last item if full, else where the first that may
    // hold more stopped), and all that matched up to there is on it.
    const after =
      page.length === criteria.limit ? page.at(-1)?.sortKey : (endOf(reads) ?? page.at(-1)?.sortKey);
    if (after === undefined) throw new Error('a list page ended where no department was read to');
    return { items, nextCursor: encodeCursor(list, fingerprint, { after, done }) };
  }

  /**
   * The inquiries a case number names, read by key, never through an index: its lookup item in each
   * community, then the inquiry it names, one GetItem each and the communities side by side (a configuration
   * lists a handful). The caller decides which of them the operator may see.
   */
  async numbered(groupIds: number[], caseNumber: string): Promise<Inquiry[]> {
    const get = async (key: Key) =>
      (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }))).Item;
    const found = await Promise.all(
      [...new Set(groupIds)].map(async (groupId) => {
        const lookup = await get(caseLookupKey(groupId, caseNumber));
        if (typeof lookup?.inquiryId !== 'string') return undefined;
        const item = await get(inquiryKey(lookup.inquiryId));
        return item && fromInquiryItem(item);
      }),
    );
    return found.filter((inquiry): inquiry is Inquiry => inquiry !== undefined);
  }

  /**
   * A department's inquiries opened in [from, to) (bounds as `periodBound` writes them), page by page as the
   * opening-time index gives them, each page at most 1 MB read, and of each inquiry only what the statistics
   * count: the text, the causes and the rest stay in the table. The projection spares the transfer and the
   * parsing, not the read capacity, which DynamoDB counts on whole items.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
   */
  async *openedBetween(department: string, from: string, to: string): AsyncGenerator<CountedInquiry[]> {
    // Every name through a placeholder: `status` is one of DynamoDB's reserved words.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
    const fields = Object.fromEntries(STATISTICS_FIELDS.map((field) => [`#${field}`, field]));
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byDepartmentOpened.name,
          // Sort keys are `<createdAt>#<id>`: one opened at `from` sorts after `from`, one opened at `to` after
          // `to`, so BETWEEN, which includes its bounds, takes [from, to).
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ProjectionExpression: Object.keys(fields).join(', '),
          ExpressionAttributeNames: {
            '#pk': byDepartmentOpened.partitionKey,
            '#sk': byDepartmentOpened.sortKey,
            ...fields,
          },
          ExpressionAttributeValues: { ':pk': `DEPT#${department}`, ':from': from, ':to': to },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      yield (page.Items ?? []) as CountedInquiry[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
