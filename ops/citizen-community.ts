import type { AppConfig } from '../lambdas/domain/config/schema.js';
import type { Failure } from './command-line.js';
import { STAGE_OPTIONS } from './stage-options.js';

/**
 * The options of a command on one citizen's data in one community (citizen:erase, citizen:export): the table
 * and configuration, the community, and the citizen's id, from stdin or `--user` (which each says what it does
 * with it).
 */
export const CITIZEN_OPTIONS = {
  table: STAGE_OPTIONS.table,
  config: STAGE_OPTIONS.config,
  community: { type: 'string' },
  'removed-community': { type: 'boolean', default: false },
  user: { type: 'string' },
  'user-from-stdin': { type: 'boolean', default: false },
} as const;

/**
 * The community's VK id given on the command line (`--community`): a positive whole number, or the command
 * stops (exit 2); `missing` is what it stops with when none was given.
 */
export function communityIdOf(value: string | undefined, missing: string, fail: Failure): number {
  if (value === undefined) return fail(missing, 2);
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0)
    return fail(`--community must be a VK id, a positive whole number, not "${value}"`, 2);
  return id;
}

/**
 * Stops the command (exit 2) unless `--community` is one the configuration (`configFile`) names, or, with
 * `--removed-community`, one it does not: a mistyped or swapped id (the citizen's for the community's) would act
 * on someone else, so only a community said to be removed may be one the configuration does not name.
 */
export function checkCommunity(
  config: AppConfig,
  configFile: string,
  groupId: number,
  removed: boolean,
  fail: Failure,
): void {
  const configured = config.communities.some((community) => community.groupId === groupId);
  if (!configured && !removed)
    fail(
      `community ${groupId} is not in ${configFile}: check the id (and that it is not the citizen's); for a ` +
        'community taken out of the configuration, add --removed-community',
      2,
    );
  if (configured && removed)
    fail(
      `--removed-community: community ${groupId} is in ${configFile}: check the id, or drop the option`,
      2,
    );
}
