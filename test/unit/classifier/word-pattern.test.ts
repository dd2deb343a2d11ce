import { describe, expect, it } from 'vitest';
import {
  anyOf,
  atWordStart,
  OPTIMISED_SOURCE_LIMIT,
  wordPattern,
  wordStartUnions,
} from '../../../lambdas/domain/classifier/word-pattern.js';

describe('word patterns', () => {
  it('reads \\b as a Cyrillic word boundary', () => {
    const pattern = wordPattern(/\bлюк\b/);
    expect(pattern.test('открытый люк во дворе')).toBe(true);
    expect(pattern.test('люки')).toBe(false);
    expect(pattern.test('малюк')).toBe(false);
  });

  it("refuses a word's end written as \\b before a group, which would compile as a start", () => {
    expect(() => wordPattern(/взрыв(?:а|ом)?\b(?! петард)/)).toThrow(/word's end before a group/);
    expect(() => wordPattern(/(?:на|у)\b[^.]{0,9}люд/)).toThrow(/word's end before a group/);
    expect(wordPattern(/взрыв(?:а|ом)?(?![а-я0-9]| петард)/).test('взрыв петард')).toBe(false);
  });

  it('matches a rule only from the start of a word', () => {
    const danger = atWordStart(anyOf(/опасн\S* для жизни/, /не оказали/));
    expect(danger.test('это опасно для жизни')).toBe(true);
    expect(danger.test('обеспечьте безопасность для жизни')).toBe(false);
    expect(danger.test('помощь не оказали')).toBe(true);
    expect(danger.test('мне оказали помощь')).toBe(false);
  });

  it('keeps the flags and the alternatives of the pattern it wraps', () => {
    const pattern = atWordStart(/газ|дым/g);
    expect(pattern.flags).toBe('g');
    expect('газ и дым, газон'.match(pattern)).toEqual(['газ', 'дым', 'газ']);
  });

  it('packs rules into as few unions as V8 still optimises, each matching from the start of a word', () => {
    // Forty rules of half a kilobyte each: more than one union can hold.
    const rules = Array.from(
      { length: 40 },
      (_, index) => new RegExp(`слово${index}(?:${'а|'.repeat(250)}б)`),
    );
    const unions = wordStartUnions(rules);
    expect(unions).toHaveLength(2);
    for (const union of unions) expect(union.source.length).toBeLessThanOrEqual(OPTIMISED_SOURCE_LIMIT);
    for (const index of [0, 20, 39])
      expect(unions.some((union) => union.test(`тут слово${index}б`))).toBe(true);
    expect(unions.some((union) => union.test('тут преслово0а'))).toBe(false);
    expect(wordStartUnions([/газ/, /дым/])).toHaveLength(1);
  });

  it('refuses a rule that alone is longer than V8 optimises', () => {
    expect(() => wordStartUnions([new RegExp(`(?:${'слово|'.repeat(4000)}дым)`)])).toThrow(/split it/);
  });
});
