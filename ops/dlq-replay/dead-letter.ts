import { type OutboxMessage, outboxMessageSchema } from '../../lambdas/domain/outbox/outbox-message.js';

/**
 * What names a dead letter in the consumers' logs, and nothing personal (never the text): the VK event's
 * `eventKey` (events and routing queues), or the outbox message's id, logged as `outboxId`.
 */
export function deadLetterKey(body: string | undefined): string {
  try {
    const message = JSON.parse(body ?? '') as { kind?: unknown; id?: unknown; eventKey?: unknown };
    if (message.kind === 'message_to_citizen' && typeof message.id === 'string')
      return `outboxId ${message.id}`;
    if (typeof message.eventKey === 'string') return `eventKey ${message.eventKey}`;
  } catch {
    // Not JSON: what the consumer could not read is named by its SQS message id alone.
  }
  return 'no eventKey or outboxId';
}

/** The dead letter's operator's answer or intermediate answer to a citizen, if it is one (their inquiry may be flagged). */
export function operatorWordsOf(body: string | undefined): OutboxMessage | undefined {
  try {
    const parsed = outboxMessageSchema.safeParse(JSON.parse(body ?? ''));
    if (!parsed.success) return undefined;
    const { purpose } = parsed.data;
    return purpose === 'answer' || purpose === 'intermediate_answer' ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
