import * as z from 'zod';
import { type Category, isCategory } from '../taxonomy.js';
import type { SparseVector, Vocabulary } from './features.js';

/**
 * The training recipe this code scores models of: its features, its models' shapes. A model's version starts
 * with it (scripts/classifier/version.ts); bump the number when the recipe changes, and retrain.
 */
export const MODEL_RECIPE = 'tfidf-svm-nb-6';

/** A model file this code cannot score with: refused when the classifier loads, never scored with. */
class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/**
 * The model file as committed (model/classifier.json): vocabulary, idf and weights of two linear models.
 * Weights are signed bytes and the idf unsigned bytes, base64-encoded; the vocabulary is one string of
 * newline-separated terms. A few large strings parse and decode far faster than tens of thousands of small
 * JSON values, which is what keeps a cold start short.
 */
export interface SerialisedModel {
  version: string;
  categories: string[];
  /** The vocabulary, terms separated by `\n`; a term's position is its feature id. */
  terms: string;
  /** idf of each term: unsigned bytes × idfScale. */
  idf: string;
  idfScale: number;
  /**
   * One linear model over categories (one-vs-rest SVMs plus shares of naive Bayes, summed in training):
   * `terms × categories` signed bytes × scale, row by term. Probabilities are softmax(temperature × margin).
   */
  category: { weights: string; scale: number; bias: number[]; temperature: number };
  /**
   * Linear SVM for the shortened-deadline (`★`) topics; probability sigmoid(temperature × margin + shift),
   * `high` at or above threshold.
   */
  high: {
    weights: string;
    scale: number;
    bias: number;
    temperature: number;
    shift: number;
    threshold: number;
  };
  /** Below this confidence an inquiry goes to manual triage. */
  triageThreshold: number;
}

/** The model decoded for scoring. Weights stay signed bytes; their scale is applied once per score. */
export interface CategoryModel {
  version: string;
  categories: Category[];
  vocabulary: Vocabulary;
  categoryWeights: Int8Array;
  categoryScale: number;
  categoryBias: Float64Array;
  temperature: number;
  highWeights: Int8Array;
  highScale: number;
  highBias: number;
  highTemperature: number;
  highShift: number;
  highThreshold: number;
  triageThreshold: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTETS = new Uint8Array(128);
for (let i = 0; i < BASE64.length; i++) SEXTETS[BASE64.charCodeAt(i)] = i;

/** Standard base64 to bytes: a table lookup per character, without atob's intermediate binary string. */
export function decodeBase64(base64: string): Uint8Array {
  let length = base64.length;
  while (length > 0 && base64.charCodeAt(length - 1) === 61) length--;
  const out = new Uint8Array((length * 3) >> 2);
  let at = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const n =
      ((SEXTETS[base64.charCodeAt(i)] ?? 0) << 18) |
      ((SEXTETS[base64.charCodeAt(i + 1)] ?? 0) << 12) |
      ((SEXTETS[base64.charCodeAt(i + 2)] ?? 0) << 6) |
      (SEXTETS[base64.charCodeAt(i + 3)] ?? 0);
    out[at++] = n >> 16;
    out[at++] = (n >> 8) & 255;
    out[at++] = n & 255;
  }
  const rest = length - i;
  if (rest >= 2) {
    const n =
      ((SEXTETS[base64.charCodeAt(i)] ?? 0) << 18) |
      ((SEXTETS[base64.charCodeAt(i + 1)] ?? 0) << 12) |
      (rest === 3 ? (SEXTETS[base64.charCodeAt(i + 2)] ?? 0) << 6 : 0);
    out[at++] = n >> 16;
    if (rest === 3) out[at++] = (n >> 8) & 255;
  }
  return out;
}

