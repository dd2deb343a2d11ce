import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';
import { describe, expect, it, vi } from 'vitest';
import { normaliseText, tokenise } from '../../../lambdas/domain/classifier/normalise.js';
import { stem } from '../../../lambdas/domain/classifier/stem.js';
import { distinctWord, readFixture } from './fixtures.js';

describe('stem', () => {
  it("stems the words it stems as the Snowball stemmer's stemWord does", () => {
    const reference = new StemmerRu();
    const words = new Set(
      ['categories', 'critical', 'inquiries', 'not-inquiries']
        .flatMap((name) => readFixture(`${name}.jsonl`))
        .flatMap((text) => tokenise(normaliseText(text))),
    );
    expect(words.size).toBeGreaterThan(500);
    // Words of three letters or fewer, and words with no Cyrillic letter, are their own stem.
    for (const word of words)
      if (/[а-я]/.test(word) && word.length > 3) expect(stem(word), word).toBe(reference.stemWord(word));
  });

  it('leaves a word of three letters or fewer, or one with no Cyrillic letter, as it is', () => {
    // The Snowball algorithm would cut these: "мая" to "ма", "ели" to "ел".
    for (const word of ['мая', 'ели', 'оба', 'water', 'x1']) expect(stem(word), word).toBe(word);
    expect(stem('окна')).toBe('окн');
  });

  it('leaves the Snowball stemmer holding no word of its own', () => {
    const setCurrent = vi.spyOn(StemmerRu.prototype, 'setCurrent');
    try {
      for (let number = 0; number < 100; number++) stem(distinctWord(number, 12));
      const [stemmer] = setCurrent.mock.contexts as unknown as { cache: object }[];
      expect(stemmer).toBeDefined();
      expect(Object.keys(stemmer?.cache ?? {})).toEqual([]);
    } finally {
      setCurrent.mockRestore();
    }
  });
});
