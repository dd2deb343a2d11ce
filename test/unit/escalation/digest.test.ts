import { describe, expect, it } from 'vitest';
import {
  deadlineDigests,
  type EscalationNotification,
  timeZoneLabel,
} from '../../../lambdas/domain/escalation/digest.js';
import { localConfig as config, housing, housingDigestContext } from '../../support/digest-context.js';

// Friday 4 December 2026, 17:00 in Perm (UTC+5): after the working day, which ends at 16:45 on Fridays.
const context = housingDigestContext('2026-12-04T12:00:00.000Z');

const notice = (
  inquiryId: string,
  kind: 'breach' | 'warning',
  dueAt: string,
  more: Partial<EscalationNotification> = {},
): EscalationNotification => ({
  kind,
  inquiryId,
  groupId: 123456789,
  category: 'housing',
  priority: 'normal',
  clock: 'first_response',
  dueAt,
  status: 'routed',
  ...more,
});

const many = (count: number, kind: 'breach' | 'warning') =>
  Array.from({ length: count }, (_, n) => notice(`${kind}-${n}`, kind, '2026-12-04T11:00:00.000Z'));

const subjectOf = (notices: EscalationNotification[], department = housing) =>
  deadlineDigests(notices, { ...context, department })[0]?.subject;

describe('a deadline digest', () => {
  it('says in its subject, in Russian, how many inquiries are late and how many near their deadline', () => {
    expect(subjectOf(many(1, 'breach'))).toBe('[Департамент ЖКХ] Просрочено 1 обращение');
    expect(subjectOf(many(3, 'breach'))).toBe('[Департамент ЖКХ] Просрочено 3 обращения');
    expect(subjectOf(many(11, 'breach'))).toBe('[Департамент ЖКХ] Просрочено 11 обращений');
    expect(subjectOf(many(21, 'breach'))).toBe('[Департамент ЖКХ] Просрочено 21 обращение');
    expect(subjectOf(many(1, 'warning'))).toBe('[Департамент ЖКХ] Скоро срок у 1 обращения');
    expect(subjectOf(many(3, 'warning'))).toBe('[Департамент ЖКХ] Скоро срок у 3 обращений');
    expect(subjectOf([...many(12, 'breach'), ...many(3, 'warning')])).toBe(
      '[Департамент ЖКХ] Просрочено 12 обращений, скоро срок у 3 обращений',
    );
    expect(subjectOf([...many(3, 'breach'), ...many(21, 'warning')])).toBe(
      '[Департамент ЖКХ] Просрочено 3 обращения, скоро срок у 21 обращения',
    );
  });

  it('keeps its subject one line shorter than the 100 characters SNS takes, cutting a long department name', () => {
    const long = {
      ...housing,
      name: `Департамент\nжилищно-коммунального хозяйства ${'и благоустройства '.repeat(6)}`,
    };
    const subject = subjectOf([...many(12, 'breach'), ...many(3, 'warning')], long) ?? '';
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(
      /^\[Департамент жилищно-коммунального .*…\] Просрочено 12 обращений, скоро срок у 3 обращений$/u,
    );
    expect(subject).not.toMatch(/[\n\r]/u);
  });

  it('lists the late first, longest late first, then the near, nearest first, with times in the community zone', () => {
    const [digest] = deadlineDigests(
      [
        notice('near', 'warning', '2026-12-07T05:00:00.000Z', { priority: 'high' }),
        notice('late', 'breach', '2026-12-04T10:00:00.000Z', {
          clock: 'resolution',
          category: 'waste',
          status: 'in_progress',
          holder: { name: 'Анна Котова', since: '2026-12-03T06:30:00.000Z' },
        }),
        notice('later', 'breach', '2026-12-03T10:00:00.000Z'),
      ],
      { ...context, operatorConsoleUrl: 'https://console.example.org/#/inquiry/{inquiryId}?from=mail' },
    );
    expect(digest?.notifications.map((one) => one.inquiryId)).toEqual(['later', 'late', 'near']);
    expect(digest?.text).toBe(
      [
        'Департамент ЖКХ',
        'Просрочено 2 обращения, скоро срок у 1 обращения.',
        'Проверка сроков: 4 декабря в 17:00 по местному времени сообщества (МСК+2).',
        '',
        '=== Просрочены: 2 ===',
        '',
        '1. Обращение later',
        '   https://console.example.org/#/inquiry/later?from=mail',
        '   Сообщество: Администрация (демо)',
        '   Категория: ЖКХ, приоритет: обычный',
        '   Статус: направлено в отдел',
        '   Никто не взял в работу',
        '   Срок первого ответа: 3 декабря в 15:00 по местному времени сообщества (МСК+2)',
        '   Просрочено на 9 ч 45 мин рабочего времени (по календарю — на 1 сут. 2 ч)',
        '   Нужно: дать первый (промежуточный) ответ',
        '',
        '2. Обращение late',
        '   https://console.example.org/#/inquiry/late?from=mail',
        '   Сообщество: Администрация (демо)',
        '   Категория: Мусор и ТКО, приоритет: обычный',
        '   Статус: в работе',
        '   В работе у: Анна Котова (взято 3 декабря в 11:30)',
        '   Срок окончательного ответа: 4 декабря в 15:00 по местному времени сообщества (МСК+2)',
        '   Просрочено на 1 ч 45 мин рабочего времени (по календарю — на 2 ч)',
        '   Нужно: дать ответ по существу',
        '',
        '=== Скоро срок: 1 ===',
        '',
        '1. Обращение near',
        '   https://console.example.org/#/inquiry/near?from=mail',
        '   Сообщество: Администрация (демо)',
        '   Категория: ЖКХ, приоритет: высокий',
        '   Статус: направлено в отдел',
        '   Никто не взял в работу',
        '   Срок первого ответа: 7 декабря в 10:00 по местному времени сообщества (МСК+2)',
        '   Осталось 1 ч рабочего времени (по календарю — 2 сут. 17 ч)',
        '   Нужно: дать первый (промежуточный) ответ',
        '',
        ...(digest?.text.split('\n').slice(-3) ?? []),
      ].join('\n'),
    );
    expect(digest?.text.split('\n').at(-3)).toBe('—');
  });

  it('names an inquiry by its id alone when no console address is configured', () => {
    const [digest] = deadlineDigests([notice('a/b', 'breach', '2026-12-04T10:00:00.000Z')], context);
    expect(digest?.text).toContain('1. Обращение a/b\n   Сообщество:');
    expect(digest?.text).not.toMatch(/https?:/u);
    const [linked] = deadlineDigests([notice('a/b', 'breach', '2026-12-04T10:00:00.000Z')], {
      ...context,
      operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
    });
    expect(linked?.text).toContain('   https://console.example.org/inquiries/a%2Fb\n');
  });

  it('names an inquiry by its case number, its id in the console link or, with no console address, beside it', () => {
    const numbered = [
      notice('wfkM_HTDzgCkgC54', 'breach', '2026-12-04T10:00:00.000Z', { caseNumber: '2026-004217' }),
      notice('before-numbers', 'breach', '2026-12-04T10:30:00.000Z'),
    ];
    const [linked] = deadlineDigests(numbered, {
      ...context,
      operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
    });
    expect(linked?.text).toContain(
      '1. Обращение № 2026-004217\n   https://console.example.org/inquiries/wfkM_HTDzgCkgC54\n   Сообщество:',
    );
    expect(linked?.text).not.toContain('Идентификатор');
    expect(linked?.text).toContain(
      '2. Обращение before-numbers\n   https://console.example.org/inquiries/before-numbers\n',
    );
    const [plain] = deadlineDigests(numbered, context);
    expect(plain?.text).toContain(
      '1. Обращение № 2026-004217\n   Идентификатор для оператора: wfkM_HTDzgCkgC54\n   Сообщество:',
    );
    expect(plain?.text).toContain('2. Обращение before-numbers\n   Сообщество:');
    expect(plain?.notifications.map((one) => one.inquiryId)).toEqual(['wfkM_HTDzgCkgC54', 'before-numbers']);
  });

  it('counts calendar time only for a community since removed, and shows its deadline in Moscow time', () => {
    const [digest] = deadlineDigests(
      [notice('gone', 'breach', '2026-12-04T10:00:00.000Z', { groupId: 777 })],
      context,
    );
    expect(digest?.text).toContain('   Сообщество: vk.com/club777 (нет в конфигурации)\n');
    expect(digest?.text).toContain('   Срок первого ответа: 4 декабря в 13:00 по московскому времени\n');
    expect(digest?.text).toContain(
      '   Просрочено на 2 ч по календарю (рабочее время не посчитать: сообщества нет в конфигурации)\n',
    );
    expect(digest?.text).toContain('Проверка сроков: 4 декабря в 15:00 по московскому времени.\n');
  });

  it("labels times by the community's difference from Moscow time, never by its UTC offset or zone's city", () => {
    const at = new Date('2026-12-07T08:00:00.000Z');
    // Perm, and the whole of the Perm krai, keep Yekaterinburg's time: the city would mislead there.
    expect(timeZoneLabel('Asia/Yekaterinburg', at)).toBe('по местному времени сообщества (МСК+2)');
    expect(timeZoneLabel('Europe/Kaliningrad', at)).toBe('по местному времени сообщества (МСК−1)');
    expect(timeZoneLabel('Europe/Moscow', at)).toBe('по московскому времени');
    expect(timeZoneLabel('Asia/Kamchatka', at)).toBe('по местному времени сообщества (МСК+9)');
    const [digest] = deadlineDigests([notice('perm', 'breach', '2026-12-04T10:00:00.000Z')], context);
    expect(digest?.text).toContain(
      '   Срок первого ответа: 4 декабря в 15:00 по местному времени сообщества (МСК+2)\n',
    );
    expect(digest?.text).not.toMatch(/Екатеринбург|UTC/u);
    expect(digest?.text).toContain('«МСК+2» значит: на 2 часа больше, чем в Москве.');
  });

  it('tells the check time in Moscow time when the communities it lists keep different clocks', () => {
    const [digest] = deadlineDigests(
      [
        notice('perm', 'breach', '2026-12-04T10:00:00.000Z'),
        notice('moscow', 'breach', '2026-12-04T10:00:00.000Z', { groupId: 1234 }),
      ],
      context,
    );
    expect(digest?.text).toContain('\nПроверка сроков: 4 декабря в 15:00 по московскому времени.\n');
    expect(digest?.text).toContain(
      '   Срок первого ответа: 4 декабря в 15:00 по местному времени сообщества (МСК+2)\n',
    );
    expect(digest?.text).toContain('   Срок первого ответа: 4 декабря в 13:00 по московскому времени\n');
  });

  it('is split, in order, over as few messages as fit when it does not fit one, each saying which it is', () => {
    const notices = [...many(40, 'breach'), ...many(7, 'warning')];
    const limit = 4000;
    const digests = deadlineDigests(notices, context, (digest) => digest.text.length <= limit);
    expect(digests.length).toBeGreaterThan(1);
    expect(digests.every((digest) => digest.text.length <= limit)).toBe(true);
    expect(digests.flatMap((digest) => digest.notifications)).toEqual(
      deadlineDigests(notices, context)[0]?.notifications,
    );
    expect(digests.map((digest) => digest.part)).toEqual(
      digests.map((_, index) => ({ index: index + 1, count: digests.length })),
    );
    expect(digests[0]?.subject).toBe(
      `[Департамент ЖКХ] Просрочено 40 обращений, скоро срок у 7 обращений (письмо 1 из ${digests.length})`,
    );
    expect(digests[1]?.text).toContain(`Письмо 2 из ${digests.length}: обращений в нём — `);
    // The first part would not have fitted with one more inquiry: as few messages as fit. Rendered whole,
    // a digest says no part, so the first part's line saying which it is is added back.
    const [first, second] = digests;
    if (!first || !second) throw new Error('no split');
    const whole = (notifications: EscalationNotification[]) =>
      deadlineDigests(notifications, context, () => true)[0]?.text.length ?? 0;
    const partLine = first.text.length - whole(first.notifications);
    expect(whole([...first.notifications, ...second.notifications.slice(0, 1)]) + partLine).toBeGreaterThan(
      limit,
    );
  });

  it('never tells a warning as overdue, nor an escalation whose clock stopped since as still running late', () => {
    const [digest] = deadlineDigests(
      [
        notice('late-warning', 'warning', '2026-12-04T11:00:00.000Z'),
        notice('rejected', 'breach', '2026-12-04T10:00:00.000Z', { settled: 'rejected' }),
        notice('answered', 'breach', '2026-12-04T10:30:00.000Z', { settled: 'answered' }),
      ],
      context,
    );
    const text = digest?.text ?? '';
    expect(text).not.toContain('Просрочено на');
    // Checked at 17:00: the warning's deadline, 16:00, has passed; its breach is told on its own.
    expect(text).toContain('   Срок истёк в 16:00; о просрочке будет отдельное письмо\n');
    expect(text).not.toContain('Срок истекает в 16:00');
    expect(text).toContain('   Срок пропущен: позже сообщение признано не обращением\n');
    expect(text).toContain('   Срок пропущен: ответ дан позже\n');
  });

  it('names the department an inquiry was moved from after its warning or escalation', () => {
    const [digest] = deadlineDigests(
      [notice('moved', 'breach', '2026-12-04T10:00:00.000Z', { movedFrom: 'Департамент\nдорог' })],
      context,
    );
    expect(digest?.text).toMatch(
      / {3}Просрочено на [^\n]+\n {3}Нужно: [^\n]+\n {3}Передано из: Департамент дорог\n/u,
    );
  });

  it('sends one inquiry alone when even it does not fit, and nothing when there is nothing', () => {
    expect(
      deadlineDigests(many(2, 'breach'), context, () => false).map((one) => one.notifications.length),
    ).toEqual([1, 1]);
    expect(deadlineDigests([], context)).toEqual([]);
  });
  it('tells how late a deadline counted round the clock is in calendar time alone, as its terms count it', () => {
    // Saturday 5 December 2026, 23:15 in Perm: no working time passes all weekend.
    const night = { ...context, now: new Date('2026-12-05T18:15:00.000Z') };
    const [digest] = deadlineDigests(
      [
        notice('gas', 'breach', '2026-12-05T18:00:00.000Z', { priority: 'critical', roundTheClock: true }),
        notice('pipe', 'warning', '2026-12-05T18:27:00.000Z', { priority: 'critical', roundTheClock: true }),
      ],
      night,
    );
    expect(digest?.text).toContain('Просрочено на 15 мин (срок считается круглосуточно)');
    expect(digest?.text).toContain('Осталось 12 мин (срок считается круглосуточно)');
    expect(digest?.text).not.toContain('рабочего времени');
  });

  it('puts critical inquiries first in each section, says so first in the subject, and orders ties by case number', () => {
    const due = '2026-12-04T11:00:00.000Z';
    const numbered = (id: string, number: number, more: Partial<EscalationNotification> = {}) =>
      notice(id, 'breach', due, { caseNumber: `2026-${String(number).padStart(6, '0')}`, ...more });
    const notices = [
      numbered('W10', 17),
      numbered('W2', 9),
      numbered('W1', 8),
      numbered('gas', 22, { priority: 'critical', roundTheClock: true, dueAt: '2026-12-04T11:30:00.000Z' }),
      notice('near-gas', 'warning', '2026-12-04T12:30:00.000Z', {
        priority: 'critical',
        caseNumber: '2026-000030',
      }),
      notice('near', 'warning', '2026-12-04T12:10:00.000Z', { caseNumber: '2026-000031' }),
    ];
    const [digest] = deadlineDigests(notices, context);
    expect(digest?.notifications.map((one) => one.inquiryId)).toEqual([
      'gas',
      'W1',
      'W2',
      'W10',
      'near-gas',
      'near',
    ]);
    expect(digest?.subject).toBe(
      'Критическое: [Департамент ЖКХ] Просрочено 4 обращения, скоро срок у 2 обращений',
    );
    expect(digest?.text).toContain(
      'Просрочено 4 обращения, скоро срок у 2 обращений.\nИз них критических: 2. Они стоят первыми в своих разделах.\n',
    );
    expect(digest?.text).toContain('=== Просрочены: 4 ===\n\n1. Обращение № 2026-000022 (критическое)\n');
    expect(digest?.text).toContain('=== Скоро срок: 2 ===\n\n1. Обращение № 2026-000030 (критическое)\n');
    // One whose clock stopped since is history: no flag, no place at the top.
    const [settled] = deadlineDigests(
      [numbered('W1', 8), numbered('gas', 22, { priority: 'critical', settled: 'answered' })],
      context,
    );
    expect(settled?.subject).toBe('[Департамент ЖКХ] Просрочено 2 обращения');
    expect(settled?.notifications.map((one) => one.inquiryId)).toEqual(['W1', 'gas']);
  });

  it('orders inquiries of one deadline without a case number by id, in one order whatever the locale', () => {
    // Under en_US "a" sorts before "B" and "ia" before "Ib"; under tr_TR "I" is the dotless "ı", before "i".
    const ids = ['iaQ2xYb0T1u3LmNc', 'aZ5nV8cX1kJ3hG6d', 'IbK7dP9qR4sW2eFg', 'BmW4tY7uE2rT9oP1'];
    const notices = ids.map((id) => notice(id, 'breach', '2026-12-04T11:00:00.000Z'));
    expect(deadlineDigests(notices, context)[0]?.notifications.map((one) => one.inquiryId)).toEqual([
      'BmW4tY7uE2rT9oP1',
      'IbK7dP9qR4sW2eFg',
      'aZ5nV8cX1kJ3hG6d',
      'iaQ2xYb0T1u3LmNc',
    ]);
  });

  it('tells when the deadlines were checked, and a deadline just passed by its time rather than "0 мин"', () => {
    // Monday 8 June 2026, 02:30 in Perm: a critical inquiry's deadline passed at that minute.
    const night = { ...context, now: new Date('2026-06-07T21:30:00.000Z') };
    const [digest] = deadlineDigests(
      [notice('gas', 'breach', '2026-06-07T21:30:00.000Z', { priority: 'critical', roundTheClock: true })],
      night,
    );
    expect(digest?.text).toContain(
      '\nПроверка сроков: 8 июня в 02:30 по местному времени сообщества (МСК+2).\n',
    );
    expect(digest?.text).toContain('   Срок истёк в 02:30 (срок считается круглосуточно)\n');
    expect(digest?.text).not.toContain('0 мин');
    // Due at the end of Friday's working day, read in the evening: late in calendar time, no working time since.
    const [evening] = deadlineDigests([notice('pipe', 'breach', '2026-12-04T11:45:00.000Z')], {
      ...context,
      now: new Date('2026-12-04T15:00:00.000Z'),
    });
    expect(evening?.text).toContain(
      '   Срок истёк в 16:45: просрочено на 3 ч 15 мин по календарю, рабочего времени с тех пор не прошло\n',
    );
    // Due in time the calendar does not count as working (Saturday, as a holiday set since the deadline was
    // counted makes a weekday), read after Friday's working day: no "0 мин" left, which reads as due now.
    const [weekend] = deadlineDigests([notice('lift', 'warning', '2026-12-05T07:00:00.000Z')], context);
    expect(weekend?.text).toContain(
      '   Срок истекает в 12:00: осталось 19 ч по календарю, рабочего времени до него нет\n',
    );
    expect(weekend?.text).not.toContain('0 мин');
    // A minute or more late reads as before.
    const [later] = deadlineDigests(
      [notice('gas', 'breach', '2026-06-07T18:30:00.000Z', { priority: 'critical', roundTheClock: true })],
      night,
    );
    expect(later?.text).toContain('   Просрочено на 3 ч (срок считается круглосуточно)\n');
  });

  it('says who holds each inquiry and what is owed, but not for one now another department owes', () => {
    const [digest] = deadlineDigests(
      [
        notice('moved', 'breach', '2026-12-04T10:00:00.000Z', { movedTo: 'Департамент дорог' }),
        notice('answered', 'breach', '2026-12-04T10:30:00.000Z', {
          settled: 'answered',
          status: 'answered',
          holder: { name: 'Анна Котова' },
        }),
      ],
      context,
    );
    const text = digest?.text ?? '';
    expect(text).not.toContain('Нужно:');
    expect(text).toContain('   Статус: направлено в отдел\n   Никто не взял в работу\n');
    expect(text).toContain('   Статус: ответ дан\n   Срок первого ответа:');
    expect(text).not.toContain('Анна Котова');
  });

  it('says of one in work that no operator holds (answered in VK by hand, or moved here) just that', () => {
    const [digest] = deadlineDigests(
      [notice('by-hand', 'breach', '2026-12-04T10:00:00.000Z', { status: 'in_progress' })],
      context,
    );
    expect(digest?.text).toContain('   Статус: в работе\n   Никто из операторов не взял его на себя\n');
    expect(digest?.text).not.toContain('Никто не взял в работу');
  });
});

