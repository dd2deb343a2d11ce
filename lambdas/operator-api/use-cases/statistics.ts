import { statisticsAccumulator } from '../../domain/operator/statistics.js';
import { answer, type NoInput, type UseCase } from '../api.js';
import type { StatisticsQuery } from '../contract/statistics.js';
import { countPeriod } from './period-reads.js';

/**
 * GET /api/v1/statistics: per department and community, of the inquiries opened in [from, to): counts by
 * status and category; for the first response and the resolution of each cycle of each one (the cycles
 * it ended and the current one), how many were given, how long they took (calendar minutes, and working minutes of the community's calendar while the
 * community is configured), and the share given by the deadline. Departments are read side by side, each
 * page counted as it comes and let go.
 */
export const statistics: UseCase<NoInput, StatisticsQuery> = async (request, deps) => {
  const groups = await countPeriod(request, deps, (now, calendarOf) => {
    const accumulator = statisticsAccumulator(now, calendarOf);
    return { add: accumulator.add, result: accumulator.groups };
  });
  if (!Array.isArray(groups)) return groups;
  return answer(200, { from: request.query.from, to: request.query.to, groups });
};
