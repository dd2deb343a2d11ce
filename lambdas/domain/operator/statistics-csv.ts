import { INQUIRY_STATUSES, STATUS_NAMES } from '../inquiry/status.js';
import { CATEGORIES, CATEGORY_NAMES } from '../taxonomy.js';
import type { AnswerFigures, StatisticsGroup } from './statistics.js';

/**
 * The statistics as a spreadsheet opens them by a double click in a Russian locale: one row per group the JSON
 * gives, the same figures, under a header row in Russian.
 *
 * - UTF-8 with a byte order mark: without one, Excel reads a .csv in the computer's ANSI code page (1251 in
 *   Russia), and Cyrillic names come out garbled.
 * - `;` between cells and a decimal comma: Excel splits a double-clicked .csv at the Windows list separator and
 *   reads numbers with the decimal symbol of the regional settings, `;` and `,` in ru-RU
 *   (https://support.microsoft.com/en-us/office/import-or-export-text-txt-or-csv-files-5250ac4c-663c-47ce-937b-339e391393ba).
 *   LibreOffice, Р7-Офис and МойОфис ask, and take `;` too.
 * - CRLF line ends, and a cell holding `;`, `"` or a line break in double quotes, its quotes doubled
 *   (https://www.rfc-editor.org/rfc/rfc4180#section-2).
 * - A name that starts as a formula would (`=`, `+`, `-`, `@`, tab, CR) is written after a `'`, so that it
 *   shows as text and never runs (https://owasp.org/www-community/attacks/CSV_Injection).
 *
 * Every status and category the product knows has its column, 0 where none, in a fixed order: month after
 * month the columns line up, whatever the period held. A null figure is an empty cell.
 */

/** What names the ids of a group: the configuration's names, undefined for one no longer configured. */
export interface StatisticsNames {
  department(id: string): string | undefined;
  community(groupId: number): string | undefined;
}

const BYTE_ORDER_MARK = '\uFEFF';
const SEPARATOR = ';';
const LINE_END = '\r\n';

export type Cell = string | number | null | undefined;

/** The figures of one thing owed, by their header's words and the field they are read from. */
export const ANSWER_COLUMNS: [header: string, field: keyof AnswerFigures][] = [
  ['дано', 'count'],
  ['медиана, мин', 'medianMinutes'],
  ['90-й процентиль, мин', 'p90Minutes'],
  ['медиана, рабочих мин', 'medianWorkingMinutes'],
  ['90-й процентиль, рабочих мин', 'p90WorkingMinutes'],
  ['в срок', 'inTime'],
  ['с опозданием', 'late'],
  ['доля в срок', 'inTimeShare'],
];

/** One column: its header, the JSON field of a group it gives (or what else), and its cell of a group. */
type Column = [header: string, field: string, cell: (group: StatisticsGroup, names: StatisticsNames) => Cell];

const answerColumns = (what: string, object: 'firstResponse' | 'resolution'): Column[] =>
  ANSWER_COLUMNS.map(([header, field]) => [
    `${what}: ${header}`,
    `\`${object}.${field}\``,
    (group) => group[object][field],
  ]);

/** The columns, in the order they are written: new ones go at the end, so that older sheets still line up. */
export const STATISTICS_COLUMNS: readonly Column[] = [
  ['Код отдела', '`department`', (group) => group.department],
  ['Отдел', 'the department’s name', (group, names) => names.department(group.department)],
  ['ID сообщества VK', '`community`', (group) => group.community],
  ['Сообщество VK', 'the community’s name', (group, names) => names.community(group.community)],
  ['Всего обращений', '`total`', (group) => group.total],
  ...INQUIRY_STATUSES.map(
    (status): Column => [
      `Статус: ${STATUS_NAMES[status]}`,
      `\`byStatus.${status}\``,
      (group) => group.byStatus[status] ?? 0,
    ],
  ),
  ...CATEGORIES.map(
    (category): Column => [
      `Категория: ${CATEGORY_NAMES[category]}`,
      `\`byCategory.${category}\``,
      (group) => group.byCategory[category] ?? 0,
    ],
  ),
  ['Вопрос решён по словам гражданина', '`citizenSettled`', (group) => group.citizenSettled],
  ...answerColumns('Первый ответ', 'firstResponse'),
  ...answerColumns('Ответ по существу', 'resolution'),
];

/** Starts a formula in a spreadsheet: such a cell is written after a `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Ends a cell or a row unless quoted. */
const NEEDS_QUOTES = /[;"\r\n]/;

/** A number with a decimal comma; text as text, neutralised if it starts as a formula would; null as nothing. */
function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell).replace('.', ',');
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: readonly Cell[]) => cells.map(cellText).join(SEPARATOR) + LINE_END;

/** A CSV file's text, as the statistics' is written: the byte order mark, the header row, then the rows. */
export const csvFile = (headers: readonly string[], rows: readonly (readonly Cell[])[]): string =>
  BYTE_ORDER_MARK + row(headers) + rows.map(row).join('');

/** The groups as a CSV file's text, the byte order mark first: the header row, then one row per group. */
export function statisticsCsv(groups: readonly StatisticsGroup[], names: StatisticsNames): string {
  return csvFile(
    STATISTICS_COLUMNS.map(([header]) => header),
    groups.map((group) => STATISTICS_COLUMNS.map(([, , cell]) => cell(group, names))),
  );
}
