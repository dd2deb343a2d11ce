/**
 * Compares variants of the training recipe on an inner split of the training part (the validation split
 * of `npm run eval` is never read here). Each argument is a JSON object of settings merged over the base.
 * Usage: npx tsx scripts/tune.ts '{"c": 0.5}' '{"balance": 0.3}'
 */
import {
  extractTerms,
  FEATURES,
  type FeatureOptions,
  type SparseVector,
  vectorise,
} from '../lambdas/domain/classifier/features.js';
import { normaliseText } from '../lambdas/domain/classifier/normalise.js';
import { CATEGORIES } from '../lambdas/domain/taxonomy.js';
import { DEFAULT_DATASET, loadAppeals } from './classifier/dataset.js';
import { fitLogistic, type LinearModel, scores } from './classifier/linear.js';
import { categoryReport } from './classifier/metrics.js';
import { addLinear, fitNaiveBayes } from './classifier/naive-bayes.js';
import { fitOneVsRest } from './classifier/solver.js';
import { stratifiedSplit } from './classifier/split.js';
import { buildVocabulary } from './classifier/vocabulary.js';

interface Variant {
  solver: 'sgd' | 'svm';
  c: number;
  highC: number;
  balance: number;
  highBalance: number;
  passes: number;
  maxTerms: number;
  minWordDocs: number;
  minCharDocs: number;
  features: FeatureOptions;
  innerSeed: number;
  /** Priority from a one-vs-rest model over the fine topics instead of `★` against the rest. */
  topics: boolean;
  /** Score with the weights rounded to signed bytes, as the model file stores them. */
  quantised: boolean;
  /**
   * Category model as a sum of SVMs, each fitted on some feature groups only (e.g. `["wl", "cl"]`: a
   * word model and a character model); empty for one SVM over every group.
   */
  views: string[];
  /**
   * Shares of multinomial and complement naive Bayes added to the category model: `[0, 0.15]` for the
   * complement alone, as training does (it fits the share on its calibration rows); empty for the SVMs alone.
   */
  naiveBayes: number[];
}

const BASE: Variant = {
  solver: 'svm',
  c: 0.5,
  highC: 0.5,
  balance: 0.5,
  highBalance: 0.5,
  passes: 50,
  maxTerms: 60_000,
  minWordDocs: 2,
  minCharDocs: 3,
  features: FEATURES,
  innerSeed: 42,
  topics: false,
  quantised: false,
  views: [],
  naiveBayes: [],
};

/** The rows with the features of other groups than `groups` left out. */
function view(xs: SparseVector[], terms: string[], groups: string): SparseVector[] {
  return xs.map((x) => {
    const indices: number[] = [];
    const values: number[] = [];
    x.indices.forEach((id, j) => {
      if (groups.includes((terms[id] ?? 'w')[0] ?? 'w')) {
        indices.push(id);
        values.push(x.values[j] ?? 0);
      }
    });
    return { indices, values };
  });
}

const appeals = loadAppeals(process.env.APPEALS ?? DEFAULT_DATASET);
const { train } = stratifiedSplit(appeals);

function weightsFor(labels: number[], classes: number, balance: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  const largest = Math.max(...counts);
  return counts.map((count) => (largest / Math.max(1, count)) ** balance);
}

function fitVariant(
  xs: SparseVector[],
  labels: number[],
  classes: number,
  features: number,
  v: Variant,
  c: number,
  balance: number,
): LinearModel {
  const classWeights = weightsFor(labels, classes, balance);
  if (v.solver === 'sgd') {
    return fitLogistic(
      xs,
      labels,
      labels.map((l) => classWeights[l] ?? 1),
      features,
      classes === 2 ? 1 : classes,
      {
        epochs: 12,
        learningRate: 2,
        l2: 3e-4,
        seed: 42,
      },
    );
  }
  const model = fitOneVsRest(xs, labels, classWeights, features, classes, {
    c,
    biasFeature: 1,
    maxPasses: v.passes,
    tolerance: 0.1,
    seed: 42,
  });
  return model;
}

/** Best recall at precision ≥ 0.6, best precision at recall ≥ 0.85, and average precision. */
function rankingFigures(ranked: { score: number; positive: boolean }[]): string {
  ranked.sort((a, b) => b.score - a.score);
  const positives = ranked.filter((r) => r.positive).length;
  let found = 0;
  let recallAt60 = 0;
  let precisionAt85 = 0;
  let ap = 0;
  ranked.forEach((r, i) => {
    if (r.positive) {
      found++;
      ap += found / (i + 1);
    }
    const precision = found / (i + 1);
    const recall = found / positives;
    if (precision >= 0.6 && i >= 10) recallAt60 = Math.max(recallAt60, recall);
    if (recall >= 0.85) precisionAt85 = Math.max(precisionAt85, precision);
  });
  const pct = (x: number) => (x * 100).toFixed(1);
  return `★ R@P60 ${pct(recallAt60)} P@R85 ${pct(precisionAt85)} AP ${pct(ap / positives)}`;
}

