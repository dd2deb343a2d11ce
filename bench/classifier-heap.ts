/**
 * What a warm classifier holds as it reads texts of words it has not seen: the heap after a full collection,
 * at intervals, first over everyday texts each naming three new words (a surname, a street, a typo), then over
 * texts each holding a new run of 16,000 letters (a word as long as the classifier reads, which a citizen may
 * send). A figure that stays flat is what a container reused for hours needs; one that grows with the texts
 * ends in an out-of-memory crash. Usage: npm run bench:classifier-heap
 */
import { classify } from '../lambdas/adapters/classifier-model.js';
import { benchArguments } from './support/command-line.js';
import { round } from './support/stats.js';

benchArguments(
  'bench:classifier-heap',
  `The classifier's heap over texts of new words (docs/benchmarks.md, "The classifier in a warm container"):
the heap after a full collection every so many texts, for everyday texts and for texts of one long run of
letters. Prints the figures; bench/results/ is left as it is.

  npm run bench:classifier-heap`,
);

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) {
  process.stderr.write('bench:classifier-heap: run with --expose-gc (npm run bench:classifier-heap does)\n');
  process.exit(2);
}

/** The heap in use after a full collection, in MiB. */
const heapMiB = () => {
  collect();
  return round(process.memoryUsage().heapUsed / 2 ** 20, 1);
};

/** A made-up word no other number makes: its digits spelt as letters, then an ending. */
const newWord = (number: number, ending: string) =>
  [...String(number)].map((digit) => 'бвгдзклмнр'[Number(digit)]).join('а') + ending;

/** The heap every `every` texts of `total`, each text made by `text` from its number. */
function heapOver(total: number, every: number, text: (n: number) => string): number[] {
  const figures = [heapMiB()];
  for (let n = 1; n <= total; n++) {
    classify(text(n));
    if (n % every === 0) figures.push(heapMiB());
  }
  return figures;
}

// The model and its first texts settle before the first figure.
for (let n = 0; n < 1000; n++) classify(`Во дворе дома ${n} не вывозят мусор`);

const everyday = heapOver(
  100_000,
  20_000,
  (n) =>
    `Здравствуйте, во дворе дома на улице ${newWord(n, 'ской')} не вывозят мусор, ` +
    `пишу за ${newWord(n, 'ову')}, ${newWord(n, 'ину')} тоже жалуется`,
);
const long = heapOver(1_000, 200, (n) => `помогите ${newWord(n, 'я')}${'ор'.repeat(8_000)}`);

console.log(`heap after a full collection, MiB:
  everyday texts, 0 to 100,000 by 20,000 (three new words each): ${everyday.join(' / ')}
  texts of a new run of 16,000 letters, 0 to 1,000 by 200: ${long.join(' / ')}`);
