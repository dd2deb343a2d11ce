/**
 * Measures the training recipe on a validation split held out from the Perm appeals file (fixed seed,
 * stratified by category): trains on the rest, scores the held-out rows, prints the figures and writes
 * docs/classifier.md. The shipped model (npm run train) is the same recipe retrained on every row.
 * Usage: npm run eval [-- path/to/appeals.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createClassifier } from '../lambdas/domain/classifier/classifier.js';
import { extractTerms, vectorise } from '../lambdas/domain/classifier/features.js';
import { decodeModel, highProbability, type SerialisedModel } from '../lambdas/domain/classifier/model.js';
import { normaliseText } from '../lambdas/domain/classifier/normalise.js';
import { CATEGORIES, type Category } from '../lambdas/domain/taxonomy.js';
import { DEFAULT_DATASET, loadAppeals } from './classifier/dataset.js';
import { binaryScores, categoryReport, rankingTradeOff } from './classifier/metrics.js';
import { renderReport } from './classifier/report.js';
import { stratifiedSplit } from './classifier/split.js';
import { TRAINING, trainModel } from './classifier/train-model.js';
import { RECIPE, withVersion } from './classifier/version.js';

const started = Date.now();
const appeals = loadAppeals(process.argv[2] ?? DEFAULT_DATASET);
const { train, validation } = stratifiedSplit(appeals);
const evaluated = withVersion(trainModel(train, ''), RECIPE);
const trainingSeconds = (Date.now() - started) / 1000;
const decoded = decodeModel(evaluated);
const classify = createClassifier(decoded);

const labelled = validation.filter((appeal) => appeal.category !== undefined);
const answers = labelled.map((appeal) => classify(appeal.text));
const actual = labelled.map((appeal) => appeal.category as Category);
const report = categoryReport(
  CATEGORIES,
  actual,
  answers.map((answer) => answer.category),
);
const routed = answers.flatMap((answer, i) => (answer.triage || !answer.inquiry ? [] : [i]));
const routedAccuracy =
  routed.filter((i) => answers[i]?.category === actual[i]).length / Math.max(1, routed.length);

const topical = validation.filter((appeal) => appeal.priorityTopic !== undefined);
const priorities = topical.map((appeal) => classify(appeal.text).priority);
const priority = binaryScores(
  topical.map((appeal) => appeal.priorityTopic === true),
  priorities.map((p) => p !== 'normal'),
);
// The `★` score alone, at every threshold: what the priority model can reach, for the record (no choice is
// made here; the shipped threshold comes from the calibration rows in training).
const tradeOff = rankingTradeOff(
  topical.map((appeal) => ({
    score: highProbability(decoded, vectorise(extractTerms(normaliseText(appeal.text)), decoded.vocabulary)),
    positive: appeal.priorityTopic === true,
  })),
  TRAINING.highPrecision,
  TRAINING.highRecall,
);
const notInquiries = validation.filter((appeal) => !classify(appeal.text).inquiry).length;

let shipped = 'none yet (run npm run train)';
try {
  shipped = (
    JSON.parse(readFileSync(new URL('../model/classifier.json', import.meta.url), 'utf8')) as SerialisedModel
  ).version;
} catch {}

const markdown = renderReport({
  date: new Date().toISOString().slice(0, 10),
  evaluatedVersion: evaluated.version,
  shippedVersion: shipped,
  trainRows: train.length,
  validationRows: labelled.length,
  topicalRows: topical.length,
  trainingSeconds,
  report,
  priority,
  tradeOff,
  criticalShare: priorities.filter((p) => p === 'critical').length / Math.max(1, priorities.length),
  triageShare: 1 - routed.length / Math.max(1, answers.length),
  routedAccuracy,
  triageThreshold: evaluated.triageThreshold,
  highThreshold: evaluated.high.threshold,
  notInquiries,
  validationAll: validation.length,
});
writeFileSync(new URL('../docs/classifier.md', import.meta.url), markdown);

const pct = (x: number): string => (x * 100).toFixed(1);
console.log(`model ${evaluated.version} trained on ${train.length} rows in ${trainingSeconds.toFixed(0)} s`);
console.log(`validation: ${labelled.length} labelled rows, ${topical.length} rows with a topic`);
console.log(`accuracy ${pct(report.accuracy)}%  macro-F1 ${pct(report.macroF1)}%`);
for (const category of CATEGORIES) {
  const s = report.perCategory[category];
  if (s)
    console.log(
      `  ${category.padEnd(14)} P ${pct(s.precision).padStart(5)}  R ${pct(s.recall).padStart(5)}  n=${s.support}`,
    );
}
console.log(
  `priority (high|critical vs ★): precision ${pct(priority.precision)}%  recall ${pct(priority.recall)}%`,
);
console.log(
  `routed without triage ${pct(1 - (1 - routed.length / answers.length))}% at accuracy ${pct(routedAccuracy)}%`,
);
console.log(
  `★ score at any threshold: recall ${pct(tradeOff.recallAtPrecision)}% at precision ≥ ${pct(TRAINING.highPrecision)}%, ` +
    `precision ${pct(tradeOff.precisionAtRecall)}% at recall ≥ ${pct(TRAINING.highRecall)}%`,
);
console.log(`not-an-inquiry on validation rows: ${notInquiries} of ${validation.length}`);
console.log('confusion matrix (rows: actual, columns: predicted):');
console.log(`${''.padEnd(14)}${CATEGORIES.map((c) => c.slice(0, 5).padStart(6)).join('')}`);
report.confusion.forEach((row, k) => {
  console.log(`${(CATEGORIES[k] ?? '').padEnd(14)}${row.map((n) => String(n).padStart(6)).join('')}`);
});
console.log('written docs/classifier.md');
