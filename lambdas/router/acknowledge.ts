import type { AppConfig } from '../domain/config/schema.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { type AcknowledgementSkipped, decideAcknowledgementOf } from '../domain/outbox/acknowledgement.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';

/** What became of a new inquiry's acknowledgement: put on the outbox, or why not. */
export type AcknowledgementOutcome = 'queued' | AcknowledgementSkipped;

/**
 * Tells the citizen their inquiry was registered, where they wrote: the community's template with the case
 * number, the department and the time of the answer. Put on the outbox queue with an id made of the inquiry
 * and the purpose alone, so that asking again (a redelivered routing message) never sends it twice.
 */
export function createAcknowledger(deps: { config: AppConfig; outbox: Outbox; clock: Clock }) {
  return async function acknowledge(inquiry: Inquiry): Promise<AcknowledgementOutcome> {
    const decision = decideAcknowledgementOf(inquiry, deps.config, deps.clock.now());
    if ('skipped' in decision) return decision.skipped;
    await deps.outbox.send(decision.message);
    return 'queued';
  };
}
