import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import {
  type DigestContext,
  deadlineDigests,
  type EscalationNotification,
} from '../../../lambdas/domain/escalation/digest.js';

/** What a digest says of inquiries that became critical (critical-notice.ts), in Perm (UTC+5). */
const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
const housing = config.departments.find((department) => department.id === 'housing');
if (!housing) throw new Error('config/local.json names no housing department');

// Tuesday 7 July 2026, 11:05 in Perm.
const context: DigestContext = {
  department: housing,
  communities: config.communities,
  operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
  now: new Date('2026-07-07T06:05:00.000Z'),
  criticalNotify: ['duty@example.org'],
};

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

  it('tells of a raise whose deadline had passed as due at once, not as hours overdue', () => {
    // Normal, opened Monday 09:00, raised Tuesday 11:00: critical's hour ran out on Monday at 10:00.
    const raised = notice('1', 'critical', { raisedFrom: 'normal', dueAt: '2026-07-06T05:00:00.000Z' });
    const [digest] = deadlineDigests([raised], context);
    expect(entryOf(digest?.text ?? '', '2026-000001')).toEqual([
      'Обращение № 2026-000001',
      'https://console.example.org/inquiries/1',
      'Сообщество: Администрация (демо)',
      'Категория: ЖКХ, приоритет: критический',
      'Приоритет повышен до критического (был обычный): 7 июля в 11:00 (местное время, UTC+5)',
      'Срок первого ответа: 6 июля в 10:00 (местное время, UTC+5)',
      'Срок наступил сразу при повышении приоритета: ответить нужно немедленно',
    ]);
  });

  it('tells of a new one with its deadline and the time left', () => {
    const fresh = notice('2', 'critical', {
      becameCriticalAt: '2026-07-07T06:00:00.000Z',
      dueAt: '2026-07-07T07:00:00.000Z',
    });
    const [digest] = deadlineDigests([fresh], context);
    expect(entryOf(digest?.text ?? '', '2026-000002')?.slice(4)).toEqual([
      'Новое критическое обращение: передано в работу 7 июля в 11:00 (местное время, UTC+5)',
      'Срок первого ответа: 7 июля в 12:00 (местное время, UTC+5)',
      'Осталось 55 мин (срок считается круглосуточно)',
    ]);
  });

  it('names the duty addresses among its recipients; a digest without one does not', () => {
    expect(deadlineDigests([notice('1', 'critical')], context)[0]?.recipients).toEqual([
      'housing@example.org',
      'duty@example.org',
    ]);
    const [plain] = deadlineDigests([notice('1', 'breach')], context);
    expect(plain?.recipients).toEqual(['housing@example.org']);
    expect(plain?.text).not.toContain('Критические');
  });
});
