import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Erasure, Opening } from '../domain/ports.js';
import type { QuotedMessage } from '../domain/vk/citizen-message.js';
import { quotesAuthor, withoutWordsOf } from '../domain/vk/quoted.js';
import { scanInParallel } from './dynamo-parallel-scan.js';
import { citizenKey, inquiryKey } from './inquiry-table.js';

type Key = Record<string, unknown>;

/** What the table holds of one citizen in one community, as a citizen's erasure finds it. */
export interface CitizenRecords {
  /** The ids of their inquiries (read each again, consistently, before acting on it). */
  inquiryIds: string[];
  /** Erasures of their inquiries begun and not finished (a run stopped midway). */
  erasures: Erasure[];
  /** Their conversations' pointers, each naming the conversation's latest inquiry. */
  pointers: { key: Key; inquiryId: string }[];
  /** Whether the table holds their messaging permission (written by releases up to 13d2507 only). */
  permission: boolean;
  /**
   * The items of other citizens' inquiries in the community that pass on the citizen's words (`quoted`: a
   * group chat's member replied to or forwarded their message, someone forwarded it to the community): the
   * inquiry item and its `message` history entries.
   */
  quotes: { key: Key; inquiryId: string }[];
  /**
   * Partitions holding the citizen's own history entries (`message`, by their `actorId`) other than their
   * inquiries': a try that stopped between a new inquiry's history and its item left them (inquiry-table.ts,
   * create). With the event of each, which tells the community (the inquiry's id comes from both).
   */
  ownEntries: { inquiryId: string; eventKey: string }[];
  /** The marks of their new inquiries being stored (ports.ts, Opening), in the community. */
  openings: Opening[];
  /** The lookups of the messages of their dialogue with the community, each naming an inquiry. */
  dialogueLookups: { key: Key; inquiryId: string }[];
}

/** How often an item whose quotes changed while they were being redacted is read and redacted again. */
const ATTEMPTS = 3;

