import { DEAD_LETTER_DAYS } from '../config/schema.js';
import type { Erasure } from '../ports.js';
import { FINISHED_STATUSES, type HistoryEntry, type Inquiry } from './inquiry.js';

export { FINISHED_STATUSES };

/**
 * How long citizens' data is kept: an inquiry is deleted, with everything kept for it, once it has been
 * finished for the configured period (a newer case opened beside it as a new matter keeps its link to it, its
 * id, number and category: none of the citizen's words). Personal data may be kept no longer than the purpose of its processing
 * needs (152-FZ art. 5 part 7); the period itself is the one the body's own file nomenclature sets for citizens'
 * appeals, a choice of the configuration (`retention.closedInquiryDays`).
 */
interface RetentionPolicy {
  /** Days after an inquiry is finished (answered, closed or rejected) before it is deleted. */
  closedInquiryDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the inquiry is due for deletion: its period counted from when it was finished (`finishedAt`: its
 * answer, its closing or its rejection), whatever changed on it since without reopening it (a move to another
 * department, a reply noted, an edit). One finished before `finishedAt` was kept counts from its last change
 * (`updatedAt`), which is never earlier. Undefined while it is open, or while a deadline notice still waits
 * to be sent: unless its department is not among `configured` (when given), as the escalator reads only the
 * configured departments' part of its index, and no one will ever send it.
 */
export function deletionDueAt(
  inquiry: Inquiry,
  policy: RetentionPolicy,
  configured?: ReadonlySet<string>,
): Date | undefined {
  if (!FINISHED_STATUSES.includes(inquiry.status)) return undefined;
  const unsendable =
    configured !== undefined && inquiry.department !== undefined && !configured.has(inquiry.department);
  if (inquiry.pendingNotification && !unsendable) return undefined;
  const finishedAt = Date.parse(inquiry.finishedAt ?? inquiry.updatedAt);
  if (Number.isNaN(finishedAt)) return undefined;
  return new Date(finishedAt + policy.closedInquiryDays * DAY_MS);
}

/** Whether the inquiry is due for deletion at `now` (deletionDueAt). */
export function dueForDeletion(
  inquiry: Inquiry,
  now: Date,
  policy: RetentionPolicy,
  configured?: ReadonlySet<string>,
): boolean {
  const dueAt = deletionDueAt(inquiry, policy, configured);
  return dueAt !== undefined && dueAt.getTime() <= now.getTime();
}

/**
 * An inquiry finished at or before this moment (or, stored before `finishedAt` was kept, last changed then)
 * is due at `now`. It was opened no later either: what the sweep asks the index of inquiries by opening for.
 */
export function deletionCutoff(now: Date, policy: RetentionPolicy): Date {
  return new Date(now.getTime() - policy.closedInquiryDays * DAY_MS);
}

/** What finds the items that name the inquiry outside its own partition, once the inquiry item is gone. */
export function erasureOf(inquiry: Inquiry): Erasure {
  return {
    inquiryId: inquiry.id,
    version: inquiry.version,
    groupId: inquiry.groupId,
    conversationKey: inquiry.conversationKey,
    authorId: inquiry.authorId,
    ...(inquiry.caseNumber !== undefined && { caseNumber: inquiry.caseNumber }),
    ...(inquiry.department !== undefined && { department: inquiry.department }),
  };
}

/**
 * What the inquiry's history names outside the inquiry's own items: the VK messages it holds (each has a
 * lookup item naming the inquiry) and the messages the responder sent for it (each has a delivery record).
 */
export function referencesIn(history: readonly HistoryEntry[]): {
  messageRefs: string[];
  outboxIds: string[];
} {
  const messageRefs = new Set<string>();
  const outboxIds = new Set<string>();
  for (const entry of history) {
    const { messageRef, outboxId } = entry.detail;
    if (typeof messageRef === 'string') messageRefs.add(messageRef);
    if (typeof outboxId === 'string') outboxIds.add(outboxId);
  }
  return { messageRefs: [...messageRefs], outboxIds: [...outboxIds] };
}

/**
 * How old an opening left unfinished (ports/retention.ts, Opening) must be before the sweep deletes what it
 * left: one younger may still be finished, its message waiting in a dead-letter queue (kept DEAD_LETTER_DAYS,
 * counted from its first try: SQS keeps a message's enqueue time when it moves it there) to be replayed; a
 * replay is a new try, which marks it anew. A day more, so that a replay under way as the sweep runs is not
 * raced.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const UNOPENED_DAYS = DEAD_LETTER_DAYS + 1;

/** An opening begun at or before this moment is past finishing at `now`. */
export function unopenedCutoff(now: Date): Date {
  return new Date(now.getTime() - UNOPENED_DAYS * DAY_MS);
}
