import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { messageSize, sendBatches } from '../../lambdas/adapters/sqs-queue.js';
import { WAITING_SINCE_ATTRIBUTE } from '../../lambdas/router/overtaken.js';
import { type NotDeleted, receiveToMove, sendAndDelete, showAgain } from './queue-messages.js';

/**
 * The attributes a dead letter is replayed with: its own, but for how long a change has waited for its
 * message (lambdas/router/overtaken.ts), so that a replayed change waits again for the message it may be
 * replayed beside. Undefined when none is left.
 */
function replayedAttributes(
  attributes: Message['MessageAttributes'],
): Message['MessageAttributes'] | undefined {
  const kept = Object.entries(attributes ?? {}).filter(([name]) => name !== WAITING_SINCE_ATTRIBUTE);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

export interface ReplayResult {
  /** Messages sent to the queue. */
  moved: number;
  /** A message refused before it was sent, and why: the run stopped there. */
  refused?: { id: string; reason: string };
  /**
   * Ids of messages sent to the queue that the dead-letter queue refused to delete: they reappear there and
   * would be sent again by the next replay.
   */
  notDeleted: string[];
}

/**
 * Moves up to `max` messages; returns how many were moved and which of them are still dead letters. Stops at
 * the first message `refuse` gives a reason for, before it sends the receive it came in, and makes that
 * receive's messages visible again at once. Each message is sent before it is deleted: a failure half-way
 * loses nothing.
 */
export async function replayDeadLetters(
  client: SQSClient,
  from: string,
  to: string,
  max: number,
  options: {
    refuse?: (body: string | undefined) => string | undefined;
    onMoved?: (moved: number) => void;
    /** Told of each message sent that the dead-letter queue refused to delete. */
    onNotDeleted?: (failure: NotDeleted) => void;
  } = {},
): Promise<ReplayResult> {
  let moved = 0;
  const notDeleted: string[] = [];
  while (moved < max) {
    const messages = await receiveToMove(client, from, Math.min(10, max - moved));
    if (messages.length === 0) break;
    for (const message of messages) {
      const reason = options.refuse?.(message.Body);
      if (reason === undefined) continue;
      // Back in sight at once, all of this receive: a dry run right after counts them all.
      await showAgain(
        client,
        from,
        messages.map((each) => each.ReceiptHandle),
      );
      return { moved, notDeleted, refused: { id: message.MessageId ?? '', reason } };
    }
    const replayed = messages.map((message) => ({
      ...message,
      MessageAttributes: replayedAttributes(message.MessageAttributes),
    }));
    // Ten messages may be far more than one call may carry (BatchRequestTooLong): as many calls as they need.
    for (const batch of sendBatches(replayed, (message) =>
      messageSize(message.Body ?? '', message.MessageAttributes),
    )) {
      const sent = await sendAndDelete(client, from, to, batch);
      for (const failure of sent.notDeleted) {
        notDeleted.push(failure.id);
        options.onNotDeleted?.(failure);
      }
      moved += sent.delivered;
      options.onMoved?.(moved);
      // The messages of this receive not sent yet reappear in the dead-letter queue after its visibility.
      if (sent.refused)
        throw new Error(`the queue refused ${sent.refused.count} message(s): ${sent.refused.first}`);
    }
  }
  return { moved, notDeleted };
}
