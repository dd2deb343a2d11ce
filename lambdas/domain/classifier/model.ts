import { type Category, isCategory } from '../taxonomy.js';
import type { SparseVector, Vocabulary } from './features.js';

/**
 * The model file as committed (model/classifier.json): vocabulary, idf and weights of two linear models,
 * weights quantised to signed bytes and base64-encoded so that the file stays small and parses fast.
 */
export interface SerialisedModel {
  version: string;
  categories: string[];
  terms: string[];
  /** idf of each term: unsigned bytes × idfScale. */
  idf: string;
  idfScale: number;
  /** Softmax regression over categories: `terms × categories` signed bytes × scale, row by term. */
  category: { weights: string; scale: number; bias: number[] };
  /** Logistic regression for the shortened-deadline (`★`) topics; `high` at or above threshold. */
  high: { weights: string; scale: number; bias: number; threshold: number };
  /** Below this confidence an inquiry goes to manual triage. */
  triageThreshold: number;
}

/** The model decoded for scoring. */
export interface CategoryModel {
  version: string;
  categories: Category[];
  vocabulary: Vocabulary;
  categoryWeights: Float32Array;
  categoryBias: Float64Array;
  highWeights: Float32Array;
  highBias: number;
  highThreshold: number;
  triageThreshold: number;
}

function bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function dequantise(base64: string, scale: number, expected: number, what: string): Float32Array {
  const signed = new Int8Array(bytes(base64).buffer);
  if (signed.length !== expected)
    throw new Error(`model: ${what} has ${signed.length} weights, expected ${expected}`);
  return Float32Array.from(signed, (value) => value * scale);
}

export function decodeModel(serialised: SerialisedModel): CategoryModel {
  const categories = serialised.categories.map((name) => {
    if (!isCategory(name)) throw new Error(`model: unknown category ${name}`);
    return name;
  });
  const terms = serialised.terms;
  const idfBytes = bytes(serialised.idf);
  if (idfBytes.length !== terms.length) throw new Error('model: idf and vocabulary differ in length');
  return {
    version: serialised.version,
    categories,
    vocabulary: {
      index: new Map(terms.map((term, id) => [term, id])),
      idf: Float32Array.from(idfBytes, (value) => value * serialised.idfScale),
    },
    categoryWeights: dequantise(
      serialised.category.weights,
      serialised.category.scale,
      terms.length * categories.length,
      'category',
    ),
    categoryBias: Float64Array.from(serialised.category.bias),
    highWeights: dequantise(serialised.high.weights, serialised.high.scale, terms.length, 'high'),
    highBias: serialised.high.bias,
    highThreshold: serialised.high.threshold,
    triageThreshold: serialised.triageThreshold,
  };
}

/** Category probabilities (softmax of the linear scores). */
export function categoryProbabilities(model: CategoryModel, x: SparseVector): Float64Array {
  const outputs = model.categories.length;
  const scores = Float64Array.from(model.categoryBias);
  for (let i = 0; i < x.indices.length; i++) {
    const base = (x.indices[i] ?? 0) * outputs;
    const value = x.values[i] ?? 0;
    for (let k = 0; k < outputs; k++)
      scores[k] = (scores[k] ?? 0) + value * (model.categoryWeights[base + k] ?? 0);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const score of scores) max = Math.max(max, score);
  let sum = 0;
  for (let k = 0; k < outputs; k++) {
    scores[k] = Math.exp((scores[k] ?? 0) - max);
    sum += scores[k] ?? 0;
  }
  for (let k = 0; k < outputs; k++) scores[k] = (scores[k] ?? 0) / sum;
  return scores;
}

/** Probability that the text is about a shortened-deadline topic. */
export function highProbability(model: CategoryModel, x: SparseVector): number {
  let score = model.highBias;
  for (let i = 0; i < x.indices.length; i++)
    score += (x.values[i] ?? 0) * (model.highWeights[x.indices[i] ?? 0] ?? 0);
  return 1 / (1 + Math.exp(-score));
}
