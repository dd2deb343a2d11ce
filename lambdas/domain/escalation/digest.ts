import { communityOf } from '../config/community-of.js';
import { CONSOLE_URL_PLACEHOLDER } from '../config/schema.js';
import type { ClockKind } from '../inquiry/deadline.js';
import type { Settled } from '../inquiry/transitions/clock-checks.js';
import { formatDueAt } from '../outbox/acknowledgement.js';
import { type WorkingCalendar, workingMinutesBetween } from '../sla/index.js';
import { dateFormatPerTimeZone } from '../sla/time-zone.js';
import { CATEGORY_NAMES, type Category, PRIORITY_NAMES, type Priority } from '../taxonomy.js';

/** One inquiry near or past its deadline, or become critical, as a digest lists it. */
export interface EscalationNotification {
  kind: 'warning' | 'breach' | 'critical';
  inquiryId: string;
  /**
   * The case number the citizen was told (case-number.ts), which the digest names the inquiry by: what a head
   * of department says to the citizen and finds the inquiry by. Absent on inquiries opened before numbers.
   */
  caseNumber?: string;
  groupId: number;
  category: Category;
  priority: Priority;
  clock: ClockKind;
  dueAt: string;
  /** The name of the department the inquiry was moved from after its warning or escalation. */
  movedFrom?: string;
  /**
   * The name of the department that holds the inquiry now, when the notice goes to the one whose deadline it
   * was and the inquiry has moved on since: where its head finds it, and whom to ask.
   */
  movedTo?: string;
  /** The terms count every hour of every day (a threat to life), not the community's working time. */
  roundTheClock?: boolean;
  /** A `critical` notice: when the inquiry was put into work critical, or raised to it. */
  becameCriticalAt?: string;
  /** A `critical` notice of a raise: the priority the inquiry had before. */
  raisedFrom?: Priority;
  /**
   * An escalation told after the clock it tells of stopped (its e-mail was refused until then): what the
   * inquiry had since. Absent while the deadline is still owed.
   */
  settled?: Settled;
}

const SETTLED_TEXTS: Record<Settled, string> = {
  responded: 'Срок пропущен: первый ответ дан позже',
  answered: 'Срок пропущен: ответ дан позже',
  closed: 'Срок пропущен: обращение закрыто позже',
  rejected: 'Срок пропущен: позже обращение отклонено как не обращение',
  restarted: 'Срок пропущен: позже обращение открыто заново, с новым сроком',
};

/**
 * What a department hears of its deadlines in one escalator run: one e-mail (more only if it would not fit
 * one message), in Russian, plain text, with the inquiries it lists also as data.
 */
export interface DeadlineDigest {
  department: string;
  departmentName: string;
  /** Who the configuration says is told: the department's addresses, and the duty ones of a critical inquiry. */
  recipients: string[];
  subject: string;
  text: string;
  notifications: EscalationNotification[];
  /** Set when the department's notices of the run were split over several messages. */
  part?: { index: number; count: number };
}

export interface DigestContext {
  department: { id: string; name: string; notify: readonly string[] };
  communities: readonly { groupId: number; name: string; calendar: WorkingCalendar }[];
  /**
   * The console's address of an inquiry, with `{inquiryId}`; omitted, an inquiry is named by its case number
   * with its id beside it, or by its id alone.
   */
  operatorConsoleUrl?: string | undefined;
  /** The time of the run: how late, or how long left, is counted to it. */
  now: Date;
  /** Who also gets an e-mail that holds a critical inquiry (`escalation.criticalNotify`): named in its recipients. */
  criticalNotify?: readonly string[];
}

/** E-mail subjects must be shorter than 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
const SUBJECT_LENGTH = 99;

const CLOCK_NAMES: Record<ClockKind, string> = {
  first_response: 'Срок первого ответа',
  resolution: 'Срок окончательного ответа',
};

const KIND_ORDER = { critical: -1, breach: 0, warning: 1 } as const;

/** Russian noun forms after a number: 1 обращение, 2 обращения, 5 обращений, 21 обращение. */
function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (units === 1 && tens !== 11) return one;
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return few;
  return many;
}

