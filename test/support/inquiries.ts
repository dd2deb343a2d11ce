import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { DEMO_GROUP_ID } from './fixtures.js';

/**
 * A citizen's direct message to the demo community, classified as the classifier would hand it on. In a
 * group chat (`peerId` ≥ 2000000000) the author is another id, and the message has a conversation message id.
 * `notAnInquiry`: taken for a thank-you, a greeting or an ad (the router records it rejected).
 */
export function classifiedDirectMessage(options: {
  peerId: number;
  eventKey: string;
  text: string;
  category: Category;
  at: string;
  authorId?: number;
  conversationMessageId?: number;
  notAnInquiry?: boolean;
}): ClassifiedMessage {
  const { peerId, eventKey, text, category, at, conversationMessageId } = options;
  return {
    kind: 'citizen_message',
    eventKey,
    receivedAt: at,
    message: {
      groupId: DEMO_GROUP_ID,
      channel: 'direct_message',
      replyTo: {
        channel: 'direct_message',
        peerId,
        ...(conversationMessageId !== undefined && { conversationMessageId }),
      },
      messageRef: `dm:${peerId}:${eventKey}`,
      conversationKey: `dm:${peerId}`,
      authorId: options.authorId ?? peerId,
      text,
      attachments: [],
      sentAt: at,
    },
    classification: {
      category,
      priority: 'normal',
      confidence: 0.9,
      inquiry: options.notAnInquiry !== true,
      triage: false,
      model: 't',
    },
  };
}

/**
 * An inquiry opened a minute ago by a citizen's direct message, routed as the router routes it (its id
 * `inq-<eventKey>`), or with `notAnInquiry` recorded as rejected; resolves its id.
 */
export async function openInquiry(
  deps: { config: AppConfig; inquiries: InquiryRepository },
  message: {
    peerId: number;
    eventKey: string;
    text: string;
    category: Category;
    authorId?: number;
    conversationMessageId?: number;
    notAnInquiry?: boolean;
  },
): Promise<string> {
  const router = createMessageRouter({
    ...deps,
    clock: { now: () => new Date() },
    inquiryIdFor: (_groupId, key) => `inq-${key}`,
  });
  const at = new Date(Date.now() - 60_000).toISOString();
  return (await router.routeCitizenMessage(classifiedDirectMessage({ ...message, at }))).inquiryId;
}
