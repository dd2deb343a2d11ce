import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CitizenRecords, DynamoCitizenRecords } from '../../lambdas/adapters/citizen-records.js';
import { deleteIfNaming } from '../../lambdas/adapters/conditional-delete.js';
import type { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { discardUnopened } from '../../lambdas/adapters/unopened-inquiries.js';

/** The stage's table, and the stores on it an erasure works through. */
export interface ErasureTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  records: DynamoCitizenRecords;
  /** The retention sweep's own store: the same version-checked deletion, the same items that go with it. */
  store: DynamoRetentionStore;
}

/**
 * Their words and mentions of them in others' inquiries, redacted whether or not theirs are kept: the others'
 * inquiries stay, without them. Returns how many items were redacted, and those whose words changed meanwhile.
 */
export async function redactOthers(
  { records }: ErasureTable,
  found: CitizenRecords,
  userId: number,
): Promise<{ redacted: number; kept: { id: string; reason: string }[] }> {
  let redacted = 0;
  const kept: { id: string; reason: string }[] = [];
  for (const { key, inquiryId } of found.others) {
    const done = await records.redactWordsOf(key, userId);
    if (done === true) redacted++;
    else if (done === 'changed')
      kept.push({
        id: inquiryId,
        reason: 'its words quoting or mentioning them changed while being redacted: run again',
      });
  }
  return { redacted, kept };
}

/**
 * The pointers of the deleted inquiries went with them; one left naming an inquiry that is gone (a stopped
 * run) goes now. One naming a kept inquiry stays: the citizen's next message there belongs to it. Returns how
 * many went.
 */
export async function deletePointers(
  { records, store }: ErasureTable,
  found: CitizenRecords,
  keptIds: ReadonlySet<string>,
): Promise<number> {
  let pointers = 0;
  for (const pointer of found.pointers) {
    if (keptIds.has(pointer.inquiryId)) continue;
    if (await store.getInquiry(pointer.inquiryId)) continue;
    await records.deletePointer(pointer.key, pointer.inquiryId);
    pointers++;
  }
  return pointers;
}

/**
 * What tries that never stored a new inquiry of theirs left (its pointer went with the others, naming no
 * inquiry), and the openings' marks, which hold their id: found unstored, each is read again before anything
 * goes. Returns the items deleted, and how many such inquiries they were.
 */
export async function discardUnopenedOf(
  { client, tableName, store }: ErasureTable,
  found: CitizenRecords,
  unopenedIds: ReadonlySet<string>,
  citizen: { groupId: number; userId: number },
): Promise<{ items: number; unopened: number }> {
  let items = 0;
  const discarded = new Set<string>();
  for (const inquiryId of unopenedIds) {
    const opening = found.openings.find((candidate) => candidate.inquiryId === inquiryId);
    const deleted = await discardUnopened(client, tableName, {
      inquiryId,
      groupId: citizen.groupId,
      authorId: citizen.userId,
      conversationKeys: opening ? [opening.conversationKey] : [],
    });
    if (deleted === 'opened' || deleted === 0) continue;
    items += deleted;
    discarded.add(inquiryId);
  }
  // The marks of their inquiries stored since, whose try stopped before deleting them.
  for (const opening of found.openings)
    if (!discarded.has(opening.inquiryId)) await store.discardOpening(opening);
  return { items, unopened: discarded.size };
}

/**
 * Lookups of their dialogue's messages naming no inquiry, which earlier versions stored before an inquiry
 * that never came to be: each holds a message's words. Returns how many were deleted.
 */
export async function deleteDialogueLookups(
  { client, tableName, store }: ErasureTable,
  found: CitizenRecords,
  keptIds: ReadonlySet<string>,
): Promise<number> {
  let items = 0;
  for (const lookup of found.dialogueLookups) {
    if (keptIds.has(lookup.inquiryId) || (await store.getInquiry(lookup.inquiryId))) continue;
    if (await deleteIfNaming(client, tableName, lookup.key, 'inquiryId', lookup.inquiryId)) items++;
  }
  return items;
}