/** "Просрочено 12 обращений, скоро срок у 3". */
function counts(breaches: number, warnings: number): string {
  const late = `Просрочено ${breaches} ${plural(breaches, 'обращение', 'обращения', 'обращений')}`;
  if (warnings === 0) return late;
  const near = `${warnings} ${plural(warnings, 'обращения', 'обращений', 'обращений')}`;
  return breaches === 0 ? `Скоро срок у ${near}` : `${late}, скоро срок у ${warnings}`;
}

/** Critical inquiries first, as they need acting on now: "Срочно: 1 критическое обращение; просрочено 2 обращения". */
function summaryOf(totals: { critical: number; breaches: number; warnings: number }): string {
  const { critical, breaches, warnings } = totals;
  if (critical === 0) return counts(breaches, warnings);
  const urgent = `Срочно: ${critical} ${plural(critical, 'критическое обращение', 'критических обращения', 'критических обращений')}`;
  if (breaches + warnings === 0) return urgent;
  const rest = counts(breaches, warnings);
  return `${urgent}; ${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
}

/** "2 ч 15 мин", "45 мин", "3 ч". */
function hoursAndMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} мин`;
  return rest === 0 ? `${hours} ч` : `${hours} ч ${rest} мин`;
}

/** Calendar time: "1 сут. 2 ч 15 мин" past a day. */
function daysHoursAndMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const rest = minutes % 1440;
  if (days === 0) return hoursAndMinutes(rest);
  return rest === 0 ? `${days} сут.` : `${days} сут. ${hoursAndMinutes(rest)}`;
}

const zoneOffsets = dateFormatPerTimeZone('ru-RU', { timeZoneName: 'shortOffset' });

/**
 * "местное время, UTC+5": the community's local time, named by its offset alone. Not by the zone's city:
 * Perm keeps Asia/Yekaterinburg's time, and "Екатеринбург" would send a head of department in Perm looking
 * for another city's clock.
 */
export function timeZoneLabel(timeZone: string, at: Date): string {
  const offset =
    zoneOffsets(timeZone)
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')
      ?.value.replace(/^GMT/u, 'UTC') ?? 'UTC';
  return `местное время, ${offset === 'UTC+0' ? 'UTC' : offset}`;
}

/**
 * "7 декабря в 13:00 (местное время, UTC+5)"; in UTC for an inquiry whose community, and so its time zone,
 * has left the configuration.
 */
function deadlineIn(dueAt: string, timeZone: string | undefined): string {
  if (!timeZone) return `${formatDueAt(dueAt, 'UTC')} (UTC)`;
  return `${formatDueAt(dueAt, timeZone)} (${timeZoneLabel(timeZone, new Date(dueAt))})`;
}

/**
 * How late, or how long is left: in working time of the community's calendar (what the terms are counted
 * in), and in calendar time, each said. Terms counted round the clock, or an inquiry of a community since
 * removed (no calendar), in calendar time only.
 */
function timing(
  { kind, dueAt, settled, roundTheClock, raisedFrom, becameCriticalAt }: EscalationNotification,
  now: Date,
  calendar: WorkingCalendar | undefined,
): string {
  if (settled) return SETTLED_TEXTS[settled];
  // The new terms counted from a start hours back: their deadline passed before they applied, so how far it
  // is behind says nothing of the department, which could act only from the raise.
  if (raisedFrom !== undefined && becameCriticalAt !== undefined && dueAt <= becameCriticalAt)
    return 'Срок наступил сразу при повышении приоритета: ответить нужно немедленно';
  const due = new Date(dueAt);
  const late = now.getTime() >= due.getTime();
  // A warning is never told as late: one whose deadline passed meanwhile is escalated in the same run, and
  // this is what is left of it when that could not be written.
  if (kind === 'warning' && late) return 'Срок истекает';
  const calendarText = daysHoursAndMinutes(Math.floor(Math.abs(now.getTime() - due.getTime()) / 60_000));
  if (roundTheClock)
    return late
      ? `Просрочено на ${calendarText} (срок считается круглосуточно)`
      : `Осталось ${calendarText} (срок считается круглосуточно)`;
  if (!calendar)
    return late
      ? `Просрочено на ${calendarText} по календарю (рабочее время не посчитать: сообщества нет в конфигурации)`
      : `Осталось ${calendarText} по календарю (рабочее время не посчитать: сообщества нет в конфигурации)`;
  const working = hoursAndMinutes(
    Math.floor(late ? workingMinutesBetween(due, now, calendar) : workingMinutesBetween(now, due, calendar)),
  );
  return late
    ? `Просрочено на ${working} рабочего времени (по календарю — на ${calendarText})`
    : `Осталось ${working} рабочего времени (по календарю — ${calendarText})`;
}

