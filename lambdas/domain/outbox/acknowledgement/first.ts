import type { AppConfig } from '../../config/schema.js';
import type { Inquiry } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { type AcknowledgementSettings, settingsOf } from './settings.js';

/**
 * An operator's routing back into work of an inquiry they rejected after it was in work (its clock count past
 * one): its first routing queued the acknowledgement that told the case number (or its answer told it), and
 * the citizen was never told of the rejection, so nothing is said again. One the classifier rejected on
 * arrival, never in work before, is told its number by the routing that first puts it into work.
 */
const toldAlready = (inquiry: Inquiry): boolean =>
  inquiry.routeCause !== undefined && (inquiry.clockCount ?? 0) > 1;

/**
 * The acknowledgement of a newly routed inquiry, or why there is none. Its id is keyed by `routed` whoever
 * routed it (the router, an edit, the operator who routed a rejected message) and however often: the citizen
 * hears it once, and one routed back into work after it was in work hears nothing more (toldAlready). Its
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
  if (toldAlready(inquiry)) return { skipped: 'told_already' };
  return promised(
    inquiry,
    settings,
    { cause: 'routed', firstResponseDueAt: inquiry.firstResponseDueAt },
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
