import * as z from 'zod';
import { OPERATOR_COLUMNS, UNCREDITED_NAME } from '../../domain/operator/operator-statistics-csv.js';
import { answerFigures } from './statistics.js';

/** GET /api/v1/statistics/operators: who answered how many of a department's inquiries of a period. */

const answered = z
  .number()
  .describe(
    'How many answers are credited: `resolution.count`, the number a head of department reads first.',
  );

const holding = (whose: string) =>
  z
    .number()
    .describe(
      `Of the period's inquiries, the open ones (new, routed, in progress, reopened) ${whose} now, answered ` +
        'or not before: the work taken and not yet answered.',
    );

export const operatorFigures = z.object({
  id: z.string().describe('The operator’s id, as `assignee.id` of an inquiry gives it.'),
  name: z
    .string()
    .describe(
      'The operator’s name as the inquiries store it (`assignee.name`); of one renamed, the name of the ' +
        'inquiry they took latest.',
    ),
  answered,
  resolution: answerFigures('answers credited to the operator').describe(
    'The answers credited to the operator, timed and judged as the statistics’ `resolution`: from the start ' +
      'of the cycle, by its deadline. `late` counts only answers given after it.',
  ),
  holding: holding('they hold'),
});

export const uncreditedFigures = z.object({
  answered,
  resolution: answerFigures('answers no operator is credited with').describe(
    'The rest of the department’s statistics’ `resolution`: the answers of cycles the inquiries ended ' +
      '(`earlierCycles` does not keep who gave them), answers whose inquiry was released, moved into the ' +
      'department or taken over since, closings without an answer, and, in `late`, answers owed past their ' +
      'deadline.',
  ),
  holding: holding('no one holds'),
});

export const departmentOperators = z.object({
  department: z.string().describe('The department the inquiries are in now, as the statistics count them.'),
  operators: z
    .array(operatorFigures)
    .describe(
      'Each operator credited with an answer, or holding open work, most answers first. An answer is ' +
        'credited to the operator who sent it from the console and holds the inquiry now: the answer of its ' +
        'current cycle.',
    ),
  uncredited: uncreditedFigures.describe(
    'What no operator is credited with. With `operators`, it adds up to the department’s `resolution` in ' +
      '`GET /api/v1/statistics` of the same query (count, inTime, late).',
  ),
});

export const operatorStatistics = z.object({
  from: z.string(),
  to: z.string(),
  departments: z.array(departmentOperators),
});

/** The operators' figures as a spreadsheet (`Accept: text/csv`): as operator-statistics-csv.ts writes them. */
export const operatorStatisticsCsv = z
  .string()
  .describe(
    'The departments of `OperatorStatistics` as a CSV file written as `StatisticsCsv` is (UTF-8 with a byte ' +
      'order mark, `;` between cells, CRLF, a decimal comma, an empty cell for null, formulas neutralised): a ' +
      'header row in Russian, then, per department in the order of `departments`, a row per operator in the ' +
      `order of \`operators\`, then its row of \`uncredited\`, named "${UNCREDITED_NAME}". The columns: ` +
      `${OPERATOR_COLUMNS.map(([header, field]) => `${header} (${field})`).join('; ')}.`,
  );
