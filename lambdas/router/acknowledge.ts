import type { AppConfig } from '../domain/config/schema.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { acknowledgementFor, DEFAULT_ACKNOWLEDGEMENT_TEMPLATE } from '../domain/outbox/acknowledgement.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';

/**
 * Tells the citizen their inquiry was registered, where they wrote: the community's template with the case
 * number, the department and the time of the answer. Put on the outbox queue with an id made of the inquiry
 * and the purpose alone, so that asking again (a redelivered routing message) never sends it twice.
 */
export function createAcknowledger(deps: { config: AppConfig; outbox: Outbox; clock: Clock }) {
  return async function acknowledge(inquiry: Inquiry): Promise<boolean> {
    const community = deps.config.communities.find((candidate) => candidate.groupId === inquiry.groupId);
    if (!community) return false;
    const department = deps.config.departments.find((candidate) => candidate.id === inquiry.department);
    const message = acknowledgementFor(
      inquiry,
      {
        enabled: community.acknowledgement?.enabled ?? true,
        template: community.acknowledgement?.template ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
        timeZone: community.calendar.timeZone,
        departmentName: department?.name ?? inquiry.department ?? '',
      },
      deps.clock.now(),
    );
    if (!message) return false;
    await deps.outbox.send(message);
    return true;
  };
}
