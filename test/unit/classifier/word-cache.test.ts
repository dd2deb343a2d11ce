import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createVectoriser } from '../../../lambdas/domain/classifier/features.js';
import { decodeModel, type SerialisedModel } from '../../../lambdas/domain/classifier/model.js';
import { normaliseText } from '../../../lambdas/domain/classifier/normalise.js';
import { keptStems, stem } from '../../../lambdas/domain/classifier/stem.js';
import { LONGEST_KEPT_WORD, WordCache } from '../../../lambdas/domain/classifier/word-cache.js';
import { distinctWord } from './fixtures.js';

describe('WordCache', () => {
  it('works a word out once, and gives what it kept after', () => {
    const cache = new WordCache<string>(10);
    const make = vi.fn((word: string) => word.toUpperCase());
    expect(cache.of('дорога', make)).toBe('ДОРОГА');
    expect(cache.of('дорога', make)).toBe('ДОРОГА');
    expect(make).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(1);
  });

  it('keeps no word longer than LONGEST_KEPT_WORD: it is worked out each time', () => {
    const cache = new WordCache<string>(10);
    const make = vi.fn((word: string) => word.slice(0, 3));
    const longest = 'д'.repeat(LONGEST_KEPT_WORD);
    const longer = `${longest}д`;
    expect(cache.of(longer, make)).toBe('ддд');
    expect(cache.of(longer, make)).toBe('ддд');
    expect(make).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
    cache.of(longest, make);
    expect(cache.size).toBe(1);
  });

  it('is emptied when it holds its limit of words', () => {
    const cache = new WordCache<number>(2);
    for (const word of ['раз', 'два', 'три']) cache.of(word, (kept) => kept.length);
    expect(cache.size).toBe(1);
  });
});

describe('what a warm classifier keeps of the words it reads', () => {
  it('the stems of short words, not of long ones', () => {
    const before = keptStems.size;
    for (let number = 0; number < 100; number++) stem(distinctWord(number, 16_000));
    expect(keptStems.size).toBe(before);
    stem(distinctWord(100, 12));
    expect(keptStems.size).toBe(before + 1);
  });

  it("the vectoriser's n-grams of short words, not of long ones", () => {
    const model = decodeModel(
      JSON.parse(
        readFileSync(new URL('../../../model/classifier.json', import.meta.url), 'utf8'),
      ) as SerialisedModel,
    );
    const kept = new WordCache<Int32Array>(1000);
    const vectorise = createVectoriser(model.vocabulary, undefined, kept);
    for (let number = 0; number < 100; number++)
      vectorise(normaliseText(`помогите ${distinctWord(number, 16_000)}`));
    // The one short word, помогите.
    expect(kept.size).toBe(1);
  });
});
