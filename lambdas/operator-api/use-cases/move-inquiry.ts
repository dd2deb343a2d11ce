import type { Category } from '../../domain/taxonomy.js';
import { problem, type UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';

/**
 * POST /api/v1/inquiries/{id}/move: to another department and/or category, with the reason in the history.
 * The operator may hand an inquiry to any department; after that it is that department's.
 */
export const moveInquiry: UseCase = (request, deps) => {
  const body = request.body as { department?: string; category?: Category; reason: string };
  if (body.department && !deps.config.departments.some((department) => department.id === body.department))
    return Promise.resolve(problem(400, `unknown department "${body.department}"`));
  return changeInquiry(request, deps, (_inquiry, cause, at) => ({
    type: 'move',
    cause,
    at,
    reason: body.reason,
    operatorId: request.operator.id,
    ...(body.department !== undefined && { department: body.department }),
    ...(body.category !== undefined && { category: body.category }),
  }));
};
