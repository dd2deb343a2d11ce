import type { SparseVector } from '../../lambdas/domain/classifier/features.js';
import { seededRandom, shuffle } from './split.js';

/** A linear model over sparse vectors: `weights[feature * outputs + output]`. */
export interface LinearModel {
  outputs: number;
  weights: Float64Array;
  bias: Float64Array;
}

interface FitOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export function scores(model: LinearModel, x: SparseVector): Float64Array {
  const out = Float64Array.from(model.bias);
  for (let i = 0; i < x.indices.length; i++) {
    const base = (x.indices[i] ?? 0) * model.outputs;
    const value = x.values[i] ?? 0;
    for (let k = 0; k < model.outputs; k++) out[k] = (out[k] ?? 0) + value * (model.weights[base + k] ?? 0);
  }
  return out;
}

function softmax(values: Float64Array): Float64Array {
  const max = Math.max(...values);
  const exp = values.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/**
 * Multinomial logistic regression by seeded SGD with a decaying step and L2 on the touched weights.
 * `outputs === 1` is a binary logistic model (labels 0/1). Sample weights carry the class balancing.
 */
export function fitLogistic(
  xs: SparseVector[],
  labels: number[],
  sampleWeights: number[],
  features: number,
  outputs: number,
  options: FitOptions,
): LinearModel {
  const model: LinearModel = {
    outputs,
    weights: new Float64Array(features * outputs),
    bias: new Float64Array(outputs),
  };
  const random = seededRandom(options.seed);
  const order = xs.map((_, i) => i);
  let step = 0;
  const gradient = new Float64Array(outputs);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const i of shuffle(order, random)) {
      const x = xs[i] as SparseVector;
      const label = labels[i] ?? 0;
      const weight = sampleWeights[i] ?? 1;
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step++);
      const s = scores(model, x);
      if (outputs === 1) {
        const p = 1 / (1 + Math.exp(-(s[0] ?? 0)));
        gradient[0] = (p - label) * weight;
      } else {
        const p = softmax(s);
        for (let k = 0; k < outputs; k++) gradient[k] = ((p[k] ?? 0) - (k === label ? 1 : 0)) * weight;
      }
      const decay = 1 - rate * options.l2;
      for (let j = 0; j < x.indices.length; j++) {
        const base = (x.indices[j] ?? 0) * outputs;
        const value = x.values[j] ?? 0;
        for (let k = 0; k < outputs; k++) {
          model.weights[base + k] =
            (model.weights[base + k] ?? 0) * decay - rate * (gradient[k] ?? 0) * value;
        }
      }
      for (let k = 0; k < outputs; k++) model.bias[k] = (model.bias[k] ?? 0) - rate * (gradient[k] ?? 0);
    }
  }
  return model;
}
