import { reasonWithoutFollowedCase } from '../domain/inquiry/followed-case.js';
import type { HistoryEntry } from '../domain/inquiry/inquiry.js';
import { reasonWithoutJoinedCase } from '../domain/inquiry/words-joined.js';
import { OTHER_DEPARTMENTS_CASE } from '../domain/operator/named-case.js';
import type { Digest } from '../domain/vk/event-key.js';
import { detailFields, documentedDetail, isDocumentedKind } from './contract/history.js';

/** A history entry as the operator API shows it: the fields the document gives, nothing of how it is kept. */
export type HistoryEntryView = Pick<
  HistoryEntry,
  | 'inquiryId'
  | 'key'
  | 'at'
  | 'kind'
  | 'actor'
  | 'actorId'
  | 'actorName'
  | 'reason'
  | 'from'
  | 'to'
  | 'detail'
>;

/**
 * The stored key is `<time>#<cause>#<n>`, and the cause is the VK event's key (of older events, VK's ids in
 * clear, the citizen's among them), the operator's request, the outbox message and attempt: shown digested,
 * so the key still names the entry and orders the history, and tells none of that.
 */
function shownKey(key: string, digest: Digest): string {
  const first = key.indexOf('#');
  const last = key.lastIndexOf('#');
  if (first < 0 || first === last) return digest(key);
  return `${key.slice(0, first)}#${digest(key.slice(first + 1, last))}${key.slice(last)}`;
}

/**
 * A `detail` as documented for its kind: no field the document does not name (a message's event key, a VK
 * admin's message reference on their reply), nested ones too. One that does not fit its schema (written by an
 * older version) keeps its documented fields as they are; a kind the document does not know, nothing.
 */
function shownDetail(kind: string, detail: Record<string, unknown>): Record<string, unknown> {
  if (!isDocumentedKind(kind)) return {};
  return (
    documentedDetail(kind, detail) ??
    Object.fromEntries(
      detailFields(kind).flatMap((field) => (field in detail ? [[field, detail[field]]] : [])),
    )
  );
}

/** The kinds of entry that may name the case a new matter was opened beside: its routing, a message of its burst. */
const NAMING_FOLLOWED_CASE = new Set(['routed', 'message']);

/**
 * What a new matter's entries say of the case it was opened beside, to whom may not know that case
 * (operator/followed-case.ts): in the routing entry, none of its id and number; in its reasons, that it is the
 * citizen's case in another department, no more.
 */
function withoutFollowedCase(entry: HistoryEntryView): HistoryEntryView {
  const {
    previousInquiryId: _previousInquiryId,
    previousCaseNumber: _previousCaseNumber,
    ...detail
  } = entry.detail;
  return {
    ...entry,
    ...(entry.reason !== undefined && { reason: reasonWithoutFollowedCase(entry.reason) }),
    detail,
  };
}

/**
 * What an edit's entry says of the newer inquiry its words joined, to whom may not know that case
 * (operator/named-case.ts): in `joined`, that it is another department's; in its reason, no id or number.
 */
function withoutJoinedCase(entry: HistoryEntryView): HistoryEntryView {
  return {
    ...entry,
    ...(entry.reason !== undefined && { reason: reasonWithoutJoinedCase(entry.reason) }),
    detail: { ...entry.detail, joined: OTHER_DEPARTMENTS_CASE },
  };
}

/** The id of the case an edit's entry says its words joined, if it names one. */
const joinedCaseOf = (entry: HistoryEntryView): string | undefined => {
  const id = (entry.detail.joined as { inquiryId?: unknown } | undefined)?.inquiryId;
  return typeof id === 'string' ? id : undefined;
};

/** Which of the cases an inquiry's history names its viewer may know (operator/named-case.ts). */
export interface KnownCases {
  /** The case a new matter follows. */
  followedCase: boolean;
  /** The newer inquiry an edit's words joined, by its id (undefined where the entry names none fit to read). */
  joinedCase: (caseId: string | undefined) => boolean;
}

/** An entry as `known` lets its viewer read it: the cases it names that they may not know, unnamed. */
function withKnownCases(entry: HistoryEntryView, known: KnownCases): HistoryEntryView {
  // Only the router's and the citizen's entries speak of them: an operator's words are left as they were typed.
  if (NAMING_FOLLOWED_CASE.has(entry.kind)) return known.followedCase ? entry : withoutFollowedCase(entry);
  if (entry.kind === 'message_changed' && 'joined' in entry.detail)
    return known.joinedCase(joinedCaseOf(entry)) ? entry : withoutJoinedCase(entry);
  return entry;
}

/**
 * The history as the operator API shows it, in the order of its keys (the stored order, ties aside); the cases
 * its entries name (the case a new matter follows, the one an edit's words joined) named only as `known` says.
 */
export function historyView(
  history: readonly HistoryEntry[],
  digest: Digest,
  known: KnownCases,
): HistoryEntryView[] {
  return history
    .map(
      (entry): HistoryEntryView => ({
        inquiryId: entry.inquiryId,
        key: shownKey(entry.key, digest),
        at: entry.at,
        kind: entry.kind,
        actor: entry.actor,
        ...(entry.actorId !== undefined && { actorId: entry.actorId }),
        ...(entry.actorName !== undefined && { actorName: entry.actorName }),
        ...(entry.reason !== undefined && { reason: entry.reason }),
        ...(entry.from !== undefined && { from: entry.from }),
        ...(entry.to !== undefined && { to: entry.to }),
        detail: shownDetail(entry.kind, entry.detail ?? {}),
      }),
    )
    .map((entry) => withKnownCases(entry, known))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
