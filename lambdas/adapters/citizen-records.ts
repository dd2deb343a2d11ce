import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { byInquiryId } from '../domain/inquiry/inquiry-id.js';
import { type MarkKind, malformedMarkAttributesOf } from '../domain/inquiry/stored-marks.js';
import type { Erasure, Opening } from '../domain/ports.js';
import type { QuotedMessage } from '../domain/vk/citizen-message.js';
import {
  mentionNeedle,
  mentions,
  passagesWithoutMentionsOf,
  withoutMentionsOf,
} from '../domain/vk/mentions.js';
import { quotesAuthor, withoutWordsOf } from '../domain/vk/quoted.js';
import { citizenInquiriesSince } from './citizen-inquiries-since.js';
import { conditionHeld } from './conditional-write.js';
import { scanConsistently, type TableReading } from './dynamo-parallel-scan.js';
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
   * group chat's member replied to or forwarded their message, someone forwarded it to the community), or
   * mention them in their words (vk/mentions.ts: VK starts a reply to their comment with their id and name),
   * or whose operators mention them in theirs (a note, the reason of a close, reopen, reject, release or move,
   * a reply): the inquiry item, its history entries (`message`, `message_changed`, `reply`, an operator's
   * entry by its `reason`) and its messages' lookups.
   */
  others: { key: Key; inquiryId: string }[];
  /**
   * Partitions holding the citizen's own history entries (`message`, by their `actorId`) other than their
   * inquiries': a try that stopped between a new inquiry's history and its item left them (inquiry-table.ts,
   * create). With the event of each, which tells the community (the inquiry's id comes from both).
   */
  ownEntries: { inquiryId: string; eventKey: string }[];
  /** The marks of their new inquiries being stored (ports/retention.ts, Opening), in the community. */
  openings: Opening[];
  /** The lookups of the messages of their dialogue with the community, each naming an inquiry. */
  dialogueLookups: { key: Key; inquiryId: string }[];
  /**
   * Their openings' and erasures' marks that do not read as marks (stored-marks.ts), left out of the above:
   * the inquiry each names (by its key), and the attributes at fault, never their values.
   */
  malformedMarks: { kind: MarkKind; inquiryId: string; attributes: string[] }[];
}

/** The inquiry a mark names, by its key (`OPEN#<id>`, `ERASE#<id>`), which a malformed mark still has. */
const markedInquiryOf = (sk: unknown) => String(sk).slice(String(sk).indexOf('#') + 1);

/**
 * How many citizens one Scan of `findEach` looks for: each adds some 170 characters and 10 operators and
 * functions to its filter, which DynamoDB bounds at 4 KB and 300 (a test keeps it within both), and 20 make
 * some 3.8 KB and 237: the attributes named again for each citizen have short placeholders where they can
 * (`#ref`, `#previous`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-parameters
 */
export const CITIZENS_PER_SCAN = 20;

/**
 * The filter of `findEach`'s Scan for the citizens of the community: their own items, and the words that may
 * pass theirs on or mention them. Each citizen's placeholders: `:u<i>` their id, `:m<i>` their id's digits,
 * `:d<i>` the start of their dialogue's message refs.
 */
