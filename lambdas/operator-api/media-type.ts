/**
 * Which of the media types a route offers an `Accept` header asks for, as RFC 9110 weighs it
 * (https://www.rfc-editor.org/rfc/rfc9110#name-accept): each offered type takes the weight (`q`, 1 when not
 * given) of the most specific range that matches it (`text/csv` before `text/*` before `*\/*`); the heaviest
 * above 0 wins, the first offered on a tie. No `Accept`, or an empty one, asks for anything: the first offered.
 * Undefined when the header allows none of them (a 406). Parameters other than `q` are not weighed; a range
 * with a `q` that is no weight is left out.
 */
export function preferredMediaType(
  accept: string | undefined,
  offered: readonly [string, ...string[]],
): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept.split(',').flatMap((part) => {
    const [range = '', ...parameters] = part.split(';').map((each) => each.trim().toLowerCase());
    if (!/^[^/\s]+\/[^/\s]+$/.test(range)) return [];
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    const weight = q === undefined ? 1 : qvalue(q.slice(q.indexOf('=') + 1).trim());
    return weight === undefined ? [] : [{ range, weight }];
  });
  let best: { type: string; weight: number } | undefined;
  for (const type of offered) {
    const weight = weightOf(type, ranges);
    if (weight > 0 && (best === undefined || weight > best.weight)) best = { type, weight };
  }
  return best?.type;
}

/**
 * A weight as RFC 9110 writes it, 0 to 1 (https://www.rfc-editor.org/rfc/rfc9110#name-quality-values), its
 * leading 0 optional (old Java clients send `q=.2`); undefined for anything else, whose range is left out:
 * read as a number, `q=2` or `q=0x1` would outweigh a 1, and an empty `q=` refuse a type as `q=0` does.
 */
function qvalue(text: string): number | undefined {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const weight = Number(text);
  return weight <= 1 ? weight : undefined;
}

/** The weight of the most specific range that matches `type`: 0 if none does. */
function weightOf(type: string, ranges: { range: string; weight: number }[]): number {
  const [main] = type.split('/');
  const specificity = (range: string) =>
    range === type ? 3 : range === `${main}/*` ? 2 : range === '*/*' ? 1 : 0;
  let found = { specificity: 0, weight: 0 };
  for (const { range, weight } of ranges) {
    const each = specificity(range);
    if (each > found.specificity) found = { specificity: each, weight };
  }
  return found.weight;
}
