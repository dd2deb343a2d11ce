import type { AppConfig } from '../domain/config/schema.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import {
  type AcknowledgementSkipped,
  decideAcknowledgementOf,
  decideOpeningAcknowledgementOf,
  decideReopeningAcknowledgementOf,
} from '../domain/outbox/acknowledgement.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';

/** What became of a new inquiry's acknowledgement: put on the outbox, or why not. */
export type AcknowledgementOutcome = 'queued' | AcknowledgementSkipped;

/**
 * Asked for when the router routes the inquiry (`first`), or `again` when the event that routed it comes back
 * (a redelivery, a replayed dead letter), its first try having maybe stopped before the outbox; `reopened`
 * when a citizen's message reopened it, or that message's event comes back (the same id either way).
 */
export type AcknowledgementAsked = 'first' | 'again' | 'reopened';

/**
 * Tells the citizen their inquiry was registered, where they wrote: the community's template with the case
 * number, the department and the time of the answer. Put on the outbox queue with an id made of the inquiry
 * and the purpose alone, so that asking again (a redelivered routing message) never sends it twice; asked
 * again, also once an operator has acted on the inquiry since (decideOpeningAcknowledgementOf). A reopening
 * is told in its own words, under an id of the inquiry and the reopening (decideReopeningAcknowledgementOf).
 */
export function createAcknowledger(deps: { config: AppConfig; outbox: Outbox; clock: Clock }) {
  return async function acknowledge(
    inquiry: Inquiry,
    asked: AcknowledgementAsked = 'first',
  ): Promise<AcknowledgementOutcome> {
    const now = deps.clock.now();
    const decision =
      asked === 'reopened'
        ? decideReopeningAcknowledgementOf(inquiry, deps.config, now)
        : asked === 'again'
          ? decideOpeningAcknowledgementOf(inquiry, deps.config, now)
          : decideAcknowledgementOf(inquiry, deps.config, now);
    if ('skipped' in decision) return decision.skipped;
    await deps.outbox.send(decision.message);
    return 'queued';
  };
}
