import type { AppConfig } from '../domain/config/schema.js';
import { firstResponseDue } from '../domain/inquiry/deadline.js';
import { openInquiry } from '../domain/inquiry/inquiry.js';
import { routeInquiry } from '../domain/inquiry/routing.js';
import type { ClassifiedMessage } from '../domain/messages.js';
import type { Clock, InquiryRepository } from '../domain/ports.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';

export interface RouteMessageDeps {
  config: AppConfig;
  inquiries: InquiryRepository;
  clock: Clock;
  /** The inquiry id for a VK event: the same for the same event, so a redelivery finds what it made. */
  inquiryIdFor: (groupId: number, eventKey: string) => string;
}

export type RouteOutcome = { inquiryId: string; created: boolean; department: string | null };

/** Opens the inquiry for a classified citizen message and routes it to its department, once per VK event. */
export function createMessageRouter(deps: RouteMessageDeps) {
  return async function routeMessage(classified: ClassifiedMessage): Promise<RouteOutcome> {
    const message = classified.message as CitizenMessage;
    const { classification } = classified;
    const id = deps.inquiryIdFor(message.groupId, classified.eventKey);
    const receivedAt = new Date(classified.receivedAt);
    const routing = classification.inquiry
      ? routeInquiry(deps.config, {
          groupId: message.groupId,
          category: classification.category,
          triage: classification.triage,
        })
      : null;
    const { inquiry, history } = openInquiry({
      id,
      eventKey: classified.eventKey,
      message,
      classification,
      routing,
      firstResponseDueAt: routing
        ? firstResponseDue(deps.config.sla, classification.priority, receivedAt)
        : null,
      now: deps.clock.now(),
    });
    const created = await deps.inquiries.create(inquiry, history);
    return { inquiryId: id, created, department: inquiry.department ?? null };
  };
}
