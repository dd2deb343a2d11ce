import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import { byInquiryId } from '../domain/inquiry/inquiry-id.js';
import { type InquiryTrace, NO_HOLDERS } from '../domain/operator/left-departments.js';
import {
  type ConversationPointer,
  type DuePart,
  type HistoryPage,
  type InquiryRepository,
  type MessageLookup,
  VersionConflictError,
} from '../domain/ports.js';
import { CaseSequences } from './case-sequences.js';
import {
  type CitizenMessageKeys,
  type CitizenMessageReads,
  readForCitizenMessage,
} from './citizen-message-reads.js';
import { conditionHeld } from './conditional-write.js';
import { claimConversation, latestInConversation } from './conversation-pointers.js';
import { type TableReadGatherer, tableReads } from './dynamo-batch-get.js';
import { deleteAll, TableWriteGatherer } from './dynamo-batch-write.js';
import { countDueForEscalation, dueForEscalation } from './escalation-due.js';
import {
  fromHistoryItem,
  HISTORY_WRITER,
  historySk,
  type MalformedHistoryEntry,
  toHistoryItem,
} from './history-items.js';
import { historyKeyOf, historyPage, historyTraces } from './history-pages.js';
import { fromInquiryItem, toInquiryItem, uncheckedInquiryOf, withHolders } from './inquiry-items.js';
import { caseLookupKey, INQUIRY_SK, inquiryPk, openingKey } from './inquiry-keys.js';
import { inquiryPartitionItems } from './inquiry-partition.js';
import { changeStoredMessage, getMessageLookup, saveMessageLookup } from './message-lookups.js';
import { openUnderUnconfiguredDepartments } from './unconfigured-open-work.js';
import { discardUnopened, openingItem, type UnopenedInquiry } from './unopened-inquiries.js';

export {
  caseLookupKey,
  citizenKey,
  inquiryKey,
} from './inquiry-keys.js';

/**
 * The repository of inquiries in the inquiry table: the inquiry and its history, stored and changed on their
 * conditions, read alone or with the batch's other reads. What else the table holds for them is read and
 * written by the modules it calls: the item shapes (inquiry-items.ts, history-items.ts), the history's pages
 * (history-pages.ts), the escalator's index (escalation-due.ts), conversations' pointers
 * (conversation-pointers.ts), messages' lookups (message-lookups.ts) and case numbers (case-sequences.ts).
 */
