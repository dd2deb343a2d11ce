/**
 * `npm run citizen:erase`: the command line (citizen-erase/arguments.ts), then the erasure of each citizen
 * given (citizen-erase/erase.ts), one read of the table for several (citizen-erase/erase-each.ts), said as
 * citizen-erase/report.ts words it.
 */
import { erasureRequestOf } from './citizen-erase/arguments.js';
import { eraseCitizens } from './citizen-erase/erase-each.js';
import { citizenOf, DRY_RUN_END, failedAt, keptEnd, printErasure } from './citizen-erase/report.js';
import { KEPT, USAGE } from './citizen-erase/usage.js';
import { type Failure, failureOf, readPrinter, runAsCommand } from './command-line.js';
import { stageDocumentClient, tableFailure } from './stage-table.js';

// What others import of the command.
export { eraseCitizen } from './citizen-erase/erase.js';
export { eraseCitizens } from './citizen-erase/erase-each.js';
export type { CitizenErasure, OpenInquiry } from './citizen-erase/erasure.js';
export { KEPT } from './citizen-erase/usage.js';

const fail: Failure = failureOf('citizen:erase');

async function main() {
  const request = await erasureRequestOf(fail);
  if (request === 'help') return void console.log(USAGE);
  const { tableName, config, groupId, userIds, dryRun } = request;
  const client = stageDocumentClient(config);
  /** The places, among those given, of the citizens some of whose inquiries were kept. */
  const keptOf: number[] = [];
  let kept = 0;
  let index = 0;
  try {
    for await (const result of eraseCitizens({
      client,
      tableName,
      config,
      groupId,
      userIds,
      includeOpen: request.includeOpen,
      dryRun,
      segments: request.segments,
      readProgress: () => readPrinter(),
    })) {
      printErasure(result, groupId, citizenOf(index, userIds.length), dryRun);
      if (result.kept.length > 0) {
        kept += result.kept.length;
        keptOf.push(index + 1);
      }
      index++;
    }
  } catch (error) {
    const citizen = citizenOf(index, userIds.length);
    return fail(failedAt(citizen, index, tableFailure(error, tableName, config)));
  }
  if (dryRun) console.log(DRY_RUN_END);
  if (kept > 0) fail(keptEnd(kept, keptOf, userIds.length, dryRun), KEPT);
}

runAsCommand(import.meta.url, main, fail);
