import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_PAGES_PER_DEPARTMENT, QUERY_PAGES_PER_REQUEST } from '../../lambdas/adapters/list-pages.js';
import { DynamoOperatorQueries, InvalidCursor } from '../../lambdas/adapters/operator-queries.js';
import { recordCommands, startTestAws, type TestAws } from '../support/aws.js';
import { type ListedFields, listCriteria, storeListed } from '../support/listed-inquiries.js';

/**
 * The operators' lists read DynamoDB's indexes and merge departments read side by side: checked against
 * dynalite (which orders strings and cuts pages at 1 MB as DynamoDB does), counting the Queries made.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let queries: DynamoOperatorQueries;
const calls: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  recordCommands(documents, calls);
  queries = new DynamoOperatorQueries(documents, aws.tableName);
});
afterAll(() => aws?.stop());

const NOW = new Date('2026-11-27T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

/** Stored as the router stores it, opened an hour before NOW and due an hour after unless told. */
const store = (
  id: string,
  department: string,
  fields: Omit<ListedFields, 'createdAt' | 'dueAt'> & { createdAt?: string; dueAt?: string | null } = {},
) =>
  storeListed(documents, aws.tableName, id, department, {
    ...fields,
    createdAt: fields.createdAt ?? at(-60),
    dueAt: fields.dueAt === undefined ? at(60) : fields.dueAt,
  });

const list = (departments: string[], query: Record<string, unknown>, operatorId?: string) =>
  queries.listInquiries(departments, listCriteria(query), NOW, operatorId);

/** Every page, following the cursor: the ids in the order handed out, and how many pages it took. */
async function everyPage(departments: string[], query: Record<string, unknown>, operatorId?: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(departments, { ...query, ...(cursor && { cursor }) }, operatorId);
    ids.push(...page.items.map((inquiry) => inquiry.id));
    cursor = page.nextCursor;
    pages++;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { ids, pages };
}

/** DynamoDB's order of strings: by their bytes (for these ASCII keys, what `<` compares). */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('the operators lists: order and paging', () => {
  // base64url ids differ in letter case, '-' and '_', which a locale's collation orders otherwise.
  const tied = ['a1', 'B1', 'c1', 'D1', '-e', '_f', 'G_', 'h-'];

  beforeAll(async () => {
    for (const id of tied) await store(`${id}t`, 'ties', { createdAt: at(-30), dueAt: at(30) });
    for (const id of tied) await store(`${id}u`, 'ties-too', { createdAt: at(-30), dueAt: at(30) });
  });

  it('hands out inquiries due or opened at the same moment once each, in the index order', async () => {
    const expected = [...tied.map((id) => `${id}t`), ...tied.map((id) => `${id}u`)].sort(byBytes);
    for (const departments of [['ties'], ['ties', 'ties-too']])
      for (const limit of [1, 2, 3]) {
        const wanted = expected.filter((id) => departments.includes(id.endsWith('t') ? 'ties' : 'ties-too'));
        const urgent = await everyPage(departments, { order: 'urgent', limit });
        expect(urgent.ids, `urgent, ${departments}, limit ${limit}`).toEqual(wanted);
        const newest = await everyPage(departments, { order: 'newest', limit });
        expect(newest.ids, `newest, ${departments}, limit ${limit}`).toEqual([...wanted].reverse());
      }
  });
});

