import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { CITIZEN_OPTIONS, checkCommunity, communityIdOf } from '../citizen-community.js';
import { CITIZEN_ID_SOURCES, citizenIdsOf, readAllStdin, USER_ID_VARIABLE } from '../citizen-ids.js';
import { type Failure, optionsOf, requiredOptions, segmentsOf } from '../command-line.js';
import { confirmedOf, stageOptions } from '../stage-options.js';
import { stageConfigOrFail } from '../stage-table.js';
import { USAGE } from './usage.js';

/** What the command line asks of citizen:erase. */
interface ErasureRequest {
  tableName: string;
  config: AppConfig;
  /** The community the citizens wrote to. */
  groupId: number;
  /** The citizens, in the order given. */
  userIds: number[];
  includeOpen: boolean;
  /** Without --yes it only looks. */
  dryRun: boolean;
  segments: number;
}

const OPTIONS = {
  ...CITIZEN_OPTIONS,
  'include-open': { type: 'boolean', default: false },
  ...stageOptions('segments', 'yes', 'dry-run', 'help'),
} as const;

/** What the command cannot run without: the configuration too, since it deletes in the region it names. */
const REQUIRED = `${requiredOptions('--table', '--config', '--community')}, and ${CITIZEN_ID_SOURCES}`;

/**
 * What the command line asks for, or 'help'. A mistake in it stops the command (exit 2) before the table is
 * read, and so does a --config that cannot be read (exit 1). The citizens' ids are read last (citizen-ids.ts).
 */
export async function erasureRequestOf(fail: Failure): Promise<ErasureRequest | 'help'> {
  const values = optionsOf(OPTIONS, USAGE, fail);
  if (values.help) return 'help';
  // No default configuration: the local demo's would send the deletion to its region and communities.
  if (values.table === undefined || values.config === undefined) fail(`${REQUIRED}\n\n${USAGE}`, 2);
  const groupId = communityIdOf(values.community, `${REQUIRED}\n\n${USAGE}`, fail);
  const segments = segmentsOf(values.segments, fail);
  // Without --yes it only looks: a mistyped id would otherwise erase another citizen at once.
  const dryRun = !confirmedOf(values, 'deletes', fail);
  const config = stageConfigOrFail(values.config, fail);
  checkCommunity(config, values.config, groupId, values['removed-community'], fail);
  const userIds = await citizenIdsOf(
    {
      user: values.user,
      fromStdin: values['user-from-stdin'],
      variable: process.env[USER_ID_VARIABLE],
    },
    readAllStdin,
    fail,
  );
  return {
    tableName: values.table,
    config,
    groupId,
    userIds,
    includeOpen: values['include-open'],
    dryRun,
    segments,
  };
}
