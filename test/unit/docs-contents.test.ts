import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headings, sections } from '../support/markdown.js';

/** The long documents read by section, which open with a list of their sections. */
const WITH_CONTENTS = ['docs/runbook.md', 'docs/alarms.md', 'docs/operator-api.md', 'docs/updating.md'];

/** The list's lines as written: `- [text](#anchor)`, indented two spaces under its section for a subsection. */
const listed = (body: string) => body.split('\n').filter((line) => /^\s*- /.test(line));

describe('the contents of the long documents', () => {
  it.each(WITH_CONTENTS)('%s lists every section and subsection, in order, each linked', (document) => {
    const text = readFileSync(document, 'utf8');
    const contents = sections(text, 2).find((section) => section.text === 'Contents');
    expect(contents, `${document} has no "## Contents"`).toBeDefined();
    const expected = headings(text)
      .filter((heading) => (heading.level === 2 || heading.level === 3) && heading.text !== 'Contents')
      .map((heading) => `${heading.level === 3 ? '  ' : ''}- [${heading.text}](#${heading.anchor})`);
    expect(listed(contents?.body ?? '')).toEqual(expected);
  });
});