function run(v: Variant): void {
  const started = Date.now();
  const { train: inner, validation: held } = stratifiedSplit(train, 0.15, v.innerSeed);
  const terms = inner.map((a) => extractTerms(normaliseText(a.text), v.features));
  const vocabulary = buildVocabulary(terms, v);
  const index = new Map(vocabulary.terms.map((term, id) => [term, id]));
  const vocab = { index, idf: vocabulary.idf };
  const xs = terms.map((t) => vectorise(t, vocab, v.features));
  const features = vocabulary.terms.length;
  const labelled = inner.flatMap((a, i) => (a.category ? [i] : []));
  const labels = labelled.map((i) => CATEGORIES.indexOf(inner[i]?.category ?? 'other'));
  const labelledX = labelled.map((i) => xs[i] as SparseVector);
  const svms =
    v.views.length === 0
      ? fitVariant(labelledX, labels, CATEGORIES.length, features, v, v.c, v.balance)
      : v.views
          .map((groups) =>
            fitVariant(
              view(labelledX, vocabulary.terms, groups),
              labels,
              CATEGORIES.length,
              features,
              v,
              v.c,
              v.balance,
            ),
          )
          .reduce((sum, next) => {
            sum.weights.forEach((w, f) => {
              sum.weights[f] = w + (next.weights[f] ?? 0);
            });
            sum.bias.forEach((b, k) => {
              sum.bias[k] = b + (next.bias[k] ?? 0);
            });
            return sum;
          });
  const bayes = fitNaiveBayes(labelledX, labels, features, CATEGORIES.length, 0.01);
  const model =
    v.naiveBayes.length === 0 ? svms : addLinear(svms, [bayes.multinomial, bayes.complement], v.naiveBayes);
  const topical = inner.flatMap((a, i) => (a.priorityTopic === undefined ? [] : [i]));
  const highLabels = topical.map((i) => (inner[i]?.priorityTopic ? 0 : 1));
  const high = v.topics
    ? undefined
    : fitVariant(
        topical.map((i) => xs[i] as SparseVector),
        highLabels,
        2,
        features,
        v,
        v.highC,
        v.highBalance,
      );
  const topicCounts = new Map<string, number>();
  for (const i of topical)
    topicCounts.set(inner[i]?.topic ?? '', (topicCounts.get(inner[i]?.topic ?? '') ?? 0) + 1);
  const topicNames = [...topicCounts.entries()]
    .filter(([, n]) => n >= 3)
    .map(([t]) => t)
    .sort();
  topicNames.push('rare', '★rare');
  const topicLabel = (i: number): number => {
    const t = inner[i]?.topic ?? '';
    const k = topicNames.indexOf(t);
    return k >= 0 ? k : topicNames.length - (t.startsWith('★') ? 1 : 2);
  };
  const topicModel = v.topics
    ? fitVariant(
        topical.map((i) => xs[i] as SparseVector),
        topical.map(topicLabel),
        topicNames.length,
        features,
        v,
        v.highC,
        v.highBalance,
      )
    : undefined;

  if (v.quantised) {
    let max = 0;
    for (const w of model.weights) max = Math.max(max, Math.abs(w));
    const scale = max / 127;
    model.weights.forEach((w, f) => {
      model.weights[f] = Math.round(w / scale) * scale;
    });
  }
  const heldX = held.map((a) =>
    vectorise(extractTerms(normaliseText(a.text), v.features), vocab, v.features),
  );
  const rows = held.flatMap((a, i) => (a.category ? [i] : []));
  const predicted = rows.map((i) => {
    const s = scores(model, heldX[i] as SparseVector);
    let best = 0;
    for (let k = 1; k < s.length; k++) if ((s[k] ?? 0) > (s[best] ?? 0)) best = k;
    return CATEGORIES[best] ?? 'other';
  });
  const report = categoryReport(
    CATEGORIES,
    rows.map((i) => held[i]?.category ?? 'other'),
    predicted,
  );
  const ranked = held.flatMap((a, i) => {
    if (a.priorityTopic === undefined) return [];
    if (topicModel) {
      const s = scores(topicModel, heldX[i] as SparseVector);
      let starred = Number.NEGATIVE_INFINITY;
      let plain = Number.NEGATIVE_INFINITY;
      topicNames.forEach((t, k) => {
        if (t.startsWith('★')) starred = Math.max(starred, s[k] ?? 0);
        else plain = Math.max(plain, s[k] ?? 0);
      });
      return [{ score: starred - plain, positive: a.priorityTopic }];
    }
    const s = scores(high as LinearModel, heldX[i] as SparseVector);
    const score = v.solver === 'sgd' ? -(s[0] ?? 0) : (s[0] ?? 0) - (s[1] ?? 0);
    return [{ score, positive: a.priorityTopic }];
  });
  const pct = (x: number) => (x * 100).toFixed(1);
  console.log(
    `acc ${pct(report.accuracy)} mF1 ${pct(report.macroF1)} ${rankingFigures(ranked)} | ${features} terms ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

const variants = process.argv.slice(2).map((arg) => JSON.parse(arg) as Partial<Variant>);
for (const variant of variants.length > 0 ? variants : [{}]) {
  const merged: Variant = {
    ...BASE,
    ...variant,
    features: { ...BASE.features, ...variant.features },
  };
  process.stdout.write(`${JSON.stringify(variant)}: `);
  run(merged);
}
