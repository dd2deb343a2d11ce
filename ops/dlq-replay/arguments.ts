import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { type Failure, optionsOf, requiredOptions } from '../command-line.js';
import { STAGE_OPTIONS, stageOptions } from '../stage-options.js';
import { stageConfigOrFail } from '../stage-table.js';
import { USAGE } from './usage.js';

/** The stage's inquiry table and configuration, given --table and --config. */
interface StageTable {
  name: string;
  config: AppConfig;
}

interface FromQueue {
  from: string;
  /** --max: at most this many messages. */
  max: number;
  table: StageTable | undefined;
}

/** What the command line asks of dlq:replay: to drop letters named, or to count or move a queue's. */
type ReplayRequest =
  | (FromQueue & { mode: 'drop'; ids: string[] })
  | (FromQueue & { mode: 'count' | 'move'; to: string; fromLiveQueue: boolean });

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  max: { type: 'string', default: '1000' },
  'dry-run': STAGE_OPTIONS['dry-run'],
  'from-live-queue': { type: 'boolean', default: false },
  drop: { type: 'string' },
  ...stageOptions('table', 'config', 'help'),
} as const;

/**
 * What the command line asks for, or 'help'. A mistake in it stops the command (exit 2) before any queue is
 * looked at, and so does a --config that cannot be read (exit 1).
 */
export function replayRequestOf(fail: Failure): ReplayRequest | 'help' {
  const values = optionsOf(OPTIONS, USAGE, fail);
  if (values.help) return 'help';
  if ((values.table === undefined) !== (values.config === undefined))
    fail(`${requiredOptions('--table', '--config')} together\n\n${USAGE}`, 2);
  const table =
    values.table !== undefined && values.config !== undefined
      ? { name: values.table, config: stageConfigOrFail(values.config, fail) }
      : undefined;
  const max = Number(values.max);
  if (!Number.isInteger(max) || max <= 0) fail('--max must be a positive whole number', 2);
  if (values.drop !== undefined) {
    const ids = values.drop
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!values.from || ids.length === 0) fail(`--drop needs --from and message ids\n\n${USAGE}`, 2);
    if (values.to || values['dry-run']) fail('--drop moves nothing: give it neither --to nor --dry-run', 2);
    return { mode: 'drop', from: values.from, ids, max, table };
  }
  if (!values.from || !values.to) fail(`--from and --to are required\n\n${USAGE}`, 2);
  if (values.from === values.to) fail('--from and --to must be different queues', 2);
  return {
    mode: values['dry-run'] ? 'count' : 'move',
    from: values.from,
    to: values.to,
    fromLiveQueue: values['from-live-queue'],
    max,
    table,
  };
}
