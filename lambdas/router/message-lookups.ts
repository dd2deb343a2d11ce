import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { wordsPriority } from '../domain/inquiry/transitions/raise.js';
import type { MessageLookup } from '../domain/ports.js';
import type { Classification } from '../domain/taxonomy.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';

/**
 * Whether a message is its inquiry's opening message: one of its burst sent earlier may have become it since
 * (burst.ts). Inquiries stored before they kept their opening message's place go by how it was routed.
 */
export const isOpening = (inquiry: Inquiry, messageRef: string, openedIt: boolean): boolean =>
  inquiry.openingMessage ? inquiry.openingMessage.messageRef === messageRef : openedIt;

/**
 * A stored message's lookup: the inquiry and history entry that hold it, the event that brought it, and the
 * priority its words were read at (`classification`), which an edit of them must pass to raise the inquiry.
 */
export const lookupFor = (
  message: CitizenMessage,
  classification: Classification,
  inquiryId: string,
  key: string,
  eventKey: string,
  opening: boolean,
): MessageLookup => ({
  groupId: message.groupId,
  messageRef: message.messageRef,
  inquiryId,
  historyKey: key,
  eventKey,
  text: message.text,
  opening,
  priority: wordsPriority(classification, message.text),
});
