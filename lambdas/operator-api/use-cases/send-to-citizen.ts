import type { Inquiry } from '../../domain/inquiry/inquiry.js';
import { type OutboxPurpose, outboxIdFor } from '../../domain/outbox/outbox-message.js';
import type { ApiRequest, OperatorApiDeps } from '../api.js';

/**
 * The outbox id of an operator's words to the citizen: the inquiry, the purpose and the request's cause. Also
 * recorded on the words' history entry and given in the change's answer, to find their `delivery` entries.
 */
export const citizenMessageId = (inquiry: Inquiry, purpose: OutboxPurpose, cause: string) =>
  outboxIdFor(inquiry.id, purpose, cause);

/**
 * Puts an operator's words to the citizen on the answers queue (`deps.outbox`), where the citizen wrote, and gives its id. The
 * outbox id comes from the inquiry and the request's cause: a repeated request makes the same message, which
 * VK sends once.
 */
export function sendToCitizen(
  request: ApiRequest,
  deps: OperatorApiDeps,
  purpose: OutboxPurpose,
  text: string,
) {
  return async (inquiry: Inquiry, cause: string) => {
    const id = citizenMessageId(inquiry, purpose, cause);
    await deps.outbox.send({
      kind: 'message_to_citizen',
      id,
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      purpose,
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text,
      requestedAt: deps.clock.now().toISOString(),
      requestedBy: request.operator.id,
    });
    return id;
  };
}