describe('the operators lists: a narrow filter', () => {
  beforeAll(async () => {
    for (let n = 0; n < 300; n++)
      await store(`narrow-${String(n).padStart(3, '0')}`, 'narrow', { createdAt: at(-1000 + n) });
    // 100 KB each (ASCII, which dynalite sizes as DynamoDB does): ten to a 1 MB page of a Query.
    const text = 'x'.repeat(100_000);
    await store('wide-reopened', 'wide', { createdAt: at(-2000), status: 'reopened', text });
    for (let n = 0; n < 60; n++)
      await store(`wide-${String(n).padStart(3, '0')}`, 'wide', { createdAt: at(-1000 + n), text });
  });

  it('reads a department with no match in Queries each twice the last, not in pages of the limit', async () => {
    calls.length = 0;
    const page = await list(['narrow'], { status: 'reopened', limit: 1 });
    expect(page.items).toEqual([]);
    expect(page.nextCursor).toBeUndefined();
    // 2, 4, 8… items: 300 in 8 Queries, where pages of the limit would take 150.
    expect(calls.filter((name) => name === 'QueryCommand').length).toBeLessThanOrEqual(
      Math.ceil(Math.log2(300 / 2 + 1)),
    );
  });

  it('reads on past the first pages while the page is empty, and finds what lies behind them', async () => {
    calls.length = 0;
    const first = await list(['wide'], { status: 'reopened', limit: 5 });
    expect(first.items.map((inquiry) => inquiry.id)).toEqual(['wide-reopened']);
    expect(first.nextCursor).toBeUndefined();
    // 6 MB to read before it: more than one department's share of a round, well within a request's.
    const read = calls.filter((name) => name === 'QueryCommand').length;
    expect(read).toBeGreaterThan(QUERY_PAGES_PER_DEPARTMENT);
    expect(read).toBeLessThanOrEqual(QUERY_PAGES_PER_REQUEST);
  });

  it('does not let a department that stopped early empty a page another one has found items for', async () => {
    // Opened between the wide department's inquiries and its reopened one: after where a round of it stops.
    await store('aside-reopened', 'aside', { createdAt: at(-1500), status: 'reopened' });
    const first = await list(['wide', 'aside'], { status: 'reopened', limit: 5 });
    expect(first.items.map((inquiry) => inquiry.id)).toEqual(['aside-reopened', 'wide-reopened']);
    expect(first.nextCursor).toBeUndefined();
  });

  it('may hand out a page with none of the matches it read, past where another department stopped, and a cursor to them', async () => {
    // Older than the first 1 MB of the wide department: past where its first Query stops.
    await store('beside-reopened', 'beside', { createdAt: at(-1200), status: 'reopened' });
    const capped = new DynamoOperatorQueries(documents, aws.tableName, 2);
    const query = (cursor?: string) =>
      listCriteria({ status: 'reopened', limit: 5, ...(cursor && { cursor }) });
    calls.length = 0;
    const first = await capped.listInquiries(['wide', 'beside'], query(), NOW);
    // Both departments were read, the match among them, yet the page ends where the wide one stopped.
    expect(calls.filter((name) => name === 'QueryCommand').length).toBe(2);
    expect(first.items).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    const ids: string[] = [];
    let cursor = first.nextCursor;
    for (let pages = 1; cursor; pages++) {
      const page = await capped.listInquiries(['wide', 'beside'], query(cursor), NOW);
      ids.push(...page.items.map((inquiry) => inquiry.id));
      cursor = page.nextCursor;
      expect(pages).toBeLessThan(20);
    }
    expect(ids).toEqual(['beside-reopened', 'wide-reopened']);
  });

  it('stops at its cap of Queries a request, handing a cursor on with none, and loses nothing', async () => {
    const capped = new DynamoOperatorQueries(documents, aws.tableName, 2);
    calls.length = 0;
    const first = await capped.listInquiries(['wide'], listCriteria({ status: 'reopened' }), NOW);
    expect(calls.filter((name) => name === 'QueryCommand').length).toBe(2);
    expect(first.items).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    const ids: string[] = [];
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await capped.listInquiries(['wide'], listCriteria({ status: 'reopened', cursor }), NOW);
      ids.push(...page.items.map((inquiry) => inquiry.id));
      cursor = page.nextCursor;
      expect(++pages).toBeLessThan(20);
    }
    expect(ids).toEqual(['wide-reopened']);
    expect(pages).toBeGreaterThan(2);
  });
});

describe('the operators lists: overdue or not', () => {
  beforeAll(async () => {
    await store('clock-late', 'clock', { dueAt: at(-10) });
    await store('clock-later', 'clock', { dueAt: at(-5) });
    await store('clock-soon', 'clock', { dueAt: at(5) });
    await store('clock-now', 'clock', { dueAt: NOW.toISOString() });
    await store('clock-none', 'clock', { dueAt: null });
    await store('clock-closed', 'clock', { dueAt: at(5), status: 'closed' });
    await store('clock-answered-late', 'clock', { dueAt: at(-5), status: 'answered' });
  });

  it('lists the open inquiries past their deadline, or the open ones not past it, nearest first', async () => {
    for (const limit of [1, 2, 20]) {
      expect((await everyPage(['clock'], { overdue: 'true', limit })).ids).toEqual([
        'clock-late',
        'clock-later',
      ]);
      expect((await everyPage(['clock'], { overdue: 'false', limit })).ids).toEqual([
        'clock-now',
        'clock-soon',
        'clock-none',
      ]);
    }
  });
});

