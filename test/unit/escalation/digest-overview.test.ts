import { describe, expect, it } from 'vitest';
import {
  type DeadlineDigest,
  deadlineDigests,
  type EscalationNotification,
} from '../../../lambdas/domain/escalation/digest.js';
import { housingDigestContext } from '../../support/digest-context.js';

// Friday 4 December 2026, 17:00 in Perm.
const context = housingDigestContext('2026-12-04T12:00:00.000Z', {
  operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
});

const underPost = (postId: number) => ({ post: { ownerId: -123456789, postId } });

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

  it('tells, in each part of a split digest, that part alone, and counts in the size each part must fit', () => {
    const notices = [...incident('breach').slice(200), ...incident('warning').slice(0, 150)];
    const limit = 40_000;
    const digests = deadlineDigests(notices, context, (digest) => digest.text.length <= limit);
    expect(digests.length).toBeGreaterThan(2);
    for (const digest of digests) {
      expect(digest.text.length).toBeLessThanOrEqual(limit);
      const listed = digest.notifications;
      const count = (test: (one: EscalationNotification) => boolean) => listed.filter(test).length;
      const sections = [
        ['просрочены', count((one) => one.kind === 'breach')],
        ['скоро срок', count((one) => one.kind === 'warning')],
      ].filter(([, n]) => n !== 0);
      const posts = new Map(
        [42, 57].map((postId) => [postId, count((one) => one.post?.postId === postId)] as const),
      );
      const roads = count((one) => one.category === 'roads');
      const told = overview(digest);
      if (listed.length < 10) {
        expect(told).toEqual([]);
        continue;
      }
      expect(told[0]).toBe('Кратко о письме:');
      expect(told[1]).toBe(`- по разделам: ${sections.map(([title, n]) => `${title} — ${n}`).join(', ')}`);
      const postLines = told.slice(2, -1).map((line) => {
        const [, n, postId] =
          line.match(
            /^- (\d+) обращени[еяй] — комментарии к записи https:\/\/vk\.com\/wall-123456789_(\d+)$/u,
          ) ?? [];
        return [Number(postId), Number(n)];
      });
      expect(postLines).toEqual([...posts].filter(([, n]) => n > 1).sort(([, a], [, b]) => b - a));
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
    // The first part mixes both sections and both kinds of inquiry: its overview is not the whole digest's.
    expect(overview(digests[0])[1]).toMatch(/^- по разделам: просрочены — 50, скоро срок — \d+$/u);
  });
});
