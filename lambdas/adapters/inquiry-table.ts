import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { isCriticalWork } from '../domain/escalation/critical-work.js';
import {
  type HistoryEntry,
  historyKey,
  historyKeyParts,
  type Inquiry,
  isOpen,
} from '../domain/inquiry/inquiry.js';
import { deadlineOf, nextCheckOf } from '../domain/inquiry/state-machine.js';
import {
  type ConversationPointer,
  type DuePart,
  type HistoryPage,
  type InquiryRepository,
  type MessageLookup,
  VersionConflictError,
} from '../domain/ports.js';
import { conditionHeld } from './conditional-write.js';
import { type TableReadGatherer, tableReads } from './dynamo-batch-get.js';
import { deleteAll, TableWriteGatherer } from './dynamo-batch-write.js';
import {
  caseCounterPk,
  caseLookupKey,
  conversationPk,
  INQUIRY_SK,
  inquiryPk,
  messagePk,
  openingKey,
} from './inquiry-keys.js';
import { inquiryPartitionItems } from './inquiry-partition.js';
import { type Pending, SameTurnBatch } from './same-turn-batch.js';
import { discardUnopened, openingItem, type UnopenedInquiry } from './unopened-inquiries.js';

const { byDepartmentDeadline, byEscalationDue, byDepartmentOpened } = INQUIRY_TABLE.indexes;

const HISTORY_PREFIX = 'HIST#';
const historySk = (key: string) => `${HISTORY_PREFIX}${key}`;
/** The time a history item's key starts with: the instant of its cause. */
const historyTimeOf = (sk: string) => sk.slice(HISTORY_PREFIX.length, sk.indexOf('#', HISTORY_PREFIX.length));
/**
 * The attribute of a history item that names the work that last wrote it (InquiryRepository.update's `writer`):
 * how it is kept, not part of the entry.
 */
const HISTORY_WRITER = 'writtenBy';
/** A history item as the entry it holds. */
const fromHistoryItem = ({ pk, sk, entity, [HISTORY_WRITER]: writer, ...entry }: Record<string, unknown>) =>
  entry as unknown as HistoryEntry;
/** History items, newest first as a Query read them backwards, as entries in the order of their keys. */
const historyEntriesOf = (items: Record<string, unknown>[]): HistoryEntry[] =>
  items.map(fromHistoryItem).reverse();

export {
  caseLookupKey,
  citizenKey,
  conversationPointerKey,
  inquiryKey,
  inquiryPk,
  messageLookupKey,
} from './inquiry-keys.js';

/**
 * What starts the escalation index's sort key of critical work (isCriticalWork): it sorts before any time (an
 * ISO time starts with a digit), so that a department's critical inquiries are a part of the index of their
 * own, read before its backlog (dueQuery). An escalator of an earlier release, which reads every key up to the
 * time of its run, still finds them, and first.
 */
export const CRITICAL_CHECK_PREFIX = '!';
/** Where the keys of the rest start: a time's first digit. */
const TIMES_FROM = '0';

/**
 * The inquiry item: the inquiry's fields plus the keys of the indexes that serve operators and the escalator.
 * Only open inquiries carry the deadline and escalation keys, so those indexes hold open work only (sparse
 * indexes); every inquiry with a department is listed by department and opening time, a message rejected
 * as not an inquiry under its community's triage department, for review.
 */
