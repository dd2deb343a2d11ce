import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';
import { WordCache } from './word-cache.js';

/**
 * Russian Snowball stemming: folds the many endings of one word (отопления, отоплением) into one feature,
 * which is what lets a model trained in one region read another region's wording.
 */
const stemmer = new StemmerRu();
/** Citizens reuse a small vocabulary: a bounded cache keeps stemming off the hot path. */
export const keptStems = new WordCache<string>(50_000);

/**
 * The Snowball algorithm itself, as `stemWord` runs it for a stemmer with no dictionary (ours has none), but
 * without `stemWord`'s own cache: that keeps every word it is given, for good, and a warm classifier would
 * hold every word citizens ever wrote to it. keptStems is the bounded one.
 */
function stemAnew(word: string): string {
  if (!/[а-я]/.test(word) || word.length <= 3) return word;
  stemmer.setCurrent(word);
  stemmer.innerStem();
  return stemmer.getCurrent();
}

export function stem(word: string): string {
  return keptStems.of(word, stemAnew);
}
