import { describe, expect, it } from 'vitest';
import { deadlineDigests, type EscalationNotification } from '../../../lambdas/domain/escalation/digest.js';
import { housing, housingDigestContext } from '../../support/digest-context.js';

// What a digest says of inquiries that became critical (critical-notice.ts), in Perm (UTC+5), on Tuesday
// 7 July 2026 at 11:05.
const context = housingDigestContext('2026-07-07T06:05:00.000Z', {
  operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
  criticalNotify: ['duty@example.org'],
});

const notice = (
  inquiryId: string,
  kind: EscalationNotification['kind'],
  more: Partial<EscalationNotification> = {},
): EscalationNotification => ({
  kind,
  inquiryId,
  caseNumber: `2026-${inquiryId.padStart(6, '0')}`,
  groupId: 123456789,
  category: 'housing',
  priority: kind === 'critical' ? 'critical' : 'normal',
  clock: 'first_response',
  dueAt: '2026-07-07T05:00:00.000Z',
  status: 'routed',
  ...(kind === 'critical' && { roundTheClock: true, becameCriticalAt: '2026-07-07T06:00:00.000Z' }),
  ...more,
});

/** The lines of the digest that tell of the inquiry numbered `caseNumber`. */
const entryOf = (text: string, caseNumber: string) =>
  text
    .slice(text.indexOf(`Обращение № ${caseNumber}`))
    .split('\n\n')[0]
    ?.split('\n')
    .map((line) => line.trim());

