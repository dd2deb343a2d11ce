import type { Category } from '../../lambdas/domain/taxonomy.js';

export interface CategoryScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface CategoryReport {
  accuracy: number;
  macroF1: number;
  perCategory: Record<string, CategoryScores>;
  /** confusion[actual][predicted] */
  confusion: number[][];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function categoryReport(
  categories: readonly Category[],
  actual: Category[],
  predicted: Category[],
): CategoryReport {
  const confusion = categories.map(() => categories.map(() => 0));
  actual.forEach((truth, i) => {
    const row = confusion[categories.indexOf(truth)];
    const column = categories.indexOf(predicted[i] ?? 'other');
    if (row) row[column] = (row[column] ?? 0) + 1;
  });
  const perCategory: Record<string, CategoryScores> = {};
  let correct = 0;
  categories.forEach((category, k) => {
    const tp = confusion[k]?.[k] ?? 0;
    correct += tp;
    const support = (confusion[k] ?? []).reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    perCategory[category] = {
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support,
    };
  });
  const present = categories.filter((category) => (perCategory[category]?.support ?? 0) > 0);
  return {
    accuracy: ratio(correct, actual.length),
    macroF1: ratio(
      present.reduce((sum, category) => sum + (perCategory[category]?.f1 ?? 0), 0),
      present.length,
    ),
    perCategory,
    confusion,
  };
}

export function binaryScores(
  actual: boolean[],
  predicted: boolean[],
): { precision: number; recall: number; support: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  actual.forEach((truth, i) => {
    if (truth && predicted[i]) tp++;
    else if (predicted[i]) fp++;
    else if (truth) fn++;
  });
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), support: tp + fn };
}

/**
 * What a score can do for a binary target at any threshold: the most recall while precision stays at or
 * above `precisionFloor`, and the most precision while recall stays at or above `recallFloor`.
 */
export function rankingTradeOff(
  rows: { score: number; positive: boolean }[],
  precisionFloor: number,
  recallFloor: number,
): { recallAtPrecision: number; precisionAtRecall: number } {
  const ranked = [...rows].sort((a, b) => b.score - a.score);
  const positives = ranked.filter((row) => row.positive).length;
  let found = 0;
  let recallAtPrecision = 0;
  let precisionAtRecall = 0;
  ranked.forEach((row, i) => {
    found += row.positive ? 1 : 0;
    // Only where the score changes: rows of equal score are flagged together.
    if ((ranked[i + 1]?.score ?? Number.NEGATIVE_INFINITY) === row.score) return;
    const precision = found / (i + 1);
    const recall = ratio(found, positives);
    if (precision >= precisionFloor) recallAtPrecision = Math.max(recallAtPrecision, recall);
    if (recall >= recallFloor) precisionAtRecall = Math.max(precisionAtRecall, precision);
  });
  return { recallAtPrecision, precisionAtRecall };
}
