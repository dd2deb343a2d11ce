import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { type OutboxMessage, outboxMessageSchema } from '../../lambdas/domain/outbox/outbox-message.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category, Priority } from '../../lambdas/domain/taxonomy.js';
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
 * `inq-<eventKey>`), or with `notAnInquiry` recorded as rejected; resolves its id. With `at`, written and
 * routed then; with `priority`, classified so; with `idPrefix`, its id `<idPrefix>-<eventKey>`.
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
    at?: string;
    priority?: Priority;
    idPrefix?: string;
  },
): Promise<string> {
  const { at: routedAt, priority, idPrefix = 'inq', ...written } = message;
  const router = createMessageRouter({
    ...deps,
    clock: { now: () => (routedAt === undefined ? new Date() : new Date(routedAt)) },
    inquiryIdFor: (_groupId, key) => `${idPrefix}-${key}`,
  });
  const at = routedAt ?? new Date(Date.now() - 60_000).toISOString();
  const classified = classifiedDirectMessage({ ...written, at });
  if (priority !== undefined) classified.classification.priority = priority;
  return (await router.routeCitizenMessage(classified)).inquiryId;
}

/**
 * The inquiry a message to the citizen is about, stored as a routed one unless it is stored already: the
 * responder sends nothing for an inquiry that is gone (the retention sweep deleted it).
 */
export async function storeInquiryOf(
  inquiries: Pick<InquiryRepository, 'create'>,
  message: OutboxMessage,
): Promise<void> {
  const at = message.requestedAt;
  const inquiry: Inquiry = {
    id: message.inquiryId,
    groupId: message.groupId,
    // As the message says where to answer: the responder reads it from the message, not the inquiry.
    channel: message.replyTo.channel as Inquiry['channel'],
    replyTo: message.replyTo as Inquiry['replyTo'],
    conversationKey: `outbox:${message.inquiryId}`,
    authorId: message.citizenId,
    text: 'Не вывозят мусор',
    status: 'routed',
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    triage: false,
    department: 'housing',
    clockCount: 0,
    escalated: false,
    messageCount: 1,
    lastMessageAt: at,
    reopenCount: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
    sourceEventKey: `e:${message.inquiryId}`,
    causes: [`e:${message.inquiryId}`],
  };
  await inquiries.create(inquiry, []);
}

/**
 * The responder's handler as the product feeds it: the inquiry of each message in the batch is stored first
 * (the product queues a message only for a stored inquiry). A body that is no message is left as it is.
 */
export function afterTheirInquiries<E extends { Records: { body: string }[] }, C, R>(
  inquiries: Pick<InquiryRepository, 'create'>,
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        continue;
      }
      const message = outboxMessageSchema.safeParse(body);
      if (message.success) await storeInquiryOf(inquiries, message.data);
    }
    return handler(event, context);
  };
}
