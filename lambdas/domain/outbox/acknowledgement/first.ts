import type { AppConfig } from '../../config/schema.js';
import type { Inquiry } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { type AcknowledgementSettings, settingsOf } from './settings.js';

/**
 * What the acknowledgement's outbox id is keyed by. An inquiry's first routing (by the router, an edit, or the
 * operator who routed a rejected message) is `routed`, whoever asks and however often: the citizen hears it
 * once. One an operator rejected after it was in work, and routed back into work since, has a new clock and
 * a new due time, promised anew under the request that routed it back (`routeCause`): the responder sends
 * nothing under the first promise's id again, its outbox record written.
 */
export const acknowledgementCause = (inquiry: Inquiry): string =>
  inquiry.routeCause !== undefined && (inquiry.clockCount ?? 0) > 1 ? inquiry.routeCause : 'routed';

/**
 * The acknowledgement of a newly routed inquiry, or why there is none; its id, see acknowledgementCause. Its
 * deadline passed already at `now` (a routing replayed from the dead letters days later), it goes in the words
 * for then (`templateOnceDue`); still ahead, it carries it, and the words to send instead should the responder send it
 * only once it has passed (send-time.ts, acknowledgementAt).
 */
export function decideAcknowledgement(
  inquiry: Inquiry,
  settings: AcknowledgementSettings,
  now: Date,
  requestedBy = 'router',
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  if (inquiry.status !== 'routed') return { skipped: 'not_routed' };
  return promised(
    inquiry,
    settings,
    { cause: acknowledgementCause(inquiry), firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}

/** The acknowledgement asked `first` (acknowledgement.ts), in the inquiry's community's words. */
export function decideFirstAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return decideAcknowledgement(inquiry, settings, now, requestedBy);
}
