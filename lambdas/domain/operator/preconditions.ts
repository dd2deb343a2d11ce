/**
 * Conditional changes (RFC 9110, https://www.rfc-editor.org/rfc/rfc9110#name-if-match): an inquiry's ETag is
 * its `version`, which every change of it raises (an operator's, a citizen's message, the escalator's), so a
 * change sent with `If-Match` is made only on the inquiry its sender saw.
 */

/** The inquiry's ETag: its version, quoted (a strong tag). */
export const etagOf = (version: number) => `"${version}"`;

/** What `If-Match` asks for: any current inquiry (`*`), or one of these tags, as written (`"3"`, `W/"3"`). */
export type IfMatch = '*' | string[];

/** `*`, or entity tags separated by commas: each `"…"` (strong) or `W/"…"` (weak). */
const TAG_LIST = /^\s*(?:W\/)?"[\x21\x23-\x7e]*"\s*(?:,\s*(?:W\/)?"[\x21\x23-\x7e]*"\s*)*$/;
const TAG = /(W\/)?("[\x21\x23-\x7e]*")/g;

/** The header read, or undefined when it is no `If-Match` at all (an unquoted version, say). */
export function parseIfMatch(header: string): IfMatch | undefined {
  if (header.trim() === '*') return '*';
  if (!TAG_LIST.test(header)) return undefined;
  return [...header.matchAll(TAG)].map((match) => `${match[1] ?? ''}${match[2] ?? ''}`);
}

/**
 * Whether the change may be made on the inquiry at this version. A weak tag never matches: If-Match compares
 * strongly (https://www.rfc-editor.org/rfc/rfc9110#section-13.1.1), and `W/"3"` is never `"3"`.
 */
export const ifMatchHolds = (ifMatch: IfMatch, version: number) =>
  ifMatch === '*' || ifMatch.includes(etagOf(version));

/** Whether `If-Match` named a weak tag: one a client made of the ETag given, which can match no version. */
export const namesWeakTag = (ifMatch: IfMatch) =>
  ifMatch !== '*' && ifMatch.some((tag) => tag.startsWith('W/'));
