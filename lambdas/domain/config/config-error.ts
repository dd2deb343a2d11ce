/** A configuration that cannot be used: the message names every problem with its path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One problem: where in the file (`routing[2].department`) and what is wrong. */
export interface ConfigProblem {
  path: readonly PropertyKey[];
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The error for a file with problems, one line each, e.g. `  - routing[2].department: unknown department`. */
export function invalidConfiguration(source: string, problems: readonly ConfigProblem[]): ConfigError {
  const lines = problems.map((problem) => `  - ${formatPath(problem.path)}: ${problem.message}`);
  return new ConfigError(`Invalid configuration in ${source}:\n${lines.join('\n')}`);
}
