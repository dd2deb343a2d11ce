import type { SparseVector } from '../../lambdas/domain/classifier/features.js';
import type { LinearModel } from './linear.js';
import { seededRandom } from './split.js';

/** Rows of sparse vectors packed for fast passes: row i spans `offsets[i]..offsets[i + 1]`. */
interface SparseRows {
  offsets: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Squared norm of each row, plus the constant bias feature. */
  squaredNorms: Float64Array;
}

function packRows(xs: SparseVector[], biasFeature: number): SparseRows {
  const total = xs.reduce((sum, x) => sum + x.indices.length, 0);
  const offsets = new Int32Array(xs.length + 1);
  const indices = new Int32Array(total);
  const values = new Float64Array(total);
  const squaredNorms = new Float64Array(xs.length);
  let at = 0;
  xs.forEach((x, i) => {
    offsets[i] = at;
    let norm = biasFeature * biasFeature;
    for (let j = 0; j < x.indices.length; j++) {
      const value = x.values[j] ?? 0;
      indices[at] = x.indices[j] ?? 0;
      values[at] = value;
      norm += value * value;
      at++;
    }
    squaredNorms[i] = norm;
  });
  offsets[xs.length] = at;
  return { offsets, indices, values, squaredNorms };
}

interface SvmOptions {
  /** Regularisation: larger C fits the training rows more closely. */
  c: number;
  /** The constant feature that carries the bias (regularised like any weight, as liblinear's -B). */
  biasFeature: number;
  /** Passes over the data at most, and the projected-gradient spread at which a pass stops early. */
  maxPasses: number;
  tolerance: number;
  seed: number;
}

/**
 * One L2-regularised, squared-hinge-loss linear SVM by dual coordinate descent (Hsieh et al. 2008, the
 * solver of liblinear's `-s 1`). `targets` are ±1; `costs` scale C per row (class weights). Converges to
 * the exact optimum, unlike plain SGD, and needs no step size.
 */
function fitBinarySvm(
  rows: SparseRows,
  targets: Int8Array,
  costs: Float64Array,
  features: number,
  options: SvmOptions,
): { weights: Float64Array; bias: number } {
  const n = targets.length;
  const w = new Float64Array(features);
  let wBias = 0;
  const alpha = new Float64Array(n);
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) diagonal[i] = 0.5 / (options.c * (costs[i] ?? 1));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(options.seed);
  const { offsets, indices, values, squaredNorms } = rows;
  const b = options.biasFeature;
  for (let pass = 0; pass < options.maxPasses; pass++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    let maxPg = Number.NEGATIVE_INFINITY;
    let minPg = Number.POSITIVE_INFINITY;
    for (let t = 0; t < n; t++) {
      const i = order[t] ?? 0;
      const y = targets[i] ?? 1;
      const start = offsets[i] ?? 0;
      const end = offsets[i + 1] ?? 0;
      let margin = wBias * b;
      for (let k = start; k < end; k++) margin += (w[indices[k] ?? 0] ?? 0) * (values[k] ?? 0);
      const a = alpha[i] ?? 0;
      const d = diagonal[i] ?? 0;
      const gradient = y * margin - 1 + d * a;
      const projected = a === 0 ? Math.min(gradient, 0) : gradient;
      if (projected > maxPg) maxPg = projected;
      if (projected < minPg) minPg = projected;
      if (Math.abs(projected) < 1e-12) continue;
      const next = Math.max(a - gradient / ((squaredNorms[i] ?? 0) + d), 0);
      const delta = (next - a) * y;
      alpha[i] = next;
      for (let k = start; k < end; k++) {
        const f = indices[k] ?? 0;
        w[f] = (w[f] ?? 0) + delta * (values[k] ?? 0);
      }
      wBias += delta * b;
    }
    if (maxPg - minPg < options.tolerance) break;
  }
  return { weights: w, bias: wBias * b };
}

/** One-vs-rest SVMs over `outputs` classes, laid out as LinearModel (`weights[feature * outputs + k]`). */
export function fitOneVsRest(
  xs: SparseVector[],
  labels: number[],
  classWeights: number[],
  features: number,
  outputs: number,
  options: SvmOptions,
): LinearModel {
  const rows = packRows(xs, options.biasFeature);
  const model: LinearModel = {
    outputs,
    weights: new Float64Array(features * outputs),
    bias: new Float64Array(outputs),
  };
  for (let k = 0; k < outputs; k++) {
    const targets = Int8Array.from(labels, (label) => (label === k ? 1 : -1));
    // liblinear's convention: the class weight scales C of the class's own rows in its one-vs-rest problem.
    const costs = Float64Array.from(labels, (label) => (label === k ? (classWeights[k] ?? 1) : 1));
    const fitted = fitBinarySvm(rows, targets, costs, features, { ...options, seed: options.seed + k });
    for (let f = 0; f < features; f++) model.weights[f * outputs + k] = fitted.weights[f] ?? 0;
    model.bias[k] = fitted.bias;
  }
  return model;
}
