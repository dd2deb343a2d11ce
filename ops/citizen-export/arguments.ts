import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { CITIZEN_OPTIONS, checkCommunity, communityIdOf } from '../citizen-community.js';
import { oneCitizenIdOf, readAllStdin } from '../citizen-ids.js';
import { type Failure, optionsOf, requiredOptions, segmentsOf } from '../command-line.js';
import { stageOptions } from '../stage-options.js';
import { stageConfigOrFail } from '../stage-table.js';
import { type CopyFormat, EXPORT_USER_ID, FORMATS, USAGE } from './usage.js';

/** What the command line asks of citizen:export. */
interface ExportRequest {
  tableName: string;
  config: AppConfig;
  /** The community the citizen wrote to. */
  groupId: number;
  userId: number;
  /** The file to write, which does not exist yet. */
  out: string;
  format: CopyFormat;
  segments: number;
}

// `--user` among them is taken only to be refused plainly: an id on the command line stays on the ops machine.
const OPTIONS = {
  ...CITIZEN_OPTIONS,
  out: { type: 'string' },
  format: { type: 'string', default: 'json' },
  ...stageOptions('segments', 'help'),
} as const;

const REQUIRED =
  `${requiredOptions('--table', '--config', '--community', '--out')}, and the citizen's VK id: ` +
  `--user-from-stdin (recommended) or ${EXPORT_USER_ID}`;

/**
 * The file to write: a new one in a folder that exists and takes it, or the command stops (exit 2) before the
 * table is read, which may take an hour. The file itself is created only once the read is done (write.ts).
 */
function outOf(value: string, fail: Failure): string {
  const out = resolve(value);
  if (existsSync(out)) fail(`--out: ${value} exists: it is never overwritten; give a new file`, 2);
  try {
    accessSync(dirname(out), constants.W_OK);
  } catch {
    fail(`--out: the folder of ${value} does not exist or cannot be written to`, 2);
  }
  return out;
}

/**
 * What the command line asks for, or 'help'. A mistake in it stops the command (exit 2) before the table is
 * read, and so does a --config that cannot be read (exit 1). The citizen's id is read last (citizen-ids.ts).
 */
export async function exportRequestOf(fail: Failure): Promise<ExportRequest | 'help'> {
  const values = optionsOf(OPTIONS, USAGE, fail);
  if (values.help) return 'help';
  if (values.user !== undefined)
    fail(
      "--user: an id on the command line stays in npm's debug log and the shell's history: " +
        `give it on stdin (--user-from-stdin) or in ${EXPORT_USER_ID}`,
      2,
    );
  if (values.table === undefined || values.config === undefined || values.out === undefined)
    fail(`${REQUIRED}\n\n${USAGE}`, 2);
  const groupId = communityIdOf(values.community, `${REQUIRED}\n\n${USAGE}`, fail);
  const segments = segmentsOf(values.segments, fail);
  const format = values.format as CopyFormat;
  if (!FORMATS.includes(format)) fail(`--format must be json or markdown, not "${values.format}"`, 2);
  const out = outOf(values.out, fail);
  const config = stageConfigOrFail(values.config, fail);
  checkCommunity(config, values.config, groupId, values['removed-community'], fail);
  const userId = await oneCitizenIdOf(
    { fromStdin: values['user-from-stdin'], variable: process.env[EXPORT_USER_ID] },
    EXPORT_USER_ID,
    () => readAllStdin("The citizen's VK id, then Ctrl-D (it stays out of the shell's history):"),
    fail,
  );
  return { tableName: values.table, config, groupId, userId, out, format, segments };
}