export function toInquiryItem(inquiry: Inquiry): Record<string, unknown> {
  const open = isOpen(inquiry.status);
  // A notification not yet sent keeps the inquiry in the escalator's index, whatever its status, listed under
  // the department it is in (a department configured, after any rename or merge, once moved there): the
  // escalator sends it from there to the department it names (escalator/send-digests.ts).
  const check =
    inquiry.pendingNotification?.at ?? (open && inquiry.department ? nextCheckOf(inquiry) : undefined);
  return {
    pk: inquiryPk(inquiry.id),
    sk: INQUIRY_SK,
    entity: 'inquiry',
    ...inquiry,
    ...(open &&
      inquiry.department && {
        [byDepartmentDeadline.partitionKey]: `DEPT#${inquiry.department}`,
        [byDepartmentDeadline.sortKey]: `${deadlineOf(inquiry) ?? '9999'}#${inquiry.id}`,
      }),
    ...(check &&
      inquiry.department && {
        [byEscalationDue.partitionKey]: `DEPT#${inquiry.department}`,
        [byEscalationDue.sortKey]: `${isCriticalWork(inquiry) ? CRITICAL_CHECK_PREFIX : ''}${check}#${inquiry.id}`,
      }),
    ...(inquiry.department && {
      [byDepartmentOpened.partitionKey]: `DEPT#${inquiry.department}`,
      [byDepartmentOpened.sortKey]: `${inquiry.createdAt}#${inquiry.id}`,
    }),
  };
}

/** History items sort by their key, which starts with the time of their cause. */
export function toHistoryItem(entry: HistoryEntry): Record<string, unknown> {
  return { pk: inquiryPk(entry.inquiryId), sk: historySk(entry.key), entity: 'history', ...entry };
}

function toLookupItem(lookup: MessageLookup): Record<string, unknown> {
  return { pk: messagePk(lookup.groupId, lookup.messageRef), sk: 'MSG', entity: 'message', ...lookup };
}

/** A conversation's pointer item as the router reads it. */
const pointerOf = (item: Record<string, unknown> | undefined): ConversationPointer | undefined =>
  item
    ? {
        inquiryId: item.inquiryId as string,
        ...(typeof item.claimedAt === 'string' && { claimedAt: item.claimedAt }),
        ...(typeof item.follows === 'string' && { follows: item.follows }),
      }
    : undefined;

export function fromInquiryItem(item: Record<string, unknown>): Inquiry {
  // gsi2pk and gsi2sk: the keys of an index by conversation, since removed, on items written before.
  const { pk, sk, entity, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, ...inquiry } = item;
  return inquiry as unknown as Inquiry;
}

/** A case number asked of a community's counter for a year; `sequence` once drawn. */
interface CaseDraw {
  groupId: number;
  year: number;
  sequence?: number;
}

