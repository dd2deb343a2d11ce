import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { type Inquiry, OPEN_STATUSES } from '../domain/inquiry/inquiry.js';
import type { CommentedPlace, InquiryListCriteria } from '../domain/operator/list-criteria.js';
import { type CountedInquiry, type CountedPage, STATISTICS_FIELDS } from '../domain/operator/statistics.js';
import { type OpenWorkPage, WORKLOAD_FIELDS, type WorkloadInquiry } from '../domain/operator/workload.js';
import { fromInquiryItem, fromInquiryItems, MalformedInquiryItem } from './inquiry-items.js';
import { caseLookupKey, inquiryKey } from './inquiry-keys.js';
import { decodeCursor, encodeCursor, type List, queryFingerprint } from './list-cursor.js';
import { byBytes, type DepartmentRead, listPage, QUERY_PAGES_PER_REQUEST } from './list-pages.js';

export { InvalidCursor } from './list-cursor.js';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

const { byDepartmentDeadline, byDepartmentOpened } = INQUIRY_TABLE.indexes;

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
 * The fields of a reply target (citizen-message.ts) naming the place its comment is under: its owner and id.
 * Each id field is its channel's alone, so a photo's comment is never taken for a post's of that number. A
 * board comment names its community by the positive id board.createComment takes (normalise.ts).
 */
const placeFields: Record<CommentedPlace['kind'], [owner: string, id: string]> = {
  wall: ['ownerId', 'postId'],
  topic: ['groupId', 'topicId'],
  photo: ['ownerId', 'photoId'],
  video: ['ownerId', 'videoId'],
  product: ['ownerId', 'itemId'],
};

/**
 * A place in a list's fingerprint: as VK names it, a wall post as it was spelt before other places were listed
 * (`-1_42`, no `wall`), so that the cursors given for a post then stay good.
 */
const placeOf = ({ kind, ownerId, id }: CommentedPlace) => `${kind === 'wall' ? '' : kind}${ownerId}_${id}`;

/**
 * What operators read, through the indexes only (never a scan): a department's inquiries newest first by
 * `gsi4` (every routed inquiry by opening time), or its open inquiries nearest deadline first by `gsi1`
 * (sparse: open ones only; overdue = a key condition below now, not overdue = above it). Several departments
 * (an admin, an operator of two) are read side by side and merged in the index's order (list-pages.ts); the
 * cursor remembers the point all of them have been read to, as a bound of the key condition (list-cursor.ts).
 * Status, category, priority, community, post, undelivered, settled, assignee and author are filters within a
 * department's partition: DynamoDB applies them after reading `Limit` items (or 1 MB), so a filtered list reads
 * more than its page, more with each Query while the page is short (growingLimit), and reads on while its page
 * is empty, up to QUERY_PAGES_PER_REQUEST Queries.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html
 */
