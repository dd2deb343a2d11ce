import { checkedAt, clocksNote } from './clocks.js';
import type { DeadlineDigest, DigestContext, Listed, Totals } from './deadline-digest.js';
import { oneLine } from './one-line.js';
import { overviewOf } from './overview.js';
import { subjectOf } from './subject.js';
import { summaryOf } from './summary.js';

/** Paragraphs, not wrapped lines: a mail client wraps them to its own width. */
const FOOTER = [
  '—',
  'Письмо составлено автоматически: одна сводка по отделу за проверку сроков. Обращение попадает в неё, когда срок подходит к концу (раздел «Скоро срок»), и ещё раз, когда срок истёк (раздел «Просрочены»). Критические обращения стоят в начале каждого раздела. Сроки считаются в рабочем времени сообщества, если условия не велят считать круглосуточно.',
  'Слов граждан в письме нет: электронная почта не защищена нашим шифрованием. Обращение открывается в консоли операторов по ссылке или по номеру.',
];

/** Said after the footer's paragraph on the sections when the digest holds critical inquiries. */
const CRITICAL_FOOTER =
  'Раздел «Критические»: обращения об угрозе жизни, здоровью или имуществу. О них отдел узнаёт сразу, как обращение поступило с критическим приоритетом или получило его, не дожидаясь срока.';

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

/**
 * A digest's e-mail, whole or one part of it (`part`): the department's name and counts, an overview of an
 * e-mail of many inquiries, each section with its inquiries, and the footer; `totals` are those of the whole
 * digest, whichever part is rendered.
 */
export function render(
  listed: readonly Listed[],
  totals: Totals,
  context: DigestContext,
  part: { index: number; count: number } | undefined,
): DeadlineDigest {
  const { department } = context;
  const summary = summaryOf(totals);
  const critical = totals.critical > 0 || totals.pressing > 0;
  const text: string[] = [oneLine(department.name), `${summary}.`];
  if (totals.pressing > 0) text.push(pressingLine(totals));
  text.push(checkedAt(listed, context));
  if (part) text.push(`Письмо ${part.index} из ${part.count}: обращений в нём — ${listed.length}.`);
  text.push(...overviewOf(listed, part !== undefined));
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
    subject: subjectOf(department.name, totals, part),
    text: text.join('\n'),
    notifications: listed.map((one) => one.notification),
    ...(part && { part }),
  };
}