export function citizensFilter(groupId: number, userIds: readonly number[]) {
  const each = (form: (i: number) => string, joint: string) => userIds.map((_, i) => form(i)).join(joint);
  const theirIds = `(${each((i) => `:u${i}`, ', ')})`;
  const mentioning = (attribute: string) => each((i) => `contains(${attribute}, :m${i})`, ' OR ');
  return {
    FilterExpression:
      `(#entity IN (:inquiry, :erasure) AND #groupId = :groupId AND #authorId IN ${theirIds}) OR ` +
      `(#entity = :citizen AND #groupId = :groupId AND #userId IN ${theirIds}) OR ` +
      '(#entity = :conversation AND begins_with(#pk, :pointers)) OR ' +
      // No filter reads into each element of a list: the code picks those that quote or mention the citizen.
      `(#entity IN (:inquiry, :message) AND #groupId = :groupId AND (attribute_exists(#quoted) OR ${mentioning('#text')})) OR ` +
      // An entry's `reason` holds an operator's own words too: a note's, a close's, a move's (transitions/note.ts).
      `(#entity = :history AND (attribute_exists(#detail.#quoted) OR #actorId IN ${theirIds} OR ` +
      `${mentioning('#detail.#text')} OR ${mentioning('#detail.#previous')} OR ${mentioning('#reason')})) OR ` +
      `(#entity = :opening AND #groupId = :groupId AND #authorId IN ${theirIds}) OR ` +
      // A dialogue's message refs start with its peer, the citizen (vk/message-ref.ts).
      `(#entity = :message AND #groupId = :groupId AND (${each((i) => `begins_with(#ref, :d${i})`, ' OR ')}))`,
    ExpressionAttributeNames: {
      '#entity': 'entity',
      '#groupId': 'groupId',
      '#authorId': 'authorId',
      '#userId': 'userId',
      '#pk': 'pk',
      '#quoted': 'quoted',
      '#detail': 'detail',
      '#actorId': 'actorId',
      '#ref': 'messageRef',
      '#text': 'text',
      '#previous': 'previousText',
      '#reason': 'reason',
    },
    ExpressionAttributeValues: {
      ':inquiry': 'inquiry',
      ':erasure': 'erasure',
      ':citizen': 'citizen',
      ':conversation': 'conversation',
      ':history': 'history',
      ':groupId': groupId,
      // The pointer's key ends with the author's id (inquiry-keys.ts): what the filter cannot say, the code does.
      ':pointers': `CONV#${groupId}#`,
      ':opening': 'opening',
      ':message': 'message',
      ...Object.fromEntries(
        userIds.flatMap((userId, i) => [
          [`:u${i}`, userId],
          [`:m${i}`, mentionNeedle(userId)],
          [`:d${i}`, `dm:${userId}:`],
        ]),
      ),
    },
  };
}

/** Nothing found of a citizen, yet. */
const noRecords = (): CitizenRecords => ({
  inquiryIds: [],
  erasures: [],
  pointers: [],
  permission: false,
  others: [],
  ownEntries: [],
  openings: [],
  dialogueLookups: [],
  malformedMarks: [],
});

/** How often an item whose words changed while they were being redacted is read and redacted again. */
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
   * the items of others' inquiries in the community that pass their words on or mention them, an operator's
   * note or reason too (the filter keeps only the words holding their id's digits, as every form of a mention
   * does, `@ID123` and a link too, which the code reads for a mention), and what tries that never stored a new
   * inquiry of theirs left (ownEntries, openings, dialogueLookups).
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
   *
   * Read in `segments` parts side by side (scanConsistently): that many times faster, taking that many times
   * the read units a second. `onRead` is told the items read so far (all segments) after each request.
   */
  async find(
    groupId: number,
    userId: number,
    options: Omit<TableReading, 'pageSize'> = {},
  ): Promise<CitizenRecords> {
    return (await this.findEach(groupId, [userId], options)).get(userId) ?? noRecords();
  }

  /**
   * What `find` finds, for each of several citizens of the community at once (up to CITIZENS_PER_SCAN), in
   * one Scan: a read of the whole table costs as much whomever it looks for.
   */
  async findEach(
    groupId: number,
    userIds: readonly number[],
    options: Omit<TableReading, 'pageSize'> = {},
  ): Promise<Map<number, CitizenRecords>> {
    if (userIds.length === 0 || userIds.length > CITIZENS_PER_SCAN)
      throw new RangeError(`from 1 to ${CITIZENS_PER_SCAN} citizens a Scan, not ${userIds.length}`);
    const citizens = [...new Set(userIds)];
    const foundOf = new Map(citizens.map((userId) => [userId, noRecords()]));
    const ownEntriesOf = new Map(citizens.map((userId) => [userId, new Map<string, string>()]));
    // History entries and lookups quoting or mentioning them, by inquiry: whose inquiry, and in which
    // community, only its item says.
    const othersEntriesOf = new Map(
      citizens.map((userId) => [userId, [] as { key: Key; inquiryId: string }[]]),
    );
    const citizenOf = (value: unknown) => (typeof value === 'number' ? foundOf.get(value) : undefined);
    await scanConsistently(
      this.client,
      { TableName: this.tableName, ...citizensFilter(groupId, citizens) },
      options,
      (items) => {
        for (const { pk, sk, entity, ...item } of items) {
          if (entity === 'inquiry') {
            citizenOf(item.authorId)?.inquiryIds.push(String(item.id));
            for (const userId of citizens)
              if (item.authorId !== userId && holdsWordsOf(item, userId))
                foundOf.get(userId)?.others.push({ key: { pk, sk }, inquiryId: String(item.id) });
          } else if (entity === 'history') {
            const detail = item.detail as Words & { eventKey?: unknown };
            for (const userId of citizens)
              if (holdsWordsOf(detail ?? {}, userId) || mentions(item.reason, userId))
                othersEntriesOf.get(userId)?.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
            if (item.kind === 'message' && typeof detail?.eventKey === 'string' && citizenOf(item.actorId))
              ownEntriesOf.get(item.actorId as number)?.set(String(item.inquiryId), detail.eventKey);
          } else if (entity === 'opening' || entity === 'erasure') {
            // A mark edited out of shape is named, not acted on: it must not stop the erasure of the others.
            const found = citizenOf(item.authorId);
            const attributes = malformedMarkAttributesOf(entity, item);
            if (attributes)
              found?.malformedMarks.push({ kind: entity, inquiryId: markedInquiryOf(sk), attributes });
            else if (entity === 'opening') found?.openings.push(item as unknown as Opening);
            else found?.erasures.push(item as unknown as Erasure);
          } else if (entity === 'message') {
            const ref = String(item.messageRef);
            for (const userId of citizens)
              if (ref.startsWith(`dm:${userId}:`))
                foundOf
                  .get(userId)
                  ?.dialogueLookups.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
              else if (mentions(item.text, userId))
                othersEntriesOf.get(userId)?.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
          } else if (entity === 'citizen') {
            const found = citizenOf(item.userId);
            if (found) found.permission = true;
          } else if (entity === 'conversation')
            for (const userId of citizens)
              if (String(pk).endsWith(`#${userId}`))
                foundOf.get(userId)?.pointers.push({ key: { pk, sk }, inquiryId: String(item.inquiryId) });
        }
      },
    );
    // Another citizen's inquiry in this community. The citizen's own are deleted, or kept whole; one with no
    // item left is being deleted, its history with it.
    const owners = new Map<string, { groupId: unknown; authorId: unknown } | undefined>();
    for (const [userId, found] of foundOf) {
      // In one order whatever the segments' pace: their inquiries are decided, and printed, in it.
      found.inquiryIds.sort();
      // Their inquiries' own entries are deleted with them.
      const theirs = new Set(found.inquiryIds);
      found.ownEntries = [...(ownEntriesOf.get(userId) ?? [])]
        .filter(([inquiryId]) => !theirs.has(inquiryId))
        .map(([inquiryId, eventKey]) => ({ inquiryId, eventKey }))
        .sort((a, b) => byInquiryId(a.inquiryId, b.inquiryId));
      for (const entry of othersEntriesOf.get(userId) ?? []) {
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
        if (owner && owner.groupId === groupId && owner.authorId !== userId) found.others.push(entry);
      }
    }
    return foundOf;
  }

  /**
   * The ids of the citizen's inquiries in the community opened at `since` or later, whatever their
   * department (citizen-inquiries-since.ts): what they wrote after a read of the table passed them.
   */
  inquiriesSince(groupId: number, userId: number, departments: readonly string[], since: Date) {
    return citizenInquiriesSince(this.client, this.tableName, { groupId, userId, departments, since });
  }

  /**
   * Redacts the citizen's words in another's inquiry item, history entry or message lookup: their passages
   * (vk/quoted.ts `withoutWordsOf`) and the mentions of them in the words stored (`text`, an edit's
   * `previousText`, each passage's text, a history entry's `reason`: vk/mentions.ts). True when it did, false
   * when none were left. Conditional, so that a change made meanwhile is not overwritten, and read and
   * redacted again when there was one: an inquiry on its version, which the redaction moves on (a writer that
   * read it before then writes nothing over it, and reads again); a history entry or a lookup on each part it
   * changes being still as read (an edit stored meanwhile keeps its words, redacted on the next read).
   * 'changed' when it kept changing.
   */
  async redactWordsOf(key: Key, userId: number): Promise<boolean | 'changed'> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      if (!Item) return false;
      const update =
        Item.entity === 'inquiry'
          ? inquiryRedaction(Item, userId)
          : Item.entity === 'history'
            ? partsRedaction(['detail'], Item.detail ?? {}, userId, Item.reason)
            : partsRedaction([], Item, userId);
      if (!update) return false;
      try {
        await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: key, ...update }));
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return 'changed';
  }

  /** Deletes the pointer if it still names the inquiry (not one the conversation has opened since). */
  async deletePointer(key: Key, inquiryId: string): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'inquiryId = :inquiryId',
          ExpressionAttributeValues: { ':inquiryId': inquiryId },
        }),
      ),
    );
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