/** Control characters and line breaks out, runs of spaces joined: one line of plain text. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();

export function consoleLink(template: string, inquiryId: string): string {
  return template.replaceAll(CONSOLE_URL_PLACEHOLDER, encodeURIComponent(inquiryId));
}

/**
 * The lines that tell of one inquiry, after its place in the list: named by its case number, as the citizen
 * and the operators' search know it, with its id in the console's link, or beside it with no console address
 * (the id is what the console opens an inquiry by). One opened before case numbers is named by its id.
 *
 * Never the citizen's words: the e-mail SNS sends leaves our encryption, and masking catches only number-like
 * data, not names, addresses or health, which 152-FZ art. 10 makes a special category
 * (https://www.consultant.ru/document/cons_doc_LAW_61801/). Operators read them in the console.
 */
function block(notification: EscalationNotification, context: DigestContext): string[] {
  const community = communityOf(context, notification.groupId);
  const timeZone = community?.calendar.timeZone;
  const { caseNumber, inquiryId } = notification;
  return [
    caseNumber ? `Обращение № ${caseNumber}` : `Обращение ${inquiryId}`,
    ...(context.operatorConsoleUrl
      ? [consoleLink(context.operatorConsoleUrl, inquiryId)]
      : caseNumber
        ? [`Идентификатор: ${inquiryId}`]
        : []),
    `Сообщество: ${community ? oneLine(community.name) : `vk.com/club${notification.groupId} (нет в конфигурации)`}`,
    `Категория: ${CATEGORY_NAMES[notification.category] ?? notification.category}, приоритет: ${PRIORITY_NAMES[notification.priority] ?? notification.priority}`,
    ...becameCritical(notification, timeZone),
    `${CLOCK_NAMES[notification.clock]}: ${deadlineIn(notification.dueAt, timeZone)}`,
    timing(notification, context.now, community?.calendar),
    ...(notification.movedFrom ? [`Передано из: ${oneLine(notification.movedFrom)}`] : []),
    ...(notification.movedTo ? [`Передано в: ${oneLine(notification.movedTo)}`] : []),
  ];
}

/** How a `critical` notice's inquiry became critical, and when: put into work so, or raised from another priority. */
function becameCritical(
  { becameCriticalAt, raisedFrom }: EscalationNotification,
  timeZone: string | undefined,
): string[] {
  if (becameCriticalAt === undefined) return [];
  const when = deadlineIn(becameCriticalAt, timeZone);
  return raisedFrom === undefined
    ? [`Новое критическое обращение: передано в работу ${when}`]
    : [`Приоритет повышен до критического (был ${PRIORITY_NAMES[raisedFrom] ?? raisedFrom}): ${when}`];
}

/** Paragraphs, not wrapped lines: a mail client wraps them to its own width. */
const FOOTER = [
  '—',
  'Письмо составлено автоматически: одна сводка по отделу за проверку сроков. Обращение попадает в неё, когда срок подходит к концу (раздел «Скоро срок»), и ещё раз, когда срок истёк (раздел «Просрочены»). Сроки считаются в рабочем времени сообщества, если условия не велят считать круглосуточно, и указаны по его местному времени.',
  'Слов граждан в письме нет: электронная почта не защищена нашим шифрованием. Обращение открывается в консоли операторов по ссылке или по номеру.',
];

