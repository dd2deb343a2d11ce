import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { ReasonBody } from '../contract/changes.js';

/** POST /api/v1/inquiries/{id}/reopen: an answered or closed inquiry is open again, with a new first-response clock. */
export const reopenInquiry: UseCase<ReasonBody> = (request, deps) => {
  const { reason } = request.body;
  return changeInquiry(request, deps, (_inquiry, cause, at) => ({
    type: 'reopen',
    cause,
    at,
    reason,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
  }));
};
