import type { VkEvent } from './envelope.js';

/** Ids are 64-bit integers: as numbers, or as digit strings in some libraries' replays. */
const idOf = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return value;
  return undefined;
};

const eventIdOf = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length > 0) return value;
  return undefined;
};

/** The ids that tell one event's object from another's, in a fixed order; a missing one leaves its place empty. */
const ID_FIELDS = [
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
] as const;

/**
 * 53-bit string hash (cyrb53, public domain): pure, fast, and plenty for telling two edits of one comment
 * apart. Not a security measure: only events with the community's secret get this far.
 */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The key that makes one VK event one citizen message, whatever is repeated. VK keeps `event_id` across its
 * retries ("If it passed twice or more - you should ignore it", VK's callback schema); older traffic lacks it,
 * so then the key is derived from the ids the event itself carries, which VK repeats unchanged on a retry.
 *
 * An edit or restore carries the same ids each time the same comment changes, so its key also holds a
 * fingerprint of the object: two different edits stay two events, a retried edit stays one. Without
 * `event_id`, two truly identical events (a citizen joining, leaving and joining again) cannot be told
 * apart; that costs a service count, never a citizen's message.
 */
export function eventKeyOf(envelope: VkEvent): string {
  const eventId = eventIdOf(envelope.event_id);
  if (eventId !== undefined) return `e:${eventId}`;
  const object =
    typeof envelope.object === 'object' && envelope.object !== null
      ? (envelope.object as Record<string, unknown>)
      : {};
  const message =
    typeof object.message === 'object' && object.message !== null
      ? (object.message as Record<string, unknown>)
      : object;
  const ids = ID_FIELDS.map((field) => idOf(message[field]) ?? '').join(':');
  const changes = envelope.type.endsWith('_edit') || envelope.type.endsWith('_restore');
  const suffix = changes ? `:${fingerprint(JSON.stringify(envelope.object))}` : '';
  return `d:${envelope.group_id}:${envelope.type}:${ids}${suffix}`;
}
