import { communityOf } from '../../domain/config/community-of.js';
import { departmentsInScope } from '../../domain/operator/access.js';
import { periodBound, statisticsAccumulator } from '../../domain/operator/statistics.js';
import {
  answer,
  type NoInput,
  problem,
  READ_BUDGET_SECONDS,
  type UseCase,
  unknownCommunity,
  unknownDepartment,
} from '../api.js';
import type { StatisticsQuery } from '../contract/statistics.js';

/**
 * GET /api/v1/statistics: per department and community, of the inquiries opened in [from, to): counts by
 * status and category; for the first response and the resolution of each cycle of each one (the cycles
 * it ended and the current one), how many were given, how long they took (calendar minutes, and working minutes of the community's calendar while the
 * community is configured), and the share given by the deadline. Departments are read side by side, each
 * page counted as it comes and let go.
 */
export const statistics: UseCase<NoInput, StatisticsQuery> = async (request, deps) => {
  const { query } = request;
  const departments = departmentsInScope(
    request.operator,
    deps.config.departments.map((department) => department.id),
    query.department,
  );
  if (departments === 'unknown') return unknownDepartment(query.department);
  const community = unknownCommunity(deps.config, query.community);
  if (community) return community;
  if (departments === 'forbidden')
    return problem(403, 'forbidden', `not an operator of department "${query.department}"`);
  const [from, to] = [periodBound(query.from), periodBound(query.to)];
  const now = deps.clock.now();
  const calendarOf = (groupId: number) => communityOf(deps.config, groupId)?.calendar;
  const readUntil = now.getTime() + READ_BUDGET_SECONDS * 1000;
  let outOfTime = false;
  const counted = await Promise.all(
    departments.map(async (department) => {
      const accumulator = statisticsAccumulator(now, calendarOf);
      for await (const { inquiries, more } of deps.queries.openedBetween(department, from, to)) {
        accumulator.add(
          query.community === undefined
            ? inquiries
            : inquiries.filter((inquiry) => inquiry.groupId === query.community),
        );
        // Out of time (here or in another department) with a page still to read; the last page read, however
        // late, is counted.
        if (outOfTime || (more && deps.clock.now().getTime() > readUntil)) {
          outOfTime = true;
          break;
        }
      }
      return accumulator.groups();
    }),
  );
  if (outOfTime)
    return problem(
      422,
      'period_too_full',
      `the period holds more inquiries than one request can count in ${READ_BUDGET_SECONDS} s: ask for a shorter one`,
    );
  return answer(200, { from: query.from, to: query.to, groups: counted.flat() });
};
