import type { DepartmentOperators, OperatorFigures, UncreditedFigures } from './operator-statistics.js';
import { ANSWER_COLUMNS, type Cell, csvFile } from './statistics-csv.js';

/**
 * The operators' figures as a spreadsheet, written as the statistics' (statistics-csv.ts: UTF-8 with a byte
 * order mark, `;`, a decimal comma, CRLF, formulas neutralised): one row per operator of each department, in
 * the order of `operators`, then the department's row of what no one is credited with, its operator cells
 * empty but its name, which says so.
 */

/** What names a department: the configuration's name, undefined for one no longer configured. */
export type DepartmentName = (id: string) => string | undefined;

/** A row's figures: an operator's, or what no one is credited with (no id, and the name that says so). */
type Row = { department: string; id?: string; name: string; figures: OperatorFigures | UncreditedFigures };

/** What a spreadsheet's row of what no one is credited with names as its operator. */
export const UNCREDITED_NAME = 'Никому не засчитано';

type Column = [header: string, field: string, cell: (row: Row, departmentName: DepartmentName) => Cell];

/** The columns, in the order they are written: new ones go at the end, so that older sheets still line up. */
export const OPERATOR_COLUMNS: readonly Column[] = [
  ['Код отдела', '`department`', (row) => row.department],
  ['Отдел', 'the department’s name', (row, departmentName) => departmentName(row.department)],
  ['ID оператора', '`operators[].id`, empty on the row of `uncredited`', (row) => row.id],
  ['Оператор', `\`operators[].name\`, "${UNCREDITED_NAME}" on the row of \`uncredited\``, (row) => row.name],
  ['Ответов', '`answered`', (row) => row.figures.answered],
  ...ANSWER_COLUMNS.map(
    ([header, field]): Column => [
      `Ответ по существу: ${header}`,
      `\`resolution.${field}\``,
      (row) => row.figures.resolution[field],
    ],
  ),
  ['В работе сейчас', '`holding`', (row) => row.figures.holding],
];

/** The departments as a CSV file's text: the header row, then each department's operators and its rest. */
export function operatorStatisticsCsv(
  departments: readonly DepartmentOperators[],
  departmentName: DepartmentName,
): string {
  const rows = departments.flatMap(({ department, operators, uncredited }): Row[] => [
    ...operators.map((figures) => ({ department, id: figures.id, name: figures.name, figures })),
    { department, name: UNCREDITED_NAME, figures: uncredited },
  ]);
  return csvFile(
    OPERATOR_COLUMNS.map(([header]) => header),
    rows.map((row) => OPERATOR_COLUMNS.map(([, , cell]) => cell(row, departmentName))),
  );
}