describe('the operators lists: whose inquiries', () => {
  /** Two departments, their inquiries opened in turns: some anna's, some boris's, some no one's. */
  const stored = ['desk-a', 'desk-b'].flatMap((department, side) =>
    Array.from({ length: 12 }, (_, n) => ({
      id: `${department}-${String(n).padStart(2, '0')}`,
      department,
      createdAt: at(-100 + 2 * n + side),
      assignee: [undefined, 'anna', 'boris'][n % 3],
      status: (['answered', 'in_progress', 'routed', 'routed'] as const)[n % 4],
    })),
  );
  const departments = ['desk-a', 'desk-b'];
  /** The ids of those kept, newest first. */
  const expected = (keep: (inquiry: (typeof stored)[number]) => boolean) =>
    stored
      .filter(keep)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(({ id }) => id);

  beforeAll(async () => {
    for (const { id, department, ...fields } of stored) await store(id, department, fields);
  });

  it("pages through an operator's own inquiries and the open ones no one has, losing none", async () => {
    for (const limit of [1, 2, 5]) {
      const mine = await everyPage(departments, { assignee: 'me', limit }, 'anna');
      expect(mine.ids, `me, limit ${limit}`).toEqual(expected(({ assignee }) => assignee === 'anna'));
      const none = await everyPage(departments, { assignee: 'none', limit }, 'anna');
      expect(none.ids, `none, limit ${limit}`).toEqual(
        expected(({ assignee, status }) => assignee === undefined && status !== 'answered'),
      );
    }
    const urgent = await everyPage(departments, { assignee: 'me', order: 'urgent', limit: 2 }, 'boris');
    expect(new Set(urgent.ids)).toEqual(
      new Set(expected(({ assignee, status }) => assignee === 'boris' && status !== 'answered')),
    );
  });

  it('reads whole pages for the filter, a few per department, and hands on a cursor of its list', async () => {
    calls.length = 0;
    const page = await list(departments, { assignee: 'me', limit: 1 }, 'anna');
    expect(page.items.map((inquiry) => inquiry.assignee?.id)).toEqual(['anna']);
    expect(calls.filter((name) => name === 'QueryCommand').length).toBeLessThanOrEqual(2 * 4);
    await expect(
      list(departments, { assignee: 'me', order: 'urgent', cursor: page.nextCursor }, 'anna'),
    ).rejects.toThrow(InvalidCursor);
  });
});

describe('the operators lists: cursors', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  beforeAll(async () => {
    for (let n = 0; n < 3; n++)
      await store(`cursor-${n}`, 'cursors', { createdAt: at(-10 + n), dueAt: at(-5 + n) });
  });

  it("refuses a cursor of another order, or one this API did not make, as the client's error", async () => {
    const newest = await list(['cursors'], { order: 'newest', limit: 1 });
    expect(newest.nextCursor).toBeDefined();
    await expect(list(['cursors'], { order: 'urgent', cursor: newest.nextCursor })).rejects.toThrow(
      'the cursor continues the list of order=newest, not of order=urgent',
    );
    const overdue = await list(['cursors'], { overdue: 'true', limit: 1 });
    expect(overdue.nextCursor).toBeDefined();
    await expect(list(['cursors'], { overdue: 'false', cursor: overdue.nextCursor })).rejects.toThrow(
      InvalidCursor,
    );
    // The format, list, query and departments right (the first 11 bytes of one this API gave), the position
    // not one it gives: nothing, a key of any length, not a key; or bytes changed or added.
    const given = Buffer.from(newest.nextCursor ?? '', 'base64url');
    const withPosition = (position: string) =>
      Buffer.concat([given.subarray(0, 11), Buffer.from(position)]).toString('base64url');
    const made = await list(['cursors'], { order: 'newest', cursor: withPosition(`${at(-8)}#cursor-2`) });
    expect(made.items.map((inquiry) => inquiry.id)).toEqual(['cursor-1', 'cursor-0']);
    const other = Buffer.from(given);
    other[0] = 2;
    // Of another query by the last byte of its fingerprint.
    const otherQuery = Buffer.from(given);
    otherQuery[9] = (otherQuery[9] ?? 0) ^ 1;
    await expect(
      list(['cursors'], { order: 'newest', cursor: otherQuery.toString('base64url') }),
    ).rejects.toThrow('the cursor belongs to another query');
    for (const forged of [
      encode({ list: 'order=newest', after: { cursors: `${at(-8)}#cursor-2` } }),
      withPosition(''),
      withPosition('x'.repeat(1000)),
      withPosition(`${at(-8)}#cursor 2`),
      withPosition(`${at(-8)}`),
      withPosition(`${at(-8)}#${'x'.repeat(201)}`),
      withPosition(`${'0'.repeat(41)}#cursor-2`),
      other.toString('base64url'),
      `${newest.nextCursor}=`,
      `${newest.nextCursor}!`,
      // A department marked done that the query does not cover.
      Buffer.concat([given.subarray(0, 10), Buffer.from([0b10]), given.subarray(11)]).toString('base64url'),
    ])
      await expect(list(['cursors'], { order: 'newest', cursor: forged }), forged).rejects.toThrow(
        'not one this API gave',
      );
  });
  it('continues cursors given before a filter was added, of a list that asks none of it', async () => {
    // Given by this API for { limit: 1 } and { undelivered: 'false', limit: 1 } before `settled` was a filter:
    // a filter added since enters the fingerprint only when asked, so a console paging across a deploy goes on.
    const newest = 'AQDz08BXw_FMaAAyMDI2LTExLTI3VDA5OjUyOjAwLjAwMFojY3Vyc29yLTI';
    const delivered = 'AQCSpJVOiJvQxQAyMDI2LTExLTI3VDA5OjUyOjAwLjAwMFojY3Vyc29yLTI';
    for (const [query, cursor] of [
      [{}, newest],
      [{ undelivered: 'false' }, delivered],
    ] as const) {
      const page = await list(['cursors'], { ...query, cursor });
      expect(page.items.map((inquiry) => inquiry.id)).toEqual(['cursor-1', 'cursor-0']);
    }
  });
});

