import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVectoriser, extractTerms, vectorise } from '../../../lambdas/domain/classifier/features.js';
import { decodeModel, type SerialisedModel } from '../../../lambdas/domain/classifier/model.js';
import { normaliseText } from '../../../lambdas/domain/classifier/normalise.js';
import { readFixture } from './fixtures.js';

const model = decodeModel(
  JSON.parse(
    readFileSync(new URL('../../../model/classifier.json', import.meta.url), 'utf8'),
  ) as SerialisedModel,
);

/**
 * The classifier scores with createVectoriser (terms counted by vocabulary id); training and evaluation build
 * the vector from the terms' strings. They must give the same vector, to the last bit, or the shipped model
 * would score texts differently from the model that was evaluated.
 */
describe('createVectoriser', () => {
  const fast = createVectoriser(model.vocabulary);
  const reference = (text: string) => vectorise(extractTerms(normaliseText(text)), model.vocabulary);

  it('gives the vector of vectorise(extractTerms(…)) for every hand-written phrasing', () => {
    const texts = [
      'categories',
      'critical',
      'high',
      'inquiries',
      'not-critical',
      'not-high',
      'not-inquiries',
    ].flatMap((name) => readFixture(`${name}.jsonl`));
    expect(texts.length).toBeGreaterThan(50);
    for (const text of texts) expect(fast(normaliseText(text))).toEqual(reference(text));
  });

  it('gives the same vector for any text, the same text twice, and after another text', () => {
    const word = fc.constantFrom(
      'дорога',
      'ямы',
      'мусор',
      'не',
      'вывозят',
      'двор',
      'свет',
      'школа',
      '12',
      'ёлка',
      'xyz',
    );
    const text = fc.oneof(
      fc.array(word, { maxLength: 40 }).map((words) => words.join(' ')),
      fc.string(),
    );
    fc.assert(
      fc.property(text, text, (first, second) => {
        expect(fast(normaliseText(first))).toEqual(reference(first));
        expect(fast(normaliseText(second))).toEqual(reference(second));
        expect(fast(normaliseText(first))).toEqual(reference(first));
      }),
      { numRuns: 300 },
    );
  });
});
