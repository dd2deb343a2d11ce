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
