import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCitizenRecords } from '../../lambdas/adapters/citizen-records.js';
import { systemClock } from '../../lambdas/adapters/clock.js';
import type { MalformedHistoryEntry } from '../../lambdas/adapters/history-items.js';
import { historyPage } from '../../lambdas/adapters/history-pages.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { HistoryEntry, Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import { surveyCitizen } from '../citizen-survey.js';

/** Entries a Query page of a history reads: a long dialogue takes several, each within its 1 MB. */
const HISTORY_PAGE = 200;

/** What the table holds of the citizen in the community, read for their copy. */
export interface CitizenRead {
  /** Their inquiries as they are, each with its whole history, oldest first. */
  inquiries: { inquiry: Inquiry; history: HistoryEntry[] }[];
  /** The histories of their new inquiries never stored whole (a failed try's leftovers). */
  unopened: HistoryEntry[][];
  /** History entries that do not read as entries, left out of the copy: for ops to mend, then run again. */
  malformed: MalformedHistoryEntry[];
  /** Their inquiries whose item does not read as an inquiry, left out whole: for ops to mend, then run again. */
  malformedInquiries: { inquiryId: string; attributes: string[] }[];
}

/** The inquiry's whole history, page after page (history-pages.ts), oldest first. */
async function wholeHistory(
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  malformed: (found: MalformedHistoryEntry) => void,
): Promise<HistoryEntry[]> {
  const pages: HistoryEntry[][] = [];
  let before: string | undefined;
  do {
    const page = await historyPage(
      client,
      tableName,
      id,
      { limit: HISTORY_PAGE, ...(before !== undefined && { before }) },
      malformed,
    );
    pages.unshift(page.entries);
    before = page.before;
  } while (before !== undefined);
  return pages.flat();
}

/**
 * Reads what the table holds of one citizen in one community, changing nothing: the erasure's read
 * (citizen-survey.ts: a consistent Scan of the whole table, which finds an inquiry of a removed department and
 * a message rejected before such were listed, then what they opened since it began), then each inquiry's whole
 * history, and that of each new inquiry of theirs never stored whole.
 */
export async function readCitizen(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: AppConfig;
  groupId: number;
  userId: number;
  segments: number;
  onRead?: (scanned: number) => void;
  clock?: Clock;
  /** The rule of the router's inquiry ids (router/inquiry-ids.ts unless given): tells an inquiry's community. */
  inquiryIdFor?: (groupId: number, eventKey: string) => string;
}): Promise<CitizenRead> {
  const { client, tableName, groupId, userId } = options;
  const malformedInquiries: CitizenRead['malformedInquiries'] = [];
  const { current, unopenedIds } = await surveyCitizen(
    new DynamoCitizenRecords(client, tableName),
    new DynamoRetentionStore(client, tableName),
    groupId,
    userId,
    {
      segments: options.segments,
      ...(options.onRead && { onRead: options.onRead }),
      ...(options.inquiryIdFor && { inquiryIdFor: options.inquiryIdFor }),
      departments: options.config.departments.map(({ id }) => id),
      clock: options.clock ?? systemClock,
      // One inquiry edited out of shape must not cost the rest of an hour's read.
      malformed: ({ inquiryId, attributes }) => void malformedInquiries.push({ inquiryId, attributes }),
    },
  );
  const malformed: MalformedHistoryEntry[] = [];
  const note = (found: MalformedHistoryEntry) => void malformed.push(found);
  const inquiries: CitizenRead['inquiries'] = [];
  for (const inquiry of current)
    inquiries.push({ inquiry, history: await wholeHistory(client, tableName, inquiry.id, note) });
  const unopened: HistoryEntry[][] = [];
  for (const id of [...unopenedIds].sort()) unopened.push(await wholeHistory(client, tableName, id, note));
  return { inquiries, unopened, malformed, malformedInquiries };
}
