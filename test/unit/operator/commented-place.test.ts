import { describe, expect, it } from 'vitest';
import { commentedPlaceOf } from '../../../lambdas/domain/operator/commented-place.js';

const wall42 = { kind: 'wall', ownerId: -123456789, id: 42 };

/**
 * commentedPlaceOf on its own: the operator API's contract refuses much before it is asked (a shape of the
 * forms it takes), and what it lets through is read here alone.
 */
describe('the place an operator names', () => {
  it('is read from its short form, a wall post with or without its word', () => {
    expect(commentedPlaceOf('-123456789_42')).toEqual(wall42);
    expect(commentedPlaceOf('wall-123456789_42')).toEqual(wall42);
    expect(commentedPlaceOf('wall5_42')).toEqual({ kind: 'wall', ownerId: 5, id: 42 });
    expect(commentedPlaceOf('topic-123456789_5')).toEqual({ kind: 'topic', ownerId: -123456789, id: 5 });
    expect(commentedPlaceOf('-123456789012345_123456789012345')).toEqual({
      kind: 'wall',
      ownerId: -123456789012345,
      id: 123456789012345,
    });
  });

  it('is read from its address, on each of VK’s hosts, with or without its scheme', () => {
    for (const address of [
      'https://vk.com/wall-123456789_42',
      'http://vk.com/wall-123456789_42',
      'vk.com/wall-123456789_42',
      'm.vk.ru/wall-123456789_42',
      'HTTPS://vk.com/wall-123456789_42',
      'Https://vk.com/wall-123456789_42',
      'https://vkontakte.ru/wall-123456789_42',
      'http://www.vkontakte.ru/wall-123456789_42',
      'https://www.vk.com/wall-123456789_42?reply=7',
      'https://vk.com/club123456789?w=wall-123456789_42/all',
    ])
      expect(commentedPlaceOf(address), address).toEqual(wall42);
    expect(commentedPlaceOf('https://vk.com/club1?z=photo-123456789_7/album-123456789_0')).toEqual({
      kind: 'photo',
      ownerId: -123456789,
      id: 7,
    });
  });

  it('is read from a video’s address on VK Video’s own site', () => {
    const video8 = { kind: 'video', ownerId: -123456789, id: 8 };
    for (const address of [
      'https://vkvideo.ru/video-123456789_8',
      'vkvideo.ru/video-123456789_8?list=ln-abc',
      'https://m.vkvideo.ru/video-123456789_8',
    ])
      expect(commentedPlaceOf(address), address).toEqual(video8);
  });

  it('is no place for anything else', () => {
    for (const text of [
      // A wall post goes without its word only outside an address.
      'https://vk.com/-123456789_42',
      // No leading zero, no id 0, no more than 15 digits.
      '-0123456789_42',
      'https://vk.com/wall-0123456789_42',
      'https://vk.com/wall-123456789_0',
      'https://vk.com/wall-1234567890123456_42',
      'https://vk.com/wall-123456789_1234567890123456',
      // Not the whole name.
      'https://vk.com/xwall-123456789_42',
      'https://vk.com/wall-123456789_42x',
      // Another host, a port, a user or a password, another scheme.
      'https://evilvk.com/wall-123456789_42',
      'https://vk.com.evil.example/wall-123456789_42',
      'https://vk.community/wall-123456789_42',
      'https://vk.com:8443/wall-123456789_42',
      'https://user@vk.com/wall-123456789_42',
      'https://:secret@vk.com/wall-123456789_42',
      'ftp://vk.com/wall-123456789_42',
      // A page, not a place, under which nothing is opened.
      'https://vk.com/club123456789',
      'https://vk.com/club123456789?w=album-123456789_0',
      // VK Video's site names videos only, and opens nothing over its pages.
      'https://vkvideo.ru/wall-123456789_42',
      'https://vkvideo.ru/club123456789?z=video-123456789_8',
      'https://vkvideo.com/video-123456789_8',
    ])
      expect(commentedPlaceOf(text), text).toBeUndefined();
  });
});
