import { createHash } from 'node:crypto';
import { MODEL_RECIPE, type SerialisedModel } from '../../lambdas/domain/classifier/model.js';

/**
 * The training recipe's name in model versions: the one the classifier's code scores, which refuses a model of
 * another (lambdas/domain/classifier/model.ts).
 */
export const RECIPE = MODEL_RECIPE;

/** The version names the recipe and the weights: the same data and seed give the same version. */
export function withVersion(model: SerialisedModel, recipe: string): SerialisedModel {
  const digest = createHash('sha256')
    .update(JSON.stringify({ ...model, version: '' }))
    .digest('hex');
  return { ...model, version: `${recipe}-${digest.slice(0, 10)}` };
}
