import { operatorFiguresAccumulator } from '../../domain/operator/operator-statistics.js';
import { answer, type NoInput, type UseCase } from '../api.js';
import type { StatisticsQuery } from '../contract/statistics.js';
import { countPeriod } from './period-reads.js';

/**
 * GET /api/v1/statistics/operators: per department, of the inquiries opened in [from, to), the answers each
 * operator is credited with (how many, how long they took, how many in time), the open ones each holds now,
 * and what no one is credited with; the period, rights and reading time as the statistics'.
 */
export const operatorStatistics: UseCase<NoInput, StatisticsQuery> = async (request, deps) => {
  const departments = await countPeriod(request, deps, (now, calendarOf) => {
    const accumulator = operatorFiguresAccumulator(now, calendarOf);
    return { add: accumulator.add, result: accumulator.departments };
  });
  if (!Array.isArray(departments)) return departments;
  return answer(200, { from: request.query.from, to: request.query.to, departments });
};
