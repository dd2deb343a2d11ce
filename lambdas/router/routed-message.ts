import type { unsavedHistory } from '../application/inquiry-writes.js';
import { historyKey } from '../domain/inquiry/inquiry.js';
import { conversationKeyOf, threadConversationOf } from '../domain/inquiry/threading.js';
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
  /**
   * The message as it is stored: without the words and mentions of citizens erased lately, in the
   * conversation it continues (threading.ts, conversationKeyOf).
   */
  message: CitizenMessage;
  /** For a wall comment, its thread's conversation, which inquiries opened before held (threading.ts). */
  threadConversationKey: string | undefined;
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
    message: { ...received, conversationKey: conversationKeyOf(received) },
    threadConversationKey: threadConversationOf(received),
    receivedAt,
    openingKey: historyKey(receivedAt.toISOString(), classified.eventKey, 1),
    followUpKey: historyKey(classified.receivedAt, classified.eventKey, 1),
    writes,
  };
};

/** One attempt at routing the message: what it read. */
export interface MessageAttempt extends RoutedMessage {
  read: Awaited<ReturnType<InquiryRepository['readForCitizenMessage']>>;
  /**
   * A wall comment whose author has no case in the post's conversation yet, but one in the comment's thread,
   * opened before a citizen's comments under a post were one conversation (router/message-conversation.ts).
   */
  inThread: boolean;
}

/**
 * An attempt's one read: the message's lookup, the conversation's pointer (and, for a wall comment, its
 * thread's) and the inquiry this event would open.
 */
export async function attemptOf(
  inquiries: Pick<InquiryRepository, 'readForCitizenMessage'>,
  routed: RoutedMessage,
): Promise<MessageAttempt> {
  const { message, threadConversationKey } = routed;
  const { groupId, conversationKey, authorId } = message;
  const read = await inquiries.readForCitizenMessage({
    groupId,
    messageRef: message.messageRef,
    conversationKey,
    ...(threadConversationKey && { threadConversationKey }),
    authorId,
    inquiryId: routed.id,
  });
  const inThread = read.pointer === undefined && read.threadPointer !== undefined;
  return { ...routed, read, inThread };
}
