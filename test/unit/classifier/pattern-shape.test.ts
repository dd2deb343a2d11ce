import { describe, expect, it } from 'vitest';
import { ANY_RULE, CATEGORY_RULES } from '../../../lambdas/domain/classifier/category-rules.js';
import { ANY_DANGER, CRITICAL_RULES } from '../../../lambdas/domain/classifier/critical.js';
import { CATEGORY_CUES } from '../../../lambdas/domain/classifier/lexicon.js';
import { NOT_INQUIRY_PATTERNS } from '../../../lambdas/domain/classifier/not-inquiry.js';
import { ANY_CUE, PRIORITY_RULES } from '../../../lambdas/domain/classifier/priority-rules.js';
import { boundWordTails, WORD_TAIL_LIMIT } from '../../../lambdas/domain/classifier/word-pattern.js';

/**
 * Every pattern the classifier runs on a citizen's text, as compiled. Their speed on hostile texts is measured
 * by the classifier benchmark (bench/classifier-figures.ts, worst case); these tests keep the two shapes that
 * made it slow from coming back.
 */
const PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ...ANY_DANGER.map((union, i) => [`ANY_DANGER[${i}]`, union] as const),
  ...CRITICAL_RULES.map(([name, rule]) => [`danger ${name}`, rule] as const),
  ...ANY_RULE.map((union, i) => [`ANY_RULE[${i}]`, union] as const),
  ...CATEGORY_RULES.flatMap(([category, rule, unless]) => [
    [`category ${category}`, rule] as const,
    ...(unless ? [[`category ${category}, unless`, unless] as const] : []),
  ]),
  ...ANY_CUE.map((union, i) => [`ANY_CUE[${i}]`, union] as const),
  ...PRIORITY_RULES.flatMap(({ name, cue, context }) => [
    [`theme ${name}`, cue] as const,
    ...(context ? [[`theme ${name}, context`, context] as const] : []),
  ]),
  ...Object.entries(CATEGORY_CUES).map(([category, cue]) => [`cue ${category}`, cue] as const),
  ...NOT_INQUIRY_PATTERNS.map(
    (pattern, i) => [`not-inquiry ${i}: ${pattern.source.slice(0, 40)}`, pattern] as const,
  ),
];

/** The rest of a word read to its end, however long: `\S*` or `\S+`. */
const UNBOUNDED_TAIL = /\\S[*+]/;

/**
 * The rest of a word beside a single optional or repeated character that it could also take (`\S*,?`,
 * `н?\S*`): each such pair matches one text in two ways, and inside a repeated group 2^n ways.
 */
const AMBIGUOUS_TAIL =
  /\\S(?:[*+]|\{\d+,\d*\})(?:[^\\\s()|[\]{}.^$]|\\[^sSdDwWbB]|\[[^\]]*\])[?*+]|(?:[^\\\s()|[\]{}*+?]|\\[^sSdDwWbB]|\[[^\]]*\])[?*]\\S/;

describe("the shape of the classifier's patterns", () => {
  it('finds every pattern it checks', () => {
    expect(PATTERNS.length).toBeGreaterThan(50);
    expect(NOT_INQUIRY_PATTERNS.length).toBeGreaterThan(10);
  });

  it.each(PATTERNS)('%s reads at most 40 characters as the rest of a word', (_, pattern) => {
    expect(pattern.source).not.toMatch(UNBOUNDED_TAIL);
  });

  it.each(PATTERNS)('%s gives no character to two neighbouring quantifiers', (_, pattern) => {
    expect(pattern.source).not.toMatch(AMBIGUOUS_TAIL);
  });

  it('tells the shapes that were slow', () => {
    expect(String.raw`(?:друзья)\S*,? )*`).toMatch(AMBIGUOUS_TAIL);
    expect(String.raw`кончен(?:н)?\S*|конченн?\S*`).toMatch(AMBIGUOUS_TAIL);
    expect(String.raw`светофор\S*[^.!?]{0,60} не работа`).toMatch(UNBOUNDED_TAIL);
    expect(String.raw`(?:друзья)\S{0,40} )*`).not.toMatch(AMBIGUOUS_TAIL);
    expect(String.raw`светофор\S{0,40}[^.!?]{0,60} (?:\S{1,40} )?не`).not.toMatch(AMBIGUOUS_TAIL);
  });

  it(`bounds the rest of a word to ${WORD_TAIL_LIMIT} characters, keeping the flags`, () => {
    const pattern = boundWordTails(/мост\S* (?:\S+ )?рухнул/g);
    expect(pattern.source).toBe(String.raw`мост\S{0,40} (?:\S{1,40} )?рухнул`);
    expect(pattern.flags).toBe('g');
    expect(pattern.test('мостик вчера рухнул')).toBe(true);
  });
});