/** Said after the footer's paragraph on the sections when the digest holds critical inquiries. */
const CRITICAL_FOOTER =
  'Раздел «Критические»: обращения об угрозе жизни, здоровью или имуществу. О них отдел узнаёт сразу, как обращение передано в работу с критическим приоритетом или получило его, не дожидаясь срока.';

interface Listed {
  notification: EscalationNotification;
  lines: string[];
}

function render(
  listed: readonly Listed[],
  totals: { critical: number; breaches: number; warnings: number },
  context: DigestContext,
  part: { index: number; count: number } | undefined,
): DeadlineDigest {
  const { department } = context;
  const summary = summaryOf(totals);
  const partLabel = part ? ` (письмо ${part.index} из ${part.count})` : '';
  const room = SUBJECT_LENGTH - `[] ${summary}${partLabel}`.length;
  const name = oneLine(department.name);
  const shortName =
    [...name].length <= room ? name : `${[...name].slice(0, Math.max(room - 1, 1)).join('')}…`;
  const text: string[] = [oneLine(department.name), `${summary}.`];
  if (part) text.push(`Письмо ${part.index} из ${part.count}: обращений в нём — ${listed.length}.`);
  for (const [kind, title] of [
    ['critical', 'Критические'],
    ['breach', 'Просрочены'],
    ['warning', 'Скоро срок'],
  ] as const) {
    const section = listed.filter((one) => one.notification.kind === kind);
    if (section.length === 0) continue;
    text.push('', `=== ${title}: ${section.length} ===`);
    section.forEach((one, index) => {
      const [first, ...rest] = one.lines;
      text.push('', `${index + 1}. ${first}`, ...rest.map((line) => `   ${line}`));
    });
  }
  // (After the paragraph on the sections: the rule, that paragraph, then this one.)
  const footer = totals.critical > 0 ? [...FOOTER.slice(0, 2), CRITICAL_FOOTER, ...FOOTER.slice(2)] : FOOTER;
  text.push('', ...footer);
  return {
    department: department.id,
    departmentName: department.name,
    recipients: [
      ...new Set([...department.notify, ...(totals.critical > 0 ? (context.criticalNotify ?? []) : [])]),
    ],
    subject: `[${shortName}] ${summary}${partLabel}`,
    text: text.join('\n'),
    notifications: listed.map((one) => one.notification),
    ...(part && { part }),
  };
}

/**
 * A department's deadline notices of one run, as one digest: overdue inquiries first (the longest overdue
 * first), then those whose deadline is near (the nearest first). If it does not `fit` one message, it is
 * split over as few as fit, in that order, each saying which of how many it is.
 */
export function deadlineDigests(
  notifications: readonly EscalationNotification[],
  context: DigestContext,
  fits: (digest: DeadlineDigest) => boolean = () => true,
): DeadlineDigest[] {
  if (notifications.length === 0) return [];
  const listed = [...notifications]
    .sort(
      (a, b) =>
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        a.dueAt.localeCompare(b.dueAt) ||
        a.inquiryId.localeCompare(b.inquiryId),
    )
    .map((notification) => ({ notification, lines: block(notification, context) }));
  const totals = {
    critical: notifications.filter((one) => one.kind === 'critical').length,
    breaches: notifications.filter((one) => one.kind === 'breach').length,
    warnings: notifications.filter((one) => one.kind === 'warning').length,
  };
  const whole = render(listed, totals, context, undefined);
  if (fits(whole)) return [whole];
  // Each part takes as many of the next inquiries as fit (at least one), found by halving: a longer list
  // is never smaller. Measured with the longest label a part could have.
  const widest = { index: listed.length, count: listed.length };
  const parts: Listed[][] = [];
  for (let start = 0; start < listed.length; ) {
    let fitting = 1;
    let tooMany = listed.length - start + 1;
    while (tooMany - fitting > 1) {
      const middle = Math.floor((fitting + tooMany) / 2);
      if (fits(render(listed.slice(start, start + middle), totals, context, widest))) fitting = middle;
      else tooMany = middle;
    }
    parts.push(listed.slice(start, start + fitting));
    start += fitting;
  }
  return parts.map((part, index) => render(part, totals, context, { index: index + 1, count: parts.length }));
}
