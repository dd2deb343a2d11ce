import type { Inquiry } from '../../domain/inquiry/inquiry.js';
import { type OutboxPurpose, outboxIdFor } from '../../domain/outbox/outbox-message.js';
import type { ApiRequest, OperatorApiDeps } from '../api.js';

/**
 * Puts an operator's words to the citizen on the outbox, where the citizen wrote. The outbox id comes from
 * the inquiry and the request's cause: a repeated request makes the same message, which VK sends once.
 */
export function sendToCitizen(
  request: ApiRequest,
  deps: OperatorApiDeps,
  purpose: OutboxPurpose,
  text: string,
) {
  return async (inquiry: Inquiry, cause: string) => {
    await deps.outbox.send({
      kind: 'message_to_citizen',
      id: outboxIdFor(inquiry.id, purpose, cause),
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      purpose,
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text,
      requestedAt: deps.clock.now().toISOString(),
      requestedBy: request.operator.id,
    });
  };
}
