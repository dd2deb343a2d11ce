import * as z from 'zod';

/**
 * The body VK POSTs for every Callback API event: `{type, event_id, v, group_id, object, secret?}`.
 * Tolerant as VK is: unknown fields pass, `event_id` may be a string, a number or absent, `v` may be absent.
 * https://dev.vk.com/ru/api/callback/getting-started
 */
export const vkEnvelopeSchema = z.looseObject({
  type: z.string().min(1).max(64),
  group_id: z.number().int().positive(),
  event_id: z.union([z.string().max(128), z.number()]).optional(),
  v: z.string().max(16).optional(),
  secret: z.string().max(256).optional(),
  object: z.unknown().optional(),
});

/** The event as it travels on: the envelope without its secret. */
export const vkEventSchema = vkEnvelopeSchema.omit({ secret: true });
export type VkEvent = z.infer<typeof vkEventSchema>;

/** A VK event as it travels through our queues: without the secret, with what ingest learned of it. */
export interface ReceivedVkEvent {
  /** One key per VK event, the same on every retry: `event_id`, or one derived from the event's own ids. */
  eventKey: string;
  groupId: number;
  type: string;
  /** ISO instant at which ingest accepted the event. */
  receivedAt: string;
  /** The event as VK sent it, `secret` removed; trimmed when it was too large to queue whole. */
  event: VkEvent;
  /**
   * Ingest let go of what the product does not read of an event too large to queue as it came
   * (vk/trim-event.ts): the message it carries is marked `cropped`, to be read whole in VK.
   */
  trimmed?: true;
}
