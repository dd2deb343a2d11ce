/**
 * An operator's words ops dropped from the dead-letter queue (dlq:replay --drop): given up, never to be sent.
 * The inquiry still flagged for them is told so, as a refusal for good of words flagged already: the flag
 * keeps them owed, its reason no longer telling ops to replay them.
 */

/** The cause the drop is recorded under on the inquiry: one per outbox message, so a second drop changes nothing. */
export const droppedFromDeadLettersCause = (outboxId: string) => `dropped-dead-letter:${outboxId}`;

/** The flag's reason once the words are dropped. */
export const DROPPED_FROM_DEAD_LETTERS = 'given up: dropped from the dead-letter queue by ops';