export class DynamoOperatorQueries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The Queries one request of a list makes at most (QUERY_PAGES_PER_REQUEST). */
    private readonly pagesPerRequest = QUERY_PAGES_PER_REQUEST,
    /**
     * Told of an item a list or the statistics left out as malformed (inquiry-items.ts): the rest of the page
     * is answered, and the item stays as it is in the table for ops to mend.
     */
    private readonly malformed: (found: MalformedInquiryItem) => void = () => {},
  ) {}

  /** `operatorId`: whom `assignee=me` means, the operator asking (an operator's id given names whom it does). */
  async listInquiries(
    departments: string[],
    criteria: InquiryListCriteria,
    now: Date,
    operatorId?: string,
  ): Promise<{ items: Inquiry[]; nextCursor?: string }> {
    const list = listOf(criteria);
    const index = list === 'order=newest' ? byDepartmentOpened : byDepartmentDeadline;
    const descending = list === 'order=newest';
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
      // Only when asked: the fingerprint of every other query stays as it was, and the cursors given with it.
      ...(criteria.post ? [placeOf(criteria.post)] : []),
      ...(criteria.settled !== undefined ? [`settled=${criteria.settled}`] : []),
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
    // One place's inquiries: a post a citizen wrote and the comments under a post, in a topic, under a photo,
    // video or product, which name it in `replyTo` as the router stored it (placeFields), so that inquiries
    // stored before this filter are found too.
    if (criteria.post) {
      const [owner, id] = placeFields[criteria.post.kind];
      const ownerId = criteria.post.kind === 'topic' ? -criteria.post.ownerId : criteria.post.ownerId;
      Object.assign(names, { '#replyTo': 'replyTo', '#placeOwner': owner, '#placeId': id });
      Object.assign(values, { ':placeOwner': ownerId, ':placeId': criteria.post.id });
      filters.push('#replyTo.#placeOwner = :placeOwner AND #replyTo.#placeId = :placeId');
    }
    if (criteria.undelivered !== undefined) {
      names['#undelivered'] = 'undelivered';
      filters.push(`${criteria.undelivered ? 'attribute_exists' : 'attribute_not_exists'}(#undelivered)`);
    }
    // The citizen's word that the matter is settled, for an operator to read and close (citizen-settles.ts).
    if (criteria.settled !== undefined) {
      names['#citizenSettledAt'] = 'citizenSettledAt';
      filters.push(`${criteria.settled ? 'attribute_exists' : 'attribute_not_exists'}(#citizenSettledAt)`);
    }
    if (criteria.assignee === 'me' && operatorId === undefined)
      throw new Error('assignee=me asked with no operator to mean');
    const holder =
      criteria.assignee === 'me'
        ? operatorId
        : typeof criteria.assignee === 'object'
          ? criteria.assignee.heldBy
          : undefined;
    if (holder !== undefined) {
      names['#assignee'] = 'assignee';
      names['#assigneeId'] = 'id';
      values[':assigneeId'] = holder;
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
    const readMore = async (read: DepartmentRead<Item>, pages: number): Promise<number> => {
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

    // Merged across the departments, the page ended where it keeps the list in order (list-pages.ts).
    const { items, next } = await listPage({
      departments,
      cursor,
      limit: criteria.limit,
      descending,
      pagesPerRequest: this.pagesPerRequest,
      readMore,
    });
    return {
      items: fromInquiryItems(items, this.malformed),
      ...(next && { nextCursor: encodeCursor(list, fingerprint, next) }),
    };
  }

  /**
   * The inquiries a case number names, read by key, never through an index: its lookup item in each
   * community, then the inquiry it names, one GetItem each and the communities side by side (a configuration
   * lists a handful). The caller decides which of them the operator may see.
   */
  async numbered(
    groupIds: number[],
    caseNumber: string,
    mayBeTold: (department: string | undefined) => boolean,
  ): Promise<Inquiry[]> {
    const get = async (key: Key) =>
      (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }))).Item;
    const found = await Promise.all(
      [...new Set(groupIds)].map(async (groupId) => {
        const lookup = await get(caseLookupKey(groupId, caseNumber));
        if (typeof lookup?.inquiryId !== 'string') return undefined;
        const item = await get(inquiryKey(lookup.inquiryId));
        try {
          return item && fromInquiryItem(item);
        } catch (error) {
          if (!(error instanceof MalformedInquiryItem) || mayBeTold(error.department)) throw error;
          this.malformed(error);
          return undefined;
        }
      }),
    );
    return found.filter((inquiry): inquiry is Inquiry => inquiry !== undefined);
  }

  /**
   * A department's inquiries opened in [from, to) (bounds as `periodBound` writes them), page by page as the
   * opening-time index gives them, each page at most 1 MB read, and of each inquiry only what the statistics
   * and the operators' figures count: the text, the causes and the rest stay in the table. The projection
   * spares the transfer and the parsing, not the read capacity, which DynamoDB counts on whole items. `more`:
   * whether another page follows, so that the reader can stop before it, not after the last.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
   */
  async *openedBetween(department: string, from: string, to: string): AsyncGenerator<CountedPage> {
    const pages = this.projectedPages(
      {
        IndexName: byDepartmentOpened.name,
        // Sort keys are `<createdAt>#<id>`: one opened at `from` sorts after `from`, one opened at `to` after
        // `to`, so BETWEEN, which includes its bounds, takes [from, to).
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: {
          '#pk': byDepartmentOpened.partitionKey,
          '#sk': byDepartmentOpened.sortKey,
        },
        ExpressionAttributeValues: { ':pk': `DEPT#${department}`, ':from': from, ':to': to },
      },
      // And the id, which names a malformed item in its report.
      [...STATISTICS_FIELDS, 'id'],
    );
    for await (const { items, more } of pages) {
      // Checked for the fields counted; the id, read for a report, goes once they are.
      const counted = fromInquiryItems(items, this.malformed, 'counted');
      yield { inquiries: counted.map(({ id: _id, ...fields }) => fields as CountedInquiry), more };
    }
  }

  /**
   * A department's open inquiries, page by page (each at most 1 MB read) as `gsi1` gives them, nearest deadline
   * first: the index holds open inquiries only, so nothing finished is read. Of each only what the workload
   * counts; as for the statistics, the projection spares the transfer, not the read units. `more`: whether
   * another page follows, so that the reader can stop before it, not after the last.
   */
  async *openWork(department: string): AsyncGenerator<OpenWorkPage> {
    const pages = this.projectedPages(
      {
        IndexName: byDepartmentDeadline.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byDepartmentDeadline.partitionKey },
        ExpressionAttributeValues: { ':pk': `DEPT#${department}` },
      },
      WORKLOAD_FIELDS,
    );
    for await (const { items, more } of pages)
      yield { inquiries: fromInquiryItems(items, this.malformed, 'workload') as WorkloadInquiry[], more };
  }

  /**
   * A Query of an index read to its end, a page (at most 1 MB read) at a time, of each item only `fields`, each
   * named through a placeholder (`status` is one of DynamoDB's reserved words:
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html); and whether another
   * page follows.
   */
  private async *projectedPages(
    query: Required<
      Pick<
        QueryCommandInput,
        'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
      >
    >,
    fields: readonly string[],
  ): AsyncGenerator<{ items: Record<string, unknown>[]; more: boolean }> {
    const projected = Object.fromEntries(fields.map((field) => [`#${field}`, field]));
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...query,
          ProjectionExpression: Object.keys(projected).join(', '),
          ExpressionAttributeNames: { ...query.ExpressionAttributeNames, ...projected },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      startKey = page.LastEvaluatedKey;
      yield { items: page.Items ?? [], more: startKey !== undefined };
    } while (startKey);
  }
}