describe("the operators lists: one post's inquiries", () => {
  /** The community's post many citizens wrote under, and another of its posts. */
  const owner = -123_456_789;
  const comment = (postId: number, commentId: number, threadCommentId?: number) =>
    ({
      channel: 'wall_comment',
      ownerId: owner,
      postId,
      commentId,
      ...(threadCommentId !== undefined && { threadCommentId }),
    }) as const;

  beforeAll(async () => {
    // Under the post, in turns with what is not: each page of a narrow filter skips some.
    for (let n = 0; n < 9; n++) {
      await store(`burst-${n}`, 'water', { createdAt: at(-50 + 2 * n), replyTo: comment(42, 100 + n) });
      await store(`aside-${n}`, 'water', { createdAt: at(-49 + 2 * n), replyTo: comment(43, 200 + n) });
    }
    await store('burst-thread', 'water', { createdAt: at(-20), replyTo: comment(42, 300, 100) });
    // A citizen's own post of that id on another wall, a photo's comment of that number, a direct message.
    await store('aside-wall', 'water', {
      createdAt: at(-19),
      replyTo: { channel: 'wall_post', ownerId: 555, postId: 42 },
    });
    await store('aside-photo', 'water', {
      createdAt: at(-18),
      replyTo: { channel: 'photo_comment', ownerId: owner, photoId: 42, commentId: 400 },
    });
    await store('aside-dm', 'water', { createdAt: at(-17) });
    await store('burst-post', 'roads', {
      createdAt: at(-16),
      replyTo: { channel: 'wall_post', ownerId: 555, postId: 7 },
    });
  });

  it('lists the comments under one post, threads included, and nothing else, on every page', async () => {
    const expected = ['burst-thread', ...Array.from({ length: 9 }, (_, n) => `burst-${8 - n}`)];
    for (const post of [`${owner}_42`, `wall${owner}_42`])
      for (const limit of [1, 3, 20]) {
        const { ids } = await everyPage(['water'], { post, limit });
        expect(ids, `${post}, limit ${limit}`).toEqual(expected);
      }
    const urgent = await everyPage(['water', 'roads'], { post: `${owner}_42`, order: 'urgent' });
    expect(new Set(urgent.ids)).toEqual(new Set(expected));
    // A citizen's post is listed by its own address, in whichever department it is.
    expect((await everyPage(['water', 'roads'], { post: '555_7' })).ids).toEqual(['burst-post']);
  });

  it('keeps a cursor to the query of its post', async () => {
    const page = await list(['water'], { post: `${owner}_42`, limit: 2 });
    expect(page.nextCursor).toBeDefined();
    await expect(list(['water'], { post: `${owner}_43`, cursor: page.nextCursor })).rejects.toThrow(
      'the cursor belongs to another query',
    );
    await expect(list(['water'], { cursor: page.nextCursor })).rejects.toThrow(
      'the cursor belongs to another query',
    );
  });

  it('continues a cursor of a post given before topics, photos, videos and products were', async () => {
    // Given by this API for { post: `${owner}_42`, limit: 2 } before the filter took other places than posts.
    const given = 'AQBAl3Ec-yjqeAAyMDI2LTExLTI3VDA5OjI2OjAwLjAwMFojYnVyc3QtOA';
    const page = await list(['water'], { post: `${owner}_42`, limit: 2, cursor: given });
    expect(page.items.map((inquiry) => inquiry.id)).toEqual(['burst-7', 'burst-6']);
  });

  it('takes a post only as VK names it', () => {
    expect(listCriteria({ post: 'wall-1_42' }).post).toEqual({ kind: 'wall', ownerId: -1, id: 42 });
    expect(listCriteria({ post: '7_5' }).post).toEqual({ kind: 'wall', ownerId: 7, id: 5 });
    for (const post of [
      '42',
      `${owner}-42`,
      `${owner}_0`,
      `0_42`,
      `club1_42`,
      `wall${owner}_42?reply=1`,
      `-${'9'.repeat(16)}_42`,
      `${owner}_${'9'.repeat(16)}`,
      '',
    ])
      expect(() => listCriteria({ post }), post).toThrow();
  });
});

