import type { ListPosition } from './list-cursor.js';

/**
 * The Queries (each reads 1 MB of the index at most) one request of a list makes in all, or one per department
 * where an admin's are more: a filtered list whose page is still empty reads on up to this, so that a narrow
 * filter does not answer "nothing" while more is there, and a request still ends well within the timeout.
 */
export const QUERY_PAGES_PER_REQUEST = 16;

/**
 * The Queries one request makes of one department at a time: a filter (a status few inquiries have) may drop
 * all they read, and the department is then read on while the page is empty.
 */
export const QUERY_PAGES_PER_DEPARTMENT = 4;

/**
 * DynamoDB's order of strings: by their UTF-8 bytes, which is neither a locale's collation (localeCompare
 * folds case and skips '-') nor, beyond the BMP, JavaScript's `<`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes
 */
export const byBytes = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** One department's part of a page: the items found in index order, and where the reading stopped. */
export interface DepartmentRead<T> {
  department: string;
  found: { item: T; sortKey: string }[];
  /** The last sort key read (a filter may have dropped it), where reading goes on; undefined: its start. */
  position?: string;
  /** More may follow `position`. */
  more: boolean;
  /** The reads (Queries) made of it in this request. */
  queries: number;
}

interface ListPageRequest<T> {
  /** The departments the list covers, in the order the cursor's `done` counts them. */
  departments: readonly string[];
  /** Where the page before ended; undefined: the list's start. */
  cursor: ListPosition | undefined;
  limit: number;
  /** The index read backwards (newest first): sort keys descending. */
  descending: boolean;
  /** The reads the request may make in all; at least one a department. */
  pagesPerRequest: number;
  /**
   * Reads on in a department from its `position`, `pages` reads at most, until it has found `limit` items or
   * has no more: adds what it finds, moves `position`, sets `more` and counts `queries`; gives how many it made.
   */
  readMore: (read: DepartmentRead<T>, pages: number) => Promise<number>;
}

/**
 * One page of a list of several departments, each read in its index's order and merged in that order, and
 * where the next page goes on. The departments are read side by side, each its share of the request's reads,
 * and again while the page is empty (a filter dropped all that was read, or what was found comes after where
 * another department stopped) until the reads run out. A department that stopped early may hold, past where
 * it stopped, items that come before the others' later ones: the page ends where the first of them stopped,
 * so that pages follow one another in order and none is skipped. A department is done once it has no more to
 * read and all it found is on the page; the next page reads only the others, from where this one ends.
 */
export async function listPage<T>(request: ListPageRequest<T>): Promise<{ items: T[]; next?: ListPosition }> {
  const { departments, cursor, limit, descending } = request;
  /** Negative when `a` comes first in the list. */
  const listOrder = (a: string, b: string) => (descending ? -1 : 1) * byBytes(a, b);
  const endOf = (reads: DepartmentRead<T>[]) =>
    reads
      .flatMap((read) => (read.more && read.position !== undefined ? [read.position] : []))
      .sort(listOrder)[0];
  const pageOf = (reads: DepartmentRead<T>[]) => {
    const end = endOf(reads);
    return reads
      .flatMap((read) => read.found.map((found) => ({ department: read.department, ...found })))
      .filter((candidate) => end === undefined || listOrder(candidate.sortKey, end) <= 0)
      .sort((a, b) => listOrder(a.sortKey, b.sortKey))
      .slice(0, limit);
  };

  const reads: DepartmentRead<T>[] = departments
    .filter((_, index) => !cursor?.done[index])
    .map((department) => ({ department, found: [], position: cursor?.after, more: true, queries: 0 }));
  let budget = Math.max(request.pagesPerRequest, reads.length);
  let page = pageOf(reads);
  for (;;) {
    const reading = reads.filter((read) => read.more && read.found.length < limit);
    if (reading.length === 0 || budget < reading.length) break;
    const share = Math.min(QUERY_PAGES_PER_DEPARTMENT, Math.floor(budget / reading.length));
    const made = await Promise.all(reading.map((read) => request.readMore(read, share)));
    budget -= made.reduce((sum, each) => sum + each, 0);
    page = pageOf(reads);
    if (page.length > 0) break;
  }

  // Each department's items on the page are the first of those it found, in the same order.
  const done = departments.map((department) => {
    const read = reads.find((candidate) => candidate.department === department);
    if (!read) return true;
    const taken = page.filter((candidate) => candidate.department === department).length;
    return !read.more && taken === read.found.length;
  });
  const items = page.map(({ item }) => item);
  if (done.every(Boolean)) return { items };
  // Every department was read to where the page ends (its last item if full, else where the first that may
  // hold more stopped), and all that matched up to there is on it.
  const after = page.length === limit ? page.at(-1)?.sortKey : (endOf(reads) ?? page.at(-1)?.sortKey);
  if (after === undefined) throw new Error('a list page ended where no department was read to');
  return { items, next: { after, done } };
}
