import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { ReopenBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/reopen: an answered or closed inquiry is open again, with a new first-response
 * clock. One another operator holds (who answered or closed it) answers 409, unless reopened on purpose
 * (`{"force": true}`), when it becomes the reopener's.
 */
export const reopenInquiry: UseCase<ReopenBody> = (request, deps) => {
  const { reason, force } = request.body;
  const words = operatorWords(deps);
  return changeInquiry(request, deps, async (inquiry, cause, at) => ({
    type: 'reopen',
    cause,
    at,
    reason: await words(inquiry, reason),
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    ...(force && { force }),
  }));
};