describe("a deadline digest's words", () => {
  // Saturday 5 December 2026, 00:00:50 in Perm: a minute after midnight, not the end of Friday.
  const midnight = { ...context, now: new Date('2026-12-04T19:00:50.000Z') };
  const lines = (notices: EscalationNotification[], at = midnight) =>
    (deadlineDigests(notices, at)[0]?.text ?? '').split('\n');

  it('tells moments that happened as the clock showed them, and only deadlines at midnight as 24:00', () => {
    const arrived = notice('gas', 'breach', '2026-12-04T19:00:00.000Z', {
      kind: 'critical',
      priority: 'critical',
      becameCriticalAt: '2026-12-04T19:00:50.000Z',
      status: 'reopened',
      reopenedAt: '2026-12-04T19:00:10.000Z',
    });
    const held = notice('held', 'breach', '2026-12-04T19:00:00.000Z', {
      status: 'in_progress',
      holder: { name: 'Анна Иванова', since: '2026-12-04T19:00:20.000Z' },
      undelivered: { purpose: 'answer', at: '2026-12-04T19:00:30.000Z' },
    });
    const raised = notice('raised', 'breach', '2026-12-04T19:00:00.000Z', {
      priority: 'critical',
      raisedFrom: 'high',
      raisedTo: 'critical',
      raisedAt: '2026-12-04T19:00:40.000Z',
    });
    const text = lines([arrived, held, raised]);
    expect(text).toContain('Проверка сроков: 5 декабря в 00:00 по местному времени сообщества (МСК+2).');
    expect(text).toContain(
      '   Новое критическое обращение: поступило 5 декабря в 00:00 по местному времени сообщества (МСК+2)',
    );
    expect(text).toContain('   Статус: открыто заново 5 декабря в 00:00');
    expect(text).toContain('   В работе у: Анна Иванова (взято 5 декабря в 00:00)');
    expect(text).toContain(
      '   Ответ не дошёл до гражданина (VK отказал 5 декабря в 00:00): ответ снова не дан',
    );
    expect(text).toContain(
      '   Приоритет повышен до критического (был высоким): 5 декабря в 00:00 по местному времени сообщества (МСК+2)',
    );
    // The deadline of that midnight is the end of Friday.
    expect(text).toContain(
      '   Срок первого ответа: 4 декабря в 24:00 по местному времени сообщества (МСК+2)',
    );
    expect(text.join('\n')).not.toMatch(
      /4 декабря в 24:00 по[^\n]*\.\n|поступило 4 декабря|взято 4 декабря/u,
    );
  });

  it('says a message taken for no inquiry is "признано не обращением", and each priority raised from as it was', () => {
    const text = lines([
      notice('rejected', 'breach', '2026-12-04T10:00:00.000Z', { status: 'rejected', settled: 'rejected' }),
      notice('from-normal', 'breach', '2026-12-04T10:00:00.000Z', {
        priority: 'high',
        raisedFrom: 'normal',
        raisedTo: 'high',
        raisedAt: '2026-12-04T09:00:00.000Z',
      }),
    ]);
    expect(text).toContain('   Статус: признано не обращением');
    expect(text).toContain('   Срок пропущен: позже сообщение признано не обращением');
    expect(text.join('\n')).toContain('Приоритет повышен до высокого (был обычным): ');
    expect(text.join('\n')).not.toMatch(/отклонено как не обращение|\(был обычный\)/u);
  });

  it('explains the clocks the e-mail shows, and only those', () => {
    const footerOf = (notices: EscalationNotification[], communities = config.communities) =>
      lines(notices, { ...context, communities }).find((line) => line.startsWith('Письмо составлено'));
    // One community's clock, the check's time too.
    expect(footerOf([notice('perm', 'breach', '2026-12-04T10:00:00.000Z')])).toMatch(
      /круглосуточно\. Время указано по местному времени сообщества; «МСК\+2» значит: на 2 часа больше, чем в Москве\.$/u,
    );
    // Moscow time alone: no "МСК+2" that nothing in the e-mail shows.
    const moscow = footerOf([notice('moscow', 'breach', '2026-12-04T10:00:00.000Z', { groupId: 1234 })]);
    expect(moscow).toMatch(/круглосуточно\. Время указано по московскому времени\.$/u);
    expect(moscow).not.toContain('МСК');
    // Several zones: each inquiry by its community's clock, the check by Moscow's, every difference said.
    const [perm] = config.communities;
    if (!perm) throw new Error('no community');
    const kaliningrad = {
      ...perm,
      groupId: 777,
      calendar: { ...perm.calendar, timeZone: 'Europe/Kaliningrad' },
    };
    expect(
      footerOf(
        [
          notice('perm', 'breach', '2026-12-04T10:00:00.000Z'),
          notice('west', 'breach', '2026-12-04T10:00:00.000Z', { groupId: 777 }),
        ],
        [perm, kaliningrad],
      ),
    ).toMatch(
      /Время каждого обращения указано по времени его сообщества, время проверки сроков — по московскому; «МСК\+2» значит: на 2 часа больше, чем в Москве, «МСК−1» — на 1 час меньше\.$/u,
    );
  });

  it('tells a warning read after its deadline as passed, and where its breach will be told', () => {
    // Checked at 17:00 in Perm; due at 16:00.
    const [warning] = deadlineDigests([notice('late', 'warning', '2026-12-04T11:00:00.000Z')], context);
    expect(warning?.text).toContain('   Срок истёк в 16:00; о просрочке будет отдельное письмо\n');
    const [moved] = deadlineDigests(
      [notice('moved', 'warning', '2026-12-04T11:00:00.000Z', { movedTo: 'Департамент дорог' })],
      context,
    );
    expect(moved?.text).toContain(
      '   Срок истёк в 16:00; о просрочке будет письмо отделу, куда передано обращение\n',
    );
    // One still ahead is told as before.
    const [ahead] = deadlineDigests([notice('ahead', 'warning', '2026-12-07T05:00:00.000Z')], context);
    expect(ahead?.text).toContain('   Осталось 1 ч рабочего времени');
    expect(ahead?.text).not.toContain('Срок истёк');
  });
});
