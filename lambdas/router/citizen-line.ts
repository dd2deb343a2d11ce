import type { SQSRecord } from 'aws-lambda';
import { readSqsMessageBody } from '../adapters/sqs-message-body.js';
import { type RoutingMessage, routingMessageSchema } from '../domain/messages.js';

/** The citizen a routing message is of, in its community, when it says. */
const citizenOf = (routed: RoutingMessage): string | undefined => {
  switch (routed.kind) {
    case 'citizen_message':
      return `${routed.message.groupId}:${routed.message.authorId}`;
    case 'message_changed':
      return routed.authorId === undefined ? undefined : `${routed.groupId}:${routed.authorId}`;
    case 'operator_reply_in_vk':
      return `${routed.groupId}:${routed.citizenId ?? routed.peerId}`;
    default:
      return undefined;
  }
};

/**
 * The line a routing record waits in within its batch (inTurn, domain/concurrency.ts): one citizen's messages, changes and the
 * replies to them go one after the other, since they write the same inquiry and its conversation's pointer.
 * Side by side, ten of one citizen's messages in a batch (a burst, a flood) would lose the inquiry's version
 * to each other until some ran out of attempts and came back minutes later, spending the queue's receives
 * towards its dead letters. Anything else, or a body that is no routing message, is a line of its own.
 */
export function citizenLineOf(record: SQSRecord): string {
  try {
    return (
      citizenOf(readSqsMessageBody(record.body, routingMessageSchema, 'a routing message')) ??
      `record ${record.messageId}`
    );
  } catch {
    return `record ${record.messageId}`;
  }
}
