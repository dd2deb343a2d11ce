import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { TextBody } from '../contract/changes.js';
import { citizenMessageId, sendToCitizen, tooLongForCitizen } from './send-to-citizen.js';

/**
 * POST /api/v1/inquiries/{id}/intermediate-answer: "we are working on it"; starts the resolution clock. To an
 * inquiry another operator holds, only sent on purpose (`force`): else 409 naming them (answers.ts).
 */
export const intermediateAnswer: UseCase<TextBody> = (request, deps) => {
  const { text, force } = request.body;
  return changeInquiry(
    request,
    deps,
    (inquiry, cause, at) =>
      tooLongForCitizen(inquiry, deps, text, cause) ?? {
        type: 'intermediate_answer',
        cause,
        at,
        operatorId: request.operator.id,
        operatorName: request.operator.name,
        text,
        via: 'console',
        outboxId: citizenMessageId(inquiry, 'intermediate_answer', cause),
        ...(force && { force }),
      },
    sendToCitizen(request, deps, 'intermediate_answer', text),
  );
};
