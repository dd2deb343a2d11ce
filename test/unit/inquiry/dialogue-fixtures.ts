import type { Classification, Priority } from '../../../lambdas/domain/taxonomy.js';
import type { CitizenMessage } from '../../../lambdas/domain/vk/citizen-message.js';

/** The citizen's direct message `ref`, in the one dialogue these tests hold. */
export const directMessage = (ref: string, text: string, sentAt: string): CitizenMessage => ({
  groupId: 1,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  messageRef: `dm:5:${ref}`,
  conversationKey: 'dm:5',
  authorId: 5,
  text,
  attachments: [],
  sentAt,
});

/** A housing inquiry the model is sure of, at `priority`. */
export const housingAt = (priority: Priority): Classification => ({
  category: 'housing',
  priority,
  confidence: 0.9,
  inquiry: true,
  triage: false,
  model: 't',
});
