import { normaliseText, tokenise } from '../../lambdas/domain/classifier/normalise.js';
import type { Appeal } from './dataset.js';

/** Texts this short are mostly follow-ups in a thread ("Да", "Спасибо, жду"), whose category the text cannot show. */
export const FOLLOW_UP_WORDS = 4;

/** Two texts are nearly the same when they share this share of their distinct words (Jaccard). */
export const NEAR = 0.8;

/** A word shared by more texts than this is no sign that two texts are copies of each other. */
const BUCKET_LIMIT = 200;

export interface LabelAgreement {
  /** Pairs of labelled texts of more than FOLLOW_UP_WORDS words that are the same or nearly so. */
  pairs: number;
  /** Those of the pairs to which the operators gave the same category. */
  agreeing: number;
}

/**
 * How often the operators gave the same category to texts that are the same or nearly so: how consistent
 * the labels are, and so about how far any model of the text alone can agree with them. A pair is looked
 * for only among texts that share one of their two rarest words, which every copy of a text does.
 */
export function labelAgreement(appeals: readonly Appeal[]): LabelAgreement {
  const labelled = appeals
    .filter((appeal) => appeal.category !== undefined)
    .map((appeal) => ({ category: appeal.category, words: new Set(tokenise(normaliseText(appeal.text))) }))
    .filter((row) => row.words.size > FOLLOW_UP_WORDS);
  const frequency = new Map<string, number>();
  for (const row of labelled)
    for (const word of row.words) frequency.set(word, (frequency.get(word) ?? 0) + 1);

  const buckets = new Map<string, number[]>();
  labelled.forEach((row, i) => {
    const rarest = [...row.words]
      .sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 2);
    for (const word of rarest) buckets.set(word, [...(buckets.get(word) ?? []), i]);
  });

  const compared = new Set<string>();
  let pairs = 0;
  let agreeing = 0;
  for (const members of buckets.values()) {
    if (members.length > BUCKET_LIMIT) continue;
    for (let a = 0; a < members.length; a++)
      for (let b = a + 1; b < members.length; b++) {
        const i = members[a] ?? 0;
        const j = members[b] ?? 0;
        const key = `${i} ${j}`;
        if (compared.has(key)) continue;
        compared.add(key);
        const first = labelled[i];
        const second = labelled[j];
        if (first === undefined || second === undefined || jaccard(first.words, second.words) < NEAR)
          continue;
        pairs++;
        if (first.category === second.category) agreeing++;
      }
  }
  return { pairs, agreeing };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
