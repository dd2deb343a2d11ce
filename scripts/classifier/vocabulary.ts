import type { TermCounts } from '../../lambdas/domain/classifier/features.js';

interface VocabularyOptions {
  /** A term must occur in this many documents to be kept (words/bigrams, character n-grams). */
  minWordDocs: number;
  minCharDocs: number;
  /** The most frequent terms kept overall: bounds the model file. */
  maxTerms: number;
}

/** Terms ordered by document frequency, with smoothed idf computed over all given documents. */
export function buildVocabulary(
  documents: TermCounts[],
  options: VocabularyOptions,
): { terms: string[]; idf: Float64Array } {
  const docs = new Map<string, number>();
  for (const terms of documents) for (const term of terms.keys()) docs.set(term, (docs.get(term) ?? 0) + 1);
  const kept = [...docs.entries()]
    .filter(
      ([term, df]) =>
        df >= (term.startsWith('c:') ? options.minCharDocs : options.minWordDocs) || term.startsWith('l:'),
    )
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms);
  const n = documents.length;
  return {
    terms: kept.map(([term]) => term),
    idf: Float64Array.from(kept, ([, df]) => Math.log((1 + n) / (1 + df)) + 1),
  };
}
