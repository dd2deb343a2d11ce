import { parseArgs } from 'node:util';
import { failureOf } from '../../ops/command-line.js';

/**
 * The command line of a benchmark, read before it measures anything: `--help` prints its usage and ends it
 * (exit 0), so that asking what `npm run bench` does never runs minutes of measurements nor rewrites
 * bench/results/latest.json; an option it does not know, or more arguments than it takes, end it with the
 * usage (exit 2). Returns the arguments it takes (at most `positionals`).
 */
export function benchArguments(command: string, usage: string, positionals = 0): string[] {
  const fail = failureOf(command);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`, 2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (parsed.positionals.length > positionals)
    return fail(
      `${positionals === 0 ? 'no arguments' : `at most ${positionals} arguments`}, not ${parsed.positionals.map((argument) => `"${argument}"`).join(' ')}\n\n${usage}`,
      2,
    );
  return parsed.positionals;
}

const parse = () =>
  parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