export class DynamoInquiryRepository implements InquiryRepository {
  /**
   * The records of a batch, handled side by side, share their reads (with the other adapters reading the table
   * through the same client) and their history writes.
   */
  private readonly reads: TableReadGatherer;
  private readonly writes: TableWriteGatherer;
  private readonly caseSequences: CaseSequences;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * Told of a history entry a page left out as malformed (history-items.ts): the rest of the page is
     * shown. By default, nothing is told.
     */
    private readonly malformedHistory: (found: MalformedHistoryEntry) => void = () => {},
  ) {
    this.reads = tableReads(client, tableName);
    this.writes = new TableWriteGatherer(client, tableName);
    this.caseSequences = new CaseSequences(client, tableName);
  }

  /**
   * History first, then the inquiry, conditional on its absence. History keys are deterministic, so a
   * retry after a crash between the two writes rewrites the same entries and then creates the inquiry;
   * a redelivery after success finds the inquiry and writes nothing (unless the caller knows it absent).
   * Two writes, not one transaction: the local dynalite has none (DESIGN.md, "State"). So the try's opening
   * mark goes before them and after them (ports/retention.ts, Opening): one stopped between, its message
   * never routed again, leaves the mark that finds what it wrote.
   */
  async create(
    inquiry: Inquiry,
    history: HistoryEntry[],
    options: { knownAbsent?: boolean } = {},
  ): Promise<boolean> {
    if (!options.knownAbsent && (await this.getInquiry(inquiry.id))) return false;
    const opening = openingItem({
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      conversationKey: inquiry.conversationKey,
      authorId: inquiry.authorId,
      at: inquiry.createdAt,
    });
    // Gathered, as the history is: the records of a batch that open inquiries share one write of each.
    await this.writes.put([opening]);
    const created = await this.putWithHistory(withHolders(inquiry, NO_HOLDERS, history), history, {
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    // Stored, by this try or another: nothing is left to find.
    await this.writes.delete([openingKey(inquiry.id)]);
    return created;
  }

  async discardUnopened(unopened: UnopenedInquiry): Promise<boolean> {
    return (await discardUnopened(this.client, this.tableName, unopened)) !== 'opened';
  }

  /**
   * History first (idempotent puts: their keys come from their cause), each item naming its `writer` if any,
   * then the inquiry, on its condition; false when the condition fails.
   */
  private async putWithHistory(
    inquiry: Inquiry,
    history: HistoryEntry[],
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
    writer?: string,
  ): Promise<boolean> {
    await this.writes.put(
      history.map((entry) => ({
        ...toHistoryItem(entry),
        ...(writer !== undefined && { [HISTORY_WRITER]: writer }),
      })),
    );
    return conditionHeld(
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: toInquiryItem(inquiry), ...condition }),
      ),
    );
  }

  /** The items in one consistent BatchGetItem, shared with the other records of the batch. */
  readForCitizenMessage(keys: CitizenMessageKeys): Promise<CitizenMessageReads> {
    return readForCitizenMessage(this.reads, keys);
  }

  /** Read consistently, in one call with the other reads of the table made in the same turn. */
  async getInquiry(id: string): Promise<Inquiry | undefined> {
    const item = await this.reads.item({ pk: inquiryPk(id), sk: INQUIRY_SK });
    return item ? fromInquiryItem(item) : undefined;
  }

  /** BatchGetItem calls of up to 100 keys, shared with the reads of the same turn (dynamo-batch-get.ts). */
  async getInquiries(ids: readonly string[]): Promise<Map<string, Inquiry>> {
    const keys = ids.map((id) => ({ id, key: { pk: inquiryPk(id), sk: INQUIRY_SK } }));
    const { find } = await this.reads.get(keys.map(({ key }) => key));
    const found = new Map<string, Inquiry>();
    for (const { id, key } of keys) {
      const item = find(key);
      if (item) found.set(id, fromInquiryItem(item));
    }
    return found;
  }

  /** The inquiry, conditional on the version read, with its new history (a stale version: VersionConflictError). */
  async update(
    inquiry: Inquiry,
    expectedVersion: number,
    history: HistoryEntry[],
    writer?: string,
  ): Promise<void> {
    // Who has had it: as kept on the version read, if whole, the change's entries added (withHolders).
    const known = inquiry.pastHolders?.version === expectedVersion ? inquiry.pastHolders : undefined;
    const updated = await this.putWithHistory(
      withHolders(inquiry, known, history),
      history,
      {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
      writer,
    );
    if (!updated) throw new VersionConflictError(inquiry.id, expectedVersion);
  }

  /**
   * Without a writer, BatchWriteItem deletes. With one, a DeleteItem each, on the condition that the item still
   * names it: BatchWriteItem takes no condition
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html). One after the
   * other, as they are few, and dynalite has lost concurrent writes to one partition.
   */
  async discardHistory(inquiryId: string, keys: string[], writer?: string): Promise<void> {
    const items = keys.map((key) => ({ pk: inquiryPk(inquiryId), sk: historySk(key) }));
    if (writer === undefined) return deleteAll(this.client, this.tableName, items);
    for (const Key of items) {
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key,
            ConditionExpression: '#writer = :writer',
            ExpressionAttributeNames: { '#writer': HISTORY_WRITER },
            ExpressionAttributeValues: { ':writer': writer },
          }),
        );
      } catch (error) {
        // Another work wrote the entry since (or it is gone): not ours to delete.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  latestInConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
  ): Promise<ConversationPointer | undefined> {
    return latestInConversation(this.client, this.tableName, groupId, conversationKey, authorId);
  }

  claimConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
    inquiryId: string,
    previous: Pick<ConversationPointer, 'inquiryId' | 'claimedAt'> | undefined,
    claimedAt: Date,
    follows?: string,
  ): Promise<boolean> {
    return claimConversation(this.client, this.tableName, {
      groupId,
      conversationKey,
      authorId,
      inquiryId,
      previous,
      claimedAt,
      ...(follows !== undefined && { follows }),
    });
  }

  saveMessageLookup(lookup: MessageLookup): Promise<void> {
    return saveMessageLookup(this.client, this.tableName, lookup);
  }

  /** Drawn with the other draws of the turn for the same counter (case-sequences.ts). */
  nextCaseSequence(groupId: number, year: number): Promise<number> {
    return this.caseSequences.nextCaseSequence(groupId, year);
  }

  /**
   * An unconditional put, so it shares a BatchWriteItem with the batch's history writes: a number belongs to
   * one inquiry, so writing its lookup again writes the same item.
   */
  async saveCaseLookup(lookup: { groupId: number; caseNumber: string; inquiryId: string }): Promise<void> {
    await this.writes.put([
      { ...caseLookupKey(lookup.groupId, lookup.caseNumber), entity: 'case', ...lookup },
    ]);
  }

  getMessageLookup(groupId: number, messageRef: string): Promise<MessageLookup | undefined> {
    return getMessageLookup(this.client, this.tableName, groupId, messageRef);
  }

  changeStoredMessage(
    lookup: MessageLookup,
    change: { text?: string; deleted: boolean; changedAt: string; answered?: { editedAt?: string } },
  ): Promise<boolean> {
    return changeStoredMessage(this.client, this.tableName, lookup, change);
  }

  dueForEscalation(
    department: string,
    now: Date,
    page: { limit: number; after?: string; part?: DuePart },
  ): Promise<{ inquiries: Inquiry[]; after?: string }> {
    return dueForEscalation(this.client, this.tableName, department, now, page);
  }

  countDueForEscalation(department: string, now: Date): Promise<number> {
    return countDueForEscalation(this.client, this.tableName, department, now);
  }

  openUnderUnconfiguredDepartments(configured: ReadonlySet<string>): Promise<string[]> {
    return openUnderUnconfiguredDepartments(this.client, this.tableName, configured);
  }

  historyPage(id: string, page: { limit: number; before?: string }): Promise<HistoryPage> {
    return historyPage(this.client, this.tableName, id, page, this.malformedHistory);
  }

  historyTraces(id: string, before?: string): AsyncIterable<InquiryTrace[]> {
    return historyTraces(this.client, this.tableName, id, before);
  }

  historyKeyOf(inquiryId: string, cause: string, n: number, from: string): Promise<string | undefined> {
    return historyKeyOf(this.client, this.tableName, inquiryId, cause, n, from);
  }

  async get(id: string): Promise<{ inquiry: Inquiry; history: HistoryEntry[] } | undefined> {
    const items = await inquiryPartitionItems(this.client, this.tableName, id);
    const meta = items.find((item) => item.sk === INQUIRY_SK);
    if (!meta) return undefined;
    const history = items.filter((item) => item.entity === 'history').map(fromHistoryItem);
    return { inquiry: fromInquiryItem(meta), history };
  }

  /**
   * Every inquiry, newest first. A Scan: it serves the local runtime's view of what came out of the
   * pipeline, not production traffic, which reads through the indexes.
   */
  async listAll(): Promise<Inquiry[]> {
    const inquiries: Inquiry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': INQUIRY_SK },
          ExclusiveStartKey: startKey,
        }),
      );
      // Unchecked: the local runtime's view shows what is stored, malformed or not.
      inquiries.push(...(page.Items ?? []).map(uncheckedInquiryOf));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return inquiries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || byInquiryId(b.id, a.id));
  }
}
