import { COMMENTED_PLACES, type CommentedPlace } from './list-criteria.js';

/**
 * A place as VK names it, `<kind><owner>_<id>` (`wall-123456789_42`, `topic-123456789_5`): the owner a
 * community's negative id or a person's. Up to 15 digits each, well past VK's ids and within the integers a JS
 * number holds exactly.
 */
const PLACE_NAME = new RegExp(`^(${COMMENTED_PLACES.join('|')})?(-?[1-9][0-9]{0,14})_([1-9][0-9]{0,14})$`);

/**
 * VK's sites as a browser's address bar shows them: `vk.com`, `vk.ru`, and their `m.` and `www.` hosts; and
 * `vkontakte.ru`, its former name, which still leads to the same pages and stands in old links citizens and
 * colleagues pass on (as mentions.ts's VK_LINK reads it).
 */
const VK_HOST = /^(?:(?:m|www)\.)?(?:vk\.(?:com|ru)|vkontakte\.ru)$/;

/**
 * VK Video's own site, where the browser shows a community's video as `https://vkvideo.ru/video-123456789_8`,
 * the same name as on `vk.com`: it names videos only.
 */
const VK_VIDEO_HOST = /^(?:(?:m|www)\.)?vkvideo\.ru$/;

/**
 * The parameters by which VK's web client opens a post, product (`w`), photo or video (`z`) over another page,
 * as in `https://vk.com/club123456789?w=wall-123456789_42`: no VK reference lists them; the sources are
 * mentions.ts's (LINKED_PERSON). What follows a `/` in them is the list it was opened from
 * (`z=photo-123456789_7/album-123456789_0`, `w=wall-123456789_42/all`).
 */
const OPENED_OVER = ['w', 'z'];

/** `wall-1_42`, or `-1_42` when `bare` (a wall post may go without its word outside an address). */
function placeNamed(name: string, bare: boolean): CommentedPlace | undefined {
  const [, kind, owner, id] = name.match(PLACE_NAME) ?? [];
  if (!owner || !id || (kind === undefined && !bare)) return undefined;
  return {
    kind: COMMENTED_PLACES.find((each) => each === kind) ?? 'wall',
    ownerId: Number(owner),
    id: Number(id),
  };
}

/**
 * A place's address in VK as a browser shows it (`https://vk.com/wall-123456789_42?reply=7`, with or without
 * `https://`, on `m.vk.com` or `vk.ru`; a video's on `vkvideo.ru` too): the place opened over the page when one
 * is (`?w=`, `?z=`), else the page's own. What else the address carries (the comment it opens at, `?reply=`,
 * `?post=`) names no other place.
 */
function placeAddressed(address: string): CommentedPlace | undefined {
  let url: URL;
  try {
    // A scheme in any case, as a browser takes one typed or copied (`HTTPS://VK.COM/…`); the host's case the
    // URL parser lowers.
    url = new URL(/^https?:\/\//i.test(address) ? address : `https://${address}`);
  } catch {
    return undefined;
  }
  if (url.port !== '' || url.username !== '' || url.password !== '') return undefined;
  if (VK_VIDEO_HOST.test(url.hostname)) {
    const video = placeNamed(url.pathname.slice(1), false);
    return video?.kind === 'video' ? video : undefined;
  }
  if (!VK_HOST.test(url.hostname)) return undefined;
  for (const parameter of OPENED_OVER) {
    const opened = url.searchParams.get(parameter)?.split('/')[0];
    const place = opened === undefined ? undefined : placeNamed(opened, false);
    if (place) return place;
  }
  return placeNamed(url.pathname.slice(1), false);
}

/**
 * The place citizens comment under that an operator names: as VK names it (`-123456789_42`,
 * `wall-123456789_42`, `topic-123456789_5`, `photo-…`, `video-…`, `product-…`) or by its address in VK, as
 * copied from the browser (`https://vk.com/wall-123456789_42`). Each kind names only its own: `-1_5` is the
 * wall post 5. Undefined for anything else.
 */
export function commentedPlaceOf(text: string): CommentedPlace | undefined {
  return placeNamed(text, true) ?? placeAddressed(text);
}
