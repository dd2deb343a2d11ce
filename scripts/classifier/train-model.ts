import { dangerSigns } from '../../lambdas/domain/classifier/critical.js';
import { extractTerms, type SparseVector, vectorise } from '../../lambdas/domain/classifier/features.js';
import { type SerialisedModel, softmaxInPlace } from '../../lambdas/domain/classifier/model.js';
import { normaliseText } from '../../lambdas/domain/classifier/normalise.js';
import { priorityThemes } from '../../lambdas/domain/classifier/priority-rules.js';
import { CATEGORIES } from '../../lambdas/domain/taxonomy.js';
import { fitBlend, fitPlatt } from './calibrate.js';
import type { Appeal } from './dataset.js';
import { type LinearModel, scores } from './linear.js';
import { addLinear, fitNaiveBayes } from './naive-bayes.js';
import { quantise, quantiseUnsigned } from './quantise.js';
import { fitOneVsRest } from './solver.js';
import { stratifiedSplit } from './split.js';
import { buildVocabulary } from './vocabulary.js';

/** Settings chosen on an inner split of the training part (scripts/tune.ts), never on the validation split. */
export const TRAINING = {
  seed: 42,
  vocabulary: { minWordDocs: 2, minCharDocs: 3, maxTerms: 60_000 },
  /** Class weight = (largest class / class)^balance: lifts the thin categories without drowning the big ones. */
  balance: 0.5,
  /** L2-regularised squared-hinge SVMs by dual coordinate descent: C, passes at most, stopping tolerance. */
  svm: { c: 0.5, maxPasses: 50, tolerance: 0.1, biasFeature: 1 },
  /**
   * Complement naive Bayes over the same features, added to the SVMs' margins: its smoothing, and the
   * largest share of it that the calibration rows may choose (by least log-loss). Not the multinomial
   * form: a thin category's few rows make its term distribution sharp, and a short unclear text then
   * lands in it with confidence instead of going to triage.
   */
  naiveBayes: { alpha: 0.01, maxShare: 0.5 },
  /**
   * Each category's probability divided by its share of the training rows to this power (a shift of its
   * margin): the thin categories, which the margins under-call, are chosen a little more often. On three
   * inner splits 0.05–0.15 gained 0.7–5 points of macro-F1 at the same accuracy; more cost accuracy.
   */
  priorCorrection: 0.1,
  /** The `★` model: its own C and class balance (`★` rows are a fifth of the rows with a topic). */
  high: { c: 0.1, balance: 1 },
  /** Share of the training rows set aside to calibrate probabilities and choose the thresholds below. */
  calibrationShare: 0.15,
  /** Route automatically only where the calibration rows were this accurate; the rest goes to triage. */
  routedAccuracy: 0.9,
  /**
   * The `high` threshold: the highest one at which the calibration rows reach this `★` recall; lowered
   * further while the rows it flags stay at least `highPrecision` `★` rows.
   */
  highRecall: 0.85,
  highPrecision: 0.6,
} as const;

interface Fitted {
  terms: string[];
  idf: Float64Array;
  category: LinearModel;
  naiveBayes: LinearModel[];
  high: LinearModel;
  vectorise: (text: string) => SparseVector;
}

function classWeights(labels: number[], classes: number, balance: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  const largest = Math.max(...counts);
  return counts.map((count) => (largest / Math.max(1, count)) ** balance);
}

