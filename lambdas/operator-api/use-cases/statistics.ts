import { departmentsInScope } from '../../domain/operator/access.js';
import { statisticsOf } from '../../domain/operator/statistics.js';
import { answer, problem, type UseCase } from '../api.js';

/**
 * GET /api/v1/statistics: per department and community, of the inquiries opened in [from, to]: counts by
 * status and category, time to the first response, the share answered within the deadline.
 */
export const statistics: UseCase = async (request, deps) => {
  const query = request.query as { from: string; to: string; department?: string; community?: number };
  const departments = departmentsInScope(
    request.operator,
    deps.config.departments.map((department) => department.id),
    query.department,
  );
  if (departments === 'forbidden') return problem(403, `not an operator of department "${query.department}"`);
  const opened = (
    await Promise.all(
      departments.map((department) => deps.queries.openedBetween(department, query.from, query.to)),
    )
  )
    .flat()
    .filter((inquiry) => query.community === undefined || inquiry.groupId === query.community);
  return answer(200, { from: query.from, to: query.to, groups: statisticsOf(opened, deps.clock.now()) });
};
