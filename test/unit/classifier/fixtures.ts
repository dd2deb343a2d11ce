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

/**
 * A word of Cyrillic letters that no other call of this makes: the number spelt in letters, then `я`, then
 * `ор` over and over (no letter three times in a row, which normalising would fold).
 */
export const distinctWord = (number: number, length: number) => {
  const spelt = [...String(number)].map((digit) => 'абвгдежзик'[Number(digit)]).join('');
  return `${spelt}я${'ор'.repeat(length)}`.slice(0, length);
};
