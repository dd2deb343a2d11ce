import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Stops the command; annotate the constant with it, so that TypeScript knows nothing runs after a call.
 * `command` is its npm script's name, when failureOf made it.
 */
export type Failure = ((message: string, code?: number) => never) & { readonly command?: string };

/** How an ops command stops: its name, then the message, on stderr, with the exit code given (1 by default). */
export const failureOf = (command: string): Failure =>
  Object.assign(
    (message: string, code = 1): never => {
      console.error(`${command}: ${message}`);
      process.exit(code);
    },
    { command },
  );

/**
 * The sentence every ops command stops with when an option it needs is missing: "--a, --b and --c are
 * required". A command that reads or changes a deployed stage's table names `--config` among them: it has no
 * default, since the local demo's (config/local.json) would send the work to its region and communities.
 */
export function requiredOptions(...names: [string, ...string[]]): string {
  const last = names.at(-1) as string;
  return names.length === 1
    ? `${last} is required`
    : `${names.slice(0, -1).join(', ')} and ${last} are required`;
}

/**
 * The arguments of a command that takes only `--help` besides them: `--help` prints its usage and ends it
 * (exit 0) before it reads or writes anything; an option it does not know ends it with the usage (exit 2).
 * How many arguments it takes is the caller's to check.
 */
export function argumentsOrHelp(command: string, usage: string): string[] {
  let parsed: ReturnType<typeof parseHelp>;
  try {
    parsed = parseHelp();
  } catch (error) {
    return failureOf(command)(`${(error as Error).message}\n\n${usage}`, 2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.positionals;
}

const parseHelp = () =>
  parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });

/**
 * The options npm takes for its own, or for an abbreviation of its own, when they come before `--`, with the
 * warning "Expanding --max to --maxsockets": the command then runs without them.
 */
const NPM_EXPANDS: Readonly<Record<string, string>> = { max: 'maxsockets', to: 'token-description' };

/** An option of the command that npm has a value for, and the name of npm's setting that holds it. */
export interface TakenOption {
  readonly option: string;
  readonly setting: string;
}

/**
 * The first of the command's own options that npm has a value for, which the command then runs without: written
 * before `--` in `npm run <script> --dry-run -- …`, npm keeps it, sets `npm_config_dry_run=true` in the script's
 * environment and runs the script without it (a dry run would then change the stage); an npmrc's `yes=true`
 * (npx's setting) sets `npm_config_yes=true` in every run, even with `--yes` written after `--`. Only the
 * command's own options count: npm sets variables of its own in every run (npm_config_cache,
 * npm_config_user_agent…), and a false one, as an npmrc's `yes=false`, is set empty.
 * https://docs.npmjs.com/cli/v11/using-npm/config#environment-variables
 */
export function optionTakenByNpm(
  names: Iterable<string>,
  env: NodeJS.ProcessEnv = process.env,
): TakenOption | undefined {
  for (const name of names)
    for (const npmName of [name, NPM_EXPANDS[name]]) {
      if (npmName === undefined) continue;
      const value = env[`npm_config_${npmName.replaceAll('-', '_')}`];
      if (value !== undefined && value !== '') return { option: name, setting: npmName };
    }
  return undefined;
}

/**
 * Why the command stops when npm has a value for one of its options: either cause, and how to undo each. A false
 * boolean written before `--` (`--yes=false`) outweighs an npmrc's and reaches the script empty; a string
 * setting has no such value, so the npmrc must lose it.
 */
export function takenOptionMessage(taken: TakenOption, type: 'boolean' | 'string', script: string): string {
  const { option, setting } = taken;
  const override =
    type === 'boolean'
      ? `to override an npmrc, add \`--${setting}=false\` before \`--\``
      : `to override an npmrc, take \`${setting}=\` out of it`;
  return (
    `\`--${option}\` is set for npm (written before \`--\`, or by an npmrc's \`${setting}=\`): ` +
    `put it after \`--\` (npm run ${script} -- --${option} …); ${override}`
  );
}

/**
 * The options of the command line; a mistake in it stops the command with the usage after it, exit code 2, and
 * so does an option of the command that npm has a value for (`optionTakenByNpm`), before anything is done.
 */
export function optionsOf<const T extends Options>(
  options: T,
  usage: string,
  fail: Failure,
): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  const taken = optionTakenByNpm(Object.keys(options));
  if (taken !== undefined) {
    const script = fail.command ?? (process.env.npm_lifecycle_event || '<script>');
    fail(takenOptionMessage(taken, options[taken.option]?.type ?? 'string', script), 2);
  }
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`, 2);
  }
}

/**
 * Runs the command's `main` when its file is the one node was started with (not when a test imports it), and
 * stops it with `fail` on an error, its message only. Ops run these on Node 20 as well (Lambda runs 22): the
 * AWS SDK's multi-line reminder about that is only noise here, as in local/main.ts. What it reminds of still
 * holds: the SDK's releases after early January 2027 require Node 22, so an upgrade of `@aws-sdk/*` from then
 * on needs Node 22 wherever the tools run (docs/runbook.md, "Runtimes").
 * https://github.com/aws/aws-sdk-js-v3/issues/7983
 * On Ctrl-C it says, on stderr, what `main` last told `progress` it had done, and exits 130.
 */
export function runAsCommand(
  moduleUrl: string,
  main: (progress: Progress) => Promise<void>,
  fail: Failure,
): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let sofar: (() => string) | undefined;
  // Ctrl-C: say how far it got (what it changed stays changed), as 130 (128 + SIGINT), as a shell does.
  process.once('SIGINT', () => {
    const said = sofar?.();
    console.error(`${fail.command ?? 'stopped'}: stopped (Ctrl-C)${said ? `: ${said}` : ''}`);
    process.exit(130);
  });
  main((line) => {
    sofar = line;
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}

/** Tells the command runner what the command has done so far, said if it is stopped (Ctrl-C). */
export type Progress = (sofar: () => string) => void;

/**
 * The parts of the table a command's Scan reads side by side. Each reads, by our estimate, 3–10 MB a second
 * (a request reads at most 1 MB, in 0.1–0.3 s): 4 read 30–60 GB in 15–90 minutes, at up to some 10,000 read
 * units a second, below the 12,000 an on-demand table serves from the start; more may throttle the
 * functions' own reads of the table meanwhile.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
 */
export const SCAN_SEGMENTS = 4;
export const MAX_SCAN_SEGMENTS = 16;

/** `--segments` as given: a whole number from 1 to MAX_SCAN_SEGMENTS, or the command stops. */
export function segmentsOf(value: string, fail: Failure): number {
  const segments = Number(value);
  if (!/^\d+$/.test(value) || segments < 1 || segments > MAX_SCAN_SEGMENTS)
    fail(`--segments must be a whole number from 1 to ${MAX_SCAN_SEGMENTS}, not "${value}"`, 2);
  return segments;
}

/**
 * Prints how many items of the table the Scan has read, at most once a minute, and what `more` says of the
 * work done so far.
 */
export function readPrinter(more?: () => string): (scanned: number) => void {
  const started = Date.now();
  let printed = started;
  return (scanned) => {
    const now = Date.now();
    if (now - printed < 60_000) return;
    printed = now;
    const minutes = ((now - started) / 60_000).toFixed(0);
    console.log(`items of the table read: ${scanned} (${minutes} min)${more ? `; ${more()}` : ''}`);
  };
}
