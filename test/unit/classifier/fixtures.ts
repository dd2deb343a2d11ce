import { readFileSync } from 'node:fs';

/** Hand-written example phrasings (never rows of the training data). */
export function readFixture(name: string): string[] {
  return readFileSync(new URL(`../../fixtures/classifier/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);
}
