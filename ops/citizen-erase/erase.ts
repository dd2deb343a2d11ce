import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CitizenRecords, DynamoCitizenRecords } from '../../lambdas/adapters/citizen-records.js';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import { surveyCitizen } from '../citizen-survey.js';
import { eraseInquiry } from './erase-inquiry.js';
import { type CitizenErasure, erasureFound } from './erasure.js';
import { openInquiryFinisher } from './finish-open.js';
import {
  deleteDialogueLookups,
  deletePointers,
  discardUnopenedOf,
  type ErasureTable,
  redactOthers,
} from './leftovers.js';

/**
 * Deletes what the table holds of one citizen in one community (a dry run: finds what it would delete): their
 * finished inquiries, their open ones too with `includeOpen`, their words in others' inquiries, what tries
 * that never stored a new inquiry of theirs left, their pointers and their messaging permission, in that
 * order, once the citizen is marked erased (../citizen-survey.ts reads what there is first, leftovers.ts deletes what
 * goes besides their inquiries).
 */
export async function eraseCitizen(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  groupId: number;
  userId: number;
  includeOpen?: boolean;
  dryRun?: boolean;
  clock?: Clock;
  /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
  segments?: number;
  /** Told the items of the table read so far, after each Scan request. */
  onRead?: (scanned: number) => void;
  /** The rule of the router's inquiry ids (router/inquiry-ids.ts unless given): tells an inquiry's community. */
  inquiryIdFor?: (groupId: number, eventKey: string) => string;
  /** What a read of the table for several citizens found of this one (../citizen-survey.ts, findCitizens); read if not. */
  found?: CitizenRecords;
  /** When the read that found `found` began: what the citizen wrote since is looked for (../citizen-survey.ts). */
  readAt?: Date;
}): Promise<CitizenErasure> {
  const { client, tableName, config, groupId, userId } = options;
  const table: ErasureTable = {
    client,
    tableName,
    records: new DynamoCitizenRecords(client, tableName),
    store: new DynamoRetentionStore(client, tableName),
  };
  const { store } = table;
  const clock = options.clock ?? systemClock;
  const {
    records: found,
    current,
    unopenedIds,
  } = await surveyCitizen(table.records, store, groupId, userId, {
    ...options,
    departments: config.departments.map(({ id }) => id),
    clock,
  });
  const result = erasureFound(
    current,
    config.communities.some((community) => community.groupId === groupId),
  );
  // No operator can end an inquiry of a community removed (operator-api: community_not_configured; a note only).
  const OPEN_REASON = result.configured
    ? 'open: not deleted without --include-open'
    : 'open, and its community is no longer configured: no operator can end it (docs/runbook.md, "Removing a community")';
  const includeOpen = options.includeOpen === true && result.configured;

  const keptIds = new Set(includeOpen ? [] : result.open.map(({ id }) => id));
  for (const id of keptIds) result.kept.push({ id, reason: OPEN_REASON });
  // A mark edited out of shape is not acted on (what it would find may be left): named, for ops to mend it and
  // run again (docs/runbook.md, "A malformed inquiry item"), the rest erased.
  for (const { kind, inquiryId, attributes } of found.malformedMarks)
    result.kept.push({
      id: inquiryId,
      reason: `its ${kind} mark is malformed (${attributes.join(', ')}): not acted on; mend it and run again`,
    });

  // A stopped run's erasures whose inquiry item is gone already: finished below, as the sweep finishes them.
  const present = new Set(current.map(({ id }) => id));
  const stopped: typeof found.erasures = [];
  for (const erasure of found.erasures)
    if (!present.has(erasure.inquiryId) && !(await store.getInquiry(erasure.inquiryId)))
      stopped.push(erasure);

  if (options.dryRun) {
    result.deleted = current.length - keptIds.size + stopped.length;
    result.pointers = found.pointers.filter(({ inquiryId }) => !keptIds.has(inquiryId)).length;
    result.permission = found.permission;
    result.redacted = found.others.length;
    result.unopened = unopenedIds.size;
    return result;
  }

  // Marked before anything goes, so that a change of a message deleted below finds the mark (one that finds
  // its message still, applied meanwhile, goes with it), and after the scan, so that every message found was
  // written before the mark: their changes are dropped, and those of a message the citizen writes after it
  // are not. Run again, the mark moves on to that run.
  const markedAt = clock.now();
  await new DynamoErasedCitizens(client, tableName, clock).mark(groupId, userId, markedAt);
  result.markedAt = markedAt.toISOString();

  for (const erasure of stopped) {
    result.items += await store.finishErasure(erasure);
    result.deleted++;
  }

  const finishOpen = includeOpen
    ? openInquiryFinisher({
        config,
        inquiries: new DynamoInquiryRepository(client, tableName),
        queries: new DynamoOperatorQueries(client, tableName),
        outbox: { send: () => Promise.reject(new Error('a citizen erasure sends the citizen nothing')) },
        clock,
      })
    : undefined;
  for (const inquiry of current) {
    if (keptIds.has(inquiry.id)) continue;
    const erased = await eraseInquiry(inquiry, store, finishOpen, OPEN_REASON);
    if (erased.deleted) {
      result.items += erased.items;
      result.deleted++;
    } else if (erased.kept !== undefined) {
      keptIds.add(inquiry.id);
      result.kept.push({ id: inquiry.id, reason: erased.kept });
    }
  }

  const others = await redactOthers(table, found, userId);
  result.redacted += others.redacted;
  result.kept.push(...others.kept);
  result.pointers += await deletePointers(table, found, keptIds);
  const unopened = await discardUnopenedOf(table, found, unopenedIds, { groupId, userId });
  result.items += unopened.items;
  result.unopened = unopened.unopened;
  result.items += await deleteDialogueLookups(table, found, keptIds);

  // Their last message_allow / message_deny, as releases up to 13d2507 recorded it: nothing reads it since
  // (VK decides at each reply), so it goes whatever of theirs is kept. The retention sweep never deleted these
  // items (it finds inquiries by their department's index, and they are no inquiry's), so a table keeps one
  // until its citizen is erased, or `npm run permissions:forget` deletes them all (ops/forget-permissions.ts).
  // This delete, with the permission's part of the erasure's Scan (citizen-records.ts), can go once every
  // stage has run that command with --yes after deploying this release (docs/updating.md).
  result.permission = await table.records.deletePermission(groupId, userId);
  return result;
}
