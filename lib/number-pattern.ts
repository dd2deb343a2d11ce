/**
 * A regular expression that matches the decimal integers greater than `limit` and nothing else (leading
 * zeros allowed). WAF compares header values as text, so "Content-Length above the limit" is a pattern.
 */
export function integersAbove(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new Error(`limit must be a non-negative integer, not ${limit}`);
  const digits = String(limit);
  const alternatives: string[] = [];
  for (let index = 0; index < digits.length; index++) {
    const digit = Number(digits[index]);
    if (digit === 9) continue;
    const rest = digits.length - index - 1;
    const next = digit + 1 === 9 ? '9' : `[${digit + 1}-9]`;
    alternatives.push(`${digits.slice(0, index)}${next}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  // Any number with more digits than the limit is larger.
  alternatives.push(`[1-9][0-9]{${digits.length},}`);
  return `^0*(${alternatives.join('|')})$`;
}
