import type { AppConfig } from '../domain/config/schema.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import {
  type AcknowledgementAsked,
  type AcknowledgementSkipped,
  decideAcknowledgementOf,
} from '../domain/outbox/acknowledgement.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';

/** What became of a new inquiry's acknowledgement: put on the outbox, or why not. */
export type AcknowledgementOutcome = 'queued' | AcknowledgementSkipped;

/**
 * What the router asks for: `first` when it routes the inquiry, or `again` when the event that routed it comes
 * back (a redelivery, a replayed dead letter), its first try having maybe stopped before the outbox; `reopened`
 * when a citizen's message reopened it, or that message's event comes back (the same id either way); `raised`
 * likewise when a citizen's follow-up raised its priority.
 */
export type RouterAcknowledgementAsked = Extract<
  AcknowledgementAsked,
  'first' | 'again' | 'reopened' | 'raised'
>;

/**
 * Tells the citizen their inquiry was registered, where they wrote: the community's template with the case
 * number, the department and the time of the answer. Put on the outbox queue with an id made of the inquiry
 * and the purpose alone, so that asking again (a redelivered routing message) never sends it twice; asked
 * again, also once an operator has acted on the inquiry since (`again`). A reopening is told in its own words,
 * under an id of the inquiry and the reopening (`reopened`), and a raise of its priority under one of the
 * inquiry and the event that raised it (`raised`); see AcknowledgementAsked.
 */
export function createAcknowledger(deps: { config: AppConfig; outbox: Outbox; clock: Clock }) {
  return async function acknowledge(
    inquiry: Inquiry,
    asked: RouterAcknowledgementAsked = 'first',
  ): Promise<AcknowledgementOutcome> {
    const decision = decideAcknowledgementOf(inquiry, deps.config, deps.clock.now(), asked);
    if ('skipped' in decision) return decision.skipped;
    await deps.outbox.send(decision.message);
    return 'queued';
  };
}
