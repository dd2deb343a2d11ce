import { communityOf } from '../config/community-of.js';
import { CONSOLE_URL_PLACEHOLDER } from '../config/schema.js';
import type { ClockKind } from '../inquiry/deadline.js';
import type { InquiryStatus } from '../inquiry/inquiry.js';
import type { Settled } from '../inquiry/transitions/clock-checks.js';
import { formatDueAt, formatMoment } from '../outbox/acknowledgement.js';
import { type WorkingCalendar, workingMinutesBetween } from '../sla/index.js';
import { MOSCOW_OFFSET_MINUTES, MOSCOW_TIME_ZONE, moscowDifference } from '../sla/moscow-time.js';
import { utcOffsetMinutes } from '../sla/time-zone.js';
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
  /**
   * A `critical` notice of a raise: the priority the inquiry had before. A breach of a deadline that came due
   * with a raise: the priority before, the one raised to (`raisedTo`) and when (`raisedAt`).
   */
  raisedFrom?: Priority;
  raisedTo?: Priority;
  raisedAt?: string;
  /**
   * An escalation told after the clock it tells of stopped (its e-mail was refused until then): what the
   * inquiry had since. Absent while the deadline is still owed.
   */
  settled?: Settled;
  /** The inquiry's status as the notice is sent. */
  status: InquiryStatus;
  /**
   * The operator who holds the inquiry (staff data, named as the user pool names them), and since when, if
   * known: a head asks them first. Absent when no one took it.
   */
  holder?: { name: string; since?: string };
  /**
   * The operator's words that VK refused, when they were what the deadline owes (the first response, or the
   * answer): the operator did answer, the citizen got nothing, and the deadline is owed again. `at`: when VK
   * refused them.
   */
  undelivered?: { purpose: 'answer' | 'intermediate_answer'; at: string };
  /** When the citizen or an operator reopened the inquiry, when its current cycle began so. */
  reopenedAt?: string;
}

const SETTLED_TEXTS: Record<Settled, string> = {
  responded: 'Срок пропущен: первый ответ дан позже',
  answered: 'Срок пропущен: ответ дан позже',
  closed: 'Срок пропущен: обращение закрыто позже',
  rejected: 'Срок пропущен: позже сообщение признано не обращением',
  restarted: 'Срок пропущен: позже обращение открыто заново, с новым сроком',
};

/**
 * What a department hears of its deadlines in one escalator run: one e-mail (more only if it would not fit
 * one message), in Russian, plain text, with the inquiries it lists also as data.
 */
export interface DeadlineDigest {
  department: string;
  departmentName: string;
  /**
   * Who the configuration says is told: the department's addresses, and the duty ones (`criticalNotify`) when
   * the digest is `critical`.
   */
  recipients: string[];
  /**
   * The digest holds critical work a duty officer is to hear of: an inquiry that became critical (a notice of
   * kind `critical`), or a critical inquiry near or past a deadline it still owes (a warning or a breach, also
   * at night when no one answered it within its hour). Published as the message attribute the duty addresses'
   * subscriptions filter on; in every part of a digest split over several messages.
   */
  critical: boolean;
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
  /** Who also gets an e-mail that is `critical` (`escalation.criticalNotify`): named in its recipients. */
  criticalNotify?: readonly string[];
}

/** E-mail subjects must be shorter than 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
const SUBJECT_LENGTH = 99;

const CLOCK_NAMES: Record<ClockKind, string> = {
  first_response: 'Срок первого ответа',
  resolution: 'Срок окончательного ответа',
};

const KIND_ORDER = { critical: -1, breach: 0, warning: 1 } as const;

/** What the department owes by the deadline, in a head's words. */
const OWED: Record<ClockKind, string> = {
  first_response: 'дать первый (промежуточный) ответ',
  resolution: 'дать ответ по существу',
};

const STATUS_NAMES: Record<InquiryStatus, string> = {
  new: 'новое',
  routed: 'направлено в отдел',
  in_progress: 'в работе',
  answered: 'ответ дан',
  closed: 'закрыто',
  rejected: 'признано не обращением',
  reopened: 'открыто заново',
};

