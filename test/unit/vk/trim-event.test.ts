import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VkEvent } from '../../../lambdas/domain/vk/envelope.js';
import { interpretVkEvent } from '../../../lambdas/domain/vk/interpret.js';
import { citizenWordsOf } from '../../../lambdas/domain/vk/normalise.js';
import { MAX_QUOTED_DEPTH } from '../../../lambdas/domain/vk/quoted.js';
import { trimVkEvent } from '../../../lambdas/domain/vk/trim-event.js';
import { callbackBody, fixture } from '../../support/fixtures.js';
import { CITIZEN_TEXT, LARGE_SHAPES } from '../../support/large-events.js';

const eventOf = (body: Record<string, unknown>): VkEvent => {
  const { secret: _secret, ...event } = body;
  return event as VkEvent;
};
const GROUP = 123456789;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('trimming an event too large to queue', () => {
  it.each(Object.entries(LARGE_SHAPES))(
    'keeps every word the product reads of %s, in a fraction of the size',
    (_shape, make) => {
      const event = eventOf(make('trim'));
      const before = JSON.stringify(event);
      const { event: trimmed, trimmed: changed } = trimVkEvent(event);
      expect(changed).toBe(true);
      expect(JSON.stringify(event)).toBe(before);
      expect(bytes(event)).toBeGreaterThan(256 * 1024);
      expect(bytes(trimmed)).toBeLessThan(64 * 1024);
      const words = citizenWordsOf(trimmed);
      expect(words).toEqual(citizenWordsOf(event));
      expect(words).toMatchObject({ kind: 'citizen_message', message: { text: CITIZEN_TEXT } });
    },
  );

  it('keeps a photo whole but for its sizes: the largest, whose link an operator opens', () => {
    const photo = fixture('vknet/PhotoNewTest.json').object as { sizes: { url: string; width: number }[] };
    const body = callbackBody('03_message_new__vknet.json');
    const object = body.object as { message: Record<string, unknown> };
    const event = eventOf({
      ...body,
      object: { ...object, message: { ...object.message, attachments: [{ type: 'photo', photo }] } },
    });
    const { event: trimmed } = trimVkEvent(event);
    const kept = (trimmed.object as { message: { attachments: { photo: Record<string, unknown> }[] } })
      .message.attachments[0]?.photo;
    expect(kept?.sizes).toEqual([photo.sizes.find((size) => size.width === 1024)]);
    expect(kept).toMatchObject({ id: 123456, owner_id: -1234, album_id: 1234 });
    expect(citizenWordsOf(trimmed)).toEqual(citizenWordsOf(event));
  });

  it('says nothing was trimmed of an event with nothing to let go', () => {
    const event = eventOf(callbackBody('03_message_new__vknet.json'));
    expect(trimVkEvent(event)).toEqual({ event, trimmed: false });
  });

  it('reads the same for any tree of passed-on messages, posts and comments, in a dialogue or a group chat', () => {
    type Node = { text: string; photos: number; children: readonly Node[]; as: number; ours: boolean };
    const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.record({
        // Long enough that the 6,000 characters kept run out: emoji too, which a cut must not split.
        text: fc
          .tuple(fc.nat({ max: 2500 }), fc.constantFrom('ж', 'дом ', '😀'))
          .map(([length, unit]) => unit.repeat(length / unit.length)),
        photos: fc.integer({ min: 0, max: 3 }),
        as: fc.integer({ min: 0, max: 3 }),
        // The community's own message, forwarded or replied to: in a group chat, that writes to it (chat.ts).
        ours: fc.boolean(),
        // Deeper than the depth quoted.ts keeps, so that the trees have messages left out for it.
        children: fc.oneof(
          { maxDepth: MAX_QUOTED_DEPTH + 3, depthIdentifier: 'tree' },
          fc.constant([]),
          fc.array(tie('node'), { maxLength: 4 }),
        ),
      }),
    })).node;
    const photo = fixture('vknet/PhotoNewTest.json').object;
    let id = 0;
    const toBody = (tree: Node): Record<string, unknown> => {
      id += 1;
      const body: Record<string, unknown> = {
        id,
        owner_id: -1234,
        post_id: 7,
        from_id: tree.ours ? -GROUP : 100 + id,
        date: 1_733_300_000 + id,
        text: tree.text,
        important: false,
        attachments: Array.from({ length: tree.photos }, () => ({ type: 'photo', photo })),
      };
      const children = tree.children.map((child) => ({ child, body: toBody(child) }));
      for (const { child, body: inner } of children)
        if (child.as === 0) body.fwd_messages = [...((body.fwd_messages as unknown[]) ?? []), inner];
        else if (child.as === 1) body.reply_message = inner;
        else if (child.as === 2) body.copy_history = [...((body.copy_history as unknown[]) ?? []), inner];
        else (body.attachments as unknown[]).push({ type: 'wall', wall: inner });
      return body;
    };
    // In a group chat a message is an inquiry only if written to the community: replying to or forwarding
    // one of its messages is, wherever among the others (a reply among many forwards is read past the bounds).
    const peer = fc.constantFrom(123456789, 2000000005);
    const first = fc.record({ as: fc.integer({ min: 0, max: 1 }), ours: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 60 }),
        first,
        peer,
        (trees, many, last, peerId) => {
          const body = callbackBody('03_message_new__vknet.json');
          const object = body.object as { message: Record<string, unknown> };
          // Many short messages forwarded before the trees: past the 50 kept, the rest are left out.
          const forwarded = [
            ...Array.from({ length: many }, () =>
              toBody({ text: 'да', photos: 0, children: [], as: 0, ours: false }),
            ),
            ...trees.map(toBody),
          ];
          const reply = toBody({
            text: 'Ваше обращение принято',
            photos: 0,
            children: [],
            as: 1,
            ours: last.ours,
          });
          const message = {
            ...object.message,
            peer_id: peerId,
            fwd_messages: last.as === 0 ? [...forwarded, reply] : forwarded,
            ...(last.as === 1 && { reply_message: reply }),
          };
          const event = eventOf({ ...body, object: { ...object, message } });
          const before = citizenWordsOf(event);
          expect(citizenWordsOf(trimVkEvent(event).event)).toEqual(before);
          const edit = eventOf({ ...body, type: 'message_edit', object: message });
          expect(interpretVkEvent(trimVkEvent(edit).event)).toEqual(interpretVkEvent(edit));
        },
      ),
      { numRuns: 150 },
    );
  });
});
