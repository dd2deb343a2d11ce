import type { Totals } from './deadline-digest.js';
import { plural } from './numbers.js';
import { oneLine } from './one-line.js';
import { summaryOf } from './summary.js';

/** E-mail subjects must be shorter than 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
const SUBJECT_LENGTH = 99;

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

/**
 * The e-mail's subject: a flag when critical work is listed but no critical notice leads it, the department's
 * name in brackets, the counts, and which part of how many a split digest's e-mail is.
 */
export function subjectOf(
  departmentName: string,
  totals: Totals,
  part: { index: number; count: number } | undefined,
): string {
  const summary = summaryOf(totals);
  const partLabel = part ? ` (письмо ${part.index} из ${part.count})` : '';
  // First in the subject, which a mail client cuts: a critical inquiry is read before the department's name
  // (the summary says "Срочно: …" first when critical notices lead the e-mail).
  const flag = totals.critical === 0 && totals.pressing > 0 ? 'Критическое: ' : '';
  const name = oneLine(departmentName);
  const roomBeside = (counted: string) => SUBJECT_LENGTH - `${flag}[] ${counted}${partLabel}`.length;
  // The counts lose their nouns before the name is cut; a name too long either way is cut beside them whole.
  const short = shortSummaryOf(totals);
  const subjectSummary =
    [...name].length > roomBeside(summary) && [...name].length <= roomBeside(short) ? short : summary;
  const room = roomBeside(subjectSummary);
  const shortName =
    [...name].length <= room ? name : `${[...name].slice(0, Math.max(room - 1, 1)).join('')}…`;
  return `${flag}[${shortName}] ${subjectSummary}${partLabel}`;
}
