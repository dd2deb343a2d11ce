import type { DepartmentOperators } from '../domain/operator/operator-statistics.js';
import { operatorStatisticsCsv } from '../domain/operator/operator-statistics-csv.js';
import type { AnswerForm } from './api.js';
import { operatorStatisticsCsv as operatorStatisticsCsvSchema } from './contract/operator-statistics.js';
import type { StatisticsQuery } from './contract/statistics.js';
import { filenameOf } from './statistics-csv.js';

/**
 * GET /api/v1/statistics/operators as a spreadsheet, the departments named as the directory names them to
 * operators, saved as `operators_<department>_<community>_<from>_<to>.csv`.
 */
export const operatorStatisticsSheet: AnswerForm<StatisticsQuery> = {
  mediaType: 'text/csv',
  schema: operatorStatisticsCsvSchema,
  write(body, query, deps) {
    const { departments } = body as { departments: DepartmentOperators[] };
    const names = new Map(deps.config.departments.map(({ id, name }) => [id, name]));
    return {
      text: operatorStatisticsCsv(departments, (id) => names.get(id)),
      filename: filenameOf(query, 'operators'),
    };
  },
};
