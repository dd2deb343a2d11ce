import { communityOf } from '../../config/community-of.js';
import { CONSOLE_URL_PLACEHOLDER } from '../../config/schema.js';
import type { ClockKind } from '../../inquiry/deadline.js';
import { STATUS_NAMES } from '../../inquiry/status.js';
import { formatMoment } from '../../outbox/acknowledgement.js';
import { CATEGORY_NAMES, PRIORITY_NAMES, type Priority } from '../../taxonomy.js';
import type { DigestContext } from './deadline-digest.js';
import { dueAtRaise, type EscalationNotification, pressing, raisedAtOf } from './notification.js';
import { oneLine } from './one-line.js';
import { momentIn, timeIn, zoneOf } from './times.js';
import { timing } from './timing.js';

const CLOCK_NAMES: Record<ClockKind, string> = {
  first_response: 'Срок первого ответа',
  resolution: 'Срок окончательного ответа',
};

/** What the department owes by the deadline, in a head's words. */
const OWED: Record<ClockKind, string> = {
  first_response: 'дать первый (промежуточный) ответ',
  resolution: 'дать ответ по существу',
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

/**
 * Who holds the inquiry, in what status, and what happened to it that the deadline alone does not say: a
 * reopening (a new deadline after an answer), an answer VK refused (the operator answered; the citizen got
 * nothing), the citizen's word that the matter is settled (overdue, it is one to close, not a matter left
 * undone). A finished inquiry's holder is left out: it is no one's work now.
 */
function standing(notification: EscalationNotification, timeZone: string): string[] {
  const { status, holder, reopenedAt, undelivered, citizenSettledAt } = notification;
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
  // The flag's time: since when the department has had the words back to deal with. A refusal of their replay
  // from the dead letters keeps it (transitions/delivery.ts): what the department owes has not changed.
  if (undelivered)
    lines.push(
      undelivered.purpose === 'answer'
        ? `Ответ не дошёл до гражданина (VK отказал ${formatMoment(undelivered.at, timeZone)}): ответ снова не дан`
        : `Промежуточный ответ не дошёл до гражданина (VK отказал ${formatMoment(undelivered.at, timeZone)}): первый ответ снова не дан`,
    );
  // Not the citizen's words (the e-mail leaves our encryption): that they wrote so, and when.
  if (citizenSettledAt)
    lines.push(
      `Гражданин написал ${formatMoment(citizenSettledAt, timeZone)}, что вопрос решён или снят: прочитайте его сообщение и, если это так, ответьте ему или закройте обращение`,
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

function consoleLink(template: string, inquiryId: string): string {
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
export function block(notification: EscalationNotification, context: DigestContext): string[] {
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
