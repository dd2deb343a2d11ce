import { CATEGORIES } from '../taxonomy.js';
import { CATEGORY_CUES } from './lexicon.js';
import { hasWords, tokenise } from './normalise.js';
import { stem } from './stem.js';

/**
 * The terms a text is described by, in three groups whose vectors are normalised apart (so that the many
 * character n-grams do not drown the few words), then weighted:
 * - `w` stems and stem bigrams: the topic vocabulary, insensitive to endings;
 * - `c` character n-grams of whole words, padded (`_word_`): typos, compounds and unseen inflections;
 * - `l` hand-written category cues (lexicon.ts).
 */
export const FEATURE_GROUPS = ['w', 'c', 'l'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];
export type TermCounts = Map<string, number>;

export interface FeatureOptions {
  minGram: number;
  maxGram: number;
  bigrams: boolean;
  /** Weight of each group's L2-normalised vector. */
  groupWeights: Readonly<Record<FeatureGroup, number>>;
}

/** Settings chosen on an inner split of the training part (scripts/tune.ts), never on the validation split. */
export const FEATURES: FeatureOptions = {
  minGram: 3,
  maxGram: 5,
  bigrams: true,
  groupWeights: { w: 1, c: 1, l: 1 },
};

function add(counts: TermCounts, term: string): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

function gramsOf(word: string, options: FeatureOptions): string[] {
  const padded = ` ${word} `;
  const grams: string[] = [];
  for (let size = options.minGram; size <= options.maxGram; size++) {
    for (let start = 0; start + size <= padded.length; start++)
      grams.push(`c:${padded.slice(start, start + size)}`);
  }
  return grams;
}

/**
 * Citizens reuse a small vocabulary: the n-grams of a word are built once and then reused, which also
 * reuses the strings' cached hashes in every map lookup that follows.
 */
const gramCache = new Map<string, string[]>();
const GRAM_CACHE_LIMIT = 50_000;

function characterGrams(word: string, options: FeatureOptions): string[] {
  if (options !== FEATURES) return gramsOf(word, options);
  const cached = gramCache.get(word);
  if (cached !== undefined) return cached;
  const grams = gramsOf(word, options);
  if (gramCache.size >= GRAM_CACHE_LIMIT) gramCache.clear();
  gramCache.set(word, grams);
  return grams;
}

/** Terms of text already passed through normaliseText. */
export function extractTerms(normalised: string, options: FeatureOptions = FEATURES): TermCounts {
  const counts: TermCounts = new Map();
  if (!hasWords(normalised)) return counts;
  const words = tokenise(normalised);
  let previous: string | undefined;
  for (const word of words) {
    const stemmed = stem(word);
    add(counts, `w:${stemmed}`);
    if (options.bigrams && previous !== undefined) add(counts, `w:${previous}_${stemmed}`);
    previous = stemmed;
    if (word === '<num>' || options.maxGram === 0) continue;
    for (const gram of characterGrams(word, options)) add(counts, gram);
  }
  for (const category of CATEGORIES) {
    if (CATEGORY_CUES[category].test(normalised)) add(counts, `l:${category}`);
  }
  return counts;
}

/** A sparse, per-group L2-normalised vector of sublinear tf × idf. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

export interface Vocabulary {
  index: ReadonlyMap<string, number>;
  idf: ArrayLike<number>;
}

const groupOf = (term: string): FeatureGroup => {
  const code = term.charCodeAt(0);
  return code === 119 ? 'w' : code === 99 ? 'c' : 'l';
};

export function vectorise(
  terms: TermCounts,
  vocabulary: Vocabulary,
  options: FeatureOptions = FEATURES,
): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  const groups: FeatureGroup[] = [];
  const norms: Record<FeatureGroup, number> = { w: 0, c: 0, l: 0 };
  for (const [term, count] of terms) {
    const id = vocabulary.index.get(term);
    if (id === undefined) continue;
    const value = (1 + Math.log(count)) * (vocabulary.idf[id] ?? 1);
    const group = groupOf(term);
    indices.push(id);
    values.push(value);
    groups.push(group);
    norms[group] += value * value;
  }
  const scales: Record<FeatureGroup, number> = { w: 0, c: 0, l: 0 };
  for (const group of FEATURE_GROUPS)
    scales[group] = norms[group] > 0 ? options.groupWeights[group] / Math.sqrt(norms[group]) : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * scales[groups[i] ?? 'w'];
  return { indices, values };
}

/**
 * The same vector as `vectorise(extractTerms(normalised), vocabulary)`, same terms in the same order, built
 * for scoring many texts with one vocabulary: each word's character n-grams are looked up once and kept as
 * vocabulary ids, and terms are counted by id in an array reused from text to text, so that the hundreds of
 * n-grams of a text cost no string building, hashing or map of their own.
 */
export function createVectoriser(
  vocabulary: Vocabulary,
  options: FeatureOptions = FEATURES,
): (normalised: string) => SparseVector {
  const { index, idf } = vocabulary;
  const size = idf.length;
  const groupIds = new Uint8Array(size);
  for (const [term, id] of index) groupIds[id] = FEATURE_GROUPS.indexOf(groupOf(term));
  const counts = new Float64Array(size);
  const touched: number[] = [];
  const gramIds = new Map<string, Int32Array>();

  const count = (id: number | undefined) => {
    if (id === undefined) return;
    if (counts[id] === 0) touched.push(id);
    counts[id] = (counts[id] ?? 0) + 1;
  };
  const idsOfGrams = (word: string): Int32Array => {
    let ids = gramIds.get(word);
    if (ids === undefined) {
      const found: number[] = [];
      for (const gram of gramsOf(word, options)) {
        const id = index.get(gram);
        if (id !== undefined) found.push(id);
      }
      ids = Int32Array.from(found);
      if (gramIds.size >= GRAM_CACHE_LIMIT) gramIds.clear();
      gramIds.set(word, ids);
    }
    return ids;
  };

  return (normalised) => {
    touched.length = 0;
    if (hasWords(normalised)) {
      let previous: string | undefined;
      for (const word of tokenise(normalised)) {
        const stemmed = stem(word);
        count(index.get(`w:${stemmed}`));
        if (options.bigrams && previous !== undefined) count(index.get(`w:${previous}_${stemmed}`));
        previous = stemmed;
        if (word === '<num>' || options.maxGram === 0) continue;
        for (const id of idsOfGrams(word)) count(id);
      }
      for (const category of CATEGORIES)
        if (CATEGORY_CUES[category].test(normalised)) count(index.get(`l:${category}`));
    }
    const indices = touched.slice();
    const values = new Array<number>(indices.length);
    const norms = [0, 0, 0];
    for (let i = 0; i < indices.length; i++) {
      const id = indices[i] as number;
      const value = (1 + Math.log(counts[id] ?? 1)) * (idf[id] ?? 1);
      counts[id] = 0;
      values[i] = value;
      const group = groupIds[id] ?? 0;
      norms[group] = (norms[group] ?? 0) + value * value;
    }
    const scales = FEATURE_GROUPS.map((group, g) =>
      (norms[g] ?? 0) > 0 ? options.groupWeights[group] / Math.sqrt(norms[g] ?? 0) : 0,
    );
    for (let i = 0; i < values.length; i++)
      values[i] = (values[i] ?? 0) * (scales[groupIds[indices[i] as number] ?? 0] ?? 0);
    return { indices, values };
  };
}
