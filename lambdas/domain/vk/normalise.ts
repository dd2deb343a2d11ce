import { z } from 'zod';
import type { AttachmentSummary, CitizenMessage } from './citizen-message.js';
import type { VkEvent } from './envelope.js';

const attachmentsSchema = z.array(z.looseObject({ type: z.string() })).optional();

/** A private message; since API 5.103 it comes wrapped as `{message, client_info}`. */
const privateMessageSchema = z.looseObject({
  id: z.number().int(),
  date: z.number().int(),
  peer_id: z.number().int(),
  from_id: z.number().int(),
  text: z.string(),
  out: z.number().int().optional(),
  conversation_message_id: z.number().int().optional(),
  attachments: attachmentsSchema,
});
const messageNewSchema = z.union([
  z.looseObject({ message: privateMessageSchema }).transform((object) => object.message),
  privateMessageSchema,
]);

const wallReplySchema = z.looseObject({
  id: z.number().int(),
  from_id: z.number().int(),
  date: z.number().int(),
  text: z.string(),
  post_id: z.number().int(),
  post_owner_id: z.number().int(),
  parents_stack: z.array(z.number().int()).optional(),
  attachments: attachmentsSchema,
});

function summarise(attachments: z.infer<typeof attachmentsSchema>): AttachmentSummary[] {
  const counts = new Map<string, number>();
  for (const attachment of attachments ?? [])
    counts.set(attachment.type, (counts.get(attachment.type) ?? 0) + 1);
  return [...counts].map(([kind, count]) => ({ kind, count }));
}

const isoOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/**
 * Turns a VK event into the citizen message it carries, or null when it carries none. The community's own
 * words are never a citizen's: a negative `from_id` or `out: 1` (VK writes community messages that way).
 */
export function toCitizenMessage(envelope: VkEvent): CitizenMessage | null {
  if (envelope.type === 'message_new') {
    const parsed = messageNewSchema.safeParse(envelope.object);
    if (!parsed.success) return null;
    const message = parsed.data;
    if (message.out === 1 || message.from_id <= 0) return null;
    return {
      groupId: envelope.group_id,
      channel: 'direct_message',
      replyTo: {
        channel: 'direct_message',
        peerId: message.peer_id,
        conversationMessageId: message.conversation_message_id,
        messageId: message.id,
      },
      messageRef: `dm:${message.peer_id}:${message.conversation_message_id ?? `id${message.id}`}`,
      conversationKey: `dm:${message.peer_id}`,
      authorId: message.from_id,
      text: message.text,
      attachments: summarise(message.attachments),
      sentAt: isoOf(message.date),
    };
  }
  if (envelope.type === 'wall_reply_new') {
    const parsed = wallReplySchema.safeParse(envelope.object);
    if (!parsed.success) return null;
    const comment = parsed.data;
    if (comment.from_id <= 0) return null;
    // A reply inside a thread belongs to the thread's first comment: answers go there too.
    const threadCommentId = comment.parents_stack?.[0];
    return {
      groupId: envelope.group_id,
      channel: 'wall_comment',
      replyTo: {
        channel: 'wall_comment',
        ownerId: comment.post_owner_id,
        postId: comment.post_id,
        commentId: comment.id,
        threadCommentId,
      },
      messageRef: `wall:${comment.post_owner_id}:${comment.post_id}:${comment.id}`,
      conversationKey: `wall:${comment.post_id}:${threadCommentId ?? comment.id}`,
      authorId: comment.from_id,
      text: comment.text,
      attachments: summarise(comment.attachments),
      sentAt: isoOf(comment.date),
    };
  }
  return null;
}