/** A citizen's items that no index finds by the citizen, for `npm run citizen:erase`. */
export class DynamoCitizenRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A Scan of the whole table, filtered: a rare request (a few a year), and the only read that finds every
   * inquiry of the citizen. The index by department (what the admin's `?author=` filters) lists neither a
   * message rejected before rejected messages were listed under triage (no department) nor an inquiry of a
   * department since removed from the configuration; a conversation's pointer is keyed by the conversation,
   * which only the inquiries tell. Consistent, so that a second run right after the first sees its deletions.
   * It reads every item once (consistent: a read unit per 4 KB read), and returns only the citizen's, and
   * the items of others' inquiries in the community that pass their words on, and what tries that never
   * stored a new inquiry of theirs left (ownEntries, openings, dialogueLookups).
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
   *
   * Read in `segments` parts side by side (scanInParallel): that many times faster, taking that many times
   * the read units a second. `onRead` is told the items read so far (all segments) after each request.
   */
  async find(
    groupId: number,
    userId: number,
    options: { segments?: number; onRead?: (scanned: number) => void } = {},
  ): Promise<CitizenRecords> {
    const found: CitizenRecords = {
      inquiryIds: [],
      erasures: [],
      pointers: [],
      permission: false,
      quotes: [],
      ownEntries: [],
      openings: [],
      dialogueLookups: [],
    };
    const ownEntries = new Map<string, string>();
    // History entries quoting them, by inquiry: whose inquiry, and in which community, only its item says.
    const quotingEntries: { key: Key; inquiryId: string }[] = [];
    // The pointer's key ends with the author's id (inquiry-table.ts): what the filter cannot say, the code does.
    const pointerPrefix = `CONV#${groupId}#`;
    const pointerSuffix = `#${userId}`;
    await scanInParallel(
      this.client,
      {
        TableName: this.tableName,
        ConsistentRead: true,
        FilterExpression:
          '(#entity IN (:inquiry, :erasure) AND #groupId = :groupId AND #authorId = :userId) OR ' +
          '(#entity = :citizen AND #groupId = :groupId AND #userId = :userId) OR ' +
          '(#entity = :conversation AND begins_with(#pk, :pointers)) OR ' +
          // No filter reads into each element of a list: the code picks those that quote the citizen.
          '(#entity = :inquiry AND #groupId = :groupId AND #authorId <> :userId AND attribute_exists(#quoted)) OR ' +
          '(#entity = :history AND (attribute_exists(#detail.#quoted) OR #actorId = :userId)) OR ' +
          '(#entity = :opening AND #groupId = :groupId AND #authorId = :userId) OR ' +
          // A dialogue's message refs start with its peer, the citizen (vk/message-ref.ts).
          '(#entity = :message AND #groupId = :groupId AND begins_with(#messageRef, :dialogue))',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#groupId': 'groupId',
          '#authorId': 'authorId',
          '#userId': 'userId',
          '#pk': 'pk',
          '#quoted': 'quoted',
          '#detail': 'detail',
          '#actorId': 'actorId',
          '#messageRef': 'messageRef',
        },
        ExpressionAttributeValues: {
          ':inquiry': 'inquiry',
          ':erasure': 'erasure',
          ':citizen': 'citizen',
          ':conversation': 'conversation',
          ':history': 'history',
          ':groupId': groupId,
          ':userId': userId,
          ':pointers': pointerPrefix,
          ':opening': 'opening',
          ':message': 'message',
          ':dialogue': `dm:${userId}:`,
        },
      },
      {
        segments: options.segments ?? 1,
        onRead: options.onRead,
        onPage: (items) => {
          for (const { pk, sk, entity, ...item } of items) {
            if (entity === 'inquiry' && item.authorId !== userId) {
              if (quotesAuthor(item.quoted, userId))
                found.quotes.push({ key: { pk, sk }, inquiryId: String(item.id) });
            } else if (entity === 'history') {
              const detail = item.detail as { quoted?: unknown; eventKey?: unknown } | undefined;
              if (quotesAuthor(detail?.quoted, userId))
                quotingEntries.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
              if (item.actorId === userId && item.kind === 'message' && typeof detail?.eventKey === 'string')
                ownEntries.set(String(item.inquiryId), detail.eventKey);
            } else if (entity === 'opening') found.openings.push(item as unknown as Opening);
            else if (entity === 'message')
              found.dialogueLookups.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
            else if (entity === 'inquiry') found.inquiryIds.push(String(item.id));
            else if (entity === 'erasure') found.erasures.push(item as unknown as Erasure);
            else if (entity === 'citizen') found.permission = true;
            else if (entity === 'conversation' && String(pk).endsWith(pointerSuffix))
              found.pointers.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
          }
        },
      },
    );
    // In one order whatever the segments' pace: their inquiries are decided, and printed, in it.
    found.inquiryIds.sort();
    // Their inquiries' own entries are deleted with them.
    const theirs = new Set(found.inquiryIds);
    found.ownEntries = [...ownEntries]
      .filter(([inquiryId]) => !theirs.has(inquiryId))
      .map(([inquiryId, eventKey]) => ({ inquiryId, eventKey }))
      .sort((a, b) => a.inquiryId.localeCompare(b.inquiryId));
    // Another citizen's inquiry in this community. The citizen's own are deleted, or kept whole; one with no
    // item left is being deleted, its history with it.
    const owners = new Map<string, { groupId: unknown; authorId: unknown } | undefined>();
    for (const entry of quotingEntries) {
      if (!owners.has(entry.inquiryId)) {
        const { Item } = await this.client.send(
          new GetCommand({
            TableName: this.tableName,
            Key: inquiryKey(entry.inquiryId),
            ConsistentRead: true,
            ProjectionExpression: 'groupId, authorId',
          }),
        );
        owners.set(entry.inquiryId, Item && { groupId: Item.groupId, authorId: Item.authorId });
      }
      const owner = owners.get(entry.inquiryId);
      if (owner && owner.groupId === groupId && owner.authorId !== userId) found.quotes.push(entry);
    }
    return found;
  }

  /**
   * Redacts the citizen's words passed on in another's inquiry item or history entry (vk/quoted.ts
   * `withoutWordsOf`); true when it did, false when none were left. Conditional, so that a change made
   * meanwhile is not overwritten, and read and redacted again when there was one: an inquiry on its version,
   * which the redaction moves on (a writer that read it before then writes nothing over it, and reads again);
   * a history entry on its quotes of the citizen, each where it was read. 'changed' when it kept changing.
   */
  async redactQuotes(key: Key, userId: number): Promise<boolean | 'changed'> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      if (!Item) return false;
      const inquiry = Item.entity === 'inquiry';
      const quoted = (inquiry ? Item.quoted : (Item.detail as { quoted?: unknown } | undefined)?.quoted) as
        | QuotedMessage[]
        | undefined;
      if (!quoted || !quotesAuthor(quoted, userId)) return false;
      const redacted = withoutWordsOf(quoted, userId).quoted;
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            ...(inquiry
              ? {
                  UpdateExpression: 'SET #quoted = :quoted, #version = :next',
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#quoted': 'quoted', '#version': 'version' },
                  ExpressionAttributeValues: {
                    ':quoted': redacted,
                    ':version': Item.version,
                    ':next': Number(Item.version) + 1,
                  },
                }
              : historyRedaction(quoted, redacted, userId)),
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return 'changed';
  }

  /** Deletes the pointer if it still names the inquiry (not one the conversation has opened since). */
  async deletePointer(key: Key, inquiryId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'inquiryId = :inquiryId',
          ExpressionAttributeValues: { ':inquiryId': inquiryId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Deletes the citizen's messaging permission, which releases up to 13d2507 wrote and nothing reads since;
   * false when there was none. No sweep deletes these items: keep this while a deployed table may hold one,
   * that is until every stage has run `npm run permissions:forget -- … --yes` (ops/forget-permissions.ts).
   */
  async deletePermission(groupId: number, userId: number): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: citizenKey(groupId, userId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }
}

/**
 * A history entry's quotes of the citizen, each replaced where it lies, on condition that it is still theirs
 * and the list as long as read: the entry's other words stay as they are now. (A condition comparing the whole
 * list would say the same; dynalite, which `npm start` and the tests run on, does not compare lists of maps.)
 */
function historyRedaction(read: QuotedMessage[], redacted: QuotedMessage[], userId: number) {
  const places = read.flatMap((message, index) => (message.authorId === userId ? [index] : []));
  return {
    UpdateExpression: `SET ${places.map((index) => `#detail.#quoted[${index}] = :q${index}`).join(', ')}`,
    ConditionExpression: [
      'size(#detail.#quoted) = :length',
      ...places.map((index) => `#detail.#quoted[${index}].#authorId = :userId`),
    ].join(' AND '),
    ExpressionAttributeNames: { '#detail': 'detail', '#quoted': 'quoted', '#authorId': 'authorId' },
    ExpressionAttributeValues: {
      ':length': read.length,
      ':userId': userId,
      ...Object.fromEntries(places.map((index) => [`:q${index}`, redacted[index]])),
    },
  };
}
