import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vkEnvelopeSchema } from '../../../lambdas/domain/vk/envelope.js';
import { readVkEnvelope } from '../../../lambdas/domain/vk/read-envelope.js';
import { callbackBody } from '../../support/fixtures.js';

/** What the schema makes of parsed JSON, in the reader's terms (the event without its secret, as text). */
function bySchema(json: unknown) {
  const parsed = vkEnvelopeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { secret, ...event } = parsed.data;
  return JSON.stringify(event);
}

function byReader(json: unknown) {
  const event = readVkEnvelope(json);
  return event && JSON.stringify(event);
}

const valid = () => callbackBody('03_message_new__vknet.json') as Record<string, unknown>;
const FIELDS = ['type', 'group_id', 'event_id', 'v', 'secret', 'object'] as const;

/** Values around each rule's edges: lengths, integers, safe-integer and finite limits. */
const edgy = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ minLength: 0, maxLength: 300 }),
  fc.constantFrom('', 'x'.repeat(16), 'x'.repeat(17), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128)),
  fc.constantFrom('x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257), 'я'.repeat(64), 'я'.repeat(65)),
  fc.constantFrom(0, -0, -1, 1, 1.5, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, 5e-324),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);

/** A valid envelope with fields replaced, removed, added or reordered, as JSON would carry them. */
const envelope = fc
  .record({
    changes: fc.array(
      fc.record({ field: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), value: edgy }),
      { maxLength: 4 },
    ),
    removed: fc.subarray([...FIELDS]),
    reversed: fc.boolean(),
    proto: fc.boolean(),
  })
  .map(({ changes, removed, reversed, proto }) => {
    const body: Record<string, unknown> = valid();
    for (const { field, value } of changes) body[field] = value;
    for (const field of removed) delete body[field];
    const entries = Object.entries(body);
    const text = JSON.stringify(Object.fromEntries(reversed ? entries.reverse() : entries));
    // `__proto__` as a key of the body text: JSON.parse makes it an own property.
    const inherited = '"__proto__":{"object":{"message":{"id":1}},"x":1}';
    if (!proto) return text;
    return text === '{}' ? `{${inherited}}` : text.replace(/^\{/, `{${inherited},`);
  });

describe('readVkEnvelope', () => {
  it('accepts and refuses exactly what vkEnvelopeSchema does, with the same event, key for key in order', () => {
    fc.assert(
      fc.property(fc.oneof(envelope, fc.json({ maxDepth: 3 })), (text) => {
        const json = JSON.parse(text);
        expect(byReader(json)).toEqual(bySchema(json));
      }),
      { numRuns: 10_000 },
    );
  });

  it('keeps the event object itself, and leaves the secret out of the event', () => {
    const body: Record<string, unknown> = { ...valid(), secret: 'abc' };
    const event = readVkEnvelope(body);
    expect(event?.object).toBe(body.object);
    expect(event).not.toHaveProperty('secret');
    expect(JSON.stringify(event)).not.toContain('abc');
  });

  it.each([
    ['a group id beyond the safe integers', { group_id: 2 ** 53 }],
    ['a fractional group id', { group_id: 1.5 }],
    ['a group id of zero', { group_id: 0 }],
    ['an empty type', { type: '' }],
    ['a type of 65 characters', { type: 'x'.repeat(65) }],
    ['an event id of 129 characters', { event_id: 'x'.repeat(129) }],
    ['a null version', { v: null }],
    ['a secret of 257 characters', { secret: 'x'.repeat(257) }],
  ])('refuses %s, as the schema does', (_case, change) => {
    const json = { ...valid(), ...change };
    expect(readVkEnvelope(json)).toBeUndefined();
    expect(vkEnvelopeSchema.safeParse(json).success).toBe(false);
  });

  it('refuses what is not an object', () => {
    for (const json of [null, [], [valid()], 'x', 1, true]) expect(readVkEnvelope(json)).toBeUndefined();
  });
});
