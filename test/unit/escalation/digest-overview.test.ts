import { describe, expect, it } from 'vitest';
import {
  type DeadlineDigest,
  deadlineDigests,
  type EscalationNotification,
} from '../../../lambdas/domain/escalation/digest.js';
import { commentedPlaceOf } from '../../../lambdas/domain/operator/commented-place.js';
import type { CommentedPlace } from '../../../lambdas/domain/operator/list-criteria.js';
import { housingDigestContext } from '../../support/digest-context.js';

// Friday 4 December 2026, 17:00 in Perm.
const context = housingDigestContext('2026-12-04T12:00:00.000Z', {
  operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
});

const under = (kind: CommentedPlace['kind'], id: number) => ({ place: { kind, ownerId: -123456789, id } });
const underPost = (postId: number) => under('wall', postId);

/** The n-th inquiry of a mass incident: a `high` one of the demo community, due on Monday morning. */
const inquiry = (
  n: number,
  kind: 'breach' | 'warning',
  more: Partial<EscalationNotification> = {},
): EscalationNotification => ({
  kind,
  inquiryId: `inquiry-${kind}-${n}`,
  caseNumber: `2026-${String(4000 + n).padStart(6, '0')}`,
  groupId: 123456789,
  category: 'housing',
  priority: 'high',
  clock: 'first_response',
  dueAt: kind === 'breach' ? '2026-12-04T10:00:00.000Z' : '2026-12-07T05:00:00.000Z',
  status: 'routed',
  ...more,
});

/**
 * A district without water: 212 citizens comment under the administration's post, 3 under another, the rest
 * write to the community; a few of those are about the roads.
 */
const incident = (kind: 'breach' | 'warning') =>
  Array.from({ length: 250 }, (_, n) =>
    inquiry(n, kind, {
      ...(n < 212 ? underPost(42) : n < 215 ? underPost(57) : n === 215 ? underPost(99) : {}),
      ...(n >= 240 && { category: 'roads' }),
    }),
  );

/** The lines between the e-mail's counts and its first section. */
const overview = (digest: DeadlineDigest | undefined) => {
  const lines = digest?.text.split('\n') ?? [];
  const start = lines.indexOf('Кратко о письме:');
  if (start < 0) return [];
  return lines.slice(start, lines.findIndex((line) => line.startsWith('=== ')) - 1);
};

