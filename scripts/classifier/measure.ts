import { ruledCategory } from '../../lambdas/domain/classifier/category-rules.js';
import { createClassifier } from '../../lambdas/domain/classifier/classifier.js';
import { extractTerms, vectorise } from '../../lambdas/domain/classifier/features.js';
import { decodeModel, highProbability, type SerialisedModel } from '../../lambdas/domain/classifier/model.js';
import { normaliseText, tokenise } from '../../lambdas/domain/classifier/normalise.js';
import { CATEGORIES, type Category } from '../../lambdas/domain/taxonomy.js';
import { FOLLOW_UP_WORDS } from './agreement.js';
import type { Appeal } from './dataset.js';
import { binaryScores, type CategoryReport, categoryReport, rankingTradeOff } from './metrics.js';
import { ruledPriority, TRAINING, trainModel } from './train-model.js';
import { RECIPE, withVersion } from './version.js';

export interface Measurement {
  model: SerialisedModel;
  trainingSeconds: number;
  labelledRows: number;
  topicalRows: number;
  report: CategoryReport;
  priority: { precision: number; recall: number; support: number };
  /** What the `★` score alone could reach at any threshold. */
  tradeOff: { recallAtPrecision: number; precisionAtRecall: number };
  /** The same with the rules' rows flagged at every threshold. */
  ruledTradeOff: { recallAtPrecision: number; precisionAtRecall: number };
  /** Share of the rows with a topic that a rule flags, and the share of those that are `★` rows. */
  ruled: { share: number; precision: number };
  /** Labelled rows whose category a rule named (`category-rules.ts`), and how many of them it named right. */
  ruledCategories: { rows: number; right: number };
  /** Accuracy on the labelled rows of at most FOLLOW_UP_WORDS words (mostly a thread's follow-ups), and on the rest. */
  byLength: { followUps: Accuracy; rest: Accuracy };
  criticalShare: number;
  triageShare: number;
  routedAccuracy: number;
  notInquiries: number;
  heldAll: number;
}

export interface Accuracy {
  rows: number;
  accuracy: number;
}

/** Trains the recipe on `train` and measures it on `held`: the figures of `npm run eval`. */
export function measure(train: Appeal[], held: Appeal[]): Measurement {
  const started = Date.now();
  const model = withVersion(trainModel(train, ''), RECIPE);
  const trainingSeconds = (Date.now() - started) / 1000;
  const decoded = decodeModel(model);
  const classify = createClassifier(decoded);

  // Each held-out text is classified once, and normalised once for the score and the rules read below.
  const rows = held.map((appeal) => ({
    appeal,
    normalised: normaliseText(appeal.text),
    answer: classify(appeal.text),
  }));
  const labelled = rows.filter((row) => row.appeal.category !== undefined);
  const answers = labelled.map((row) => row.answer);
  const actual = labelled.map((row) => row.appeal.category as Category);
  const report = categoryReport(
    CATEGORIES,
    actual,
    answers.map((answer) => answer.category),
  );
  const routed = answers.flatMap((answer, i) => (answer.triage || !answer.inquiry ? [] : [i]));
  const routedAccuracy =
    routed.filter((i) => answers[i]?.category === actual[i]).length / Math.max(1, routed.length);

  const topical = rows.filter((row) => row.appeal.priorityTopic !== undefined);
  const priorities = topical.map((row) => row.answer.priority);
  const starred = topical.map((row) => row.appeal.priorityTopic === true);
  const priority = binaryScores(
    starred,
    priorities.map((p) => p !== 'normal'),
  );
  // For the record only: no choice is made here (the shipped threshold comes from the calibration rows).
  const scored = topical.map((row, i) => ({
    score: highProbability(decoded, vectorise(extractTerms(row.normalised), decoded.vocabulary)),
    positive: starred[i] === true,
    ruled: ruledPriority(row.normalised),
  }));
  const tradeOff = rankingTradeOff(scored, TRAINING.highPrecision, TRAINING.highRecall);
  const ruledTradeOff = rankingTradeOff(
    scored.map((row) => ({ ...row, score: row.ruled ? Number.POSITIVE_INFINITY : row.score })),
    TRAINING.highPrecision,
    TRAINING.highRecall,
  );
  const accuracyOf = (indices: number[]): Accuracy => ({
    rows: indices.length,
    accuracy: indices.filter((i) => answers[i]?.category === actual[i]).length / Math.max(1, indices.length),
  });
  const ruledRows = scored.filter((row) => row.ruled);
  const categoryRuled = labelled.flatMap((row, i) =>
    ruledCategory(row.normalised) !== undefined ? [i] : [],
  );
  return {
    model,
    trainingSeconds,
    labelledRows: labelled.length,
    topicalRows: topical.length,
    report,
    priority,
    tradeOff,
    ruledTradeOff,
    ruled: {
      share: ruledRows.length / Math.max(1, scored.length),
      precision: ruledRows.filter((row) => row.positive).length / Math.max(1, ruledRows.length),
    },
    ruledCategories: {
      rows: categoryRuled.length,
      right: categoryRuled.filter((i) => answers[i]?.category === actual[i]).length,
    },
    byLength: {
      followUps: accuracyOf(labelled.flatMap((row, i) => (isFollowUp(row.normalised) ? [i] : []))),
      rest: accuracyOf(labelled.flatMap((row, i) => (isFollowUp(row.normalised) ? [] : [i]))),
    },
    criticalShare: priorities.filter((p) => p === 'critical').length / Math.max(1, priorities.length),
    triageShare: 1 - routed.length / Math.max(1, answers.length),
    routedAccuracy,
    notInquiries: rows.filter((row) => !row.answer.inquiry).length,
    heldAll: held.length,
  };
}