/**
 * A critical inquiry near or past a deadline it still owes: it comes first in its section and, when no
 * critical notice leads the e-mail, flags its subject. One told after its clock stopped (`settled`) is
 * history, not work; one in the "Критические" section is told so by its section.
 */
const pressing = (notification: EscalationNotification) =>
  notification.kind !== 'critical' &&
  notification.priority === 'critical' &&
  notification.settled === undefined;

/** When the inquiry was raised, for a notice of a raise: to critical, or one whose deadline came due with it. */
const raisedAtOf = ({ raisedFrom, raisedAt, becameCriticalAt }: EscalationNotification) =>
  raisedFrom === undefined ? undefined : (raisedAt ?? becameCriticalAt);

/**
 * A raise whose new terms, counted from a start hours back, fell due before the raise: owed at once, and how
 * far the deadline is behind says nothing of the department, which could act only from the raise (and, warned
 * minutes before of the old deadline still hours ahead, would read "overdue by 3 h" as an error).
 */
const dueAtRaise = (notification: EscalationNotification) => {
  const raisedAt = raisedAtOf(notification);
  return raisedAt !== undefined && notification.dueAt <= raisedAt;
};

/** The priority raised to, as "повышен до …" says it. */
const RAISED_TO: Record<Priority, string> = {
  critical: 'критического',
  high: 'высокого',
  normal: 'обычного',
};

/** The priority raised from, as "(был …)" says it. */
const RAISED_FROM: Record<Priority, string> = {
  critical: 'критическим',
  high: 'высоким',
  normal: 'обычным',
};

/** Russian noun forms after a number: 1 обращение, 2 обращения, 5 обращений, 21 обращение. */
function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (units === 1 && tens !== 11) return one;
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return few;
  return many;
}