/** The parts of an item that hold words: an inquiry's and a lookup's, or a history entry's `detail`. */
type Words = { text?: unknown; previousText?: unknown; quoted?: unknown };

/** Whether the words pass on the citizen's or mention them: a substring test first, the pattern after it. */
const holdsWordsOf = (words: Words, userId: number): boolean =>
  quotesAuthor(words.quoted, userId) ||
  mentions(words.text, userId) ||
  mentions(words.previousText, userId) ||
  (Array.isArray(words.quoted) && words.quoted.some((passage) => mentions(asText(passage), userId)));

const asText = (passage: unknown) =>
  typeof passage === 'object' && passage !== null ? (passage as { text?: unknown }).text : undefined;

/** The passages without the citizen's words and without mentions of them. */
const redactedPassages = (quoted: QuotedMessage[], userId: number) =>
  passagesWithoutMentionsOf(withoutWordsOf(quoted, userId).quoted, userId);

/** An inquiry's words redacted, on its version, which moves on; undefined when nothing is the citizen's. */
function inquiryRedaction(item: Record<string, unknown>, userId: number) {
  const quoted = Array.isArray(item.quoted) ? (item.quoted as QuotedMessage[]) : undefined;
  const text = typeof item.text === 'string' ? item.text : '';
  const redacted = quoted && redactedPassages(quoted, userId);
  const redactedText = withoutMentionsOf(text, userId);
  const changedQuotes = quoted !== undefined && JSON.stringify(redacted) !== JSON.stringify(quoted);
  if (!changedQuotes && redactedText === text) return undefined;
  return {
    UpdateExpression: `SET #text = :text, ${changedQuotes ? '#quoted = :quoted, ' : ''}#version = :next`,
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: {
      '#text': 'text',
      ...(changedQuotes && { '#quoted': 'quoted' }),
      '#version': 'version',
    },
    ExpressionAttributeValues: {
      ':text': redactedText,
      ...(changedQuotes && { ':quoted': redacted }),
      ':version': item.version,
      ':next': Number(item.version) + 1,
    },
  };
}

