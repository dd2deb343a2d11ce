import { createHash } from 'node:crypto';
import type { SerialisedModel } from '../../lambdas/domain/classifier/model.js';

/** The training recipe's name in model versions: bump the number when the recipe changes. */
export const RECIPE = 'tfidf-svm-nb-6';

/** The version names the recipe and the weights: the same data and seed give the same version. */
export function withVersion(model: SerialisedModel, recipe: string): SerialisedModel {
  const digest = createHash('sha256')
    .update(JSON.stringify({ ...model, version: '' }))
    .digest('hex');
  return { ...model, version: `${recipe}-${digest.slice(0, 10)}` };
}