describe("the operators lists: one topic's, photo's, video's or product's inquiries", () => {
  /** The community whose board topic and photo many citizens wrote under. */
  const group = 123_456_789;
  const topic = (topicId: number, commentId: number, groupId = group) =>
    ({ channel: 'board_comment', groupId, topicId, commentId }) as const;
  const photo = (photoId: number, commentId: number, ownerId = -group) =>
    ({ channel: 'photo_comment', ownerId, photoId, commentId }) as const;
  const minute = (n: number) => at(-300 + n);

  beforeAll(async () => {
    // Fifty in one topic ("Отключения воды — пишите сюда") and fifty under one photo, in turns with one
    // another and with what is not theirs: another topic, the photo of the topic's number, another owner's
    // photo of that number, a video and a product of it, a wall post's comment, a topic of another community.
    for (let n = 0; n < 50; n++) {
      await store(`topic-${n}`, 'water', { createdAt: minute(4 * n), replyTo: topic(5, 100 + n) });
      await store(`photo-${n}`, 'water', { createdAt: minute(4 * n + 1), replyTo: photo(7, 100 + n) });
    }
    const aside = [
      topic(6, 1),
      topic(5, 2, 555),
      photo(5, 3),
      photo(7, 4, -555),
      { channel: 'wall_comment', ownerId: -group, postId: 5, commentId: 5 },
      { channel: 'wall_comment', ownerId: -group, postId: 7, commentId: 6 },
    ] as const;
    for (const [n, replyTo] of aside.entries())
      await store(`aside-place-${n}`, 'water', { createdAt: minute(4 * n + 2), replyTo });
    await store('video-7', 'water', {
      createdAt: minute(3),
      replyTo: { channel: 'video_comment', ownerId: -group, videoId: 7, commentId: 7 },
    });
    await store('product-7', 'roads', {
      createdAt: minute(7),
      replyTo: { channel: 'market_comment', ownerId: -group, itemId: 7, commentId: 8 },
    });
  });

  const newestFirst = (prefix: string) => Array.from({ length: 50 }, (_, n) => `${prefix}-${49 - n}`);

  it('lists the comments in one board topic, and nothing else, on every page', async () => {
    for (const limit of [7, 100]) {
      const { ids } = await everyPage(['water', 'roads'], { post: `topic-${group}_5`, limit });
      expect(ids, `limit ${limit}`).toEqual(newestFirst('topic'));
    }
    const urgent = await everyPage(['water'], { post: `topic-${group}_5`, order: 'urgent' });
    expect(new Set(urgent.ids)).toEqual(new Set(newestFirst('topic')));
  });

  it('lists the comments under one photo, video or product, each by its own address', async () => {
    for (const limit of [7, 100]) {
      const { ids } = await everyPage(['water', 'roads'], { post: `photo-${group}_7`, limit });
      expect(ids, `limit ${limit}`).toEqual(newestFirst('photo'));
    }
    expect((await everyPage(['water', 'roads'], { post: `video-${group}_7` })).ids).toEqual(['video-7']);
    expect((await everyPage(['water', 'roads'], { post: `product-${group}_7` })).ids).toEqual(['product-7']);
    // A post of those numbers is the post's alone.
    expect((await everyPage(['water', 'roads'], { post: `-${group}_5` })).ids).toEqual(['aside-place-4']);
    expect((await everyPage(['water', 'roads'], { post: `wall-${group}_7` })).ids).toEqual(['aside-place-5']);
  });

  it("keeps a cursor to its place's query", async () => {
    const page = await list(['water'], { post: `topic-${group}_5`, limit: 2 });
    expect(page.nextCursor).toBeDefined();
    for (const post of [`photo-${group}_5`, `-${group}_5`, `topic-${group}_6`])
      await expect(list(['water'], { post, cursor: page.nextCursor }), post).rejects.toThrow(
        'the cursor belongs to another query',
      );
    const next = await list(['water'], { post: `topic-${group}_5`, limit: 2, cursor: page.nextCursor });
    expect(next.items.map((inquiry) => inquiry.id)).toEqual(['topic-47', 'topic-46']);
  });

  it('takes a topic, photo, video or product only as VK names it', () => {
    expect(listCriteria({ post: `topic-${group}_5` }).post).toEqual({
      kind: 'topic',
      ownerId: -group,
      id: 5,
    });
    expect(listCriteria({ post: 'photo7_5' }).post).toEqual({ kind: 'photo', ownerId: 7, id: 5 });
    expect(listCriteria({ post: 'video-1_5' }).post).toEqual({ kind: 'video', ownerId: -1, id: 5 });
    expect(listCriteria({ post: 'product-1_5' }).post).toEqual({ kind: 'product', ownerId: -1, id: 5 });
    for (const post of [
      `topic${group}_5`,
      `topic-${group}_5?post=3`,
      `board-${group}_5`,
      `album-${group}_5`,
      `market-${group}_5`,
      `photo-${group}_0`,
      `Photo-${group}_5`,
      `photo_5`,
    ])
      expect(() => listCriteria({ post }), post).toThrow();
  });
});

