import { type Failure, requiredOptions, SCAN_SEGMENTS } from './command-line.js';

/**
 * The options the commands on a stage's table share, declared once so that each reads them alike. A command
 * lists those it takes in its own order: the first of them npm has a value for is the one it names
 * (command-line.ts, optionTakenByNpm).
 */
export const STAGE_OPTIONS = {
  /** The stage's inquiry table: the Stateless stack's output InquiryTableName. */
  table: { type: 'string' },
  /** The configuration deployed, with no default: the table is in its region (command-line.ts, requiredOptions). */
  config: { type: 'string' },
  /** The parts of the table a Scan reads side by side (command-line.ts, segmentsOf). */
  segments: { type: 'string', default: String(SCAN_SEGMENTS) },
  /** The command changes the stage only with it; without it, it only looks. */
  yes: { type: 'boolean', default: false },
  /** Only looks, as a run without --yes does: said outright. */
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The shared options named, in the order given. */
export function stageOptions<const K extends keyof typeof STAGE_OPTIONS>(
  ...names: K[]
): Pick<typeof STAGE_OPTIONS, K> {
  return Object.fromEntries(names.map((name) => [name, STAGE_OPTIONS[name]])) as Pick<
    typeof STAGE_OPTIONS,
    K
  >;
}

/**
 * The options the command cannot run without, as given, or the command stopped with their names and the usage
 * (exit 2) when one is missing.
 */
export function requiredOf<const K extends string>(
  values: { readonly [name in K]?: string | undefined },
  names: readonly [K, ...K[]],
  usage: string,
  fail: Failure,
): { readonly [name in K]: string } {
  if (names.some((name) => values[name] === undefined)) {
    const [first, ...others] = names.map((name) => `--${name}`) as [string, ...string[]];
    fail(`${requiredOptions(first, ...others)}\n\n${usage}`, 2);
  }
  return values as { readonly [name in K]: string };
}

/**
 * Whether the run changes the stage: only with --yes. Given with --dry-run, the command stops (exit 2); `does`
 * says what --yes does ("deletes").
 */
export function confirmedOf(
  values: { yes: boolean; 'dry-run': boolean },
  does: string,
  fail: Failure,
): boolean {
  if (values.yes && values['dry-run']) fail(`--yes ${does}, --dry-run does not: give one of them`, 2);
  return values.yes;
}