export class DynamoInquiryRepository implements InquiryRepository {
  /**
   * The records of a batch, handled side by side, share their reads (with the other adapters reading the table
   * through the same client) and their history writes.
   */
  private readonly reads: TableReadGatherer;
  private readonly writes: TableWriteGatherer;
  private readonly caseDraws = new SameTurnBatch<CaseDraw>((draws) => this.drawCaseSequences(draws));

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.reads = tableReads(client, tableName);
    this.writes = new TableWriteGatherer(client, tableName);
  }

  /**
   * History first, then the inquiry, conditional on its absence. History keys are deterministic, so a
   * retry after a crash between the two writes rewrites the same entries and then creates the inquiry;
   * a redelivery after success finds the inquiry and writes nothing (unless the caller knows it absent).
   * Two writes, not one transaction: the local dynalite has none (DESIGN.md, "State"). So the try's opening
   * mark goes before them and after them (ports.ts, Opening): one stopped between, its message never routed
   * again, leaves the mark that finds what it wrote.
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
    const created = await this.putWithHistory(inquiry, history, {
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
  async readForCitizenMessage(keys: {
    groupId: number;
    messageRef: string;
    conversationKey: string;
    postConversationKey?: string;
    authorId: number;
    inquiryId: string;
  }): Promise<{
    lookup: MessageLookup | undefined;
    pointer: ConversationPointer | undefined;
    postPointer?: ConversationPointer | undefined;
    inquiry: Inquiry | undefined;
  }> {
    const lookupKey = { pk: messagePk(keys.groupId, keys.messageRef), sk: 'MSG' };
    const pointerKeyOf = (conversationKey: string) => ({
      pk: conversationPk(keys.groupId, conversationKey, keys.authorId),
      sk: 'LATEST',
    });
    const pointerKey = pointerKeyOf(keys.conversationKey);
    const postPointerKey = keys.postConversationKey ? pointerKeyOf(keys.postConversationKey) : undefined;
    const inquiryKey = { pk: inquiryPk(keys.inquiryId), sk: INQUIRY_SK };
    const { find } = await this.reads.get([
      lookupKey,
      pointerKey,
      ...(postPointerKey ? [postPointerKey] : []),
      inquiryKey,
    ]);
    const lookupItem = find(lookupKey);
    const inquiryItem = find(inquiryKey);
    let lookup: MessageLookup | undefined;
    if (lookupItem) {
      const { pk, sk, entity, ...rest } = lookupItem;
      lookup = rest as unknown as MessageLookup;
    }
    return {
      lookup,
      pointer: pointerOf(find(pointerKey)),
      ...(postPointerKey && { postPointer: pointerOf(find(postPointerKey)) }),
      inquiry: inquiryItem ? fromInquiryItem(inquiryItem) : undefined,
    };
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
    const updated = await this.putWithHistory(
      inquiry,
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

  /**
   * The pointer item of a conversation, read consistently. An index cannot serve this decision: a GSI is
   * eventually consistent, and a citizen who sends three short messages in a second would open three cases.
   */
  async latestInConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
  ): Promise<ConversationPointer | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: conversationPk(groupId, conversationKey, authorId), sk: 'LATEST' },
        ConsistentRead: true,
      }),
    );
    return pointerOf(result.Item);
  }

  async claimConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
    inquiryId: string,
    previous: Pick<ConversationPointer, 'inquiryId' | 'claimedAt'> | undefined,
    claimedAt: Date,
    follows?: string,
  ): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: conversationPk(groupId, conversationKey, authorId),
            sk: 'LATEST',
            entity: 'conversation',
            inquiryId,
            claimedAt: claimedAt.toISOString(),
            ...(follows !== undefined && { follows }),
          },
          // A pointer written before claims were timed has no claimedAt: the claim holds it by its absence.
          ConditionExpression:
            previous === undefined
              ? 'attribute_not_exists(pk)'
              : previous.claimedAt === undefined
                ? 'inquiryId = :previous AND attribute_not_exists(claimedAt)'
                : 'inquiryId = :previous AND claimedAt = :claimedAt',
          ...(previous !== undefined && {
            ExpressionAttributeValues: {
              ':previous': previous.inquiryId,
              ...(previous.claimedAt !== undefined && { ':claimedAt': previous.claimedAt }),
            },
          }),
        }),
      ),
    );
  }

  /**
   * Conditional, so that a message's lookup is written once: a second writer of the same message (a
   * redelivery handled alongside) cannot put back the words a change has since stored on it.
   */
  async saveMessageLookup(lookup: MessageLookup): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toLookupItem(lookup),
          ConditionExpression: 'attribute_not_exists(pk) OR eventKey <> :eventKey OR inquiryId <> :inquiryId',
          ExpressionAttributeValues: { ':eventKey': lookup.eventKey, ':inquiryId': lookup.inquiryId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * ADD on a counter item, which DynamoDB applies atomically, so concurrent routers never get the same number;
   * the first ADD creates the item from 0. It is not idempotent: the caller stores the number on its inquiry,
   * and a retry reuses the stored one. The draws made side by side in one turn (the records of a batch) for
   * the same community and year share one ADD of their count, and each gets its own number of the range it
   * returns, in the order they asked: no number is drawn that no caller asked for, so the sequence has no
   * more gaps than one ADD per inquiry would leave.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
   */
  async nextCaseSequence(groupId: number, year: number): Promise<number> {
    const draw: CaseDraw = { groupId, year };
    await this.caseDraws.add(draw);
    return draw.sequence as number;
  }

  /** One ADD per counter for the draws of a turn; every draw of a counter whose call failed rejects. */
  private async drawCaseSequences(draws: Pending<CaseDraw>[]): Promise<void> {
    const byCounter = new Map<string, Pending<CaseDraw>[]>();
    for (const draw of draws) {
      const counter = caseCounterPk(draw.value.groupId, draw.value.year);
      byCounter.set(counter, [...(byCounter.get(counter) ?? []), draw]);
    }
    await Promise.all(
      [...byCounter.values()].map(async (sharing) => {
        const { groupId, year } = (sharing[0] as Pending<CaseDraw>).value;
        try {
          const last = await this.addToCaseCounter(groupId, year, sharing.length);
          sharing.forEach((draw, index) => {
            draw.value.sequence = last - sharing.length + 1 + index;
            draw.resolve();
          });
        } catch (error) {
          for (const draw of sharing) draw.reject(error);
        }
      }),
    );
  }

  /** Adds `count` to the counter and returns its new value: the last of the `count` numbers drawn. */
  private async addToCaseCounter(groupId: number, year: number, count: number): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: caseCounterPk(groupId, year), sk: 'CASESEQ' },
        UpdateExpression: 'SET entity = :entity ADD #last :count',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':entity': 'case_counter', ':count': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = result.Attributes?.last;
    if (typeof last !== 'number')
      throw new Error(`case counter of ${groupId} for ${year} returned no number`);
    return last;
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

  async getMessageLookup(groupId: number, messageRef: string): Promise<MessageLookup | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: messagePk(groupId, messageRef), sk: 'MSG' },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { pk, sk, entity, ...lookup } = result.Item;
    return lookup as MessageLookup;
  }

  /**
   * Each write is conditional on the time of the change it stores: two changes of one message handled side
   * by side (the records of a batch, or SQS redelivering one late) may reach either item in either order.
   */
  async changeStoredMessage(
    lookup: MessageLookup,
    change: { text?: string; deleted: boolean; changedAt: string; answered?: { editedAt?: string } },
  ): Promise<boolean> {
    const text = change.text ?? lookup.text;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: messagePk(lookup.groupId, lookup.messageRef), sk: 'MSG' },
          UpdateExpression: 'SET #text = :text, deleted = :deleted, changedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(changedAt) OR changedAt <= :at)',
          ExpressionAttributeNames: { '#text': 'text' },
          ExpressionAttributeValues: { ':text': text, ':deleted': change.deleted, ':at': change.changedAt },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    const entry = { pk: inquiryPk(lookup.inquiryId), sk: historySk(lookup.historyKey) };
    // Words an answer covered stay in the entry: the answer was to them.
    const editedAt = change.answered?.editedAt;
    const sets = [
      ...(change.answered ? [] : ['#detail.#text = :text']),
      '#detail.#deleted = :deleted',
      '#detail.#changedAt = :at',
      ...(editedAt !== undefined ? ['#detail.#edited = :edited'] : []),
    ];
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entry,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#detail.#changedAt) OR #detail.#changedAt <= :at)',
          ExpressionAttributeNames: {
            '#detail': 'detail',
            ...(!change.answered && { '#text': 'text' }),
            '#deleted': 'deleted',
            '#changedAt': 'changedAt',
            ...(editedAt !== undefined && { '#edited': 'editedAfterAnswerAt' }),
          },
          ExpressionAttributeValues: {
            ...(!change.answered && { ':text': text }),
            ':deleted': change.deleted,
            ':at': change.changedAt,
            ...(editedAt !== undefined && { ':edited': editedAt }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // A newer change got to the entry first (it keeps its words); a missing entry is an error, as before.
      const found = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: entry, ConsistentRead: true }),
      );
      if (!found.Item) throw error;
    }
    return true;
  }

  /**
   * A page of the department's part of the sparse escalation index, up to `now`: only what is due, never a
   * scan; its critical work (`part: 'critical'`) or the rest. Its key goes back as `after`, so that the next
   * page goes on from there.
   */
  async dueForEscalation(
    department: string,
    now: Date,
    page: { limit: number; after?: string; part?: DuePart },
  ): Promise<{ inquiries: Inquiry[]; after?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        ...this.dueQuery(department, now, page.part ?? 'rest'),
        Limit: page.limit,
        ...(page.after !== undefined && {
          ExclusiveStartKey: JSON.parse(page.after) as Record<string, unknown>,
        }),
      }),
    );
    return {
      inquiries: (result.Items ?? []).map(fromInquiryItem),
      ...(result.LastEvaluatedKey && { after: JSON.stringify(result.LastEvaluatedKey) }),
    };
  }

  /** Both parts counted: DynamoDB returns the count alone, a page per MB it reads. */
  async countDueForEscalation(department: string, now: Date): Promise<number> {
    let count = 0;
    for (const part of ['critical', 'rest'] as const) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            ...this.dueQuery(department, now, part),
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return count;
  }

  /**
   * The keys of a part up to `now`, earliest first. Items written before critical work had a part of its own
   * keep a key of the rest until their next write: their checks come in the backlog's order, as they did.
   */
  private dueQuery(department: string, now: Date, part: DuePart) {
    const upTo = `${now.toISOString()}#\uffff`;
    const [from, to] =
      part === 'critical' ? [CRITICAL_CHECK_PREFIX, `${CRITICAL_CHECK_PREFIX}${upTo}`] : [TIMES_FROM, upTo];
    return {
      TableName: this.tableName,
      IndexName: byEscalationDue.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': byEscalationDue.partitionKey, '#sk': byEscalationDue.sortKey },
      ExpressionAttributeValues: { ':pk': `DEPT#${department}`, ':from': from, ':to': to },
    };
  }

  /**
   * A page of the inquiry's history, read newest first and given in the order of its keys (oldest first): at
   * most `limit` entries and one Query's 1 MB, so that the longest dialogue is read a page at a time within
   * Lambda's 6 MB answer. A page holds every entry of each instant it reaches (the entries of one instant
   * are few: one cause's), so that `before`, the time of its oldest entry, continues it exactly: given while
   * older entries may be left.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
   */
  async historyPage(id: string, page: { limit: number; before?: string }): Promise<HistoryPage> {
    const read = (condition: string, values: Record<string, unknown>, startKey?: Record<string, unknown>) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: `pk = :pk AND ${condition}`,
          ExpressionAttributeValues: { ':pk': inquiryPk(id), ...values },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      );
    // Every entry of an instant sorts at or after `HIST#<time>#`, and every entry before it below that.
    const first = await read(
      page.before === undefined ? 'begins_with(sk, :from)' : 'sk BETWEEN :from AND :to',
      { ':from': HISTORY_PREFIX, ...(page.before !== undefined && { ':to': historySk(`${page.before}#`) }) },
    );
    const items = first.Items ?? [];
    const last = items.at(-1);
    if (!first.LastEvaluatedKey || !last) return { entries: historyEntriesOf(items) };
    // The oldest instant read may go on past the page: it is left whole to the next page...
    const oldest = historyTimeOf(last.sk as string);
    const whole = items.filter((item) => historyTimeOf(item.sk as string) !== oldest);
    const before = whole.at(-1);
    if (before) return { entries: historyEntriesOf(whole), before: historyTimeOf(before.sk as string) };
    // ...unless it fills the page alone: then the page holds all of it.
    let startKey: Record<string, unknown> | undefined = first.LastEvaluatedKey;
    while (startKey) {
      const more = await read('begins_with(sk, :instant)', { ':instant': historySk(`${oldest}#`) }, startKey);
      items.push(...(more.Items ?? []));
      startKey = more.LastEvaluatedKey;
    }
    return { entries: historyEntriesOf(items), before: oldest };
  }

  /** Reads the keys alone, oldest first from `from`: the entries after a cause's time are few. */
  async historyKeyOf(inquiryId: string, cause: string, n: number, from: string): Promise<string | undefined> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': inquiryPk(inquiryId),
            ':from': historySk(from),
            // Past every history item: '$' follows the prefix's '#'.
            ':to': 'HIST$',
          },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const key = (item.sk as string).slice(HISTORY_PREFIX.length);
        if (key === historyKey(historyKeyParts(key).at, cause, n)) return key;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return undefined;
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
      inquiries.push(...(page.Items ?? []).map(fromInquiryItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return inquiries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }
}
