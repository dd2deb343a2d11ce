import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { RejectBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/reject: an inquiry that is none (spam, abuse, an advertisement the classifier
 * misread), routed or in work but not answered, is rejected with the reason, by an operator of its department
 * or an admin. Nothing is sent to the citizen. It leaves open work and escalation and is handed over to its
 * community's triage department, listed there as the classifier's rejected messages are, where `move` puts it
 * back into work. One another operator holds answers 409, unless rejected on purpose (`{"force": true}`).
 */
export const rejectInquiry: UseCase<RejectBody> = (request, deps) => {
  const { reason, force } = request.body;
  const words = operatorWords(deps);
  return changeInquiry(request, deps, async (inquiry, cause, at, community) => ({
    type: 'reject',
    cause,
    at,
    reason: await words(inquiry, reason),
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    department: community.triageDepartment,
    ...(force && { force }),
  }));
};
