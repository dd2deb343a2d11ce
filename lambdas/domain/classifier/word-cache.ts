/**
 * The longest word whose stem or n-grams are kept. Russian words with all their endings are well under it (the
 * rules read no longer a rest of a word: WORD_TAIL_LIMIT, word-pattern.ts); what is longer is a run of letters,
 * or of words joined by hyphens, up to the 20,000 characters classified (classified-length.ts), which no
 * citizen writes twice. Kept, a word of 16,000 characters held some 60 KB (itself, its stem), and a warm
 * classifier given such texts held more with each one, gigabytes before the count of words emptied it.
 */
export const LONGEST_KEPT_WORD = 40;

/**
 * What is worked out from a word (its stem, its n-grams), kept by the word: citizens reuse a small vocabulary,
 * and a warm function works each of its words out once. Bounded in words, emptied when full, and holding no
 * word longer than LONGEST_KEPT_WORD, so that what it holds is bounded in bytes too.
 */
export class WordCache<V> {
  private readonly kept = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** How many words are kept. */
  get size(): number {
    return this.kept.size;
  }

  /** The value kept for the word; else `make`'s, kept unless the word is too long to keep. */
  of(word: string, make: (word: string) => V): V {
    const known = this.kept.get(word);
    if (known !== undefined) return known;
    const made = make(word);
    if (word.length <= LONGEST_KEPT_WORD) {
      if (this.kept.size >= this.limit) this.kept.clear();
      this.kept.set(word, made);
    }
    return made;
  }
}
