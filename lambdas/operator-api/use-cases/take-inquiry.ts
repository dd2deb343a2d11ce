import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { TakeBody } from '../contract/changes.js';

/**
 * POST /api/v1/inquiries/{id}/take: the operator takes the inquiry into work, and it is theirs (`assignee`).
 * One another operator holds answers 409, unless taken over on purpose (`{"force": true}`).
 */
export const takeInquiry: UseCase<TakeBody> = (request, deps) => {
  const { force } = request.body;
  return changeInquiry(request, deps, (_inquiry, cause, at) => ({
    type: 'take',
    cause,
    at,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    ...(force && { force }),
  }));
};
