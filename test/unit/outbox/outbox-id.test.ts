import { describe, expect, it } from 'vitest';
import {
  isOutboxIdFor,
  MAX_OUTBOX_ID_LENGTH,
  outboxIdFor,
  outboxMessageSchema,
} from '../../../lambdas/domain/outbox/outbox-message.js';

const INQUIRY = 'Ab3dE5gH1jK2mN4p';
const OPERATOR = '8f14e45f-ceea-4e67-a1b2-3c4d5e6f7a8b';
/** An operator's request's cause as the operator API makes it: operator, action, key, body's fingerprint. */
const causeOf = (key: string, fingerprint: string) =>
  `op:${OPERATOR}:intermediate-answer:${key}:${fingerprint}`;
/** The longest Idempotency-Key the operator API takes. */
const LONG_KEY = `console-${'k'.repeat(92)}`;

describe('the outbox id of a message', () => {
  it('is `<inquiry>:<purpose>:<cause>` as it is while it fits', () => {
    expect(outboxIdFor(INQUIRY, 'acknowledgement', 'routed')).toBe(`${INQUIRY}:acknowledgement:routed`);
    const cause = causeOf('retry-1', 'AbCdEfGhIjKlMnOp');
    expect(outboxIdFor(INQUIRY, 'intermediate_answer', cause)).toBe(
      `${INQUIRY}:intermediate_answer:${cause}`,
    );
    const exactly = 'x'.repeat(MAX_OUTBOX_ID_LENGTH - `${INQUIRY}:answer:`.length);
    expect(outboxIdFor(INQUIRY, 'answer', exactly)).toBe(`${INQUIRY}:answer:${exactly}`);
  });

  it('keeps the fingerprint of the words when a long Idempotency-Key makes it too long: two answers, two ids', () => {
    const first = outboxIdFor(INQUIRY, 'intermediate_answer', causeOf(LONG_KEY, 'AbCdEfGhIjKlMnOp'));
    const second = outboxIdFor(INQUIRY, 'intermediate_answer', causeOf(LONG_KEY, 'AbStUvWxYz012345'));
    expect(first).not.toBe(second);
    expect(first.endsWith(':AbCdEfGhIjKlMnOp')).toBe(true);
    for (const id of [first, second]) {
      expect(id).toHaveLength(MAX_OUTBOX_ID_LENGTH);
      expect(id.startsWith(`${INQUIRY}:intermediate_answer:op:${OPERATOR}:`)).toBe(true);
      expect(outboxMessageSchema.shape.id.safeParse(id).success, 'the queue message schema takes it').toBe(
        true,
      );
    }
    // The same request, the same id: a repeat is still sent once.
    expect(outboxIdFor(INQUIRY, 'intermediate_answer', causeOf(LONG_KEY, 'AbCdEfGhIjKlMnOp'))).toBe(first);
  });

  it('is cut to the same form whatever its middle hashes to: the limit long, the hash in eight digits', () => {
    // Keys that differ where the id is cut, so that each id hashes another middle.
    for (let n = 10; n < 74; n++) {
      const key = `console-${'k'.repeat(72)}${n}${'k'.repeat(18)}`;
      const id = outboxIdFor(INQUIRY, 'answer', causeOf(key, 'AbCdEfGhIjKlMnOp'));
      expect(id).toHaveLength(MAX_OUTBOX_ID_LENGTH);
      expect(id).toMatch(/~[0-9a-f]{8}~/);
    }
  });

  it('tells apart two long keys that differ only where the id is cut', () => {
    // The mark falls in the part an id too long leaves out (kept as a hash of it).
    const key = (mark: string) => `console-${'k'.repeat(72)}${mark}${'k'.repeat(19)}`;
    const [one, other] = ['a', 'b'].map((mark) =>
      outboxIdFor(INQUIRY, 'answer', causeOf(key(mark), 'AbCdEfGhIjKlMnOp')),
    );
    expect(one).not.toBe(other);
    expect(one?.replace(/~\w{8}~/, '')).toBe(other?.replace(/~\w{8}~/, ''));
  });

  it('is recognised in the form a release before cut it in, for a message queued then', () => {
    const cause = causeOf(LONG_KEY, 'AbCdEfGhIjKlMnOp');
    const before = `${INQUIRY}:answer:${cause}`.slice(0, MAX_OUTBOX_ID_LENGTH);
    expect(isOutboxIdFor(before, INQUIRY, 'answer', cause)).toBe(true);
    expect(isOutboxIdFor(outboxIdFor(INQUIRY, 'answer', cause), INQUIRY, 'answer', cause)).toBe(true);
    expect(
      isOutboxIdFor(
        outboxIdFor(INQUIRY, 'answer', causeOf(LONG_KEY, 'AbStUvWxYz012345')),
        INQUIRY,
        'answer',
        cause,
      ),
    ).toBe(false);
  });
});
