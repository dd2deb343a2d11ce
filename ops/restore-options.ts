import type { Failure } from './command-line.js';
import { requiredOf } from './stage-options.js';

/**
 * The options of the commands that bring a table restored from a point in time up to date (erasures:copy,
 * case-counters:carry; docs/runbook.md, "Restoring the inquiry table from a point in time"): the table the
 * functions used, the restored one, and the restore time.
 */
export const RESTORE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  since: { type: 'string' },
} as const;

/** `--since` as given: a time with its zone (a restore time is in UTC), or the command stops. */
export function sinceOf(value: string, fail: Failure): Date {
  const written = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const time = new Date(value);
  if (!written || Number.isNaN(time.getTime()))
    fail(`--since must be a time with its zone, such as 2027-03-01T06:40:00Z, not "${value}"`, 2);
  return time;
}

/**
 * The two tables, the restore time and the configuration, as given, or the command stopped (exit 2): one of
 * them missing, one table named twice, or a time without its zone.
 */
export function restoreOf(
  values: {
    from?: string | undefined;
    to?: string | undefined;
    since?: string | undefined;
    config?: string | undefined;
  },
  usage: string,
  fail: Failure,
): { from: string; to: string; since: Date; configFile: string } {
  const { from, to, since, config } = requiredOf(values, ['from', 'to', 'since', 'config'], usage, fail);
  if (from === to) fail('--from and --to name one table: the old table, then the restored one', 2);
  return { from, to, since: sinceOf(since, fail), configFile: config };
}
