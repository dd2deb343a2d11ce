import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';

/**
 * Russian Snowball stemming: folds the many endings of one word (отопления, отоплением) into one feature,
 * which is what lets a model trained in one region read another region's wording.
 */
const stemmer = new StemmerRu();
/** Citizens reuse a small vocabulary: a bounded cache keeps stemming off the hot path. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

export function stem(word: string): string {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const stemmed = /[а-я]/.test(word) && word.length > 3 ? stemmer.stemWord(word) : word;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stemmed);
  return stemmed;
}