/**
 * The words of a history entry's `detail` (`path` ['detail']) and its `reason` (an operator's words: a note, why
 * they closed, reopened, rejected, released or moved it), or of a lookup (`path` []), redacted, each part
 * where it lies, on condition that it is still as read: the item's other words stay as they are now. A
 * passage of the citizen's is replaced on condition that it is still theirs and the list as long as read; a
 * passage that mentions them, on its text. (A condition comparing the whole list would say the same; dynalite,
 * which `npm start` and the tests run on, does not compare lists of maps.) Undefined when nothing is theirs.
 */
function partsRedaction(path: string[], words: Words, userId: number, reason?: unknown) {
  const sets: string[] = [];
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const placed = (parts: string[]) =>
    parts
      .map((part) => {
        if (/^\[\d+\]$/.test(part)) return part;
        names[`#${part}`] = part;
        return `#${part}`;
      })
      .join('.')
      .replace(/\.\[/g, '[');
  const at = (...parts: string[]) => placed([...path, ...parts]);
  // Where each lies: named only when it changes (DynamoDB refuses a name the expressions do not use).
  const texts = [
    { field: 'text', where: () => at('text'), read: words.text },
    { field: 'previousText', where: () => at('previousText'), read: words.previousText },
    { field: 'reason', where: () => placed(['reason']), read: reason },
  ];
  for (const { field, where, read } of texts) {
    if (typeof read !== 'string') continue;
    const redacted = withoutMentionsOf(read, userId);
    if (redacted === read) continue;
    const place = where();
    sets.push(`${place} = :${field}`);
    conditions.push(`${place} = :read_${field}`);
    values[`:${field}`] = redacted;
    values[`:read_${field}`] = read;
  }
  const quoted = Array.isArray(words.quoted) ? (words.quoted as QuotedMessage[]) : [];
  const redacted = redactedPassages(quoted, userId);
  redacted.forEach((passage, index) => {
    const read = quoted[index];
    if (!read || passage === read) return;
    if (read.authorId === userId) {
      sets.push(`${at('quoted', `[${index}]`)} = :q${index}`);
      conditions.push(`${at('quoted', `[${index}]`, 'authorId')} = :userId`);
      values[`:q${index}`] = passage;
      values[':userId'] = userId;
    } else {
      sets.push(`${at('quoted', `[${index}]`, 'text')} = :q${index}`);
      conditions.push(`${at('quoted', `[${index}]`, 'text')} = :read_q${index}`);
      values[`:q${index}`] = passage.text;
      values[`:read_q${index}`] = read.text;
    }
  });
  if (sets.length === 0) return undefined;
  if (redacted.some((passage, index) => passage !== quoted[index])) {
    conditions.push(`size(${at('quoted')}) = :length`);
    values[':length'] = quoted.length;
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
