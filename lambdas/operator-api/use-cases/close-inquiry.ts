import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { CloseBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/close: an answered inquiry is closed, with the reason; so is one in progress
 * that the department resolved outside the product after its first response (by phone, by hand in VK), or
 * whose answer did not reach the citizen (transitions/operator-actions.ts). One another operator holds answers
 * 409, unless closed on purpose (`{"force": true}`), when it becomes the closer's.
 */
export const closeInquiry: UseCase<CloseBody> = (request, deps) => {
  const { reason, force } = request.body;
  const words = operatorWords(deps);
  return changeInquiry(request, deps, async (inquiry, cause, at) => ({
    type: 'close',
    cause,
    at,
    reason: await words(inquiry, reason),
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    ...(force && { force }),
  }));
};