function fitRecipe(appeals: Appeal[]): Fitted {
  const terms = appeals.map((appeal) => extractTerms(normaliseText(appeal.text)));
  const vocabulary = buildVocabulary(terms, TRAINING.vocabulary);
  const index = new Map(vocabulary.terms.map((term, id) => [term, id]));
  const xs = terms.map((counts) => vectorise(counts, { index, idf: vocabulary.idf }));
  const features = vocabulary.terms.length;
  const svm = { ...TRAINING.svm, seed: TRAINING.seed };

  const labelled = appeals.flatMap((appeal, i) => (appeal.category ? [i] : []));
  const categoryLabels = labelled.map((i) => CATEGORIES.indexOf(appeals[i]?.category ?? 'other'));
  const category = fitOneVsRest(
    labelled.map((i) => xs[i] as SparseVector),
    categoryLabels,
    classWeights(categoryLabels, CATEGORIES.length, TRAINING.balance),
    features,
    CATEGORIES.length,
    svm,
  );
  const bayes = fitNaiveBayes(
    labelled.map((i) => xs[i] as SparseVector),
    categoryLabels,
    features,
    CATEGORIES.length,
    TRAINING.naiveBayes.alpha,
  );
  const naiveBayes = [bayes.complement];

  // One binary SVM: class 0 is `★`, and its margin is the `★` score.
  const topical = appeals.flatMap((appeal, i) => (appeal.priorityTopic === undefined ? [] : [i]));
  const highLabels = topical.map((i) => (appeals[i]?.priorityTopic ? 0 : 1));
  const starred = fitOneVsRest(
    topical.map((i) => xs[i] as SparseVector),
    highLabels,
    classWeights(highLabels, 2, TRAINING.high.balance),
    features,
    1,
    { ...svm, c: TRAINING.high.c },
  );
  return {
    terms: vocabulary.terms,
    idf: vocabulary.idf,
    category,
    naiveBayes,
    high: starred,
    vectorise: (text) => vectorise(extractTerms(normaliseText(text)), { index, idf: vocabulary.idf }),
  };
}

interface Calibration {
  naiveBayesShares: number[];
  temperature: number;
  triageThreshold: number;
  highTemperature: number;
  highShift: number;
  highThreshold: number;
}

/** The lowest confidence at which the calibration rows above it are at least `routedAccuracy` correct. */
function chooseTriageThreshold(answers: { confidence: number; correct: boolean }[]): number {
  const ranked = [...answers].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let threshold = 1;
  ranked.forEach((answer, i) => {
    correct += answer.correct ? 1 : 0;
    if (correct / (i + 1) >= TRAINING.routedAccuracy) threshold = answer.confidence;
  });
  return threshold;
}

/**
 * True when a rule already gives the normalised text a priority (`critical` danger or a `high` theme) whatever
 * its score.
 */
export function ruledPriority(normalised: string): boolean {
  return dangerSigns(normalised).length > 0 || priorityThemes(normalised).length > 0;
}

/**
 * The highest `high` threshold at which the calibration rows reach `highRecall` of the `★` rows, lowered
 * further as long as the rows it flags are still `highPrecision` `★` rows (more recall for free). Rows a
 * rule flags count as flagged at every threshold: the score only has to find the rest.
 */
function chooseHighThreshold(rows: { probability: number; starred: boolean; ruled: boolean }[]): number {
  const positives = rows.filter((row) => row.starred).length;
  let found = rows.filter((row) => row.ruled && row.starred).length;
  let flagged = rows.filter((row) => row.ruled).length;
  const ranked = rows.filter((row) => !row.ruled).sort((a, b) => b.probability - a.probability);
  let atRecall: number | undefined = found >= TRAINING.highRecall * positives ? 1 : undefined;
  let atPrecision: number | undefined;
  ranked.forEach((row, i) => {
    found += row.starred ? 1 : 0;
    flagged++;
    // Only where the probability changes: rows of equal probability are flagged together.
    if ((ranked[i + 1]?.probability ?? Number.NEGATIVE_INFINITY) === row.probability) return;
    if (atRecall === undefined && found >= TRAINING.highRecall * positives) atRecall = row.probability;
    if (flagged > 10 && found / flagged >= TRAINING.highPrecision) atPrecision = row.probability;
  });
  return Math.min(atRecall ?? 0.5, atPrecision ?? 1);
}

/**
 * What `priorCorrection` adds to each category's margin, at the calibrated temperature:
 * softmax(T × (margin − β log share / T)) ∝ probability × share^−β.
 */
