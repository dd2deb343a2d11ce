import { answer, type NoInput, problem, READ_BUDGET_SECONDS, type RouteDeps, type UseCase } from '../api.js';
import { departmentRefusal } from '../department-path.js';
import { countOpenWork } from '../open-work.js';

/**
 * GET /api/v1/departments/{department}/workload: the department's open work as of now, counted from its open
 * inquiries (gsi1) page by page, for its operators and admins (departmentRefusal). A department whose open
 * work takes longer to read answers 422, rather than a 5xx when the function times out.
 */
export const departmentWorkload: UseCase<NoInput, NoInput, RouteDeps> = async (request, deps) => {
  const refused = departmentRefusal(request, deps);
  if (refused) return refused;
  const department = request.params.department ?? '';
  const now = deps.clock.now();
  const readUntil = now.getTime() + READ_BUDGET_SECONDS * 1000;
  const workload = await countOpenWork(
    deps.queries,
    department,
    now,
    () => deps.clock.now().getTime() <= readUntil,
  );
  if (!workload)
    return problem(
      422,
      'too_much_open_work',
      `department "${department}" holds more open inquiries than one request can count in ` +
        `${READ_BUDGET_SECONDS} s: page through its lists instead`,
    );
  return answer(200, workload);
};
