import { callbackBody, fixture } from './fixtures.js';

/**
 * Direct messages as large as a citizen makes them by forwarding a long conversation, built on the recorded
 * `message_new` and `photo_new` payloads: the shapes ingest once refused with 413 (each over 256 KiB).
 */

/** A recorded photo (photo_new's object) with the long signed URLs VK gives today, about 2.7 KB in all. */
function photo(index: number): Record<string, unknown> {
  const recorded = fixture('vknet/PhotoNewTest.json').object as { sizes: { url: string }[] };
  const sign = `${index.toString(16).padStart(8, '0')}${'a1b2c3d4'.repeat(3)}`;
  const signed = (url: string) =>
    `${url}?size=1280x960&quality=95&sign=${sign}&c_uniq_tag=${'Zx9_'.repeat(11)}&type=album`;
  const sizes = recorded.sizes.map((size) => ({ ...size, url: signed(size.url) }));
  // API 5.199 adds the original upload beside the sizes.
  const largest = sizes.at(-1) as { url: string };
  return { ...recorded, id: 457_239_000 + index, sizes, orig_photo: { ...largest, type: 'base' } };
}

/** Citizen-like Russian text of `length` characters (two UTF-8 bytes each, as Cyrillic is). */
export function russianText(length: number, seed = 0): string {
  const words = `Сообщение ${seed}: во дворе дома по улице Ленина снова не убран мусор, контейнеры переполнены. `;
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

function forwarded(index: number, text: string, photos: number): Record<string, unknown> {
  return {
    date: 1_733_300_000 + index,
    from_id: 200_000 + index,
    text,
    attachments: Array.from({ length: photos }, (_, n) => ({ type: 'photo', photo: photo(index * 10 + n) })),
    conversation_message_id: 1000 + index,
    peer_id: 200_000 + index,
    id: 0,
  };
}

export const CITIZEN_TEXT = 'Пересылаю переписку с управляющей компанией, прошу разобраться';

/**
 * A direct message from `citizenId` (the recorded one when not given) forwarding `count` messages of `length`
 * characters with `photos` photos each.
 */
function forwardingMessage(
  eventId: string,
  count: number,
  length: number,
  photos = 0,
  citizenId?: number,
): Record<string, unknown> {
  const body = callbackBody('03_message_new__vknet.json', { event_id: eventId });
  const object = body.object as { message: Record<string, unknown> };
  return {
    ...body,
    object: {
      ...object,
      message: {
        ...object.message,
        ...(citizenId !== undefined && { from_id: citizenId, peer_id: citizenId }),
        text: CITIZEN_TEXT,
        fwd_messages: Array.from({ length: count }, (_, index) =>
          forwarded(index, russianText(length, index), photos),
        ),
      },
    },
  };
}

/** The three shapes, by name: each body is over 256 KiB. */
export const LARGE_SHAPES = {
  '10 forwarded messages with 10 photos each': (eventId: string, citizenId?: number) =>
    forwardingMessage(eventId, 10, 600, 10, citizenId),
  '100 forwarded messages of 1,500 characters': (eventId: string, citizenId?: number) =>
    forwardingMessage(eventId, 100, 1500, 0, citizenId),
  '40 forwarded messages of 4,096 characters': (eventId: string, citizenId?: number) =>
    forwardingMessage(eventId, 40, 4096, 0, citizenId),
} as const;
