import { describe, expect, it } from 'vitest';
import type { ListPosition } from '../../../lambdas/adapters/list-cursor.js';
import { byBytes, type DepartmentRead, listPage } from '../../../lambdas/adapters/list-pages.js';

/**
 * The merge of several departments' reads into one page, and where the next page goes on, with no DynamoDB: each
 * department is a list of sort keys read `perRead` at a time in the index's order, as a Query with `Limit` reads
 * them; a key marked `-` is one a filter drops after reading it.
 */
interface Store {
  departments: Record<string, string[]>;
  descending?: boolean;
  perRead: number;
  limit: number;
  pagesPerRequest?: number;
}

const isMatch = (key: string) => !key.endsWith('-');

function pageOf(store: Store, cursor: ListPosition | undefined) {
  const descending = store.descending ?? false;
  const order = (a: string, b: string) => (descending ? -1 : 1) * byBytes(a, b);
  const reads: string[] = [];
  const readMore = async (read: DepartmentRead<string>, pages: number) => {
    const keys = [...(store.departments[read.department] ?? [])].sort(order);
    let made = 0;
    while (read.more && read.found.length < store.limit && made < pages) {
      const position = read.position;
      const left = keys.filter((key) => position === undefined || order(key, position) > 0);
      const batch = left.slice(0, store.perRead);
      made++;
      read.queries++;
      reads.push(read.department);
      for (const key of batch) if (isMatch(key)) read.found.push({ item: key, sortKey: key });
      if (left.length > batch.length) read.position = batch.at(-1);
      else read.more = false;
    }
    return made;
  };
  return listPage({
    departments: Object.keys(store.departments),
    cursor,
    limit: store.limit,
    descending,
    pagesPerRequest: store.pagesPerRequest ?? 16,
    readMore,
  }).then((page) => ({ ...page, reads }));
}

/** Every page to the list's end: what each held. */
async function allPages(store: Store) {
  const pages: string[][] = [];
  let cursor: ListPosition | undefined;
  do {
    const page = await pageOf(store, cursor);
    pages.push(page.items);
    cursor = page.next;
  } while (cursor && pages.length < 50);
  return pages;
}

const everyMatch = (store: Store) =>
  Object.values(store.departments)
    .flat()
    .filter(isMatch)
    .sort((a, b) => (store.descending ? -1 : 1) * byBytes(a, b));

describe('a page of a list of several departments', () => {
  it('merges the departments in the index order, a page at a time, each item once, to the list’s end', async () => {
    const store: Store = {
      departments: { housing: ['01h', '03h', '05h', '07h', '09h'], roads: ['02r', '04r', '06r', '08r'] },
      descending: true,
      perRead: 10,
      limit: 3,
    };
    const first = await pageOf(store, undefined);
    expect(first.items).toEqual(['09h', '08r', '07h']);
    expect(first.next).toEqual({ after: '07h', done: [false, false] });
    const pages = await allPages(store);
    expect(pages).toEqual([
      ['09h', '08r', '07h'],
      ['06r', '05h', '04r'],
      ['03h', '02r', '01h'],
    ]);
    expect(pages.flat()).toEqual(everyMatch(store));
  });

  it('ends where a department that may hold more stopped reading, leaving what the others read past it', async () => {
    // Housing's filter drops most of what it reads: after one read of two it has one match, and more to read.
    // Roads has read past where housing stopped: those come on a later page, after housing's in between.
    const store: Store = {
      departments: { housing: ['01h', '02h-', '03h-', '06h', '07h-'], roads: ['04r', '05r', '08r'] },
      perRead: 2,
      limit: 3,
      pagesPerRequest: 2,
    };
    const first = await pageOf(store, undefined);
    expect(first.items).toEqual(['01h']);
    expect(first.next).toEqual({ after: '02h-', done: [false, false] });
    const pages = await allPages(store);
    expect(pages.flat()).toEqual(everyMatch(store));
    expect(pages.flat()).toEqual(['01h', '04r', '05r', '06h', '08r']);
  });

  it('marks a department done once it has no more and all it found is on the page, and reads it no more', async () => {
    const store: Store = {
      departments: { housing: ['01h', '02h'], roads: ['03r', '04r', '05r', '06r', '07r'] },
      perRead: 10,
      limit: 3,
    };
    const first = await pageOf(store, undefined);
    expect(first.items).toEqual(['01h', '02h', '03r']);
    expect(first.next).toEqual({ after: '03r', done: [true, false] });
    const second = await pageOf(store, first.next);
    expect(second.reads).toEqual(['roads']);
    expect(second.items).toEqual(['04r', '05r', '06r']);
    // The last page: every department done, no cursor.
    const third = await pageOf(store, second.next);
    expect(third.items).toEqual(['07r']);
    expect(third.next).toBeUndefined();
  });

  it('stops when the request’s reads run out, the page still empty, and goes on from where they got to', async () => {
    const nothing = ['01h-', '02h-', '03h-', '04h-', '05h-', '06h-', '07h', '08h-'];
    const store: Store = { departments: { housing: nothing }, perRead: 1, limit: 5, pagesPerRequest: 3 };
    const first = await pageOf(store, undefined);
    expect(first.reads).toHaveLength(3);
    expect(first).toMatchObject({ items: [], next: { after: '03h-', done: [false] } });
    const second = await pageOf(store, first.next);
    expect(second).toMatchObject({ items: [], next: { after: '06h-', done: [false] } });
    expect((await pageOf(store, second.next)).items).toEqual(['07h']);
  });

  it('gives each department a share of the reads, one at least, and ends where the first stopped', async () => {
    const store: Store = {
      departments: {
        housing: ['01h-', '04h-', '07h'],
        roads: ['02r-', '05r-', '08r'],
        waste: ['03w-', '06w'],
      },
      perRead: 1,
      limit: 5,
      pagesPerRequest: 1,
    };
    const first = await pageOf(store, undefined);
    // One read each, though the request allows one in all: a department never left unread.
    expect(first.reads.sort()).toEqual(['housing', 'roads', 'waste']);
    expect(first).toMatchObject({ items: [], next: { after: '01h-', done: [false, false, false] } });
    expect((await allPages(store)).flat()).toEqual(['06w', '07h', '08r']);
  });
});
