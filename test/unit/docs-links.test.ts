import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, links } from '../support/markdown.js';

/** The documents ops and developers read: README.md and docs/. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

/** A link to another site, or a mail address: not ours to check. */
const external = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the links of the documents', () => {
  it.each(DOCUMENTS)('%s links only to files there are and to their headings', (document) => {
    const broken = links(readFileSync(document, 'utf8')).flatMap(({ target, line }) => {
      if (external(target)) return [];
      const [path = '', fragment] = target.split('#');
      const file = path === '' ? document : normalize(join(dirname(document), decodeURIComponent(path)));
      if (!existsSync(file)) return [`${document}:${line}: ${target}: no such file`];
      if (fragment === undefined || statSync(file).isDirectory() || !file.endsWith('.md')) return [];
      return anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(fragment))
        ? []
        : [`${document}:${line}: ${target}: no such heading in ${file}`];
    });
    expect(broken).toEqual([]);
  });
});
