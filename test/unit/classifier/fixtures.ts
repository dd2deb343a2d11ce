import { readFileSync } from 'node:fs';

/** The rows of a JSON-lines file of hand-written example phrasings (never rows of the training data). */
export function readFixtureRows<Row extends { text: string }>(name: string): Row[] {
  return readFileSync(new URL(`../../fixtures/classifier/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

/** The texts of a fixture file. */
export function readFixture(name: string): string[] {
  return readFixtureRows(name).map((row) => row.text);
}
