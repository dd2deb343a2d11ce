import { argumentsOrHelp, failureOf } from '../../ops/command-line.js';

/**
 * The command line of a benchmark, read before it measures anything: `--help` prints its usage and ends it
 * (exit 0), so that asking what `npm run bench` does never runs minutes of measurements nor rewrites
 * bench/results/latest.json; an option it does not know, or more arguments than it takes, end it with the
 * usage (exit 2). Returns the arguments it takes (at most `positionals`).
 */
export function benchArguments(command: string, usage: string, positionals = 0): string[] {
  const given = argumentsOrHelp(command, usage);
  if (given.length > positionals)
    return failureOf(command)(
      `${positionals === 0 ? 'no arguments' : `at most ${positionals} arguments`}, not ${given.map((argument) => `"${argument}"`).join(' ')}\n\n${usage}`,
      2,
    );
  return given;
}
