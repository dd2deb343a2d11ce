import { communityOf } from '../domain/config/community-of.js';
import type { StatisticsGroup } from '../domain/operator/statistics.js';
import { statisticsCsv } from '../domain/operator/statistics-csv.js';
import type { AnswerForm } from './api.js';
import { type StatisticsQuery, statisticsCsv as statisticsCsvSchema } from './contract/statistics.js';

/**
 * A bound of the period as a file name shows it: its date alone at midnight as written (the months and
 * quarters heads report), else the moment without `:` and `.`, which some systems refuse in file names. The
 * query took only ISO moments, so the name is ASCII.
 */
const boundName = (bound: string) =>
  /T00:00:00(\.0+)?(Z|[+-]\d\d:\d\d)$/.test(bound) ? bound.slice(0, 10) : bound.replace(/[:.]/g, '');

/** `<what>_<department>_<community>_<from>_<to>.csv`, with the scope asked for. */
export function filenameOf(query: StatisticsQuery, what = 'statistics'): string {
  const scope = [query.department, query.community].filter((each) => each !== undefined);
  return `${[what, ...scope, boundName(query.from), boundName(query.to)].join('_')}.csv`;
}

/**
 * GET /api/v1/statistics as a spreadsheet: the answer's groups, the departments and communities named as the
 * directory names them to operators. A department's `name`, not its `publicName`: that is what citizens are
 * told, the body's name that a triage department shares with the body, and maybe with others.
 */
export const statisticsSheet: AnswerForm<StatisticsQuery> = {
  mediaType: 'text/csv',
  schema: statisticsCsvSchema,
  write(body, query, deps) {
    const { groups } = body as { groups: StatisticsGroup[] };
    const departments = new Map(deps.config.departments.map(({ id, name }) => [id, name]));
    return {
      text: statisticsCsv(groups, {
        department: (id) => departments.get(id),
        community: (groupId) => communityOf(deps.config, groupId)?.name,
      }),
      filename: filenameOf(query),
    };
  },
};
