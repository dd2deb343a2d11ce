import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CitizenRecords, DynamoCitizenRecords } from '../lambdas/adapters/citizen-records.js';
import { systemClock } from '../lambdas/adapters/clock.js';
import { MalformedInquiryItem } from '../lambdas/adapters/inquiry-items.js';
import type { DynamoRetentionStore } from '../lambdas/adapters/retention-store.js';
import type { Inquiry } from '../lambdas/domain/inquiry/inquiry.js';
import type { Clock } from '../lambdas/domain/ports.js';
import { inquiryIdFor } from '../lambdas/router/inquiry-ids.js';
import { SCAN_SEGMENTS } from './command-line.js';

/**
 * What the table holds of the citizen in the community, as their erasure (citizen-erase/) finds it before it
 * changes anything, and as the copy of their data (citizen-export/) reads it.
 */
interface Survey {
  /** What the Scan found. */
  records: CitizenRecords;
  /** Their inquiries as they are now: the Scan found the ids, the items may have changed since. */
  current: Inquiry[];
  /** New inquiries of theirs never stored whole: what a router's try left of them (their words in history). */
  unopenedIds: Set<string>;
}

/**
 * How long before the read of the table began the index of inquiries by opening is looked in: an inquiry's
 * opening time is the router's clock, the read's start the ops machine's, and the two may differ. An
 * inquiry found by both is read once.
 */
const CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * Reads the whole table for the citizen's items (DynamoCitizenRecords.find), unless a read for several
 * citizens found them (`found`), then the inquiries of theirs opened since that read began (the read finds
 * none written in a part it has passed, nor, of several citizens, any written before their turn), then each
 * of their inquiries consistently, and tells the new inquiries of theirs never stored whole.
 */
export async function surveyCitizen(
  records: DynamoCitizenRecords,
  store: DynamoRetentionStore,
  groupId: number,
  userId: number,
  options: {
    /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
    segments?: number;
    /** Told the items of the table read so far, after each Scan request. */
    onRead?: (scanned: number) => void;
    /** The rule of the router's inquiry ids (router/inquiry-ids.ts unless given): tells an inquiry's community. */
    inquiryIdFor?: (groupId: number, eventKey: string) => string;
    /** What a read of the table for several citizens found of this one (findCitizens). */
    found?: CitizenRecords;
    /** When the read that found `found` began; without it, nothing is looked for since. */
    readAt?: Date;
    /** The configured departments: an inquiry opened since the read is in one of theirs. */
    departments: readonly string[];
    /** The time of the citizen's own read (systemClock unless given). */
    clock?: Clock;
    /**
     * Told each inquiry of theirs whose item does not read as an inquiry, which is then left out of `current`
     * (a copy of their data names it and goes on); without it, such an item stops the survey (an erasure).
     */
    malformed?: (found: MalformedInquiryItem) => void;
  },
): Promise<Survey> {
  const readAt = options.found ? options.readAt : (options.clock ?? systemClock).now();
  const read =
    options.found ??
    (await records.find(groupId, userId, {
      segments: options.segments ?? SCAN_SEGMENTS,
      ...(options.onRead && { onRead: options.onRead }),
    }));
  const since = readAt
    ? await records.inquiriesSince(
        groupId,
        userId,
        options.departments,
        new Date(readAt.getTime() - CLOCK_MARGIN_MS),
      )
    : [];
  const found: CitizenRecords = { ...read, inquiryIds: [...new Set([...read.inquiryIds, ...since])].sort() };

  // Read consistently: the scan found the ids, the items may have changed since.
  const current: Inquiry[] = [];
  for (const id of found.inquiryIds) {
    try {
      const inquiry = await store.getInquiry(id);
      if (inquiry) current.push(inquiry);
    } catch (error) {
      if (!(error instanceof MalformedInquiryItem) || !options.malformed) throw error;
      options.malformed(error);
    }
  }

  // What tries that never stored a new inquiry of theirs left: their own entries in a partition of this
  // community's (its id comes from the community and the event) with no inquiry item, and the openings'.
  const idFor = options.inquiryIdFor ?? inquiryIdFor;
  // (Not one whose erasure a stopped run began: the erasure's mark finishes it, erase.ts.)
  const erasing = new Set(found.erasures.map(({ inquiryId }) => inquiryId));
  const unopenedIds = new Set<string>();
  for (const { inquiryId, eventKey } of found.ownEntries)
    if (
      idFor(groupId, eventKey) === inquiryId &&
      !erasing.has(inquiryId) &&
      !(await store.getInquiry(inquiryId))
    )
      unopenedIds.add(inquiryId);
  for (const { inquiryId } of found.openings)
    if (!erasing.has(inquiryId) && !(await store.getInquiry(inquiryId))) unopenedIds.add(inquiryId);

  return { records: found, current, unopenedIds };
}

/**
 * Reads the whole table once for several citizens of the community (DynamoCitizenRecords.findEach, up to
 * CITIZENS_PER_SCAN): what it finds of each, to erase them one after the other (eraseCitizen's `found`).
 * Each is surveyed at their turn, consistently, so what an erasure before theirs changed is read as it is.
 */
export function findCitizens(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  groupId: number;
  userIds: readonly number[];
  /** The parts of the table read side by side (`SCAN_SEGMENTS` by default). */
  segments?: number;
  /** Told the items of the table read so far, after each Scan request. */
  onRead?: (scanned: number) => void;
}): Promise<Map<number, CitizenRecords>> {
  return new DynamoCitizenRecords(options.client, options.tableName).findEach(
    options.groupId,
    options.userIds,
    {
      segments: options.segments ?? SCAN_SEGMENTS,
      ...(options.onRead && { onRead: options.onRead }),
    },
  );
}