describe('the operators lists: those the citizen called settled', () => {
  beforeAll(async () => {
    // Settled ones in turns with the others, open and answered, so that each page of the filter skips some.
    for (let n = 0; n < 6; n++) {
      await store(`settled-${n}`, 'settling', {
        createdAt: at(-40 + 2 * n),
        dueAt: at(10 + n),
        citizenSettledAt: at(-30 + n),
      });
      await store(`unsettled-${n}`, 'settling', { createdAt: at(-39 + 2 * n), dueAt: at(20 + n) });
    }
    await store('settled-answered', 'settling', {
      createdAt: at(-20),
      dueAt: null,
      status: 'answered',
      citizenSettledAt: at(-19),
    });
    await store('settled-elsewhere', 'settling-too', { createdAt: at(-18), citizenSettledAt: at(-17) });
  });

  const settled = Array.from({ length: 6 }, (_, n) => `settled-${n}`);
  const unsettled = Array.from({ length: 6 }, (_, n) => `unsettled-${n}`);

  it('lists only those the citizen called settled, or only the others, on every page', async () => {
    for (const limit of [1, 4, 20]) {
      const newest = await everyPage(['settling'], { settled: 'true', limit });
      expect(newest.ids, `limit ${limit}`).toEqual(['settled-answered', ...[...settled].reverse()]);
      const urgent = await everyPage(['settling'], { settled: 'true', order: 'urgent', limit });
      expect(urgent.ids, `urgent, limit ${limit}`).toEqual(settled);
      const others = await everyPage(['settling'], { settled: 'false', order: 'urgent', limit });
      expect(others.ids, `others, limit ${limit}`).toEqual(unsettled);
    }
    const both = await everyPage(['settling', 'settling-too'], { settled: 'true', assignee: 'none' });
    expect(both.ids).toEqual(['settled-elsewhere', ...[...settled].reverse()]);
  });

  it('keeps a cursor to the query of its filter', async () => {
    const page = await list(['settling'], { settled: 'true', limit: 2 });
    expect(page.nextCursor).toBeDefined();
    for (const query of [{ settled: 'false' }, {}])
      await expect(list(['settling'], { ...query, cursor: page.nextCursor })).rejects.toThrow(
        'the cursor belongs to another query',
      );
  });

  it('takes true or false only', () => {
    expect(listCriteria({ settled: 'true' }).settled).toBe(true);
    expect(listCriteria({ settled: 'false' }).settled).toBe(false);
    expect(listCriteria({}).settled).toBeUndefined();
    for (const value of ['yes', '1', '', 'TRUE'])
      expect(() => listCriteria({ settled: value }), value).toThrow();
  });
});
