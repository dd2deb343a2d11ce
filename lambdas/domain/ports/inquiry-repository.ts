import type { HistoryEntry, Inquiry } from '../inquiry/inquiry.js';
import type { Priority } from '../taxonomy.js';
import type { Opening } from './retention.js';

/** Where a stored citizen message lives: how a later edit or delete (by `messageRef`) finds it. */
export interface MessageLookup {
  groupId: number;
  messageRef: string;
  inquiryId: string;
  /** The history entry that holds the message. */
  historyKey: string;
  eventKey: string;
  text: string;
  /**
   * The message opened the inquiry: its text is the inquiry's text. An inquiry that keeps its opening
   * message's place (`openingMessage`) says itself, since one of its burst sent earlier may take that over.
   */
  opening: boolean;
  deleted?: boolean;
  /** When the latest change applied was received: an older change arriving late does not undo a newer one. */
  changedAt?: string;
  /**
   * The priority its words (as last changed) were read at, the least urgent for words read as no inquiry
   * (raise.ts, wordsPriority): an edit raises the inquiry only on words more urgent than these. Absent on
   * lookups stored before it was kept, and after an edit with no classification: the next edit raises as if
   * the words before it had raised nothing.
   */
  priority?: Priority;
}

/** Another writer changed the inquiry since it was read: read it again and retry. */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
  constructor(inquiryId: string, expectedVersion: number) {
    super(`inquiry ${inquiryId} is no longer at version ${expectedVersion}`);
  }
}

/** A page of an inquiry's history, in the order of its keys; `before` continues it with the older entries. */
export interface HistoryPage {
  entries: HistoryEntry[];
  /** The time of the oldest entry given: the next page holds the entries before it. Absent at the start. */
  before?: string;
}

/**
 * A conversation's pointer to the citizen's latest inquiry there, and when it was made the latest: its creator
 * may still be writing it. `follows`: the inquiry it was the latest before, when the new one is a new matter
 * (threading.ts) that the first try claimed the conversation for: a retry that finds the new inquiry absent
 * opens it as that new matter again, with its link to the earlier case. `claimedAt` is absent on a pointer
 * written before claims were timed (2026-11-28): long settled, as one claimed long ago is.
 */
export interface ConversationPointer {
  inquiryId: string;
  claimedAt?: string;
  follows?: string;
}

/**
 * The parts of a department's due inquiries the escalator reads apart: its critical work
 * (escalation/critical-work.ts), read first on every run, and the rest.
 */
export type DuePart = 'critical' | 'rest';

