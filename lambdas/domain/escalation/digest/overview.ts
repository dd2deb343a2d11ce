import { CATEGORY_NAMES } from '../../taxonomy.js';
import { postLink } from '../../vk/attachments.js';
import type { Listed } from './deadline-digest.js';
import { plural } from './numbers.js';

/** From how many inquiries an e-mail opens with its overview: fewer are read at a glance. */
export const OVERVIEW_FROM = 10;

/** The posts named: the largest groups; a mass incident is one post, seldom more. */
const POSTS_NAMED = 3;

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
 * section (the first line counts the whole digest); the posts several of its inquiries comment on, the largest
 * first; its inquiries by category. Of the inquiries `listed` in this e-mail alone. No citizen's words nor ids:
 * a post's address names the community's wall.
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
  const posts = countedBy(
    notifications.flatMap(({ post }) => (post ? (postLink(post.ownerId, post.postId) ?? []) : [])),
  );
  for (const [link, count] of posts.filter(([, count]) => count > 1).slice(0, POSTS_NAMED))
    lines.push(
      `${count} ${plural(count, 'обращение', 'обращения', 'обращений')} — комментарии к записи ${link}`,
    );
  const categories = countedBy(notifications.map(({ category }) => CATEGORY_NAMES[category] ?? category));
  lines.push(`по категориям: ${categories.map(([name, count]) => `${name} — ${count}`).join(', ')}`);
  return ['', 'Кратко о письме:', ...lines.map((line) => `- ${line}`)];
}
