/**
 * The acknowledgement a citizen is owed when their inquiry is put into work or reopened: which one, in whose
 * words, under which outbox id. decideAcknowledgementOf is the one entry point; each way of asking has its
 * rule in acknowledgement/ (first.ts, again.ts, reopened.ts, raised.ts, repeated.ts), over what they share: the
 * community's settings (settings.ts), the message and its text once due (message.ts), the templates' words
 * (words.ts) and the due time as the citizen reads it (due-at.ts).
 */
import type { AppConfig } from '../config/schema.js';
import type { HistoryEntry, Inquiry } from '../inquiry/inquiry.js';
import { decideOpeningAcknowledgementOf } from './acknowledgement/again.js';
import { decideFirstAcknowledgementOf } from './acknowledgement/first.js';
import type { AcknowledgementDecision } from './acknowledgement/message.js';
import { decideRaiseAcknowledgementOf } from './acknowledgement/raised.js';
import { decideReopeningAcknowledgementOf } from './acknowledgement/reopened.js';
import { decideRoutingAcknowledgement } from './acknowledgement/repeated.js';
import type { OutboxMessage } from './outbox-message.js';

export { dueAtForCitizen, formatDueAt, formatMoment } from './acknowledgement/due-at.js';
export { decideAcknowledgement } from './acknowledgement/first.js';
export {
  type AcknowledgementSkipped,
  acknowledgementTextOnceDue,
} from './acknowledgement/message.js';
export { isRaiseAcknowledgement } from './acknowledgement/raised.js';
export { reopeningAcknowledgementCause } from './acknowledgement/reopened.js';
export type { AcknowledgementSettings } from './acknowledgement/settings.js';
export {
  ACKNOWLEDGEMENT_PLACEHOLDERS,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  unknownPlaceholders,
} from './acknowledgement/words.js';

/**
 * Which acknowledgement is asked for, which tells what the citizen is owed and under which outbox id:
 * - `first`: the routing that put the inquiry into work, as it left it (the router opening it or an edit routing
 *   it, as they do; an operator's route, done or repeated while the inquiry is still routed): decideAcknowledgement;
 * - `again`: the router's, when the event that opened or routed the inquiry comes back, its first try having maybe
 *   stopped before the outbox: decideOpeningAcknowledgementOf;
 * - `reopened`: the router's, for a citizen's message that reopened the inquiry, or that message's event come
 *   back: decideReopeningAcknowledgementOf;
 * - `raised`: the router's, for a citizen's follow-up that raised the priority of their open inquiry (and so
 *   made its due time sooner), or that message's event come back: decideRaiseAcknowledgementOf;
 * - `{ repeated, history }`: an operator's request that routed it (`repeated`, its cause), repeated once the
 *   inquiry has moved on (taken, written to), read with the inquiry's history: decideRoutingAcknowledgement.
 */
export type AcknowledgementAsked =
  | 'first'
  | 'again'
  | 'reopened'
  | 'raised'
  | { repeated: string; history: readonly HistoryEntry[] };

/**
 * The acknowledgement asked for, in the inquiry's community's words (`communities[].acknowledgement`), or why
 * there is none (a community no longer configured acknowledges nothing); `requestedBy`: the router, or the
 * operator whose request routed the inquiry.
 */
export function decideAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  asked: AcknowledgementAsked = 'first',
  requestedBy = 'router',
): AcknowledgementDecision {
  if (asked === 'again') return decideOpeningAcknowledgementOf(inquiry, config, now, requestedBy);
  if (asked === 'reopened') return decideReopeningAcknowledgementOf(inquiry, config, now, requestedBy);
  if (asked === 'raised') return decideRaiseAcknowledgementOf(inquiry, config, now, requestedBy);
  if (asked !== 'first')
    return decideRoutingAcknowledgement(inquiry, asked.history, asked.repeated, config, now, requestedBy);
  return decideFirstAcknowledgementOf(inquiry, config, now, requestedBy);
}

/** The acknowledgement of a newly routed inquiry in its community's words, or nothing. */
export function acknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy?: string,
): OutboxMessage | undefined {
  const decision = decideAcknowledgementOf(inquiry, config, now, 'first', requestedBy);
  return 'message' in decision ? decision.message : undefined;
}