describe("a deadline digest's overview", () => {
  it('opens an e-mail of many inquiries with the posts several comment on and the categories, largest first', () => {
    const [digest, ...more] = deadlineDigests(incident('warning'), context);
    expect(more).toEqual([]);
    expect(digest?.text.split('\n').slice(0, 9)).toEqual([
      'Департамент ЖКХ',
      'Скоро срок у 250 обращений.',
      'Проверка сроков: 4 декабря в 17:00 по местному времени сообщества (МСК+2).',
      '',
      'Кратко о письме:',
      '- 212 обращений — комментарии к записи https://vk.com/wall-123456789_42',
      '- 3 обращения — комментарии к записи https://vk.com/wall-123456789_57',
      '- по категориям: ЖКХ — 240, Дороги — 10',
      '',
    ]);
    // A post only one inquiry comments on is no group; the blocks are as they were.
    expect(digest?.text).not.toContain('wall-123456789_99');
    expect(digest?.text.split('\n')[9]).toBe('=== Скоро срок: 250 ===');
  });

  it('is left out of an e-mail of a few inquiries, which is read at a glance', () => {
    const [digest] = deadlineDigests(incident('warning').slice(0, 9), context);
    expect(digest?.text).not.toContain('Кратко о письме');
    expect(digest?.text.split('\n').slice(3, 5)).toEqual(['', '=== Скоро срок: 9 ===']);
    const [ten] = deadlineDigests(incident('warning').slice(0, 10), context);
    expect(overview(ten)).toEqual([
      'Кратко о письме:',
      '- 10 обращений — комментарии к записи https://vk.com/wall-123456789_42',
      '- по категориям: ЖКХ — 10',
    ]);
  });

  it('names a place two inquiries comment on: two are already a group', () => {
    const notices = Array.from({ length: 10 }, (_, n) =>
      inquiry(n, 'warning', n < 2 ? under('topic', 5) : {}),
    );
    expect(overview(deadlineDigests(notices, context)[0])).toEqual([
      'Кратко о письме:',
      '- 2 обращения — комментарии в обсуждении https://vk.com/topic-123456789_5',
      '- по категориям: ЖКХ — 10',
    ]);
  });

  it('names the board topics, photos, videos and products several comment on, as it names posts', () => {
    // "Отключения воды — пишите сюда": 200 in the community's board topic, 30 under its photo of the burst
    // main, 12 under a video, 5 under a product, 3 under a post; one under another photo is no group.
    const places: [CommentedPlace['kind'], number, number][] = [
      ['topic', 5, 200],
      ['photo', 7, 30],
      ['video', 8, 12],
      ['product', 9, 5],
      ['wall', 42, 3],
      ['photo', 99, 1],
    ];
    const notices = places.flatMap(([kind, id, count], group) =>
      Array.from({ length: count }, (_, n) => inquiry(1000 * group + n, 'warning', under(kind, id))),
    );
    const [digest] = deadlineDigests(notices, context);
    expect(overview(digest)).toEqual([
      'Кратко о письме:',
      '- 200 обращений — комментарии в обсуждении https://vk.com/topic-123456789_5',
      '- 30 обращений — комментарии к фотографии https://vk.com/photo-123456789_7',
      '- 12 обращений — комментарии к видеозаписи https://vk.com/video-123456789_8',
      '- по категориям: ЖКХ — 251',
    ]);
    const [few] = deadlineDigests(
      [...notices.slice(200, 242), ...notices.slice(-9, -1)].filter((one) => one.place?.kind !== 'video'),
      context,
    );
    expect(overview(few)).toEqual([
      'Кратко о письме:',
      '- 30 обращений — комментарии к фотографии https://vk.com/photo-123456789_7',
      '- 5 обращений — комментарии к товару https://vk.com/product-123456789_9',
      '- 3 обращения — комментарии к записи https://vk.com/wall-123456789_42',
      '- по категориям: ЖКХ — 38',
    ]);
    // Each line's address is what the operator API's `post` filter takes, naming that place.
    for (const line of [...overview(digest), ...overview(few)].slice(1)) {
      const address = line.match(/ (https:\/\/\S+)$/u)?.[1];
      if (!address) continue;
      const named = commentedPlaceOf(address);
      expect(named, line).toBeDefined();
      expect(commentedPlaceOf(address.replace('https://vk.com/', '')), line).toEqual(named);
      expect(
        notices.some(({ place }) => place?.kind === named?.kind && place?.id === named?.id),
        line,
      ).toBe(true);
    }
  });

  it('tells, in each part of a split digest, that part alone, and counts in the size each part must fit', () => {
    // Some of the warnings in a board topic: a part names the topic as it names the posts.
    const notices = [
      ...incident('breach').slice(200),
      ...incident('warning')
        .slice(0, 150)
        .map((one, n) => (n >= 120 ? { ...one, ...under('topic', 5) } : one)),
    ];
    const limit = 40_000;
    const digests = deadlineDigests(notices, context, (digest) => digest.text.length <= limit);
    expect(digests.length).toBeGreaterThan(2);
    const named = new Set<string>();
    for (const digest of digests) {
      expect(digest.text.length).toBeLessThanOrEqual(limit);
      const listed = digest.notifications;
      const count = (test: (one: EscalationNotification) => boolean) => listed.filter(test).length;
      const sections = [
        ['просрочены', count((one) => one.kind === 'breach')],
        ['скоро срок', count((one) => one.kind === 'warning')],
      ].filter(([, n]) => n !== 0);
      const places = (
        [
          ['комментарии к записи https://vk.com/wall-123456789_42', 'wall', 42],
          ['комментарии к записи https://vk.com/wall-123456789_57', 'wall', 57],
          ['комментарии в обсуждении https://vk.com/topic-123456789_5', 'topic', 5],
        ] as const
      )
        .map(
          ([line, kind, id]) =>
            [line, count((one) => one.place?.kind === kind && one.place.id === id)] as const,
        )
        .filter(([, n]) => n > 1);
      const roads = count((one) => one.category === 'roads');
      const told = overview(digest);
      if (listed.length < 10) {
        expect(told).toEqual([]);
        continue;
      }
      expect(told[0]).toBe('Кратко о письме:');
      expect(told[1]).toBe(`- по разделам: ${sections.map(([title, n]) => `${title} — ${n}`).join(', ')}`);
      const placeLines = told.slice(2, -1).map((line) => {
        const [, n, place] = line.match(/^- (\d+) обращени[еяй] — (.+)$/u) ?? [];
        return [place, Number(n)] as const;
      });
      expect(new Map(placeLines)).toEqual(new Map(places));
      const counts = placeLines.map(([, n]) => n);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      for (const [place] of placeLines) named.add(place ?? '');
      expect(told.at(-1)).toBe(
        `- по категориям: ${[
          ['ЖКХ', listed.length - roads],
          ['Дороги', roads],
        ]
          .filter(([, n]) => n !== 0)
          .map(([name, n]) => `${name} — ${n}`)
          .join(', ')}`,
      );
    }
    // The topic's inquiries are named in the parts that hold several of them.
    expect(named).toContain('комментарии в обсуждении https://vk.com/topic-123456789_5');
    // The first part mixes both sections and both kinds of inquiry: its overview is not the whole digest's.
    expect(overview(digests[0])[1]).toMatch(/^- по разделам: просрочены — 50, скоро срок — \d+$/u);
  });
});
