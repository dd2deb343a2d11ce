import { slaTermsFor } from '../../domain/inquiry/deadline.js';
import type { MoveBody } from '../../domain/operator/schemas.js';
import { problem, type UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';

/**
 * POST /api/v1/inquiries/{id}/move: to another department and/or category, and/or to a priority set by hand
 * (a false alarm, a danger the classifier missed), with the reason in the history. The operator may hand an
 * inquiry to any department; after that it is that department's. A new category or priority brings the SLA
 * terms of the category at the priority (a category may have its own, as `safety` does), and the running
 * deadline is timed anew on them from its start.
 */
export const moveInquiry: UseCase = (request, deps) => {
  const body = request.body as MoveBody;
  if (body.department && !deps.config.departments.some((department) => department.id === body.department))
    return Promise.resolve(problem(400, `unknown department "${body.department}"`));
  return changeInquiry(request, deps, (inquiry, cause, at) => ({
    type: 'move',
    cause,
    at,
    reason: body.reason,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    ...(body.department !== undefined && { department: body.department }),
    ...(body.category !== undefined && { category: body.category }),
    ...(body.priority !== undefined && { priority: body.priority }),
    ...((body.category !== undefined || body.priority !== undefined) && {
      terms: slaTermsFor(
        deps.config.sla,
        body.category ?? inquiry.category,
        body.priority ?? inquiry.priority,
      ),
    }),
  }));
};
