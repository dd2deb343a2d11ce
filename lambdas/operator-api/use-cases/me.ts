import { answer, type UseCase } from '../api.js';

/**
 * GET /api/v1/me: the operator the token names, as the access checks read it (access.ts): their id and name as
 * the history records them, whether they are an admin (every department's inquiries), and the departments they
 * are an operator of, named, in the configuration's order. A group of a department no longer configured names
 * nothing to work in, and is left out.
 */
export const me: UseCase = async (request, deps) => {
  const { id, name, admin, departments } = request.operator;
  return answer(200, {
    id,
    name,
    admin,
    departments: deps.config.departments
      .filter((department) => departments.includes(department.id))
      .map((department) => ({ id: department.id, name: department.name })),
  });
};
