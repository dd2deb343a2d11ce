import type { HistoryEntry, Inquiry } from '../inquiry/inquiry.js';
import type { Digest } from '../vk/event-key.js';
import { vkUrlOf } from '../vk/vk-url.js';
import { detailFields, documentedDetail, isDocumentedKind } from './schemas.js';

/**
 * The inquiry's own bookkeeping, which the operator API does not give: the conversation key (it holds the
 * citizen's VK id), the VK events and requests applied (and those that routed or reopened it), a stopped
 * clock the escalator may watch again, the due time the acknowledgement told (the running deadline shows
 * what is owed), and a notification not yet sent. No operator or front-end acts on them, and they would tie the API to how the table is kept.
 */
export const INTERNAL_FIELDS = [
  'conversationKey',
  'causes',
  'sourceEventKey',
  'answerCause',
  'firstResponseCause',
  'firstResponseCounted',
  'firstResponseClock',
  'routeCause',
  'reopenCause',
  'firstResponsePromisedBy',
  'pendingNotification',
] as const satisfies readonly (keyof Inquiry)[];

type InternalField = (typeof INTERNAL_FIELDS)[number];

/** An inquiry as the operator API shows it: as stored, less its bookkeeping, and where to open it in VK. */
export type InquiryView = Omit<Inquiry, InternalField> & { vkUrl?: string };

/** Derived on every answer, not stored: an address VK changes is then changed in one place. */
export function inquiryView(inquiry: Inquiry): InquiryView {
  const {
    conversationKey: _conversationKey,
    causes: _causes,
    sourceEventKey: _sourceEventKey,
    answerCause: _answerCause,
    firstResponseCause: _firstResponseCause,
    firstResponseCounted: _firstResponseCounted,
    firstResponseClock: _firstResponseClock,
    routeCause: _routeCause,
    reopenCause: _reopenCause,
    firstResponsePromisedBy: _firstResponsePromisedBy,
    pendingNotification: _pendingNotification,
    ...shown
  } = inquiry;
  const vkUrl = vkUrlOf(inquiry.groupId, inquiry.replyTo);
  return vkUrl ? { ...shown, vkUrl } : shown;
}

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

/** The history as the operator API shows it, in the order of its keys (the stored order, ties aside). */
export function historyView(history: readonly HistoryEntry[], digest: Digest): HistoryEntryView[] {
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
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
