import type { AppConfig } from '../../config/schema.js';
import { type Inquiry, isOpen } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { settingsOf } from './settings.js';

/**
 * The acknowledgement of the router's opening of an inquiry, asked for again when the event that opened it
 * comes back (its first try may have stopped before the outbox: SQS brings the event back minutes later, or a
 * dead letter is replayed days later). Whatever the inquiry has become since (taken, moved, written to), the
 * citizen is owed the case number: it tells the number, the department and the first-response due time as
 * they are now, under the `routed` id, so that one the first try did queue is sent once; the responder sends
 * it without the time once the department has responded (send-time.ts, acknowledgementOnceResponded). None once the
 * inquiry is rejected, answered or closed (or reopened after its answer: the answer told them more), nor once
 * an operator routed it into work (again) since, whose request acknowledged that routing itself.
 */
export function decideOpeningAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  // Reopened since, taken again or not: the citizen had its answer (or its closing) since.
  if (!isOpen(inquiry.status) || inquiry.reopenCount > 0) return { skipped: 'answered' };
  if (inquiry.routeCause !== undefined) return { skipped: 'not_routed' };
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    { cause: 'routed', firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}
