/**
 * A CloudWatch Logs Insights query, for the part of its syntax the documents' queries use, run over JSON log
 * lines as Insights runs it over a log group: `fields a, b.c`, `filter` with `or`/`and` of `@message like
 * "text"` (or `/regex/`), `field = "text"` or a number, `field in ["a", "b"]`, `field < 500` and the like,
 * `ispresent(field)`; `sort` and `limit` are ignored. Anything else throws, so that a query written otherwise is
 * not taken for one this reads. A field missing from a line matches nothing, as in Insights.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 */
interface InsightsQuery {
  /** The fields `fields` names, as written (`error.message`, `@timestamp`). */
  fields: string[];
  /** The fields the filters read, as written. */
  filtered: string[];
  /** Whether a line (its text, as the log group holds it) passes every `filter`. */
  matches(line: string): boolean;
}

type Value = string | number | RegExp | (string | number)[];
type Term =
  | { kind: 'compare'; field: string; operator: string; value: Value }
  | { kind: 'present'; field: string };

/** A field of a JSON line by its dotted name, `@message` being the whole line. */
function fieldOf(line: string, json: Record<string, unknown> | undefined, name: string): unknown {
  if (name === '@message') return line;
  return name
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
      json,
    );
}

const TERM =
  /^\s*(?:ispresent\(\s*([@\w.]+)\s*\)|([@\w.]+)\s*(like|in|=|!=|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)*\/|\[[^\]]*\]|-?\d+(?:\.\d+)?))\s*/;

function readValue(text: string): Value {
  if (text.startsWith('/')) return new RegExp(text.slice(1, -1));
  return JSON.parse(text) as Value;
}

/** A filter's expression: terms joined by `or` and `and` (`and` first), no parentheses. */
function parseFilter(text: string): Term[][] {
  const alternatives: Term[][] = [[]];
  let rest = text.trim();
  for (;;) {
    const found = TERM.exec(rest);
    if (!found) throw new Error(`a filter this does not read: ${rest}`);
    const [whole, present, field, operator, value] = found;
    alternatives
      .at(-1)
      ?.push(
        present !== undefined
          ? { kind: 'present', field: present }
          : { kind: 'compare', field: field ?? '', operator: operator ?? '', value: readValue(value ?? '') },
      );
    rest = rest.slice(whole.length);
    if (rest === '') return alternatives;
    const joint = /^(or|and)\s+/.exec(rest);
    if (!joint) throw new Error(`a filter this does not read: ${rest}`);
    if (joint[1] === 'or') alternatives.push([]);
    rest = rest.slice(joint[0].length);
  }
}

function holds(term: Term, line: string, json: Record<string, unknown> | undefined): boolean {
  const field = fieldOf(line, json, term.field);
  if (term.kind === 'present') return field !== undefined && field !== null;
  const { operator, value } = term;
  if (field === undefined || field === null) return false;
  if (operator === 'like')
    return value instanceof RegExp ? value.test(String(field)) : String(field).includes(String(value));
  if (operator === 'in') return Array.isArray(value) && value.some((each) => String(each) === String(field));
  if (value instanceof RegExp || Array.isArray(value)) throw new Error(`${operator} with ${value}`);
  if (operator === '=') return String(field) === String(value);
  if (operator === '!=') return String(field) !== String(value);
  const [left, right] = [Number(field), Number(value)];
  return { '<': left < right, '<=': left <= right, '>': left > right, '>=': left >= right }[
    operator as '<' | '<=' | '>' | '>='
  ];
}

/** The query's commands: split at each `|` that is not inside a string or a regular expression (`/a|b/`). */
function commandsOf(query: string): string[] {
  const commands: string[] = [];
  let command = '';
  let inside: '"' | '/' | undefined;
  for (let index = 0; index < query.length; index++) {
    const character = query[index] ?? '';
    if (inside !== undefined) {
      if (character === '\\') {
        command += character + (query[index + 1] ?? '');
        index++;
        continue;
      }
      if (character === inside) inside = undefined;
    } else if (character === '"' || (character === '/' && /\blike\s*$/.test(command))) inside = character;
    else if (character === '|') {
      commands.push(command.trim());
      command = '';
      continue;
    }
    command += character;
  }
  return [...commands, command.trim()];
}

export function insightsQuery(query: string): InsightsQuery {
  const fields: string[] = [];
  const filters: Term[][][] = [];
  for (const command of commandsOf(query)) {
    const [, name = '', rest = ''] = /^(\w+)\s+([\s\S]*)$/.exec(command) ?? [];
    if (name === 'fields') fields.push(...rest.split(',').map((field) => field.trim()));
    else if (name === 'filter') filters.push(parseFilter(rest));
    else if (name !== 'sort' && name !== 'limit') throw new Error(`a command this does not read: ${command}`);
  }
  return {
    fields,
    filtered: filters.flat(2).map((term) => term.field),
    matches(line) {
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(line) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return filters.every((alternatives) =>
        alternatives.some((terms) => terms.every((term) => holds(term, line, json))),
      );
    },
  };
}