const isFollowUp = (normalised: string): boolean => tokenise(normalised).length <= FOLLOW_UP_WORDS;

const pct = (x: number): string => (x * 100).toFixed(1);

/** The figures as console lines. */
export function summarise(m: Measurement): string[] {
  const lines = [
    `model ${m.model.version} trained in ${m.trainingSeconds.toFixed(0)} s`,
    `${m.labelledRows} labelled rows, ${m.topicalRows} rows with a topic`,
    `accuracy ${pct(m.report.accuracy)}%  macro-F1 ${pct(m.report.macroF1)}%`,
    `accuracy on ${m.byLength.followUps.rows} texts of ≤ ${FOLLOW_UP_WORDS} words ${pct(m.byLength.followUps.accuracy)}%, ` +
      `on the other ${m.byLength.rest.rows} ${pct(m.byLength.rest.accuracy)}%`,
  ];
  for (const category of CATEGORIES) {
    const s = m.report.perCategory[category];
    if (s)
      lines.push(
        `  ${category.padEnd(14)} P ${pct(s.precision).padStart(5)}  R ${pct(s.recall).padStart(5)}  n=${s.support}`,
      );
  }
  lines.push(
    `priority (high|critical vs ★): precision ${pct(m.priority.precision)}%  recall ${pct(m.priority.recall)}%  (high from ${m.model.high.threshold})`,
    `rules flag ${pct(m.ruled.share)}% of the rows with a topic, ${pct(m.ruled.precision)}% of them ★`,
    `★ score alone at any threshold: recall ${pct(m.tradeOff.recallAtPrecision)}% at precision ≥ ${pct(TRAINING.highPrecision)}%, ` +
      `precision ${pct(m.tradeOff.precisionAtRecall)}% at recall ≥ ${pct(TRAINING.highRecall)}%`,
    `rules + ★ score at any threshold: recall ${pct(m.ruledTradeOff.recallAtPrecision)}% at precision ≥ ${pct(TRAINING.highPrecision)}%, ` +
      `precision ${pct(m.ruledTradeOff.precisionAtRecall)}% at recall ≥ ${pct(TRAINING.highRecall)}%`,
    `category named by a rule on ${m.ruledCategories.rows} rows, ${m.ruledCategories.right} of them right`,
    `routed without triage ${pct(1 - m.triageShare)}% at accuracy ${pct(m.routedAccuracy)}%`,
    `not-an-inquiry on held-out rows: ${m.notInquiries} of ${m.heldAll}`,
  );
  return lines;
}
