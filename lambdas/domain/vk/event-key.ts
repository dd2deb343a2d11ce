import type { VkEvent } from './envelope.js';

const idOf = (value: unknown): string | undefined =>
  typeof value === 'number' || (typeof value === 'string' && value.length > 0) ? String(value) : undefined;

const pick = (object: unknown, ...keys: string[]): string[] => {
  if (typeof object !== 'object' || object === null) return [];
  const record = object as Record<string, unknown>;
  return keys.map((key) => idOf(record[key]) ?? '');
};

/**
 * The key that makes one VK event one citizen message, whatever is repeated. VK keeps `event_id` across its
 * retries ("If it passed twice or more - you should ignore it", VK's callback schema); older traffic lacks it,
 * so then the key is derived from the ids the event itself carries, which are just as stable.
 */
export function eventKeyOf(envelope: VkEvent): string {
  const eventId = idOf(envelope.event_id);
  if (eventId !== undefined) return `e:${eventId}`;
  const object = envelope.object as Record<string, unknown> | undefined;
  const message = typeof object?.message === 'object' && object.message !== null ? object.message : object;
  const ids = pick(
    message,
    'peer_id',
    'conversation_message_id',
    'id',
    'from_id',
    'user_id',
    'date',
    'post_id',
    'topic_id',
    'photo_id',
    'video_id',
    'item_id',
    'owner_id',
  );
  return `d:${envelope.group_id}:${envelope.type}:${ids.join(':')}`;
}
