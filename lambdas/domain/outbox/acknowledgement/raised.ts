import type { AppConfig } from '../../config/schema.js';
import { type Inquiry, isOpen } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { raisedSettingsOf } from './settings.js';

/** The outbox id prefix of a raise's acknowledgement: `<inquiry>:acknowledgement:raised-<event>`. */
const RAISED = 'raised-';

/**
 * The cause a raise's acknowledgement is keyed by: the citizen's event whose message raised the priority
 * (`raiseCause`), so that the event redelivered or retried queues it under the same id, and a later raise
 * under another.
 */
const raiseAcknowledgementCause = (raiseCause: string): string => `${RAISED}${raiseCause}`;

/**
 * Whether the outbox message is the acknowledgement of a raise: its words are its own (neither the first
 * acknowledgement's nor a reopening's), which the responder keeps. An id cut to the limit keeps its beginning.
 */
export const isRaiseAcknowledgement = (message: {
  id: string;
  inquiryId: string;
  purpose: string;
}): boolean =>
  message.purpose === 'acknowledgement' &&
  message.id.startsWith(`${message.inquiryId}:acknowledgement:${RAISED}`);

/**
 * The acknowledgement of a citizen's follow-up that raised the priority of their open inquiry (a gas smell
 * reported in a case about a broken light): the message joined case № …, and the sooner time we answer by,
 * in the community's words for a raise (`acknowledgement.raised`), beginning, for a `critical` inquiry, with where
 * to call. Once the department has responded it tells no time (the running clock is the resolution's, which
 * no acknowledgement promises), nor for a raise to critical that left the deadline as it was (`raiseKeptDueAt`:
 * "раньше" would be untrue, and the time told before stands). Asked again when the event comes back, under the
 * same id, so that one the first try queued is sent once. None once the inquiry is rejected, answered or
 * closed, nor when the community acknowledges nothing (or no raise); ordinary follow-ups, and raises that
 * brought no deadline forward and are not to critical, are never acknowledged (citizen-message.ts, noteRaise).
 */
export function decideRaiseAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  if (!isOpen(inquiry.status)) return { skipped: 'answered' };
  // (The router asks only for a raise the inquiry records.)
  if (inquiry.raiseCause === undefined) return { skipped: 'not_routed' };
  const settings = raisedSettingsOf(inquiry, config);
  if (!settings) return { skipped: 'unknown_community' };
  // No time to tell: the running clock is the resolution's, or the raise did not move the deadline.
  const untimed = inquiry.firstRespondedAt !== undefined || inquiry.raiseKeptDueAt === true;
  return promised(
    inquiry,
    untimed ? { ...settings, template: settings.templateOnceDue ?? settings.template } : settings,
    {
      cause: raiseAcknowledgementCause(inquiry.raiseCause),
      firstResponseDueAt: inquiry.firstResponseDueAt ?? (untimed ? now.toISOString() : undefined),
    },
    now,
    requestedBy,
  );
}
