import type { Failure } from './command-line.js';

/** The variable that may hold the citizen's VK id instead of the command line. */
export const USER_ID_VARIABLE = 'ERASE_USER_ID';

/**
 * How to give the citizens' ids, for the command's messages. On the command line an id stays behind on the
 * ops machine (npm's debug log keeps every run's arguments, the shell its history, and `ps` shows them to
 * anyone on the machine meanwhile); read from stdin, it is in none of them.
 */
export const CITIZEN_ID_SOURCES = `the citizen's VK id: --user-from-stdin (recommended), ${USER_ID_VARIABLE} or --user`;

/** A VK user id: a positive whole number. */
export const vkUserId = (text: string): number | undefined => {
  const id = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/**
 * The citizens whose data is to be deleted, from exactly one of: `--user`, `--user-from-stdin` (one id a line,
 * blank lines left out, an id given twice taken once), the variable ERASE_USER_ID. A mistake stops the command
 * (exit 2) before anything is read, without repeating what was given: a mistyped id is nearly someone's.
 */
export async function citizenIdsOf(
  given: { user: string | undefined; fromStdin: boolean; variable: string | undefined },
  readStdin: () => Promise<string>,
  fail: Failure,
): Promise<number[]> {
  const variable = given.variable === '' ? undefined : given.variable;
  const sources = [given.user !== undefined, given.fromStdin, variable !== undefined].filter(Boolean).length;
  if (sources === 0) return fail(`${CITIZEN_ID_SOURCES} is required`, 2);
  if (sources > 1)
    return fail(`give the citizen's VK id one way only: --user-from-stdin, ${USER_ID_VARIABLE} or --user`, 2);
  if (given.user !== undefined)
    return [vkUserId(given.user) ?? fail('--user must be a VK id, a positive whole number', 2)];
  if (variable !== undefined)
    return [
      vkUserId(variable.trim()) ?? fail(`${USER_ID_VARIABLE} must be a VK id, a positive whole number`, 2),
    ];
  const ids: number[] = [];
  const lines = (await readStdin()).split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const id =
      vkUserId(line.trim()) ??
      fail(`line ${index + 1} of stdin is not a VK id (a positive whole number): nothing was done`, 2);
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) fail('--user-from-stdin: stdin holds no VK id', 2);
  return ids;
}

/**
 * The citizen whose data is copied (`npm run citizen:export`), from exactly one of `--user-from-stdin` (one id,
 * blank lines left out) and the variable `variableName`: never the command line, which would keep it on the ops
 * machine. A mistake stops the command (exit 2) before anything is read, without repeating what was given.
 */
export async function oneCitizenIdOf(
  given: { fromStdin: boolean; variable: string | undefined },
  variableName: string,
  readStdin: () => Promise<string>,
  fail: Failure,
): Promise<number> {
  const variable = given.variable === '' ? undefined : given.variable;
  if (!given.fromStdin && variable === undefined)
    return fail(`the citizen's VK id is required: --user-from-stdin (recommended) or ${variableName}`, 2);
  if (given.fromStdin && variable !== undefined)
    return fail(`give the citizen's VK id one way only: --user-from-stdin or ${variableName}`, 2);
  if (variable !== undefined)
    return vkUserId(variable.trim()) ?? fail(`${variableName} must be a VK id, a positive whole number`, 2);
  const lines = (await readStdin())
    .split(/\r?\n/)
    .flatMap((line, index) => (line.trim() === '' ? [] : [{ line: line.trim(), index }]));
  const [first, second] = lines;
  if (!first) return fail('--user-from-stdin: stdin holds no VK id', 2);
  if (second) return fail('--user-from-stdin: stdin holds more than one line: one citizen a run', 2);
  return (
    vkUserId(first.line) ??
    fail(`line ${first.index + 1} of stdin is not a VK id (a positive whole number): nothing was done`, 2)
  );
}

/** All of stdin, as text; `prompt` first on stderr when someone types at a terminal. */
export async function readAllStdin(
  prompt = "The citizens' VK ids, one a line, then Ctrl-D (they stay out of the shell's history):",
): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${prompt}\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
