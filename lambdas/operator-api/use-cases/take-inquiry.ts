import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';

/** POST /api/v1/inquiries/{id}/take: the operator takes the inquiry into work. */
export const takeInquiry: UseCase = (request, deps) =>
  changeInquiry(request, deps, (_inquiry, cause, at) => ({
    type: 'take',
    cause,
    at,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
  }));
