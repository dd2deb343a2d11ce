import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm run eval` writes docs/classifier.md whole from the template in scripts/classifier/report.ts, so a section
 * written into the document alone is lost at the next evaluation. Each heading of the document must be the
 * template's (the evaluation's date aside, which the template fills in: only that heading's start is compared).
 */
describe('docs/classifier.md', () => {
  it('has no section the evaluation report would not write again', () => {
    const template = readFileSync('scripts/classifier/report.ts', 'utf8');
    const headings = readFileSync('docs/classifier.md', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^(## Evaluation \()\d{4}-\d{2}-\d{2}\)$/, '$1'));
    expect(headings).toContain('## Evaluation (');
    expect(headings.length).toBeGreaterThan(5);
    for (const heading of headings) expect(template, heading).toContain(heading);
  });

  it('has no line outside the evaluation the report would not write again', () => {
    // The template's text as it writes it: its escaped backquotes and dollars unescaped.
    const template = readFileSync('scripts/classifier/report.ts', 'utf8').replace(/\\([`$\\])/g, '$1');
    let inEvaluation = false;
    const lost = readFileSync('docs/classifier.md', 'utf8')
      .split('\n')
      .filter((line) => {
        if (line.startsWith('## ')) inEvaluation = line.startsWith('## Evaluation');
        // The evaluation's sections, and lines with a figure in them, are the report's own filling.
        return !inEvaluation && line.trim() !== '' && !/\d/.test(line) && !template.includes(line);
      });
    expect(lost).toEqual([]);
  });
});