export interface InquiryRepository {
  /**
   * Creates the inquiry with its history; resolves `false` (and writes nothing new) if it already exists.
   * `knownAbsent`: the caller has just read it absent and since made the conversation point at it, so no
   * other attempt can have created it; the adapter may then skip its own read. The inquiry is still written
   * only if absent.
   */
  create(inquiry: Inquiry, history: HistoryEntry[], options?: { knownAbsent?: boolean }): Promise<boolean>;
  /**
   * Deletes what a try that never stored the inquiry left of it (its history, a lookup or pointer naming it:
   * Opening), unless the inquiry is stored: for a message dropped, whose inquiry will never be. Resolves
   * false when the inquiry is there, and nothing was touched.
   */
  discardUnopened(
    opening: Pick<Opening, 'inquiryId' | 'groupId' | 'authorId'> & {
      conversationKeys: string[];
    },
  ): Promise<boolean>;
  /**
   * What routing a citizen message reads first, each item read consistently, in one round trip: the message's
   * lookup (was it applied before?), the conversation's latest inquiry and when it was made the latest, the
   * same for the thread a wall comment is in (`threadConversationKey`: the conversation of inquiries opened
   * before a citizen's comments under a post were one, inquiry/threading.ts), and the inquiry this message
   * would open, if it exists.
   */
  readForCitizenMessage(keys: {
    groupId: number;
    messageRef: string;
    conversationKey: string;
    threadConversationKey?: string;
    authorId: number;
    inquiryId: string;
  }): Promise<{
    lookup: MessageLookup | undefined;
    pointer: ConversationPointer | undefined;
    threadPointer?: ConversationPointer | undefined;
    inquiry: Inquiry | undefined;
  }>;
  /** The inquiry, read consistently, or undefined. */
  getInquiry(id: string): Promise<Inquiry | undefined>;
  /** The inquiries of these ids that exist, read consistently, by id: many in one call. */
  getInquiries(ids: readonly string[]): Promise<Map<string, Inquiry>>;
  /**
   * Writes the history entries, then replaces the inquiry if it is still at `expectedVersion`; rejects with
   * VersionConflictError otherwise. History keys come from causes, so a retry rewrites them. `writer`: a token
   * of the work writing, kept on the entries (never shown) until another write of the same key replaces it,
   * so that `discardHistory` can tell whether the entry is still the work's own.
   */
  update(inquiry: Inquiry, expectedVersion: number, history: HistoryEntry[], writer?: string): Promise<void>;
  /**
   * Deletes history entries that an `update` refused on its version had written first: they tell of a change
   * that never happened. Not for an entry another writer may have saved under the same key (the same cause
   * applied by another delivery or run): the caller keeps those. Given `writer`, only the entries that writer
   * was the last to write: one another work wrote since, its inquiry write maybe still to come, stays.
   */
  discardHistory(inquiryId: string, keys: string[], writer?: string): Promise<void>;
  /**
   * The key of the history entry a cause wrote as its `n`th, at or after `from` (consistent read), if it is
   * there: for a cause whose entry may have been keyed later than the cause's own time (a citizen's message
   * that reopened the inquiry it reached after the answer, transitions/citizen-message.ts).
   */
  historyKeyOf(inquiryId: string, cause: string, n: number, from: string): Promise<string | undefined>;
  /** The citizen's latest inquiry in a conversation of a community (consistent read), if any. */
  latestInConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
  ): Promise<ConversationPointer | undefined>;
  /**
   * Makes `inquiryId` the citizen's latest inquiry in the conversation, if the pointer is still `previous` as
   * read, the same inquiry claimed at the same time (none: undefined), keeping `follows` on the pointer when
   * given (ConversationPointer). Resolves `false` when another message got there first, or an edit claimed it
   * again for the same inquiry (stored-change.ts): a message that read that inquiry before the edit
   * routed it reads again.
   */
  claimConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
    inquiryId: string,
    previous: Pick<ConversationPointer, 'inquiryId' | 'claimedAt'> | undefined,
    claimedAt: Date,
    follows?: string,
  ): Promise<boolean>;
  /**
   * Stores the lookup of a message once the inquiry that holds it is stored; does nothing if the message's
   * lookup naming that inquiry is stored already (it may hold a change since).
   */
  saveMessageLookup(lookup: MessageLookup): Promise<void>;
  /**
   * The next number of a community's case sequence for a year (1, 2, 3…), from an atomic counter: each call
   * gets its own. One drawn for an inquiry that is then not stored is skipped, never given again.
   */
  nextCaseSequence(groupId: number, year: number): Promise<number>;
  /**
   * Stores how a case number finds its inquiry, once the inquiry that has it is stored (as a message's
   * lookup is); writing it again is harmless.
   */
  saveCaseLookup(lookup: { groupId: number; caseNumber: string; inquiryId: string }): Promise<void>;
  getMessageLookup(groupId: number, messageRef: string): Promise<MessageLookup | undefined>;
  /**
   * Records an edit, delete or restore on the stored message: its lookup and its history entry, each only if
   * no newer change (by `changedAt`) is stored on it. Resolves `false`, changing nothing, when the lookup
   * already holds a newer change. `answered`: an operator's answer covered the message's words, which its
   * history entry keeps (the lookup takes the new ones, for the next edit's words before it); `editedAt`
   * marks the entry as edited after the answer (`editedAfterAnswerAt`).
   */
  changeStoredMessage(
    lookup: MessageLookup,
    change: {
      text?: string;
      deleted: boolean;
      changedAt: string;
      answered?: { editedAt?: string };
      /** The priority of the words it leaves (MessageLookup.priority); without it, none is kept. */
      priority?: Priority;
    },
  ): Promise<boolean>;
  /**
   * A page of a department's open inquiries whose warning or due time is at or before `now`, earliest first
   * (and those whose notice waits to be sent), of one part: its critical work (isCriticalWork) or the rest
   * (the default); `after` continues.
   */
  dueForEscalation(
    department: string,
    now: Date,
    page: { limit: number; after?: string; part?: DuePart },
  ): Promise<{ inquiries: Inquiry[]; after?: string }>;
  /** How many such inquiries the department has, of both parts: what a run cut short leaves to the next. */
  countDueForEscalation(department: string, now: Date): Promise<number>;
  /**
   * The open inquiries listed under a department not in `configured` (renamed, merged or removed before its
   * inquiries were moved): no list shows them, and no department's part of the escalation index is read for
   * them. Their ids, from a read of all open work.
   */
  openUnderUnconfiguredDepartments(configured: ReadonlySet<string>): Promise<string[]>;
}
