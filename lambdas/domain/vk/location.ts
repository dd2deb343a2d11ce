import type { SharedLocation } from './citizen-message.js';
import { asRecord, type Loose } from './loose.js';

/** A place's names are short in VK; anything longer is cut, so that a message stays within its bounds. */
const MAX_NAME_LENGTH = 300;

const asName = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().slice(0, MAX_NAME_LENGTH);
  return name === '' ? undefined : name;
};

const asDegrees = (value: unknown, limit: number): number | undefined => {
  const degrees = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof degrees === 'number' && Number.isFinite(degrees) && Math.abs(degrees) <= limit
    ? degrees
    : undefined;
};

function point(latitude: unknown, longitude: unknown): { latitude: number; longitude: number } | undefined {
  const lat = asDegrees(latitude, 90);
  const lon = asDegrees(longitude, 180);
  return lat !== undefined && lon !== undefined ? { latitude: lat, longitude: lon } : undefined;
}

/**
 * The coordinates VK gives: an object `{latitude, longitude}` in a message's geo, a string
 * "<latitude> <longitude>" in a post's (`wall_geo`), or else the place's own.
 */
function coordinatesOf(geo: Loose, place: Loose | undefined) {
  const coordinates = geo.coordinates;
  const object = asRecord(coordinates);
  if (object) return point(object.latitude, object.longitude);
  if (typeof coordinates === 'string') {
    const [latitude, longitude] = coordinates.trim().split(/\s+/);
    const parsed = point(latitude, longitude);
    if (parsed) return parsed;
  }
  return place ? point(place.latitude, place.longitude) : undefined;
}

/**
 * The point on Yandex Maps, with a placemark: `pt` takes the longitude first
 * (https://yandex.com/dev/yandex-apps-launch-maps/doc/ru/concepts/yandexmaps-web).
 */
const mapUrlOf = (latitude: number, longitude: number) =>
  `https://yandex.ru/maps/?pt=${longitude},${latitude}&z=17&l=map`;

/**
 * The location a message or post shares, as VK gives it in `geo` (base_geo of VK's schema, a post's wall_geo:
 * https://dev.vk.com/ru/reference/objects/message, VKCOM/vk-api-schema base/objects.json): its coordinates and,
 * where VK names the place, its title, address, city and country (names; older API versions gave the city and
 * country as ids, which say nothing to an operator and are left out). Nothing without coordinates.
 */
export function locationOf(geo: unknown): SharedLocation | undefined {
  const body = asRecord(geo);
  if (!body) return undefined;
  const place = asRecord(body.place);
  const coordinates = coordinatesOf(body, place);
  if (!coordinates) return undefined;
  const title = asName(place?.title);
  const address = asName(place?.address);
  const city = asName(place?.city);
  const country = asName(place?.country);
  return {
    ...coordinates,
    ...(title && { title }),
    ...(address && address !== title && { address }),
    ...(city && { city }),
    ...(country && { country }),
    mapUrl: mapUrlOf(coordinates.latitude, coordinates.longitude),
  };
}

/** The place's names as words, e.g. "Пермь, ул. Ленина, 12": a routing pattern finds a street in them. */
export const placeWordsOf = (location: SharedLocation | undefined): string =>
  location
    ? [location.title, location.address, location.city].filter((name) => name !== undefined).join(', ')
    : '';
