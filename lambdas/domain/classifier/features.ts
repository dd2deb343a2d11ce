import { CATEGORIES } from '../taxonomy.js';
import { CATEGORY_CUES } from './lexicon.js';
import { hasWords, tokenise } from './normalise.js';
import { stem } from './stem.js';
import { WordCache } from './word-cache.js';

/**
 * The terms a text is described by, in three groups whose vectors are normalised apart (so that the many
 * character n-grams do not drown the few words), then weighted:
 * - `w` stems and stem bigrams: the topic vocabulary, insensitive to endings;
 * - `c` character n-grams of whole words, padded (`_word_`): typos, compounds and unseen inflections;
 * - `l` hand-written category cues (lexicon.ts).
 */
const FEATURE_GROUPS = ['w', 'c', 'l'] as const;
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
const GRAM_CACHE_LIMIT = 50_000;
const keptGrams = new WordCache<string[]>(GRAM_CACHE_LIMIT);
const gramsWithFeatures = (word: string) => gramsOf(word, FEATURES);

function characterGrams(word: string, options: FeatureOptions): string[] {
  if (options !== FEATURES) return gramsOf(word, options);
  return keptGrams.of(word, gramsWithFeatures);
}

/**
 * Visits the terms of a normalised text in their one order: each word's stem (and the bigram with the word
 * before), then its character n-grams (`onWord`, so that a caller can reuse what it knows of a word), then
 * the category cues the text matches. Training and scoring both walk it, so they cannot disagree.
 */
function walkTerms(
  normalised: string,
  options: FeatureOptions,
  onTerm: (term: string) => void,
  onWord: (word: string) => void,
): void {
  if (!hasWords(normalised)) return;
  let previous: string | undefined;
  for (const word of tokenise(normalised)) {
    const stemmed = stem(word);
    onTerm(`w:${stemmed}`);
    if (options.bigrams && previous !== undefined) onTerm(`w:${previous}_${stemmed}`);
    previous = stemmed;
    if (word === '<num>' || options.maxGram === 0) continue;
    onWord(word);
  }
  for (const category of CATEGORIES) if (CATEGORY_CUES[category].test(normalised)) onTerm(`l:${category}`);
}

/** Terms of text already passed through normaliseText. */
export function extractTerms(normalised: string, options: FeatureOptions = FEATURES): TermCounts {
  const counts: TermCounts = new Map();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  walkTerms(normalised, options, add, (word) => {
    for (const gram of characterGrams(word, options)) add(gram);
  });
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

/**
 * Sublinear tf × idf of terms given by vocabulary id, in order, each group L2-normalised apart and weighted.
 * `group` is the index of each term's group in FEATURE_GROUPS.
 */
function weigh(
  indices: number[],
  count: (i: number) => number,
  group: (i: number) => number,
  idf: ArrayLike<number>,
  options: FeatureOptions,
): SparseVector {
  const values = new Array<number>(indices.length);
  const norms = new Float64Array(FEATURE_GROUPS.length);
  for (let i = 0; i < indices.length; i++) {
    const value = (1 + Math.log(count(i))) * (idf[indices[i] as number] ?? 1);
    values[i] = value;
    const g = group(i);
    norms[g] = (norms[g] ?? 0) + value * value;
  }
  const scales = FEATURE_GROUPS.map((name, g) =>
    (norms[g] ?? 0) > 0 ? options.groupWeights[name] / Math.sqrt(norms[g] ?? 0) : 0,
  );
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * (scales[group(i)] ?? 0);
  return { indices, values };
}

export function vectorise(
  terms: TermCounts,
  vocabulary: Vocabulary,
  options: FeatureOptions = FEATURES,
): SparseVector {
  const indices: number[] = [];
  const counts: number[] = [];
  const groups: number[] = [];
  for (const [term, count] of terms) {
    const id = vocabulary.index.get(term);
    if (id === undefined) continue;
    indices.push(id);
    counts.push(count);
    groups.push(FEATURE_GROUPS.indexOf(groupOf(term)));
  }
  return weigh(
    indices,
    (i) => counts[i] ?? 1,
    (i) => groups[i] ?? 0,
    vocabulary.idf,
    options,
  );
}

/**
 * The same vector as `vectorise(extractTerms(normalised), vocabulary)`, same terms in the same order, built
 * for scoring many texts with one vocabulary: each word's character n-grams are looked up once and kept as
 * vocabulary ids, and terms are counted by id in an array reused from text to text, so that the hundreds of
 * n-grams of a text cost no string building, hashing or map of their own. `gramIds` keeps those ids, by word
 * (a word too long to keep is looked up each time: word-cache.ts).
 */
export function createVectoriser(
  vocabulary: Vocabulary,
  options: FeatureOptions = FEATURES,
  gramIds = new WordCache<Int32Array>(GRAM_CACHE_LIMIT),
): (normalised: string) => SparseVector {
  const { index, idf } = vocabulary;
  const size = idf.length;
  const groupIds = new Uint8Array(size);
  for (const [term, id] of index) groupIds[id] = FEATURE_GROUPS.indexOf(groupOf(term));
  const counts = new Float64Array(size);
  const touched: number[] = [];

  const count = (id: number | undefined) => {
    if (id === undefined) return;
    if (counts[id] === 0) touched.push(id);
    counts[id] = (counts[id] ?? 0) + 1;
  };
  const idsOfGramsAnew = (word: string): Int32Array => {
    const found: number[] = [];
    for (const gram of gramsOf(word, options)) {
      const id = index.get(gram);
      if (id !== undefined) found.push(id);
    }
    return Int32Array.from(found);
  };
  const idsOfGrams = (word: string): Int32Array => gramIds.of(word, idsOfGramsAnew);

  return (normalised) => {
    touched.length = 0;
    walkTerms(
      normalised,
      options,
      (term) => count(index.get(term)),
      (word) => {
        for (const id of idsOfGrams(word)) count(id);
      },
    );
    const indices = touched.slice();
    const vector = weigh(
      indices,
      (i) => counts[indices[i] as number] ?? 1,
      (i) => groupIds[indices[i] as number] ?? 0,
      idf,
      options,
    );
    for (const id of indices) counts[id] = 0;
    return vector;
  };
}
