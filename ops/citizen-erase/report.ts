import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import type { CitizenErasure } from './erasure.js';

/** How a citizen is named in what the command prints: never by their id, but by their place among several. */
export const citizenOf = (index: number, count: number): string =>
  count === 1 ? 'the citizen' : `citizen ${index + 1} of ${count}`;

/** What one erasure did (a dry run: would do), without the citizen's id; `citizen` names them among several. */
export function printErasure(
  result: CitizenErasure,
  groupId: number,
  citizen: string,
  dryRun: boolean,
): void {
  const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
  console.log(`${total} inquiries of ${citizen} in community ${groupId}: ${JSON.stringify(result.found)}`);
  for (const open of result.open)
    console.log(
      `open: ${open.id} case ${open.caseNumber ?? '-'} ${open.status} department ${open.department ?? '-'}`,
    );
  const would = dryRun ? 'would be deleted' : 'deleted';
  console.log(`inquiries ${would}: ${result.deleted}${dryRun ? '' : `, with ${result.items} items`}`);
  console.log(`conversation pointers ${would}: ${result.pointers}`);
  console.log(`messaging permission ${would}: ${result.permission ? 'yes' : 'no'}`);
  console.log(
    `items of others' inquiries quoting or mentioning them ${dryRun ? 'that would be redacted' : 'redacted'}: ${result.redacted}`,
  );
  console.log(`new inquiries never stored whole, their leftovers ${would}: ${result.unopened}`);
  for (const { id, reason } of result.kept) console.log(`kept: ${id} (${reason})`);
  console.log(
    result.markedAt
      ? `marked erased at ${result.markedAt} for ${ERASED_CITIZEN_DAYS} days: VK's changes of their erased messages are dropped`
      : `would be marked erased for ${ERASED_CITIZEN_DAYS} days`,
  );
}

/** Why the run stopped at the `index`th citizen, and what to do about those before them, done already. */
export const failedAt = (citizen: string, index: number, reason: string): string =>
  `${citizen}${index > 0 ? ` (${index} before them done: run again with the same ids)` : ''}: ${reason}`;

/** The line a dry run ends with. */
export const DRY_RUN_END = 'deleted: nothing (a dry run: run it again with --yes to delete it)';

/**
 * What a run that kept inquiries ends with: how many, and, of several citizens, whose (their places among
 * those given): the request is not done yet.
 */
export const keptEnd = (kept: number, keptOf: readonly number[], count: number, dryRun: boolean): string =>
  `${kept} ${dryRun ? 'would be kept' : 'kept'} (named above, with the reason)` +
  `${count > 1 ? `, of citizen ${keptOf.join(', ')} of ${count}` : ''}: ` +
  'the request is not done yet';
