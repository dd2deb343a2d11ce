import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { ReasonBody } from '../contract/changes.js';

/**
 * POST /api/v1/inquiries/{id}/close: an answered inquiry is closed, with the reason; so is one in progress
 * that the department resolved outside the product after its first response (by phone, by hand in VK), or
 * whose answer did not reach the citizen (transitions/operator-actions.ts).
 */
export const closeInquiry: UseCase<ReasonBody> = (request, deps) => {
  const { reason } = request.body;
  return changeInquiry(request, deps, (_inquiry, cause, at) => ({
    type: 'close',
    cause,
    at,
    reason,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
  }));
};
