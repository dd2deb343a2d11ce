import { applyEvent } from '../../domain/inquiry/state-machine.js';
import { rejectToTriage } from '../../domain/operator/reject.js';
import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';

/**
 * POST /api/v1/inquiries/{id}/reject: a routed inquiry that is none (spam, abuse, an advertisement the
 * classifier misread) is rejected with the reason, by an operator of its department or an admin. Nothing is
 * sent to the citizen. It leaves open work and escalation and is listed under its community's triage
 * department as the classifier's rejected messages are, where `move` puts it back into work.
 */
export const rejectInquiry: UseCase = (request, deps) => {
  const { reason } = request.body as { reason: string };
  return changeInquiry(
    request,
    deps,
    (_inquiry, cause, at) => ({
      type: 'reject',
      cause,
      at,
      reason,
      operatorId: request.operator.id,
      operatorName: request.operator.name,
    }),
    undefined,
    undefined,
    (inquiry, event, context) => {
      const triage = deps.config.communities.find(
        (community) => community.groupId === inquiry.groupId,
      )?.triageDepartment;
      return event.type === 'reject' && triage !== undefined
        ? rejectToTriage(inquiry, event, triage, context)
        : applyEvent(inquiry, event, context);
    },
  );
};
