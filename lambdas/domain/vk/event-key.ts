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

/** A one-way digest of a text, as URL-safe characters (SHA-256 in base64url from the functions that key events). */
export type Digest = (text: string) => string;

/**
 * The key that makes one VK event one citizen message, whatever is repeated. VK keeps `event_id` across its
 * retries ("If it passed twice or more - you should ignore it", VK's callback schema); older traffic lacks it,
 * so then the key is derived from the ids the event itself carries, which VK repeats unchanged on a retry.
 *
 * Those ids are the citizen's VK id among others, and the key is logged by every function and named by the
 * dead-letter dry run: so the key holds a digest of them, `d:<community>:<digest>`, never the ids themselves.
 * The same ids give the same digest, so a retry de-duplicates as before. It is a pseudonym, not anonymity:
 * whoever knows an event's ids and second can compute its key, which is how a search can find it.
 *
 * Keys made before the digest (`d:<community>:<type>:<ids>`) still name the events that were in the queues
 * when it came: each keeps its own key to the end, so its ledger mark and inquiry still match. Only VK retrying,
 * after the deploy, an event that the previous version queued but whose answer VK never got, makes the same event
 * under two keys: the router finds a citizen's message held already by its ref and drops it (an edit, a delete
 * or a restore is recorded on it a second time). Events without `event_id` are rare already.
 *
 * An edit or restore carries the same ids each time the same comment changes, so its key also holds a
 * fingerprint of the object: two different edits stay two events, a retried edit stays one. Without
 * `event_id`, two truly identical events cannot be told apart from a retry, and the second is dropped by the
 * classifier's ledger (15 days) or its inquiry's remembered causes. VK's `X-Retry-Counter` does not help: a
 * retry must get the key of the delivery it repeats, and one whose first delivery we refused (503) looks the
 * same as one whose `ok` VK lost. What is lost:
 * - a comment deleted a second time (delete, restore, delete: a delete carries ids only), or restored a second
 *   time unchanged, stays as the change before left it: shown restored though gone in VK, or withdrawn
 *   though back;
 * - a citizen allowing messages again (allow, deny, allow): the community is still taken as not allowed to
 *   write to them in their dialogue (every allow within 15 days of the first is taken for its retry), and
 *   replies there are recorded undeliverable;
 * - a service event repeated (joining, leaving and joining again): a count.
 */
export function eventKeyOf(envelope: VkEvent, digest: Digest): string {
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
  // The community is its own public page: kept in clear, so that a key says whose event it is.
  return `d:${envelope.group_id}:${digest(`d:${envelope.group_id}:${envelope.type}:${ids}${suffix}`)}`;
}
