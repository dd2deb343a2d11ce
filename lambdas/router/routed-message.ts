import type { unsavedHistory } from '../application/inquiry-writes.js';
import { historyKey } from '../domain/inquiry/inquiry.js';
import { postConversationOf } from '../domain/inquiry/threading.js';
import type { ClassifiedMessage } from '../domain/messages.js';
import type { InquiryRepository } from '../domain/ports.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';

/**
 * A citizen's message being routed: what every attempt of its retry loop shares (route-citizen-message.ts).
 */
export interface RoutedMessage {
  classified: ClassifiedMessage;
  /** The inquiry the message's event would open: the same for the same event, so a retry finds what it made. */
  id: string;
  /** The message as it is stored: without the words and mentions of citizens erased lately. */
  received: CitizenMessage;
  /** For a comment, the conversation of its author's wall post it is under (threading.ts). */
  postConversationKey: string | undefined;
  receivedAt: Date;
  /** The keys of the message's history entry, as openInquiry and applyEvent make them. */
  openingKey: string;
  followUpKey: string;
  /** The entries of the attempts that lost the version race, settled once one is saved. */
  writes: ReturnType<typeof unsavedHistory>;
}

export const routedMessage = (
  classified: ClassifiedMessage,
  id: string,
  received: CitizenMessage,
  writes: RoutedMessage['writes'],
): RoutedMessage => {
  const receivedAt = new Date(classified.receivedAt);
  return {
    classified,
    id,
    received,
    postConversationKey: postConversationOf(received),
    receivedAt,
    openingKey: historyKey(receivedAt.toISOString(), classified.eventKey, 1),
    followUpKey: historyKey(classified.receivedAt, classified.eventKey, 1),
    writes,
  };
};

/** One attempt at routing the message: what it read, and the conversation the message continues. */
export interface MessageAttempt extends RoutedMessage {
  read: Awaited<ReturnType<InquiryRepository['readForCitizenMessage']>>;
  /** The author of a wall post commenting under it continues the post's conversation (threading.ts). */
  onPost: boolean;
  /** The message, in the conversation it continues. */
  message: CitizenMessage;
}

/**
 * An attempt's one read: the message's lookup, the conversation's pointer (and, for a comment, the author's
 * pointer of its post) and the inquiry this event would open.
 */
export async function attemptOf(
  inquiries: Pick<InquiryRepository, 'readForCitizenMessage'>,
  routed: RoutedMessage,
): Promise<MessageAttempt> {
  const { received, postConversationKey } = routed;
  const { groupId, conversationKey, authorId } = received;
  const read = await inquiries.readForCitizenMessage({
    groupId,
    messageRef: received.messageRef,
    conversationKey,
    ...(postConversationKey && { postConversationKey }),
    authorId,
    inquiryId: routed.id,
  });
  const onPost = postConversationKey !== undefined && read.postPointer !== undefined;
  const message = onPost ? { ...received, conversationKey: postConversationKey } : received;
  return { ...routed, read, onPost, message };
}
