import { describe, expect, it } from 'vitest';
import { anyOf, atWordStart, wordPattern } from '../../../lambdas/domain/classifier/word-pattern.js';

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
});
