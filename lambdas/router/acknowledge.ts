import type { AppConfig } from '../domain/config/schema.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { acknowledgementOf } from '../domain/outbox/acknowledgement.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';

/**
 * Tells the citizen their inquiry was registered, where they wrote: the community's template with the case
 * number, the department and the time of the answer. Put on the outbox queue with an id made of the inquiry
 * and the purpose alone, so that asking again (a redelivered routing message) never sends it twice.
 */
export function createAcknowledger(deps: { config: AppConfig; outbox: Outbox; clock: Clock }) {
  return async function acknowledge(inquiry: Inquiry): Promise<boolean> {
    const message = acknowledgementOf(inquiry, deps.config, deps.clock.now());
    if (!message) return false;
    await deps.outbox.send(message);
    return true;
  };
}
