import type { VkEvent } from './envelope.js';

const KNOWN = new Set(['type', 'group_id', 'event_id', 'v', 'secret', 'object']);

const optionalText = (value: unknown, max: number) =>
  value === undefined || (typeof value === 'string' && value.length <= max);

/**
 * `vkEnvelopeSchema` (envelope.ts) written out by hand for ingest's hot and cold path, where zod costs a
 * fifth of the time of a request and of a cold start: the same rules, and the same result as the schema's
 * output with its secret taken out, key for key and in the same order (the fields of the schema first,
 * then the others as sent). test/unit/vk/read-envelope.test.ts holds the two to each other.
 *
 * `value` is parsed JSON. Returns the event as it travels on, or undefined for anything the schema refuses.
 * The secret is checked for its shape only: ingest compares it before reading the envelope, and the event
 * that goes on to the queue and the logs never holds it.
 */
export function readVkEnvelope(value: unknown): VkEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const body = value as Record<string, unknown>;
  const { type, group_id: groupId, event_id: eventId, v, secret } = body;
  if (typeof type !== 'string' || type.length < 1 || type.length > 64) return undefined;
  // z.number().int().positive(): a safe integer above zero.
  if (typeof groupId !== 'number' || !Number.isSafeInteger(groupId) || groupId <= 0) return undefined;
  if (
    eventId !== undefined &&
    !(typeof eventId === 'string'
      ? eventId.length <= 128
      : typeof eventId === 'number' && Number.isFinite(eventId))
  )
    return undefined;
  if (!optionalText(v, 16) || !optionalText(secret, 256)) return undefined;

  const event: Record<string, unknown> = { type, group_id: groupId };
  if (Object.hasOwn(body, 'event_id')) event.event_id = eventId;
  if (Object.hasOwn(body, 'v')) event.v = v;
  if (Object.hasOwn(body, 'object')) event.object = body.object;
  // A `__proto__` key of parsed JSON would set the copy's prototype; the schema's output drops it too.
  for (const key of Object.keys(body)) if (!KNOWN.has(key) && key !== '__proto__') event[key] = body[key];
  return event as VkEvent;
}
