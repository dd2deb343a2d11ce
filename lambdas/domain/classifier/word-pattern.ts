/**
 * `\b` right after a word (a letter, maybe closing a group or an optional part: "канаве)", "е)?") and right
 * before a group or a class.
 */
const ENDING_BEFORE_GROUP = /(?<=[a-zа-я](?:\)\??|\?)?)\\b(?=[([])/;

/**
 * The longest rest of a word a rule reads: `\S*` ("the rest of the word") is read as `\S{0,40}` and `\S+` as
 * `\S{1,40}`. Russian words with all their suffixes are well under 40 letters; unbounded, such an ending runs
 * across a whole text joined by commas or hyphens ("светофор-светофор-…") from every place a stem occurs in it,
 * which costs time growing with the square of the text's length (16,000 characters took seconds).
 */
export const WORD_TAIL_LIMIT = 40;

/** The pattern with every unbounded rest of a word (`\S*`, `\S+`) bounded to `WORD_TAIL_LIMIT` characters. */
export function boundWordTails(pattern: RegExp): RegExp {
  return new RegExp(
    pattern.source
      .replaceAll('\\S*', `\\S{0,${WORD_TAIL_LIMIT}}`)
      .replaceAll('\\S+', `\\S{1,${WORD_TAIL_LIMIT}}`),
    pattern.flags,
  );
}

/**
 * JavaScript's `\b` knows only ASCII letters, so beside a Cyrillic letter it never matches. Rules are
 * written with `\b` for readability and compiled by `wordPattern`: `\b` before a word becomes a look-behind
 * for no letter or digit, anywhere else a look-ahead for none. The rest of a word is bounded (`boundWordTails`).
 */
export function wordPattern(pattern: RegExp): RegExp {
  // After a word and before a group, `\b` is meant as the word's end, but would compile as a start (a
  // branch that never matches): such rules must spell the end out.
  if (ENDING_BEFORE_GROUP.test(pattern.source))
    throw new Error(`wordPattern: write (?![a-zа-я0-9]) for a word's end before a group: ${pattern.source}`);
  return boundWordTails(
    new RegExp(
      pattern.source.replace(/\\b(?=[a-zа-я([])/g, '(?<![a-zа-я0-9])').replaceAll('\\b', '(?![a-zа-я0-9])'),
      pattern.flags,
    ),
  );
}

/** One word pattern matching any of the alternatives, each a pattern or a pattern's source. */
export function anyOf(...alternatives: ReadonlyArray<RegExp | string>): RegExp {
  return wordPattern(
    new RegExp(
      alternatives
        .map((alternative) => (typeof alternative === 'string' ? alternative : alternative.source))
        .join('|'),
    ),
  );
}

/**
 * The pattern matched only where a word starts. One look-behind in front of a union lets the engine skip
 * every position inside a word at once (a union of many rules costs a fifth of what it does unanchored), and
 * keeps stems from matching inside longer words ("опасность" in "безопасность").
 */
export function atWordStart(pattern: RegExp): RegExp {
  return new RegExp(`(?<![a-zа-я0-9])(?:${pattern.source})`, pattern.flags);
}

/**
 * V8 does not optimise a regular expression whose source is longer than 20 KB (`kRegExpTooLargeToOptimize`
 * in https://github.com/v8/v8/blob/main/src/regexp/regexp.h): past it, a union of rules runs five to ten
 * times slower.
 */
export const OPTIMISED_SOURCE_LIMIT = 20 * 1024;

/**
 * The rules in as few unions as keep each source within `OPTIMISED_SOURCE_LIMIT`, each matched only where a
 * word starts: one scan per union tells the texts no rule speaks of, however many rules are written.
 */
export function wordStartUnions(rules: readonly RegExp[]): RegExp[] {
  const unions: RegExp[] = [];
  let group: RegExp[] = [];
  const close = (): void => {
    if (group.length > 0) unions.push(atWordStart(anyOf(...group)));
    group = [];
  };
  for (const rule of rules) {
    if (atWordStart(rule).source.length > OPTIMISED_SOURCE_LIMIT)
      throw new Error(
        `wordStartUnions: a rule is longer than V8 optimises; split it: ${rule.source.slice(0, 80)}…`,
      );
    if (atWordStart(anyOf(...group, rule)).source.length > OPTIMISED_SOURCE_LIMIT) close();
    group.push(rule);
  }
  close();
  return unions;
}
