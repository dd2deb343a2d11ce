import { describe, expect, it } from 'vitest';
import { vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { locationOf, placeWordsOf } from '../../../lambdas/domain/vk/location.js';
import { toCitizenMessage } from '../../../lambdas/domain/vk/normalise.js';
import { routingWordsOf } from '../../../lambdas/domain/vk/quoted.js';
import { fixture } from '../../support/fixtures.js';

const event = (body: Record<string, unknown>) => vkEventSchema.parse(body);

/** A message's geo as VK's schema gives it (base_geo): coordinates as an object, a place with its names. */
const messageGeo = {
  type: 'point',
  coordinates: { latitude: 58.0105, longitude: 56.2502 },
  place: { title: 'Пермь, ул. Ленина, 12', city: 'Пермь', country: 'Россия', latitude: 0, longitude: 0 },
};

describe('a location a citizen shares', () => {
  it('keeps the coordinates, the place as VK names it, and a link to the point on the map', () => {
    expect(locationOf(messageGeo)).toEqual({
      latitude: 58.0105,
      longitude: 56.2502,
      title: 'Пермь, ул. Ленина, 12',
      city: 'Пермь',
      country: 'Россия',
      mapUrl: 'https://yandex.ru/maps/?pt=56.2502,58.0105&z=17&l=map',
    });
  });

  it("reads a post's coordinates, a string of latitude and longitude, or else the place's own", () => {
    expect(locationOf({ type: 'point', coordinates: '58.0105 56.2502' })).toMatchObject({
      latitude: 58.0105,
      longitude: 56.2502,
    });
    expect(
      locationOf({
        type: 'place',
        place: { title: 'Сквер', address: 'ул. Мира, 3', latitude: 58, longitude: 56 },
      }),
    ).toEqual({
      latitude: 58,
      longitude: 56,
      title: 'Сквер',
      address: 'ул. Мира, 3',
      mapUrl: 'https://yandex.ru/maps/?pt=56,58&z=17&l=map',
    });
  });

  it('is nothing without coordinates on Earth, and leaves out ids where a name was expected', () => {
    for (const geo of [
      undefined,
      null,
      'geo',
      { type: 'point' },
      { coordinates: { latitude: 91, longitude: 10 } },
      { coordinates: 'north east' },
      { coordinates: { latitude: '58', longitude: Number.NaN } },
    ])
      expect(locationOf(geo), JSON.stringify(geo)).toBeUndefined();
    const withIds = locationOf({
      coordinates: { latitude: 1, longitude: 2 },
      place: { city: 1, country: 1 },
    });
    expect(withIds).toEqual({
      latitude: 1,
      longitude: 2,
      mapUrl: 'https://yandex.ru/maps/?pt=2,1&z=17&l=map',
    });
    const long = locationOf({
      coordinates: { latitude: 1, longitude: 2 },
      place: { title: 'я'.repeat(5000) },
    });
    expect(long?.title).toHaveLength(300);
  });

  it('comes with a direct message and with a post, beside the geo counted among the attachments', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const direct = toCitizenMessage(
      event({
        type: 'message_new',
        group_id: 1,
        object: { message: { ...message, text: '', geo: messageGeo } },
      }),
    );
    expect(direct?.location).toMatchObject({ title: 'Пермь, ул. Ленина, 12', latitude: 58.0105 });
    expect(direct?.attachments).toEqual([{ kind: 'geo', count: 1 }]);
    const post = toCitizenMessage(
      event({
        type: 'wall_post_new',
        group_id: 1,
        object: {
          id: 5,
          owner_id: -1,
          from_id: 7,
          date: 1772431200,
          text: 'Яма',
          geo: { coordinates: '58 56' },
        },
      }),
    );
    expect(post?.location).toMatchObject({ latitude: 58, longitude: 56 });
    expect(post?.attachments).toEqual([{ kind: 'geo', count: 1 }]);
    const plain = toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { message } }));
    expect(plain).not.toHaveProperty('location');
  });

  it("is routed on by its place's names, not classified on", () => {
    const location = locationOf(messageGeo);
    expect(placeWordsOf(location)).toBe('Пермь, ул. Ленина, 12, Пермь');
    expect(routingWordsOf({ groupId: 1, text: 'Яма', location })).toBe(
      'Яма.\n\nПермь, ул. Ленина, 12, Пермь',
    );
    expect(routingWordsOf({ groupId: 1, text: '', location })).toBe('Пермь, ул. Ленина, 12, Пермь');
    expect(routingWordsOf({ groupId: 1, text: 'Яма' })).toBe('Яма');
  });
});