function priorShifts(appeals: Appeal[], temperature: number): number[] {
  const counts = new Array<number>(CATEGORIES.length).fill(0);
  for (const appeal of appeals) {
    if (!appeal.category) continue;
    const k = CATEGORIES.indexOf(appeal.category);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map(
    (count) => (-TRAINING.priorCorrection * Math.log(Math.max(1, count) / total)) / temperature,
  );
}

function calibrate(
  fitted: Fitted,
  calibration: Appeal[],
  shifts: (temperature: number) => number[],
): Calibration {
  const labelled = calibration.filter((appeal) => appeal.category);
  const xs = labelled.map((appeal) => fitted.vectorise(appeal.text));
  const truth = labelled.map((appeal) => CATEGORIES.indexOf(appeal.category ?? 'other'));
  const svmMargins = xs.map((x) => scores(fitted.category, x));
  const blend = fitBlend(
    svmMargins,
    fitted.naiveBayes.map((model) => xs.map((x) => scores(model, x))),
    truth,
    TRAINING.naiveBayes.maxShare,
  );
  const temperature = blend.temperature;
  const summed = addLinear(fitted.category, fitted.naiveBayes, blend.shares);
  const shift = shifts(temperature);
  const margins = xs.map((x) => scores(summed, x));
  const answers = margins.map((m, i) => {
    const p = softmaxInPlace(
      Float64Array.from(m, (margin, k) => margin + (shift[k] ?? 0)),
      temperature,
    );
    let best = 0;
    for (let k = 1; k < p.length; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
    return { confidence: p[best] ?? 0, correct: best === truth[i] };
  });

  const topical = calibration.filter((appeal) => appeal.priorityTopic !== undefined);
  const highMargins = topical.map((appeal) => scores(fitted.high, fitted.vectorise(appeal.text))[0] ?? 0);
  const starred = topical.map((appeal) => appeal.priorityTopic === true);
  const platt = fitPlatt(highMargins, starred);
  const highThreshold = chooseHighThreshold(
    highMargins.map((margin, i) => ({
      probability: 1 / (1 + Math.exp(-(platt.slope * margin + platt.shift))),
      starred: starred[i] === true,
      ruled: ruledPriority(normaliseText(topical[i]?.text ?? '')),
    })),
  );
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    naiveBayesShares: blend.shares,
    temperature: round(temperature),
    triageThreshold: round(chooseTriageThreshold(answers)),
    highTemperature: round(platt.slope),
    highShift: round(platt.shift),
    highThreshold: round(highThreshold),
  };
}

/**
 * Fits on all but a calibration share to calibrate the probabilities and choose the triage and `high`
 * thresholds, then refits on every given row with the same settings and keeps that calibration.
 */
export function trainModel(appeals: Appeal[], version: string): SerialisedModel {
  const { train, validation: calibration } = stratifiedSplit(
    appeals,
    TRAINING.calibrationShare,
    TRAINING.seed,
  );
  const calibrated = calibrate(fitRecipe(train), calibration, (temperature) =>
    priorShifts(train, temperature),
  );
  const final = fitRecipe(appeals);
  const summed = addLinear(final.category, final.naiveBayes, calibrated.naiveBayesShares);
  const shift = priorShifts(appeals, calibrated.temperature);
  const category = quantise(summed.weights);
  const high = quantise(final.high.weights);
  const idf = quantiseUnsigned(final.idf);
  return {
    version,
    categories: [...CATEGORIES],
    terms: final.terms.join('\n'),
    idf: idf.base64,
    idfScale: idf.scale,
    category: {
      weights: category.base64,
      scale: category.scale,
      bias: [...summed.bias].map((bias, k) => bias + (shift[k] ?? 0)),
      temperature: calibrated.temperature,
    },
    high: {
      weights: high.base64,
      scale: high.scale,
      bias: final.high.bias[0] ?? 0,
      temperature: calibrated.highTemperature,
      shift: calibrated.highShift,
      threshold: calibrated.highThreshold,
    },
    triageThreshold: calibrated.triageThreshold,
  };
}
