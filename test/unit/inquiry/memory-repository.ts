import { isCriticalWork } from '../../../lambdas/domain/escalation/critical-work.js';
import {
  type HistoryEntry,
  historyKey,
  historyKeyParts,
  type Inquiry,
} from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  type ConversationPointer,
  type DuePart,
  type InquiryRepository,
  type MessageLookup,
  VersionConflictError,
} from '../../../lambdas/domain/ports.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';

/** The repository port in memory, with the same conditional semantics as the DynamoDB adapter. */
export class MemoryInquiryRepository implements InquiryRepository {
  readonly inquiries = new Map<string, Inquiry>();
  readonly history = new Map<string, HistoryEntry>();
  /** The work that last wrote each history entry, where an `update` named one (the adapter's `writtenBy`). */
  readonly historyWriters = new Map<string, string>();
  readonly lookups = new Map<string, MessageLookup>();
  readonly conversations = new Map<string, ConversationPointer>();
  readonly caseCounters = new Map<string, number>();
  readonly caseLookups = new Map<string, string>();

  async create(inquiry: Inquiry, history: HistoryEntry[]) {
    if (this.inquiries.has(inquiry.id)) return false;
    this.putHistory(history);
    this.inquiries.set(inquiry.id, structuredClone(inquiry));
    return true;
  }
  async discardUnopened(unopened: {
    inquiryId: string;
    groupId: number;
    authorId: number;
    conversationKeys: string[];
  }) {
    const { inquiryId, groupId, authorId } = unopened;
    if (this.inquiries.has(inquiryId)) return false;
    for (const [key, entry] of this.history)
      if (entry.inquiryId === inquiryId) {
        this.history.delete(key);
        this.historyWriters.delete(key);
      }
    for (const [key, lookup] of this.lookups) if (lookup.inquiryId === inquiryId) this.lookups.delete(key);
    for (const conversationKey of unopened.conversationKeys) {
      const key = `${groupId}#${conversationKey}#${authorId}`;
      if (this.conversations.get(key)?.inquiryId === inquiryId) this.conversations.delete(key);
    }
    return true;
  }
  async readForCitizenMessage(keys: {
    groupId: number;
    messageRef: string;
    conversationKey: string;
    threadConversationKey?: string;
    authorId: number;
    inquiryId: string;
  }) {
    return {
      lookup: await this.getMessageLookup(keys.groupId, keys.messageRef),
      pointer: await this.latestInConversation(keys.groupId, keys.conversationKey, keys.authorId),
      ...(keys.threadConversationKey && {
        threadPointer: await this.latestInConversation(
          keys.groupId,
          keys.threadConversationKey,
          keys.authorId,
        ),
      }),
      inquiry: await this.getInquiry(keys.inquiryId),
    };
  }
  async getInquiry(id: string) {
    const found = this.inquiries.get(id);
    return found && structuredClone(found);
  }
  async getInquiries(ids: readonly string[]) {
    const found = new Map<string, Inquiry>();
    for (const id of ids) {
      const inquiry = this.inquiries.get(id);
      if (inquiry) found.set(id, structuredClone(inquiry));
    }
    return found;
  }
  async update(inquiry: Inquiry, expectedVersion: number, history: HistoryEntry[], writer?: string) {
    this.putHistory(history, writer);
    if (this.inquiries.get(inquiry.id)?.version !== expectedVersion)
      throw new VersionConflictError(inquiry.id, expectedVersion);
    this.inquiries.set(inquiry.id, structuredClone(inquiry));
  }
  /** Each entry replaced whole, as a put replaces an item: its writer too. */
  putHistory(history: HistoryEntry[], writer?: string) {
    for (const entry of history) {
      const key = `${entry.inquiryId}#${entry.key}`;
      this.history.set(key, structuredClone(entry));
      if (writer === undefined) this.historyWriters.delete(key);
      else this.historyWriters.set(key, writer);
    }
  }
  async discardHistory(inquiryId: string, keys: string[], writer?: string) {
    for (const key of keys.map((key) => `${inquiryId}#${key}`))
      if (writer === undefined || this.historyWriters.get(key) === writer) {
        this.history.delete(key);
        this.historyWriters.delete(key);
      }
  }
  async historyKeyOf(inquiryId: string, cause: string, n: number, from: string) {
    return [...this.history.values()]
      .filter((entry) => entry.inquiryId === inquiryId && entry.key >= from)
      .map((entry) => entry.key)
      .sort()
      .find((key) => key === historyKey(historyKeyParts(key).at, cause, n));
  }
  async latestInConversation(groupId: number, conversationKey: string, authorId: number) {
    return this.conversations.get(`${groupId}#${conversationKey}#${authorId}`);
  }
  async claimConversation(
    groupId: number,
    conversationKey: string,
    authorId: number,
    inquiryId: string,
    previous: { inquiryId: string; claimedAt: string } | undefined,
    claimedAt: Date,
    follows?: string,
  ) {
    const key = `${groupId}#${conversationKey}#${authorId}`;
    const current = this.conversations.get(key);
    if (current?.inquiryId !== previous?.inquiryId || current?.claimedAt !== previous?.claimedAt)
      return false;
    this.conversations.set(key, {
      inquiryId,
      claimedAt: claimedAt.toISOString(),
      ...(follows !== undefined && { follows }),
    });
    return true;
  }
  async saveMessageLookup(lookup: MessageLookup) {
    const key = `${lookup.groupId}#${lookup.messageRef}`;
    const stored = this.lookups.get(key);
    if (stored?.eventKey !== lookup.eventKey || stored.inquiryId !== lookup.inquiryId)
      this.lookups.set(key, { ...lookup });
  }
  async nextCaseSequence(groupId: number, year: number) {
    const next = (this.caseCounters.get(`${groupId}#${year}`) ?? 0) + 1;
    this.caseCounters.set(`${groupId}#${year}`, next);
    return next;
  }
  async saveCaseLookup(lookup: { groupId: number; caseNumber: string; inquiryId: string }) {
    this.caseLookups.set(`${lookup.groupId}#${lookup.caseNumber}`, lookup.inquiryId);
  }
  async getMessageLookup(groupId: number, messageRef: string) {
    return this.lookups.get(`${groupId}#${messageRef}`);
  }
  async changeStoredMessage(
    lookup: MessageLookup,
    {
      answered,
      ...change
    }: {
      text?: string;
      deleted: boolean;
      changedAt: string;
      answered?: { editedAt?: string };
      priority?: Priority;
    },
  ) {
    const key = `${lookup.groupId}#${lookup.messageRef}`;
    const stored = this.lookups.get(key);
    if (!stored || (stored.changedAt !== undefined && stored.changedAt > change.changedAt)) return false;
    const text = change.text ?? lookup.text;
    const { priority: _before, ...kept } = stored;
    this.lookups.set(key, { ...kept, text, ...change });
    const entry = this.history.get(`${lookup.inquiryId}#${lookup.historyKey}`);
    const entryChangedAt = entry?.detail.changedAt as string | undefined;
    if (entry && (entryChangedAt === undefined || entryChangedAt <= change.changedAt))
      entry.detail = {
        ...entry.detail,
        ...(!answered && { text }),
        deleted: change.deleted,
        changedAt: change.changedAt,
        ...(answered?.editedAt !== undefined && { editedAfterAnswerAt: answered.editedAt }),
      };
    return true;
  }
  /** Pages of a part of the due inquiries in the order they were stored; `after` is the count already given. */
  async dueForEscalation(
    department: string,
    now: Date,
    page: { limit: number; after?: string; part?: DuePart },
  ) {
    const start = Number(page.after ?? 0);
    const critical = page.part === 'critical';
    const due = this.due(department, now).filter((inquiry) => isCriticalWork(inquiry) === critical);
    const end = start + page.limit;
    return {
      inquiries: due.slice(start, end),
      ...(end < due.length && { after: String(end) }),
    };
  }
  async countDueForEscalation(department: string, now: Date) {
    return this.due(department, now).length;
  }
  async openUnderUnconfiguredDepartments(configured: ReadonlySet<string>) {
    return [...this.inquiries.values()]
      .filter((inquiry) => ['new', 'routed', 'in_progress', 'reopened'].includes(inquiry.status))
      .filter((inquiry) => inquiry.department !== undefined && !configured.has(inquiry.department))
      .map((inquiry) => inquiry.id);
  }
  private due(department: string, now: Date) {
    return [...this.inquiries.values()]
      .filter((inquiry) => inquiry.department === department && inquiry.clock && !inquiry.clock.breached)
      .filter((inquiry) => ['new', 'routed', 'in_progress', 'reopened'].includes(inquiry.status))
      .filter((inquiry) => {
        const clock = inquiry.clock;
        return clock !== undefined && (clock.warned ? clock.dueAt : clock.warnAt) <= now.toISOString();
      });
  }
}
