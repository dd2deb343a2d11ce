import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionHeld } from '../lambdas/adapters/conditional-write.js';
import { scanConsistently } from '../lambdas/adapters/dynamo-parallel-scan.js';
import { historyTraces } from '../lambdas/adapters/history-pages.js';
import { fromInquiryItems } from '../lambdas/adapters/inquiry-items.js';
import { INQUIRY_SK, inquiryKey } from '../lambdas/adapters/inquiry-keys.js';
import { atMostAtOnce } from '../lambdas/domain/concurrency.js';
import { holdersAfter, type InquiryTrace, NO_HOLDERS } from '../lambdas/domain/operator/left-departments.js';
import {
  type Failure,
  failureOf,
  MAX_SCAN_SEGMENTS,
  optionsOf,
  type Progress,
  runAsCommand,
  SCAN_SEGMENTS,
  segmentsOf,
} from './command-line.js';
import { confirmedOf, requiredOf, stageOptions } from './stage-options.js';
import { stageConfigOrFail } from './stage-table.js';
import { runOverTable } from './table-run.js';

/**
 * How many inquiries each part of the table fills at once: each reads its whole history (a Query a MB) and
 * writes its item once, so that a run takes a small part of the read and write units the functions share.
 */
export const FILLED_AT_ONCE = 4;

const USAGE = `Writes on each inquiry that lacks it who has had it (\`pastHolders\`: the departments its history names, the
operators who acted on it), read from its whole history, as this release writes it with every change. The
operator API reads it to answer a read of another department's inquiry (403 left_your_departments to an
operator who had it, 404 to anyone else) on one item; an inquiry without it (stored by an earlier release, and
kept up to retention.closedInquiryDays after it is finished) has its history searched instead, up to 20 MB per
request.

  npm run past-holders:fill -- --table <table name> --config <file> [--segments <n>] [--yes]

--config    the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with no
            default: the table is in its region
--segments  the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and take
            more of the read capacity the functions share
--yes       writes it; without it the run only counts the inquiries without it, and writes nothing
--dry-run   counts them and writes nothing, as a run without --yes does

It reads the whole table once (a consistent Scan), in parts side by side, and for each inquiry without
\`pastHolders\` (or with one an earlier release carried along after a rollback) reads its history and writes
\`pastHolders\` on condition that the inquiry is still at the version read (${FILLED_AT_ONCE} at a time in each
part): one changed meanwhile is left to the next run. Run it once on each stage after deploying
(docs/updating.md); a second run finds only those changed meanwhile. Safe to stop and run again. It prints
counts, and the id of an inquiry whose item it cannot read (mend it: docs/runbook.md), never a citizen's id. It works in the configuration's region, whatever the AWS profile's (set
AWS_ENDPOINT_URL_DYNAMODB for the local emulator).`;

export interface PastHoldersFilled {
  /** Inquiries found without a whole `pastHolders`. */
  found: number;
  /** Written (none without `confirmed`). */
  filled: number;
  /** Changed between the read and the write: left to the next run. */
  changed: number;
  /** Whose history names more than MAX_HOLDERS departments or operators: their history answers, as before. */
  pastBound: number;
  /**
   * Items whose id or version does not read (docs/runbook.md, "A malformed inquiry item"): left as they are,
   * not counted found, the rest filled; a run after they are mended fills them.
   */
  malformed: { id: string; attributes: string[] }[];
}

/** Who has had the inquiry, as its whole history tells it: every page, however many. */
async function holdersInHistory(client: DynamoDBDocumentClient, tableName: string, id: string) {
  const traces: InquiryTrace[] = [];
  for await (const page of historyTraces(client, tableName, id)) traces.push(...page);
  return holdersAfter(NO_HOLDERS, traces);
}

/**
 * Finds every inquiry without a whole `pastHolders` (none, or one written with another version than the inquiry's)
 * and, `confirmed`, writes it from its history, conditional on the version read.
 */
export async function fillPastHolders(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  confirmed: boolean;
  segments?: number;
  onRead?: (scanned: number, sofar: Readonly<PastHoldersFilled>) => void;
}): Promise<PastHoldersFilled> {
  const { client, tableName } = options;
  const result: PastHoldersFilled = { found: 0, filled: 0, changed: 0, pastBound: 0, malformed: [] };
  const fill = async ({ id, version }: { id: string; version: number }) => {
    const holders = await holdersInHistory(client, tableName, id);
    if (!holders) return void result.pastBound++;
    const written = await conditionHeld(
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: inquiryKey(id),
          UpdateExpression: 'SET pastHolders = :pastHolders',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':pastHolders': { ...holders, version }, ':version': version },
        }),
      ),
    );
    if (written) result.filled++;
    else result.changed++;
  };
  // Consistent: a second run right after the first finds only what changed meanwhile, not what it filled.
  await scanConsistently(
    client,
    {
      TableName: tableName,
      FilterExpression: 'sk = :sk AND (attribute_not_exists(pastHolders) OR pastHolders.version <> version)',
      ExpressionAttributeValues: { ':sk': INQUIRY_SK },
      // The key too, which names an item whose id is gone.
      ProjectionExpression: 'pk, id, version',
    },
    {
      segments: options.segments ?? SCAN_SEGMENTS,
      ...(options.onRead && { onRead: (scanned: number) => options.onRead?.(scanned, result) }),
    },
    async (items) => {
      const page = fromInquiryItems(
        items,
        ({ inquiryId: id, attributes }) => void result.malformed.push({ id, attributes }),
        'versioned',
      );
      result.found += page.length;
      if (options.confirmed) await atMostAtOnce(page, FILLED_AT_ONCE, fill);
    },
  );
  return result;
}

const fail: Failure = failureOf('past-holders:fill');

async function main(progress: Progress) {
  const values = optionsOf(
    stageOptions('table', 'config', 'segments', 'yes', 'dry-run', 'help'),
    USAGE,
    fail,
  );
  if (values.help) return void console.log(USAGE);
  const { table, config: configFile } = requiredOf(values, ['table', 'config'], USAGE, fail);
  const confirmed = confirmedOf(values, 'writes', fail);
  const segments = segmentsOf(values.segments, fail);
  const config = stageConfigOrFail(configFile, fail);
  const result = await runOverTable<PastHoldersFilled>({
    table,
    config,
    changing: confirmed,
    counts: {
      found: { label: 'inquiries without pastHolders', count: (work) => work.found },
      changed: { label: 'filled', count: (work) => work.filled },
    },
    progress,
    fail,
    run: (client, onRead) => fillPastHolders({ client, tableName: table, confirmed, segments, onRead }),
  });
  console.log(`inquiries without pastHolders: ${result.found}`);
  for (const { id, attributes } of result.malformed)
    console.log(`malformed, left as it is: ${id} (${attributes.join(', ')}): mend it and run again`);
  if (!confirmed) return void console.log('filled: none (a dry run: run it again with --yes to write it)');
  console.log(`filled: ${result.filled}`);
  if (result.changed > 0) console.log(`changed meanwhile, left to the next run: ${result.changed}`);
  if (result.pastBound > 0) console.log(`past its bound, their history answers: ${result.pastBound}`);
}

runAsCommand(import.meta.url, main, fail);
