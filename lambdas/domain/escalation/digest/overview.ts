import type { CommentedPlace } from '../../operator/list-criteria.js';
import { CATEGORY_NAMES } from '../../taxonomy.js';
import type { Listed } from './deadline-digest.js';
import { plural } from './numbers.js';

/** From how many inquiries an e-mail opens with its overview: fewer are read at a glance. */
export const OVERVIEW_FROM = 10;

/** The places named: the largest groups; a mass incident is one post or topic, seldom more. */
const PLACES_NAMED = 3;

/** What the comments are under, as a head reads it: "комментарии к записи", "… в обсуждении". */
const COMMENTS_UNDER: Record<CommentedPlace['kind'], string> = {
  wall: 'комментарии к записи',
  topic: 'комментарии в обсуждении',
  photo: 'комментарии к фотографии',
  video: 'комментарии к видеозаписи',
  product: 'комментарии к товару',
};

/**
 * "комментарии в обсуждении https://vk.com/topic-123_5": the place by its address in VK, which the operator
 * API's `post` filter takes, as it takes the address's last part (`topic-123_5`).
 */
const placeLine = ({ kind, ownerId, id }: CommentedPlace) =>
  `${COMMENTS_UNDER[kind]} https://vk.com/${kind}${ownerId}_${id}`;

const SECTIONS = [
  ['critical', 'критические'],
  ['breach', 'просрочены'],
  ['warning', 'скоро срок'],
] as const;

/** "ЖКХ — 240, Дороги — 10": counts by name, the largest first, ties by name. */
function countedBy(names: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
}

/**
 * What an e-mail of many inquiries holds, above their blocks, so that a head sees a mass incident at once ("212
 * обращений — комментарии к записи https://vk.com/wall-123_42"): in a part of a split digest, its own count by
 * section (the first line counts the whole digest); the posts, board topics, photos, videos and products
 * several of its inquiries comment on, the largest first; its inquiries by category. Of the inquiries `listed`
 * in this e-mail alone. No citizen's words nor ids: a place's address names the community's.
 */
export function overviewOf(listed: readonly Listed[], part: boolean): string[] {
  if (listed.length < OVERVIEW_FROM) return [];
  const notifications = listed.map((one) => one.notification);
  const lines: string[] = [];
  if (part) {
    const sections = SECTIONS.flatMap(([kind, title]) => {
      const count = notifications.filter((one) => one.kind === kind).length;
      return count > 0 ? [`${title} — ${count}`] : [];
    });
    lines.push(`по разделам: ${sections.join(', ')}`);
  }
  const places = countedBy(notifications.flatMap(({ place }) => (place ? [placeLine(place)] : [])));
  for (const [place, count] of places.filter(([, count]) => count > 1).slice(0, PLACES_NAMED))
    lines.push(`${count} ${plural(count, 'обращение', 'обращения', 'обращений')} — ${place}`);
  const categories = countedBy(notifications.map(({ category }) => CATEGORY_NAMES[category] ?? category));
  lines.push(`по категориям: ${categories.map(([name, count]) => `${name} — ${count}`).join(', ')}`);
  return ['', 'Кратко о письме:', ...lines.map((line) => `- ${line}`)];
}
