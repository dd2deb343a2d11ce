/**
 * What GitHub makes of a Markdown document's headings and links, for the tests that hold the documents to
 * their own links and to the alarms they describe. Fenced code is no Markdown: its `#` lines and brackets are
 * left out.
 */

/** The lines outside fenced code blocks (``` or ~~~). */
export function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

interface Heading {
  level: number;
  /** As written, Markdown and all. */
  text: string;
  /** The fragment GitHub gives it (`#` left out). */
  anchor: string;
}

/**
 * A heading's text as GitHub renders it: code spans' text without the backticks, a link's text without its
 * address, no emphasis markers.
 */
const rendered = (text: string): string =>
  text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*+/g, '')
    .trim();

/**
 * GitHub's anchor for a heading (github-slugger): lower case, every character but letters, digits, `_`, `-`
 * and spaces dropped (so `<queue>DeadLetters` is `queuedeadletters`), each space a hyphen.
 * https://github.com/Flet/github-slugger
 */
const slug = (text: string): string =>
  rendered(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

/** The document's headings, each with its anchor; a repeated one gets `-1`, `-2` as GitHub does. */
export function headings(text: string): Heading[] {
  const seen = new Map<string, number>();
  return proseLines(text).flatMap((line) => {
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) return [];
    const [, hashes = '', written = ''] = match;
    const base = slug(written);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return [{ level: hashes.length, text: written, anchor: count === 0 ? base : `${base}-${count}` }];
  });
}

/** Every anchor a link may name in the document: its headings' and its HTML elements' `id` or `name`. */
export function anchors(text: string): Set<string> {
  const html = proseLines(text).flatMap((line) =>
    [...line.matchAll(/<[a-z]+\s[^>]*\b(?:id|name)="([^"]+)"/g)].map(([, id]) => id ?? ''),
  );
  return new Set([...headings(text).map((heading) => heading.anchor), ...html]);
}

interface Link {
  /** The address as written: a path, a fragment, or both. */
  target: string;
  line: number;
}

/**
 * The document's links and images (`[text](target)`, `[text](<target>)`) outside code, with the line each is
 * on. Inline code is left out too: `[x](y)` in backticks is an example, not a link.
 */
export function links(text: string): Link[] {
  const found: Link[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence !== undefined) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const [, target = ''] of prose.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g))
      found.push({ target, line: index + 1 });
  });
  return found;
}

export interface Section extends Heading {
  /** The lines after the heading, up to the next heading of its level or above, fenced code left out. */
  body: string;
}

/** The document's headings of one level, each with what it holds. */
export function sections(text: string, level: number): Section[] {
  const all = headings(text);
  const found: Section[] = [];
  let index = -1;
  let current: Section | undefined;
  for (const line of proseLines(text)) {
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading) {
      index += 1;
      const opened = all[index] as Heading;
      if (current && opened.level <= level) current = undefined;
      if (opened.level === level) {
        current = { ...opened, body: '' };
        found.push(current);
      }
      continue;
    }
    if (current) current.body += `${line}\n`;
  }
  return found;
}
