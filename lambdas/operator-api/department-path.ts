import { mayAccess } from '../domain/operator/access.js';
import { type ApiAnswer, type ApiRequest, problem, type RouteDeps, unknownDepartment } from './api.js';

/**
 * Who may use a route of a department named in the path (`/api/v1/departments/{department}/…`): its
 * operators and any admin. A department not configured (removed, renamed) is none to anyone (400, as for a
 * list); another's is 403, as its list is. Undefined: the request may go on.
 */
export function departmentRefusal(
  request: ApiRequest<unknown, unknown>,
  deps: RouteDeps,
): ApiAnswer | undefined {
  const department = request.params.department ?? '';
  if (!deps.config.departments.some((each) => each.id === department))
    return unknownDepartment(department, 'path');
  if (!mayAccess(request.operator, department))
    return problem(403, 'forbidden', `not an operator of department "${department}"`);
  return undefined;
}
