/**
 * Measures the training recipe on a validation split held out from the Perm appeals file (fixed seed,
 * stratified by category): trains on the rest, scores the held-out rows, prints the figures and writes
 * docs/classifier.md. The shipped model (npm run train) is the same recipe retrained on every row.
 * Then, to see how the recipe carries over to places it has not read, it trains on the training part's rows
 * that name no town but Perm and scores those that name another town (the validation split stays unread).
 * Recipes are compared on an inner split of the training part (scripts/inner.ts, scripts/tune.ts), never here.
 * Usage: npm run eval [-- path/to/appeals.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { SerialisedModel } from '../lambdas/domain/classifier/model.js';
import { CATEGORIES } from '../lambdas/domain/taxonomy.js';
import { failureOf } from '../ops/command-line.js';
import { labelAgreement } from './classifier/agreement.js';
import { DATASET_USAGE, datasetArgument, readAppeals } from './classifier/command-line.js';
import { measure, summarise } from './classifier/measure.js';
import { renderReport } from './classifier/report.js';
import { stratifiedSplit } from './classifier/split.js';
import { splitByTown } from './classifier/towns.js';

const USAGE = `Measures the classifier's training recipe on a validation split held out from the appeals file,
prints the figures and rewrites docs/classifier.md with them. The shipped model (model/) is left as it is:
npm run train retrains it on every row.

  npm run eval [-- <appeals.csv>]

${DATASET_USAGE}`;

/**
 * Held-out labelled rows below which the figures say nothing: one row moves accuracy by more than 1 %, and a
 * category has none to be measured on. docs/classifier.md is then left as it is.
 */
const MIN_VALIDATION_ROWS = 100;

const appeals = readAppeals('eval', datasetArgument('eval', USAGE));
const { train, validation } = stratifiedSplit(appeals);
const heldOutLabelled = validation.filter((appeal) => appeal.category !== undefined).length;
if (heldOutLabelled < MIN_VALIDATION_ROWS)
  failureOf('eval')(
    `the validation split holds ${heldOutLabelled} labelled rows, too few to measure on (at least ` +
      `${MIN_VALIDATION_ROWS}): give a larger appeals file; docs/classifier.md is left as it is`,
  );
const m = measure(train, validation);
const { home, away } = splitByTown(train);
const towns = measure(home, away);
const agreement = labelAgreement(train);

let shipped = 'none yet (run npm run train)';
try {
  shipped = (
    JSON.parse(readFileSync(new URL('../model/classifier.json', import.meta.url), 'utf8')) as SerialisedModel
  ).version;
} catch {}

const markdown = renderReport({
  date: new Date().toISOString().slice(0, 10),
  evaluatedVersion: m.model.version,
  shippedVersion: shipped,
  trainRows: train.length,
  validationRows: m.labelledRows,
  topicalRows: m.topicalRows,
  trainingSeconds: m.trainingSeconds,
  report: m.report,
  priority: m.priority,
  tradeOff: m.tradeOff,
  ruledTradeOff: m.ruledTradeOff,
  ruled: m.ruled,
  ruledCategories: m.ruledCategories,
  byLength: m.byLength,
  agreement,
  criticalShare: m.criticalShare,
  triageShare: m.triageShare,
  routedAccuracy: m.routedAccuracy,
  triageThreshold: m.model.triageThreshold,
  highThreshold: m.model.high.threshold,
  notInquiries: m.notInquiries,
  validationAll: m.heldAll,
  towns: {
    trainRows: home.length,
    labelledRows: towns.labelledRows,
    topicalRows: towns.topicalRows,
    report: towns.report,
    priority: towns.priority,
    tradeOff: towns.tradeOff,
    ruledTradeOff: towns.ruledTradeOff,
    ruledCategories: towns.ruledCategories,
  },
});
writeFileSync(new URL('../docs/classifier.md', import.meta.url), markdown);

console.log(`validation split: ${train.length} rows to train, ${validation.length} held out`);
for (const line of summarise(m)) console.log(line);
console.log(
  `operators' agreement on ${agreement.pairs} pairs of training texts that are the same or nearly: ` +
    `${((100 * agreement.agreeing) / Math.max(1, agreement.pairs)).toFixed(1)}%`,
);
console.log('confusion matrix (rows: actual, columns: predicted):');
console.log(`${''.padEnd(14)}${CATEGORIES.map((c) => c.slice(0, 5).padStart(6)).join('')}`);
m.report.confusion.forEach((row, k) => {
  console.log(`${(CATEGORIES[k] ?? '').padEnd(14)}${row.map((n) => String(n).padStart(6)).join('')}`);
});
console.log(
  `towns other than Perm: trained on ${home.length} rows naming none, held out ${away.length} naming one`,
);
for (const line of summarise(towns)) console.log(line);
console.log('written docs/classifier.md');
