import type { AppConfig } from '../../config/schema.js';
import { type Inquiry, isOpen } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { reopenedSettingsOf } from './settings.js';

/**
 * The cause a reopening's acknowledgement is keyed by: the inquiry's reopening it tells of (`reopened-1` for
 * the first), so that the event that reopened it, redelivered or retried, queues it under the same id, and a
 * later reopening under another.
 */
export const reopeningAcknowledgementCause = (inquiry: Pick<Inquiry, 'reopenCount'>): string =>
  `reopened-${inquiry.reopenCount}`;

/**
 * The acknowledgement of a citizen's message that reopened their answered (or closed) inquiry, the current
 * cycle being the one that message started (`reopenCause`, which the router checks): the case number, and
 * the new first-response due time, in the community's words for a reopening (`acknowledgement.reopened`). Asked
 * again when its event comes back (its first try may have stopped before the outbox), it tells them as they
 * are now, under the same id, so that one the first try did queue is sent once; the responder sends it without
 * the time once the department has responded, and not at all once it is answered (docs/answering-citizens.md, "Too late"). None
 * once the inquiry is rejected, answered or closed again, nor when the community acknowledges nothing (or no
 * reopening).
 */
export function decideReopeningAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  if (!isOpen(inquiry.status)) return { skipped: 'answered' };
  const settings = reopenedSettingsOf(inquiry, config);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    {
      cause: reopeningAcknowledgementCause(inquiry),
      // An inquiry without terms starts no clock when reopened: its due time is the last cycle's.
      firstResponseDueAt: inquiry.terms ? inquiry.firstResponseDueAt : undefined,
    },
    now,
    requestedBy,
  );
}
