import * as z from 'zod';
import { CATEGORIES, PRIORITIES } from './taxonomy.js';
import { unclassifiedEditOf, unclassifiedOf } from './unclassified.js';
import { attachmentSummarySchema, CHANNELS, citizenMessageSchema } from './vk/citizen-message.js';
import { vkEventSchema } from './vk/envelope.js';

/**
 * What travels on our queues. Each consumer validates the body it receives: a message that does not fit
 * fails fast and, after the queue's attempts, rests in its dead-letter queue for a person to look at.
 */

export const receivedVkEventSchema = z.object({
  eventKey: z.string().min(1),
  groupId: z.number().int().positive(),
  type: z.string().min(1),
  receivedAt: z.iso.datetime(),
  event: vkEventSchema,
  trimmed: z.literal(true).optional(),
});

const channelSchema = z.enum(CHANNELS);
const attachmentsSchema = z.array(attachmentSummarySchema);

const envelopeFields = {
  /** The VK event this came from: one key per event, the same on every retry. */
  eventKey: z.string().min(1),
  receivedAt: z.iso.datetime(),
};

const classificationSchema = z.object({
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
  confidence: z.number().min(0).max(1),
  inquiry: z.boolean(),
  triage: z.boolean(),
  model: z.string(),
});

/**
 * A citizen's new words, classified: opens an inquiry or joins the citizen's open one. One without a
 * classification this release reads is given one from its words (unclassified.ts).
 */
export const classifiedMessageSchema = z
  .object({
    kind: z.literal('citizen_message'),
    ...envelopeFields,
    message: citizenMessageSchema,
    classification: classificationSchema.optional().catch(undefined),
  })
  .transform(({ classification, ...rest }) => ({
    ...rest,
    classification: classification ?? unclassifiedOf(rest.message),
  }));
export type ClassifiedMessage = z.infer<typeof classifiedMessageSchema>;

/** A citizen edited, deleted or restored a message we already hold (`*_edit`, `*_delete`, `*_restore`). */
const messageChangeFields = z.object({
  kind: z.literal('message_changed'),
  ...envelopeFields,
  groupId: z.number().int().positive(),
  change: z.enum(['edited', 'deleted', 'restored']),
  channel: channelSchema,
  /** The same `messageRef` the original citizen message carried. */
  messageRef: z.string().min(1),
  /** The new text, for edits and restores. */
  text: z.string().optional(),
  /**
   * An edit's new text, classified: a message taken for no inquiry ("Добрый день!") may be edited into one.
   * Absent from messages of an older classifier; one this release cannot read is taken as absent, so that
   * the change still applies, unless the classifier's rules speak on the new words (see below).
   */
  classification: classificationSchema.optional().catch(undefined),
  /** Who deleted it, when VK says (the author, or a community admin). */
  deleterId: z.number().int().optional(),
  /** The message's author, when VK says (edits and restores always, deletes sometimes). */
  authorId: z.number().int().optional(),
  /**
   * When the message was written, when VK says (edits and restores): how long it may have waited as a dead
   * letter. Absent from messages of an older classifier.
   */
  sentAt: z.iso.datetime().optional(),
  /** The attachments after an edit or restore. */
  attachments: attachmentsSchema.optional(),
  /**
   * An edit in a group chat: whether the message is written to the community now, and then the message as new
   * words, which the router opens or joins an inquiry with when it holds no such message (vk/interpret.ts).
   */
  chat: z
    .discriminatedUnion('addressed', [
      z.object({ addressed: z.literal(false) }),
      z.object({ addressed: z.literal(true), message: citizenMessageSchema }),
    ])
    .optional(),
});

/**
 * An edit without a classification this release reads is given one from its new words where the classifier's
 * rules speak on them (unclassified.ts, unclassifiedEditOf): a danger edited in raises the priority, or routes
 * the greeting it was, as the same words written anew would.
 */
export const messageChangeSchema = messageChangeFields.transform((change) => {
  if (change.classification || change.change !== 'edited' || change.text === undefined) return change;
  // A chat's edit written to the community is classified as its message is, on what it passes on too.
  const ruled = unclassifiedEditOf(
    change.chat?.addressed
      ? change.chat.message
      : { groupId: change.groupId, text: change.text, attachments: change.attachments ?? [] },
  );
  return ruled ? { ...change, classification: ruled } : change;
});
export type MessageChange = z.infer<typeof messageChangeSchema>;

/**
 * `message_allow` / `message_deny`, as classifiers up to 13d2507 handed them on; this one counts them instead
 * (vk-api/callback-events.ts). Still read so that one already on the routing queue, or replayed from its
 * dead-letter queue, is acknowledged, not failed: the router stores nothing of it. It can go once neither
 * queue can hold one: 14 days after this release is deployed (DEAD_LETTER_RETENTION_DAYS), if none was
 * replayed since.
 */
const messagingPermissionSchema = z.object({
  kind: z.literal('messaging_permission'),
  ...envelopeFields,
  groupId: z.number().int().positive(),
  userId: z.number().int().positive(),
  allowed: z.boolean(),
});

/** `message_reply` with `admin_author_id`: a person answered the citizen by hand in VK. */
export const operatorReplyInVkSchema = z.object({
  kind: z.literal('operator_reply_in_vk'),
  ...envelopeFields,
  groupId: z.number().int().positive(),
  /** The dialogue: the citizen's peer id, or a group chat's (≥ 2000000000). */
  peerId: z.number().int(),
  /**
   * In a group chat, the member whose message the answer replies to or forwards: a chat's inquiries are per
   * author, and the chat's id names none of them.
   */
  citizenId: z.number().int().positive().optional(),
  adminId: z.number().int(),
  messageRef: z.string().min(1),
  text: z.string(),
  sentAt: z.iso.datetime(),
});
export type OperatorReplyInVk = z.infer<typeof operatorReplyInVkSchema>;

/** Everything the routing queue carries, told apart by `kind`. */
export const routingMessageSchema = z.discriminatedUnion('kind', [
  classifiedMessageSchema,
  messageChangeSchema,
  messagingPermissionSchema,
  operatorReplyInVkSchema,
]);
export type RoutingMessage = z.infer<typeof routingMessageSchema>;