function signedBytes(base64: string, expected: number, what: string): Int8Array {
  const bytes = decodeBase64(base64);
  if (bytes.length !== expected)
    throw new ModelFileError(`model: ${what} has ${bytes.length} weights, expected ${expected}`);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const finite = z.number().refine(Number.isFinite);
const probability = finite.refine((value) => value >= 0 && value <= 1);
const serialisedModelSchema = z.object({
  version: z.string().startsWith(`${MODEL_RECIPE}-`),
  categories: z.array(z.string()).min(2),
  terms: z.string(),
  idf: z.string(),
  idfScale: finite,
  category: z.object({ weights: z.string(), scale: finite, bias: z.array(finite), temperature: finite }),
  high: z.object({
    weights: z.string(),
    scale: finite,
    bias: finite,
    temperature: finite,
    shift: finite,
    threshold: probability,
  }),
  triageThreshold: probability,
}) satisfies z.ZodType<SerialisedModel>;

/**
 * Each field the scoring reads, checked before anything is scored: a model file of another recipe or format
 * (a field missing or renamed, a threshold that is no number) would otherwise score every text, wrongly and
 * in silence (no `triageThreshold`: no text to triage; no `high.threshold`: no `high` from the model). The
 * fault is named by the fields' paths, so that the log line says what is wrong with the file.
 */
function checkedModel(serialised: unknown): SerialisedModel {
  const parsed = serialisedModelSchema.safeParse(serialised);
  if (!parsed.success) {
    const faults = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || 'the file'}: ${issue.message}`,
    );
    throw new ModelFileError(
      `model/classifier.json is no model this code scores (recipe ${MODEL_RECIPE}): ${faults.join('; ')}`,
    );
  }
  const model = parsed.data;
  if (model.category.bias.length !== model.categories.length)
    throw new ModelFileError(
      `model: ${model.category.bias.length} category biases for ${model.categories.length} categories`,
    );
  return model;
}

export function decodeModel(file: unknown): CategoryModel {
  const serialised = checkedModel(file);
  const categories = serialised.categories.map((name) => {
    if (!isCategory(name)) throw new ModelFileError(`model: unknown category ${name}`);
    return name;
  });
  const terms = serialised.terms === '' ? [] : serialised.terms.split('\n');
  const idfBytes = decodeBase64(serialised.idf);
  if (idfBytes.length !== terms.length)
    throw new ModelFileError('model: idf and vocabulary differ in length');
  const index = new Map<string, number>();
  for (let id = 0; id < terms.length; id++) index.set(terms[id] as string, id);
  const idfScale = serialised.idfScale;
  const idf = new Float32Array(idfBytes.length);
  for (let i = 0; i < idfBytes.length; i++) idf[i] = (idfBytes[i] ?? 0) * idfScale;
  return {
    version: serialised.version,
    categories,
    vocabulary: { index, idf },
    categoryWeights: signedBytes(serialised.category.weights, terms.length * categories.length, 'category'),
    categoryScale: serialised.category.scale,
    categoryBias: Float64Array.from(serialised.category.bias),
    temperature: serialised.category.temperature,
    highWeights: signedBytes(serialised.high.weights, terms.length, 'high'),
    highScale: serialised.high.scale,
    highBias: serialised.high.bias,
    highTemperature: serialised.high.temperature,
    highShift: serialised.high.shift,
    highThreshold: serialised.high.threshold,
    triageThreshold: serialised.triageThreshold,
  };
}

/** The linear margin of each category. */
function categoryMargins(model: CategoryModel, x: SparseVector): Float64Array {
  const outputs = model.categories.length;
  const sums = new Float64Array(outputs);
  const weights = model.categoryWeights;
  for (let i = 0; i < x.indices.length; i++) {
    const base = (x.indices[i] ?? 0) * outputs;
    const value = x.values[i] ?? 0;
    for (let k = 0; k < outputs; k++) sums[k] = (sums[k] ?? 0) + value * (weights[base + k] ?? 0);
  }
  for (let k = 0; k < outputs; k++)
    sums[k] = (sums[k] ?? 0) * model.categoryScale + (model.categoryBias[k] ?? 0);
  return sums;
}

/** softmax(temperature × margins), in place. */
export function softmaxInPlace(margins: Float64Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const margin of margins) max = Math.max(max, margin);
  let sum = 0;
  for (let k = 0; k < margins.length; k++) {
    margins[k] = Math.exp(temperature * ((margins[k] ?? 0) - max));
    sum += margins[k] ?? 0;
  }
  for (let k = 0; k < margins.length; k++) margins[k] = (margins[k] ?? 0) / sum;
  return margins;
}

/** Category probabilities: softmax over the margins, with the temperature fitted in training. */
export function categoryProbabilities(model: CategoryModel, x: SparseVector): Float64Array {
  return softmaxInPlace(categoryMargins(model, x), model.temperature);
}

/** Probability that the text is about a shortened-deadline topic. */
export function highProbability(model: CategoryModel, x: SparseVector): number {
  let sum = 0;
  for (let i = 0; i < x.indices.length; i++)
    sum += (x.values[i] ?? 0) * (model.highWeights[x.indices[i] ?? 0] ?? 0);
  const margin = sum * model.highScale + model.highBias;
  return 1 / (1 + Math.exp(-(model.highTemperature * margin + model.highShift)));
}