/** "Просрочено 12 обращений, скоро срок у 3 обращений": the noun repeated, each agreeing with its number. */
function counts(breaches: number, warnings: number): string {
  const late = `Просрочено ${breaches} ${plural(breaches, 'обращение', 'обращения', 'обращений')}`;
  if (warnings === 0) return late;
  const near = `${warnings} ${plural(warnings, 'обращения', 'обращений', 'обращений')}`;
  return breaches === 0 ? `Скоро срок у ${near}` : `${late}, скоро срок у ${near}`;
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

/**
 * The subject's counts without their nouns, for when the whole ones would cut the department's name, which
 * tells a duty officer, who gets every department's critical e-mails, whose they are: "Срочно: 1 критическое;
 * просрочено 12, скоро срок у 3". The e-mail's first line says it whole.
 */
function shortSummaryOf({ critical, breaches, warnings }: Totals): string {
  const late = [breaches > 0 && `просрочено ${breaches}`, warnings > 0 && `скоро срок у ${warnings}`]
    .filter((part) => part !== false)
    .join(', ');
  const urgent =
    critical > 0 && `срочно: ${critical} ${plural(critical, 'критическое', 'критических', 'критических')}`;
  const summary = urgent ? [urgent, late].filter((part) => part !== '').join('; ') : late;
  return `${summary.charAt(0).toUpperCase()}${summary.slice(1)}`;
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

/**
 * "по местному времени сообщества (МСК+2)", or "по московскому времени": the community's clock, named by its
 * difference from Moscow time (moscow-time.ts), as one digest may list communities of several zones. Not by
 * the zone's city: Perm keeps Asia/Yekaterinburg's time, and "Екатеринбург" would send a head of department
 * in Perm looking for another city's clock.
 */
export function timeZoneLabel(timeZone: string, at: Date): string {
  const difference = moscowDifference(timeZone, at);
  return difference === undefined
    ? 'по московскому времени'
    : `по местному времени сообщества (${difference})`;
}

/**
 * The zone an inquiry's times are told in: its community's, or Moscow's for an inquiry whose community, and
 * so its time zone, has left the configuration.
 */
const zoneOf = (timeZone: string | undefined) => timeZone ?? MOSCOW_TIME_ZONE;

/** A deadline: "7 декабря в 13:00 по местному времени сообщества (МСК+2)", midnight as 24:00 of the day before. */
function timeIn(instant: string, timeZone: string): string {
  return `${formatDueAt(instant, timeZone)} ${timeZoneLabel(timeZone, new Date(instant))}`;
}

/** A moment that happened: "5 декабря в 00:00 по местному времени сообщества (МСК+2)", as the clock showed it. */
function momentIn(instant: string, timeZone: string): string {
  return `${formatMoment(instant, timeZone)} ${timeZoneLabel(timeZone, new Date(instant))}`;
}

/** "13:00", or "24:00" for midnight, as formatDueAt tells the time of day. */
const clockTime = (instant: string, timeZone: string) => formatDueAt(instant, timeZone).split(' в ').at(-1);

/**
 * How late, or how long is left: in working time of the community's calendar (what the terms are counted
 * in), and in calendar time, each said. Terms counted round the clock, or an inquiry of a community since
 * removed (no calendar), in calendar time only.
 */
function timing(
  notification: EscalationNotification,
  now: Date,
  calendar: WorkingCalendar | undefined,
): string {
  const { kind, dueAt, settled, roundTheClock } = notification;
  if (settled) return SETTLED_TEXTS[settled];
  // What is owed then says "немедленно" (owed).
  if (dueAtRaise(notification)) return 'Срок наступил сразу при повышении приоритета';
  const due = new Date(dueAt);
  const late = now.getTime() >= due.getTime();
  const at = clockTime(dueAt, zoneOf(calendar?.timeZone));
  // A warning whose deadline has passed by the e-mail's time: its breach could not be written in the same run,
  // or the warning was kept for a department the inquiry left, whose run tells the breach (addressing.ts).
  if (kind === 'warning' && late)
    return notification.movedTo
      ? `Срок истёк в ${at}; о просрочке будет письмо отделу, куда передано обращение`
      : `Срок истёк в ${at}; о просрочке будет отдельное письмо`;
  const calendarMinutes = Math.floor(Math.abs(now.getTime() - due.getTime()) / 60_000);
  const calendarText = daysHoursAndMinutes(calendarMinutes);
  const terms = roundTheClock
    ? ' (срок считается круглосуточно)'
    : !calendar
      ? ' (рабочее время не посчитать: сообщества нет в конфигурации)'
      : '';
  // "Просрочено на 0 мин", read hours later, says nothing: the time it passed does.
  if (calendarMinutes === 0) return late ? `Срок истёк в ${at}${terms}` : `Срок истекает в ${at}${terms}`;
  if (roundTheClock)
    return late ? `Просрочено на ${calendarText}${terms}` : `Осталось ${calendarText}${terms}`;
  if (!calendar)
    return late
      ? `Просрочено на ${calendarText} по календарю${terms}`
      : `Осталось ${calendarText} по календарю${terms}`;
  const workingMinutes = Math.floor(
    late ? workingMinutesBetween(due, now, calendar) : workingMinutesBetween(now, due, calendar),
  );
  // Past the end of the working day it fell due at: no working time since, only calendar time.
  if (late && workingMinutes === 0)
    return `Срок истёк в ${at}: просрочено на ${calendarText} по календарю, рабочего времени с тех пор не прошло`;
  const working = hoursAndMinutes(workingMinutes);
  return late
    ? `Просрочено на ${working} рабочего времени (по календарю — на ${calendarText})`
    : `Осталось ${working} рабочего времени (по календарю — ${calendarText})`;
}

/**
 * Who holds the inquiry, in what status, and what happened to it that the deadline alone does not say: a
 * reopening (a new deadline after an answer), an answer VK refused (the operator answered; the citizen got
 * nothing). A finished inquiry's holder is left out: it is no one's work now.
 */
function standing(notification: EscalationNotification, timeZone: string): string[] {
  const { status, holder, reopenedAt, undelivered } = notification;
  const reopened = reopenedAt && `открыто заново ${formatMoment(reopenedAt, timeZone)}`;
  const lines = [
    status === 'reopened' && reopened
      ? `Статус: ${reopened}`
      : `Статус: ${STATUS_NAMES[status] ?? status}${reopened ? ` (${reopened})` : ''}`,
  ];
  // In work with no holder: answered by hand in VK, or moved here from another department, which lets its
  // holder go. Said so, not "никто не взял в работу" beside "в работе".
  const unheld =
    status === 'in_progress' || status === 'reopened'
      ? 'Никто из операторов не взял его на себя'
      : 'Никто не взял в работу';
  if (status !== 'answered' && status !== 'closed' && status !== 'rejected')
    lines.push(
      holder
        ? `В работе у: ${oneLine(holder.name)}${holder.since ? ` (взято ${formatMoment(holder.since, timeZone)})` : ''}`
        : unheld,
    );
  if (undelivered)
    lines.push(
      undelivered.purpose === 'answer'
        ? `Ответ не дошёл до гражданина (VK отказал ${formatMoment(undelivered.at, timeZone)}): ответ снова не дан`
        : `Промежуточный ответ не дошёл до гражданина (VK отказал ${formatMoment(undelivered.at, timeZone)}): первый ответ снова не дан`,
    );
  return lines;
}

/**
 * What the department is to do, while the deadline is still its own to meet: not once the clock stopped
 * (`settled`), nor when the inquiry is now in another department (`movedTo`), which owes it. At once, for a
 * raise to critical whose deadline came due with it.
 */
function owed(notification: EscalationNotification): string[] {
  if (notification.settled || notification.movedTo) return [];
  const what =
    notification.undelivered?.purpose === 'answer'
      ? 'ответить снова или, если с гражданином связались иначе, закрыть обращение'
      : OWED[notification.clock];
  return [`${dueAtRaise(notification) ? 'Нужно немедленно' : 'Нужно'}: ${what}`];
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
  const timeZone = zoneOf(community?.calendar.timeZone);
  const { caseNumber, inquiryId } = notification;
  const name = caseNumber ? `Обращение № ${caseNumber}` : `Обращение ${inquiryId}`;
  return [
    pressing(notification) ? `${name} (критическое)` : name,
    // With no console address, the id is the only handle an operator opens it by: said so, for the head.
    ...(context.operatorConsoleUrl
      ? [consoleLink(context.operatorConsoleUrl, inquiryId)]
      : caseNumber
        ? [`Идентификатор для оператора: ${inquiryId}`]
        : []),
    `Сообщество: ${community ? oneLine(community.name) : `vk.com/club${notification.groupId} (нет в конфигурации)`}`,
    `Категория: ${CATEGORY_NAMES[notification.category] ?? notification.category}, приоритет: ${PRIORITY_NAMES[notification.priority] ?? notification.priority}`,
    // Beside the priority it explains (a raise); then where the inquiry stands now.
    ...becameCritical(notification, timeZone),
    ...standing(notification, timeZone),
    `${CLOCK_NAMES[notification.clock]}: ${timeIn(notification.dueAt, timeZone)}`,
    timing(notification, context.now, community?.calendar),
    ...owed(notification),
    ...(notification.movedFrom ? [`Передано из: ${oneLine(notification.movedFrom)}`] : []),
    ...(notification.movedTo ? [`Передано в: ${oneLine(notification.movedTo)}`] : []),
  ];
}

/**
 * When the run checked the deadlines, which every "осталось" and "просрочено" is counted to: in the zone of
 * the communities listed, if they share one, else in Moscow time.
 */
function checkedAt(listed: readonly Listed[], context: DigestContext): string {
  return `Проверка сроков: ${momentIn(context.now.toISOString(), checkZoneOf(listed, context))}.`;
}

/** The zones of the communities of the inquiries listed, by the label they are told with. */
function listedZones(listed: readonly Listed[], context: DigestContext): Map<string, string> {
  const labels = new Map<string, string>();
  for (const { notification } of listed) {
    const timeZone = zoneOf(communityOf(context, notification.groupId)?.calendar.timeZone);
    labels.set(timeZoneLabel(timeZone, context.now), timeZone);
  }
  return labels;
}

/** The zone the check's time is told in: that of the communities listed, if they share one, else Moscow's. */
function checkZoneOf(listed: readonly Listed[], context: DigestContext): string {
  const labels = listedZones(listed, context);
  const [only] = labels.values();
  return labels.size === 1 && only ? only : MOSCOW_TIME_ZONE;
}

/** "на 2 часа больше", "на 1 час меньше", "на 2 ч 30 мин больше": a difference from Moscow time, in words. */
function differenceInWords(minutes: number): string {
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  const amount =
    rest === 0 ? `${hours} ${plural(hours, 'час', 'часа', 'часов')}` : hoursAndMinutes(Math.abs(minutes));
  return `на ${amount} ${minutes > 0 ? 'больше' : 'меньше'}`;
}

/**
 * The footer's sentence on the clocks the e-mail tells its times by, built from those it shows: Moscow time
 * alone; one community's clock, the check's time too; or, for communities of several zones, each inquiry by its
 * community's clock and the check by Moscow's. Each "МСК+n" shown is said in words.
 */
function clocksNote(listed: readonly Listed[], context: DigestContext): string {
  const zones = [...new Set([...listedZones(listed, context).values(), checkZoneOf(listed, context)])];
  const differences = new Map<string, number>();
  for (const timeZone of zones) {
    const difference = moscowDifference(timeZone, context.now);
    if (difference !== undefined)
      differences.set(difference, utcOffsetMinutes(context.now, timeZone) - MOSCOW_OFFSET_MINUTES);
  }
  if (differences.size === 0) return 'Время указано по московскому времени.';
  const said = [...differences]
    .sort(([, a], [, b]) => b - a)
    .map(([label, minutes], index) =>
      index === 0
        ? `«${label}» значит: ${differenceInWords(minutes)}, чем в Москве`
        : `«${label}» — ${differenceInWords(minutes)}`,
    )
    .join(', ');
  const which =
    zones.length === 1
      ? 'Время указано по местному времени сообщества'
      : 'Время каждого обращения указано по времени его сообщества, время проверки сроков — по московскому';
  return `${which}; ${said}.`;
}

/**
 * How a `critical` notice's inquiry became critical, and when: came in so (not "передано в работу", beside
 * "Никто не взял в работу"), or raised from another priority; and the raise a breach came due with.
 */
function becameCritical(notification: EscalationNotification, timeZone: string): string[] {
  const { becameCriticalAt, raisedFrom, raisedTo } = notification;
  const raisedAt = raisedAtOf(notification);
  if (raisedFrom !== undefined && raisedAt !== undefined) {
    const to = RAISED_TO[raisedTo ?? 'critical'] ?? raisedTo;
    return [
      `Приоритет повышен до ${to} (был ${RAISED_FROM[raisedFrom] ?? raisedFrom}): ${momentIn(raisedAt, timeZone)}`,
    ];
  }
  if (becameCriticalAt === undefined) return [];
  return [`Новое критическое обращение: поступило ${momentIn(becameCriticalAt, timeZone)}`];
}

/** Paragraphs, not wrapped lines: a mail client wraps them to its own width. */
const FOOTER = [
  '—',
  'Письмо составлено автоматически: одна сводка по отделу за проверку сроков. Обращение попадает в неё, когда срок подходит к концу (раздел «Скоро срок»), и ещё раз, когда срок истёк (раздел «Просрочены»). Критические обращения стоят в начале каждого раздела. Сроки считаются в рабочем времени сообщества, если условия не велят считать круглосуточно.',
  'Слов граждан в письме нет: электронная почта не защищена нашим шифрованием. Обращение открывается в консоли операторов по ссылке или по номеру.',
];

/** Said after the footer's paragraph on the sections when the digest holds critical inquiries. */
const CRITICAL_FOOTER =
  'Раздел «Критические»: обращения об угрозе жизни, здоровью или имуществу. О них отдел узнаёт сразу, как обращение поступило с критическим приоритетом или получило его, не дожидаясь срока.';

interface Listed {
  notification: EscalationNotification;
  lines: string[];
}

interface Totals {
  breaches: number;
  warnings: number;
  /** Inquiries put into work as critical or raised to it since the last run (notices of kind `critical`). */
  critical: number;
  /** Critical inquiries near or past a deadline they still owe (`pressing`), in the whole digest. */
  pressing: number;
}

/**
 * "Из них критических: 2. Они стоят первыми в своих разделах.": the critical among the overdue and the near.
 * After "Срочно: 1 критическое обращение; …" "из них" would count those too: the sections are named instead.
 */
function pressingLine({ critical, breaches, warnings, pressing: count }: Totals): string {
  const sections =
    breaches === 0
      ? 'тех, у кого скоро срок'
      : warnings === 0
        ? 'просроченных'
        : 'просроченных и тех, у кого скоро срок';
  const among = critical === 0 ? `Из них критических: ${count}` : `Критических среди ${sections}: ${count}`;
  return count === 1
    ? `${among}. Оно стоит первым в своём разделе.`
    : `${among}. Они стоят первыми в своих разделах.`;
}

function render(
  listed: readonly Listed[],
  totals: Totals,
  context: DigestContext,
  part: { index: number; count: number } | undefined,
): DeadlineDigest {
  const { department } = context;
  const summary = summaryOf(totals);
  const partLabel = part ? ` (письмо ${part.index} из ${part.count})` : '';
  // First in the subject, which a mail client cuts: a critical inquiry is read before the department's name
  // (the summary says "Срочно: …" first when critical notices lead the e-mail).
  const flag = totals.critical === 0 && totals.pressing > 0 ? 'Критическое: ' : '';
  const name = oneLine(department.name);
  const roomBeside = (counted: string) => SUBJECT_LENGTH - `${flag}[] ${counted}${partLabel}`.length;
  // The counts lose their nouns before the name is cut; a name too long either way is cut beside them whole.
  const short = shortSummaryOf(totals);
  const subjectSummary =
    [...name].length > roomBeside(summary) && [...name].length <= roomBeside(short) ? short : summary;
  const room = roomBeside(subjectSummary);
  const shortName =
    [...name].length <= room ? name : `${[...name].slice(0, Math.max(room - 1, 1)).join('')}…`;
  const critical = totals.critical > 0 || totals.pressing > 0;
  const text: string[] = [oneLine(department.name), `${summary}.`];
  if (totals.pressing > 0) text.push(pressingLine(totals));
  text.push(checkedAt(listed, context));
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
  // The clocks the e-mail shows, at the end of the paragraph on the sections; then, for critical inquiries,
  // the paragraph on them.
  const [rule = '', sections = '', ...rest] = FOOTER;
  const told = [rule, `${sections} ${clocksNote(listed, context)}`];
  const footer = totals.critical > 0 ? [...told, CRITICAL_FOOTER, ...rest] : [...told, ...rest];
  text.push('', ...footer);
  return {
    department: department.id,
    departmentName: department.name,
    recipients: [...new Set([...department.notify, ...(critical ? (context.criticalNotify ?? []) : [])])],
    critical,
    subject: `${flag}[${shortName}] ${subjectSummary}${partLabel}`,
    text: text.join('\n'),
    notifications: listed.map((one) => one.notification),
    ...(part && { part }),
  };
}

/**
 * Case numbers in their order: by year, then by number (`2026-000010` after `2026-000009`, whatever their
 * width); inquiries opened before case numbers after them, by id.
 */
function byCaseNumber(a: EscalationNotification, b: EscalationNotification): number {
  if (a.caseNumber === undefined || b.caseNumber === undefined)
    return (a.caseNumber === undefined ? 1 : 0) - (b.caseNumber === undefined ? 1 : 0);
  const [yearA = '', numberA = ''] = a.caseNumber.split('-');
  const [yearB = '', numberB = ''] = b.caseNumber.split('-');
  return (
    Number(yearA) - Number(yearB) ||
    Number(numberA) - Number(numberB) ||
    a.caseNumber.localeCompare(b.caseNumber)
  );
}

/**
 * A department's deadline notices of one run, as one digest: overdue inquiries first, then those whose
 * deadline is near; in each, critical ones first, then the longest overdue (the nearest) first, and those of
 * one deadline by case number. If it does not `fit` one message, it is split over as few as fit, in that
 * order, each saying which of how many it is.
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
        Number(pressing(b)) - Number(pressing(a)) ||
        a.dueAt.localeCompare(b.dueAt) ||
        byCaseNumber(a, b) ||
        a.groupId - b.groupId ||
        a.inquiryId.localeCompare(b.inquiryId),
    )
    .map((notification) => ({ notification, lines: block(notification, context) }));
  const totals: Totals = {
    breaches: notifications.filter((one) => one.kind === 'breach').length,
    warnings: notifications.filter((one) => one.kind === 'warning').length,
    critical: notifications.filter((one) => one.kind === 'critical').length,
    pressing: notifications.filter(pressing).length,
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
