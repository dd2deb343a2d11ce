import { extractTerms, type SparseVector, vectorise } from '../../lambdas/domain/classifier/features.js';
import type { SerialisedModel } from '../../lambdas/domain/classifier/model.js';
import { normaliseText } from '../../lambdas/domain/classifier/normalise.js';
import { CATEGORIES } from '../../lambdas/domain/taxonomy.js';
import type { Appeal } from './dataset.js';
import { fitLogistic, type LinearModel, scores, softmax } from './linear.js';
import { quantise, quantiseUnsigned } from './quantise.js';
import { stratifiedSplit } from './split.js';
import { buildVocabulary } from './vocabulary.js';

/** Settings chosen on an inner split of the training part, never on the validation split. */
export const TRAINING = {
  seed: 42,
  vocabulary: { minWordDocs: 2, minCharDocs: 3, maxTerms: 60_000 },
  /** Class weight = (largest class / class)^balance: lifts the thin categories without drowning the big ones. */
  balance: 0.5,
  fit: { epochs: 12, learningRate: 2, l2: 3e-4 },
  /** Share of the training rows set aside to choose the two thresholds below. */
  calibrationShare: 0.15,
  /** Route automatically only where the calibration rows were this accurate; the rest goes to triage. */
  routedAccuracy: 0.9,
  /** The `high` threshold keeps at least this precision on the calibration rows (taxonomy's `★` topics). */
  highPrecision: 0.6,
} as const;

interface Fitted {
  terms: string[];
  idf: Float64Array;
  category: LinearModel;
  high: LinearModel;
  vectorise: (text: string) => SparseVector;
}

function balancedWeights(labels: number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  const largest = Math.max(...counts);
  return labels.map((label) => (largest / Math.max(1, counts[label] ?? 1)) ** TRAINING.balance);
}

function fitRecipe(appeals: Appeal[]): Fitted {
  const terms = appeals.map((appeal) => extractTerms(normaliseText(appeal.text)));
  const vocabulary = buildVocabulary(terms, TRAINING.vocabulary);
  const index = new Map(vocabulary.terms.map((term, id) => [term, id]));
  const xs = terms.map((counts) => vectorise(counts, { index, idf: vocabulary.idf }));
  const features = vocabulary.terms.length;

  const labelled = appeals.flatMap((appeal, i) => (appeal.category ? [i] : []));
  const categoryLabels = labelled.map((i) => CATEGORIES.indexOf(appeals[i]?.category ?? 'other'));
  const category = fitLogistic(
    labelled.map((i) => xs[i] as SparseVector),
    categoryLabels,
    balancedWeights(categoryLabels, CATEGORIES.length),
    features,
    CATEGORIES.length,
    { ...TRAINING.fit, seed: TRAINING.seed },
  );

  const topical = appeals.flatMap((appeal, i) => (appeal.priorityTopic === undefined ? [] : [i]));
  const highLabels = topical.map((i) => (appeals[i]?.priorityTopic ? 1 : 0));
  const high = fitLogistic(
    topical.map((i) => xs[i] as SparseVector),
    highLabels,
    balancedWeights(highLabels, 2),
    features,
    1,
    { ...TRAINING.fit, seed: TRAINING.seed + 1 },
  );
  return {
    terms: vocabulary.terms,
    idf: vocabulary.idf,
    category,
    high,
    vectorise: (text) => vectorise(extractTerms(normaliseText(text)), { index, idf: vocabulary.idf }),
  };
}

/** The lowest confidence at which the calibration rows above it are at least `routedAccuracy` correct. */
function chooseTriageThreshold(fitted: Fitted, calibration: Appeal[]): number {
  const answers = calibration
    .filter((appeal) => appeal.category)
    .map((appeal) => {
      const p = softmax(scores(fitted.category, fitted.vectorise(appeal.text)));
      const best = p.indexOf(Math.max(...p));
      return { confidence: p[best] ?? 0, correct: CATEGORIES[best] === appeal.category };
    })
    .sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let threshold = 1;
  answers.forEach((answer, i) => {
    correct += answer.correct ? 1 : 0;
    if (correct / (i + 1) >= TRAINING.routedAccuracy) threshold = answer.confidence;
  });
  return Math.round(threshold * 1000) / 1000;
}

/**
 * The lowest `high` threshold at which the calibration rows flagged `high` are still at least
 * `highPrecision` `★` rows: as many `★` rows found as the precision floor allows.
 */
function chooseHighThreshold(fitted: Fitted, calibration: Appeal[]): number {
  const ranked = calibration
    .filter((appeal) => appeal.priorityTopic !== undefined)
    .map((appeal) => {
      const s = scores(fitted.high, fitted.vectorise(appeal.text))[0] ?? 0;
      return { probability: 1 / (1 + Math.exp(-s)), starred: appeal.priorityTopic === true };
    })
    .sort((a, b) => b.probability - a.probability);
  let found = 0;
  let threshold = 0.5;
  ranked.forEach((row, i) => {
    found += row.starred ? 1 : 0;
    if (i >= 10 && found / (i + 1) >= TRAINING.highPrecision) threshold = row.probability;
  });
  return Math.round(threshold * 1000) / 1000;
}

/**
 * Fits on all but a calibration share to choose the triage and `high` thresholds, then refits on every
 * given row with the same settings and keeps those thresholds.
 */
export function trainModel(appeals: Appeal[], version: string): SerialisedModel {
  const { train, validation: calibration } = stratifiedSplit(
    appeals,
    TRAINING.calibrationShare,
    TRAINING.seed,
  );
  const calibrating = fitRecipe(train);
  const triageThreshold = chooseTriageThreshold(calibrating, calibration);
  const highThreshold = chooseHighThreshold(calibrating, calibration);
  const final = fitRecipe(appeals);
  const category = quantise(final.category.weights);
  const high = quantise(final.high.weights);
  const idf = quantiseUnsigned(final.idf);
  return {
    version,
    categories: [...CATEGORIES],
    terms: final.terms,
    idf: idf.base64,
    idfScale: idf.scale,
    category: { weights: category.base64, scale: category.scale, bias: [...final.category.bias] },
    high: {
      weights: high.base64,
      scale: high.scale,
      bias: final.high.bias[0] ?? 0,
      threshold: highThreshold,
    },
    triageThreshold,
  };
}