describe('a digest with critical inquiries', () => {
  it('says so first, in its subject and in a section of their own above the overdue', () => {
    const critical = (count: number) =>
      Array.from({ length: count }, (_, n) => notice(`${n + 10}`, 'critical'));
    const subject = (notices: EscalationNotification[]) => deadlineDigests(notices, context)[0]?.subject;
    expect(subject(critical(1))).toBe('[Департамент ЖКХ] Срочно: 1 критическое обращение');
    expect(subject(critical(2))).toBe('[Департамент ЖКХ] Срочно: 2 критических обращения');
    expect(subject(critical(5))).toBe('[Департамент ЖКХ] Срочно: 5 критических обращений');
    expect(subject([...critical(1), notice('1', 'breach'), notice('2', 'breach')])).toBe(
      '[Департамент ЖКХ] Срочно: 1 критическое обращение; просрочено 2 обращения',
    );
    expect(subject([...critical(1), notice('3', 'warning')])).toBe(
      '[Департамент ЖКХ] Срочно: 1 критическое обращение; скоро срок у 1 обращения',
    );
    const [digest] = deadlineDigests([notice('1', 'breach'), ...critical(1)], context);
    const text = digest?.text ?? '';
    expect(text.indexOf('=== Критические: 1 ===')).toBeGreaterThan(0);
    expect(text.indexOf('=== Критические: 1 ===')).toBeLessThan(text.indexOf('=== Просрочены: 1 ==='));
    expect(text).toContain('Раздел «Критические»');
  });

  it("drops the counts' nouns from its subject before it cuts the department's name", () => {
    const roads = { ...context, department: { ...housing, name: 'Департамент дорог и транспорта' } };
    const notices = [
      notice('1', 'critical'),
      ...Array.from({ length: 12 }, (_, n) => notice(`${n + 10}`, 'breach')),
      ...Array.from({ length: 3 }, (_, n) => notice(`${n + 30}`, 'warning')),
    ];
    const [digest] = deadlineDigests(notices, roads);
    expect(digest?.subject).toBe(
      '[Департамент дорог и транспорта] Срочно: 1 критическое; просрочено 12, скоро срок у 3',
    );
    expect(digest?.text).toContain(
      '\nСрочно: 1 критическое обращение; просрочено 12 обращений, скоро срок у 3 обращений.\n',
    );
    // Whole when the name fits beside the whole counts.
    expect(deadlineDigests(notices.slice(0, 2), roads)[0]?.subject).toBe(
      '[Департамент дорог и транспорта] Срочно: 1 критическое обращение; просрочено 1 обращение',
    );
  });

  it('tells of a raise whose deadline had passed as due at once, not as hours overdue', () => {
    // Normal, opened Monday 09:00, raised Tuesday 11:00: critical's hour ran out on Monday at 10:00.
    const raised = notice('1', 'critical', { raisedFrom: 'normal', dueAt: '2026-07-06T05:00:00.000Z' });
    const [digest] = deadlineDigests([raised], context);
    expect(entryOf(digest?.text ?? '', '2026-000001')).toEqual([
      'Обращение № 2026-000001',
      'https://console.example.org/inquiries/1',
      'Сообщество: Администрация (демо)',
      'Категория: ЖКХ, приоритет: критический',
      'Приоритет повышен до критического (был обычным): 7 июля в 11:00 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 6 июля в 10:00 по местному времени сообщества (МСК+2)',
      'Срок наступил сразу при повышении приоритета',
      'Нужно немедленно: дать первый (промежуточный) ответ',
    ]);
  });

  it('tells of an ordinary raise whose deadline had passed as due at once too, with the raise', () => {
    // Normal, opened Tuesday 09:00, warned at 17:12; a follow-up raised it to high at 17:20: high's 4 hours
    // from 09:00 ran out at 13:00. Escalated at 17:25: not "Просрочено на 3 ч 25 мин".
    const raised = notice('3', 'breach', {
      priority: 'high',
      dueAt: '2026-07-07T08:00:00.000Z',
      raisedFrom: 'normal',
      raisedTo: 'high',
      raisedAt: '2026-07-07T12:20:00.000Z',
    });
    const [digest] = deadlineDigests([raised], { ...context, now: new Date('2026-07-07T12:25:00.000Z') });
    expect(digest?.subject).toBe('[Департамент ЖКХ] Просрочено 1 обращение');
    expect(entryOf(digest?.text ?? '', '2026-000003')?.slice(3)).toEqual([
      'Категория: ЖКХ, приоритет: высокий',
      'Приоритет повышен до высокого (был обычным): 7 июля в 17:20 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 7 июля в 13:00 по местному времени сообщества (МСК+2)',
      'Срок наступил сразу при повышении приоритета',
      'Нужно немедленно: дать первый (промежуточный) ответ',
    ]);
  });

  it('tells of a new one with its deadline and the time left', () => {
    const fresh = notice('2', 'critical', {
      becameCriticalAt: '2026-07-07T06:00:00.000Z',
      dueAt: '2026-07-07T07:00:00.000Z',
    });
    const [digest] = deadlineDigests([fresh], context);
    expect(entryOf(digest?.text ?? '', '2026-000002')?.slice(4)).toEqual([
      'Новое критическое обращение: поступило 7 июля в 11:00 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 7 июля в 12:00 по местному времени сообщества (МСК+2)',
      'Осталось 55 мин (срок считается круглосуточно)',
      'Нужно: дать первый (промежуточный) ответ',
    ]);
    // Taken by an operator before the run: the block says who holds it.
    const [taken] = deadlineDigests(
      [
        {
          ...fresh,
          status: 'in_progress',
          holder: { name: 'Анна Котова', since: '2026-07-07T06:02:00.000Z' },
        },
      ],
      context,
    );
    expect(entryOf(taken?.text ?? '', '2026-000002')?.slice(5, 7)).toEqual([
      'Статус: в работе',
      'В работе у: Анна Котова (взято 7 июля в 11:02)',
    ]);
  });

  it('counts a critical one overdue apart from the critical notices, and flags no subject beside "Срочно"', () => {
    const [digest] = deadlineDigests(
      [notice('1', 'critical'), notice('5', 'breach', { priority: 'critical', roundTheClock: true })],
      context,
    );
    expect(digest?.subject).toBe('[Департамент ЖКХ] Срочно: 1 критическое обращение; просрочено 1 обращение');
    expect(digest?.text).toContain(
      'Срочно: 1 критическое обращение; просрочено 1 обращение.\nКритических среди просроченных: 1. Оно стоит первым в своём разделе.\n',
    );
    expect(digest?.text).toContain('=== Просрочены: 1 ===\n\n1. Обращение № 2026-000005 (критическое)\n');
    // The critical notice's own section says what it is: no mark of its own.
    expect(digest?.text).toContain('=== Критические: 1 ===\n\n1. Обращение № 2026-000001\n');
  });

  it('names the duty addresses among its recipients; a digest without one does not', () => {
    const [told] = deadlineDigests([notice('1', 'critical')], context);
    expect(told?.recipients).toEqual(['housing@example.org', 'duty@example.org']);
    expect(told?.critical).toBe(true);
    const [plain] = deadlineDigests([notice('1', 'breach')], context);
    expect(plain?.recipients).toEqual(['housing@example.org']);
    expect(plain?.critical).toBe(false);
    expect(plain?.text).not.toContain('=== Критические');
    expect(plain?.text).not.toContain('Раздел «Критические»');
  });

  it("is the duty officer's too when a critical inquiry's deadline is near or gone by, still owed", () => {
    // At night no one answered within the hour: the on-call is to chase the department.
    const owed = { priority: 'critical', roundTheClock: true } as const;
    for (const kind of ['warning', 'breach'] as const) {
      const [digest] = deadlineDigests([notice('1', 'breach'), notice('5', kind, owed)], context);
      expect(digest?.recipients).toEqual(['housing@example.org', 'duty@example.org']);
      expect(digest?.critical).toBe(true);
    }
    // Told after the response came (its clock stopped): history, not work for the night.
    const [settled] = deadlineDigests([notice('5', 'breach', { ...owed, settled: 'responded' })], context);
    expect(settled?.recipients).toEqual(['housing@example.org']);
    expect(settled?.critical).toBe(false);
  });

  it('gives every part of a split digest with critical work to the duty addresses', () => {
    const notices = [
      notice('1', 'breach', { priority: 'critical', roundTheClock: true }),
      notice('2', 'breach'),
    ];
    const parts = deadlineDigests(notices, context, (digest) => digest.notifications.length < 2);
    expect(parts.map((part) => [part.notifications.map((one) => one.inquiryId), part.critical])).toEqual([
      [['1'], true],
      [['2'], true],
    ]);
  });
});
