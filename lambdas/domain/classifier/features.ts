import { CATEGORIES } from '../taxonomy.js';
import { CATEGORY_CUES } from './lexicon.js';
import { hasWords, tokenise } from './normalise.js';
import { stem } from './stem.js';

/**
 * The terms a text is described by, in three groups whose vectors are normalised apart (so that the many
 * character n-grams do not drown the few words):
 * - `w` stems and stem bigrams: the topic vocabulary, insensitive to endings;
 * - `c` character 3- to 5-grams of whole words: typos, compounds and unseen inflections;
 * - `l` hand-written category cues (lexicon.ts).
 */
export const FEATURE_GROUPS = ['w', 'c', 'l'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];
export type TermCounts = Map<string, number>;

const MIN_GRAM = 3;
const MAX_GRAM = 5;

function add(counts: TermCounts, term: string): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

/** Terms of text already passed through normaliseText. */
export function extractTerms(normalised: string): TermCounts {
  const counts: TermCounts = new Map();
  if (!hasWords(normalised)) return counts;
  const words = tokenise(normalised);
  let previous: string | undefined;
  for (const word of words) {
    const stemmed = stem(word);
    add(counts, `w:${stemmed}`);
    if (previous !== undefined) add(counts, `w:${previous}_${stemmed}`);
    previous = stemmed;
    if (word === '<num>') continue;
    const padded = ` ${word} `;
    for (let size = MIN_GRAM; size <= MAX_GRAM; size++) {
      for (let start = 0; start + size <= padded.length; start++)
        add(counts, `c:${padded.slice(start, start + size)}`);
    }
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

export function vectorise(terms: TermCounts, vocabulary: Vocabulary): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  const groups: number[] = [];
  const norms = new Map<string, number>();
  for (const [term, count] of terms) {
    const id = vocabulary.index.get(term);
    if (id === undefined) continue;
    const value = (1 + Math.log(count)) * (vocabulary.idf[id] ?? 1);
    const group = term.charCodeAt(0);
    indices.push(id);
    values.push(value);
    groups.push(group);
    const key = String.fromCharCode(group);
    norms.set(key, (norms.get(key) ?? 0) + value * value);
  }
  for (let i = 0; i < values.length; i++) {
    const norm = Math.sqrt(norms.get(String.fromCharCode(groups[i] ?? 0)) ?? 1);
    values[i] = (values[i] ?? 0) / norm;
  }
  return { indices, values };
}
