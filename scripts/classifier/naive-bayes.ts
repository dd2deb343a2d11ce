import type { SparseVector } from '../../lambdas/domain/classifier/features.js';
import type { LinearModel } from './linear.js';

/**
 * Naive Bayes over the same tf-idf vectors, in its two forms (Rennie et al. 2003, who also weigh the
 * counts by tf-idf): multinomial, a category's weight for a term being log P(term | category), and
 * complement, minus log P(term | every other category), which leans less on how many rows a category has.
 * A term's mass in a category is its summed tf-idf over the category's rows, plus `alpha`. Each term's
 * weights are centred over the categories, which changes no ranking (every category loses the same amount
 * for a text) but keeps the weights small for the signed bytes of the model file. Uniform priors: the class
 * balance is the SVMs' business. Both are linear models, so they add to the SVMs' weights and cost nothing
 * when scoring; they vote by the evidence of every term in proportion, where the SVMs lean on the few terms
 * that separate the training rows (Wang & Manning 2012: the two complement each other on short texts).
 */
export function fitNaiveBayes(
  xs: SparseVector[],
  labels: number[],
  features: number,
  outputs: number,
  alpha: number,
): { multinomial: LinearModel; complement: LinearModel } {
  const mass = new Float64Array(features * outputs).fill(alpha);
  xs.forEach((x, i) => {
    const k = labels[i] ?? 0;
    for (let j = 0; j < x.indices.length; j++) {
      const at = (x.indices[j] ?? 0) * outputs + k;
      mass[at] = (mass[at] ?? 0) + (x.values[j] ?? 0);
    }
  });
  const perCategory = new Float64Array(outputs);
  const perTerm = new Float64Array(features);
  let total = 0;
  for (let f = 0; f < features; f++) {
    for (let k = 0; k < outputs; k++) {
      const m = mass[f * outputs + k] ?? 0;
      perCategory[k] = (perCategory[k] ?? 0) + m;
      perTerm[f] = (perTerm[f] ?? 0) + m;
      total += m;
    }
  }
  const multinomial = new Float64Array(features * outputs);
  const complement = new Float64Array(features * outputs);
  for (let f = 0; f < features; f++) {
    for (let k = 0; k < outputs; k++) {
      const m = mass[f * outputs + k] ?? 0;
      multinomial[f * outputs + k] = Math.log(m / (perCategory[k] ?? 1));
      complement[f * outputs + k] = -Math.log(((perTerm[f] ?? 0) - m) / (total - (perCategory[k] ?? 0)));
    }
    centre(multinomial, f, outputs);
    centre(complement, f, outputs);
  }
  return {
    multinomial: { outputs, weights: multinomial, bias: new Float64Array(outputs) },
    complement: { outputs, weights: complement, bias: new Float64Array(outputs) },
  };
}

function centre(weights: Float64Array, feature: number, outputs: number): void {
  let mean = 0;
  for (let k = 0; k < outputs; k++) mean += (weights[feature * outputs + k] ?? 0) / outputs;
  for (let k = 0; k < outputs; k++)
    weights[feature * outputs + k] = (weights[feature * outputs + k] ?? 0) - mean;
}

/** `base + Σ shares[j] × others[j]`, weights and bias alike: a sum of linear models is one linear model. */
export function addLinear(base: LinearModel, others: LinearModel[], shares: number[]): LinearModel {
  const weights = Float64Array.from(base.weights);
  const bias = Float64Array.from(base.bias);
  others.forEach((other, j) => {
    const share = shares[j] ?? 0;
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) + share * (other.weights[i] ?? 0);
    for (let k = 0; k < bias.length; k++) bias[k] = (bias[k] ?? 0) + share * (other.bias[k] ?? 0);
  });
  return { outputs: base.outputs, weights, bias };
}
