import type { InquiryRepository } from '../domain/ports.js';
import { pointerOf } from './conversation-pointers.js';
import type { TableReadGatherer } from './dynamo-batch-get.js';
import { fromInquiryItem } from './inquiry-items.js';
import { conversationPk, INQUIRY_SK, inquiryPk, messagePk } from './inquiry-keys.js';
import { fromLookupItem } from './message-lookups.js';

/**
 * What routing a citizen's message reads first (InquiryRepository.readForCitizenMessage,
 * ports/inquiry-repository.ts).
 */
export type CitizenMessageKeys = Parameters<InquiryRepository['readForCitizenMessage']>[0];
export type CitizenMessageReads = Awaited<ReturnType<InquiryRepository['readForCitizenMessage']>>;

/** The items in one consistent BatchGetItem, shared with the other records of the batch. */
export async function readForCitizenMessage(
  reads: TableReadGatherer,
  keys: CitizenMessageKeys,
): Promise<CitizenMessageReads> {
  const lookupKey = { pk: messagePk(keys.groupId, keys.messageRef), sk: 'MSG' };
  const pointerKeyOf = (conversationKey: string) => ({
    pk: conversationPk(keys.groupId, conversationKey, keys.authorId),
    sk: 'LATEST',
  });
  const pointerKey = pointerKeyOf(keys.conversationKey);
  const threadPointerKey = keys.threadConversationKey ? pointerKeyOf(keys.threadConversationKey) : undefined;
  const inquiryKey = { pk: inquiryPk(keys.inquiryId), sk: INQUIRY_SK };
  const { find } = await reads.get([
    lookupKey,
    pointerKey,
    ...(threadPointerKey ? [threadPointerKey] : []),
    inquiryKey,
  ]);
  const lookupItem = find(lookupKey);
  const inquiryItem = find(inquiryKey);
  return {
    lookup: lookupItem ? fromLookupItem(lookupItem) : undefined,
    pointer: pointerOf(find(pointerKey)),
    ...(threadPointerKey && { threadPointer: pointerOf(find(threadPointerKey)) }),
    inquiry: inquiryItem ? fromInquiryItem(inquiryItem) : undefined,
  };
}
