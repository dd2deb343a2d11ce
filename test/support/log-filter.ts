/**
 * Whether a JSON log line matches a CloudWatch Logs metric filter pattern, for the part of the syntax the
 * stack's filters use: `{ $.a.b <op> <value> && … }`, each value a quoted string (`*` standing for any text)
 * or a number. A string is compared with a string field only, a number with a number field only (the access
 * log writes its status as text, ingest its `status` as a number), and a missing field matches nothing.
 * Anything else throws, so that a filter written otherwise is not taken for one this reads.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function matchesFilter(pattern: string, line: Record<string, unknown>): boolean {
  const body = /^\{\s*(.+?)\s*\}$/.exec(pattern)?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split(/\s*&&\s*/).every((term) => {
    const [, path, operator, value] =
      /^\$\.([\w.]+)\s*(=|!=|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)$/.exec(term) ?? [];
    if (path === undefined || operator === undefined || value === undefined)
      throw new Error(`a term this does not read: ${term}`);
    const field = path
      .split('.')
      .reduce<unknown>(
        (node, key) =>
          typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
        line,
      );
    if (value.startsWith('"')) {
      if (typeof field !== 'string' || (operator !== '=' && operator !== '!=')) return false;
      const text = JSON.parse(value) as string;
      const wildcard = new RegExp(
        `^${text
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      return wildcard.test(field) === (operator === '=');
    }
    if (typeof field !== 'number') return false;
    const number = Number(value);
    return {
      '=': field === number,
      '!=': field !== number,
      '<': field < number,
      '<=': field <= number,
      '>': field > number,
      '>=': field >= number,
    }[operator as '=' | '!=' | '<' | '<=' | '>' | '>='];
  });
}
