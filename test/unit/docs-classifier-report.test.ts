import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docs/classifier.md is written whole by `npm run eval` (scripts/classifier/report.ts): a line edited in the
 * document alone is lost at the next evaluation. Each of its lines must come from a line of the report's
 * template, its `${…}` read as any text; code blocks and table rows, built by loops, are left out.
 */
const INTERPOLATION = /\$\{(?:[^{}]|\{[^{}]*\})*\}/;
const unescaped = (text: string) =>
  text.replaceAll('\\`', '`').replaceAll('\\\\', '\\').replaceAll('\\$', '$');
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each line of the template as a pattern of the lines it writes. */
function templateLines(source: string): RegExp[] {
  return source.split('\n').flatMap((line) => {
    // A line that opens the template (`return \`# Inquiry classifier`) writes only what follows its backtick.
    const written = line.split(/(?<!\\)`/).at(-1) ?? line;
    const parts = written.split(new RegExp(INTERPOLATION.source, 'g'));
    if (parts.join('').trim().length < 2) return [];
    return [new RegExp(`^${parts.map((part) => escaped(unescaped(part))).join('.*')}$`)];
  });
}

/** The document's lines of prose: not code blocks, not table rows, not blank. */
function proseLines(document: string): string[] {
  let inCode = false;
  return document.split('\n').filter((line) => {
    if (line.startsWith('```')) inCode = !inCode;
    return !inCode && !line.startsWith('```') && line.trim() !== '' && !line.trimStart().startsWith('|');
  });
}

/** The document's lines no line of the template writes. */
const unwritten = (document: string, template: RegExp[]) =>
  proseLines(document).filter((line) => !template.some((pattern) => pattern.test(line)));

describe('docs/classifier.md', () => {
  const template = templateLines(readFileSync('scripts/classifier/report.ts', 'utf8'));

  it('holds no line the evaluation does not write', () => {
    expect(unwritten(readFileSync('docs/classifier.md', 'utf8'), template)).toEqual([]);
  });

  it('would show a line written in the document alone', () => {
    const edited = `${readFileSync('docs/classifier.md', 'utf8')}\nA paragraph written here and nowhere else.\n`;
    expect(unwritten(edited, template)).toEqual(['A paragraph written here and nowhere else.']);
  });
});
