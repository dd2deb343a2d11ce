import { z } from 'zod';
import { CATEGORIES, PRIORITIES } from './taxonomy.js';
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
});

const replyTargetSchema = z.looseObject({ channel: z.string() });

export const classifiedMessageSchema = z.object({
  eventKey: z.string().min(1),
  receivedAt: z.iso.datetime(),
  message: z.object({
    groupId: z.number().int().positive(),
    channel: z.enum([
      'direct_message',
      'wall_comment',
      'board_comment',
      'photo_comment',
      'video_comment',
      'market_comment',
    ]),
    replyTo: replyTargetSchema,
    conversationKey: z.string(),
    authorId: z.number().int(),
    text: z.string(),
    attachments: z.array(z.object({ kind: z.string(), count: z.number().int() })),
    sentAt: z.iso.datetime(),
  }),
  classification: z.object({
    category: z.enum(CATEGORIES),
    priority: z.enum(PRIORITIES),
    confidence: z.number().min(0).max(1),
    inquiry: z.boolean(),
    triage: z.boolean(),
    model: z.string(),
  }),
});
export type ClassifiedMessage = z.infer<typeof classifiedMessageSchema>;
