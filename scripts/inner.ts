/**
 * The figures of `npm run eval`, measured on an inner split of the training part: the place to compare
 * recipes (rules, thresholds, features) without ever reading the validation split.
 * Usage: npx tsx scripts/inner.ts [path/to/appeals.csv]; INNER_SEED=7 for another inner split.
 */
import { DEFAULT_DATASET, loadAppeals } from './classifier/dataset.js';
import { measure, summarise } from './classifier/measure.js';
import { stratifiedSplit } from './classifier/split.js';

const INNER_SHARE = 0.15;
const INNER_SEED = Number(process.env.INNER_SEED ?? 42);

const { train } = stratifiedSplit(loadAppeals(process.argv[2] ?? DEFAULT_DATASET));
const { train: inner, validation: held } = stratifiedSplit(train, INNER_SHARE, INNER_SEED);
console.log(`inner split of the training part: ${inner.length} rows to train, ${held.length} held out`);
for (const line of summarise(measure(inner, held))) console.log(line);
