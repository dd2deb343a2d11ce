import type { ClassifiedMessage } from '../domain/messages.js';
import type { Classification } from '../domain/taxonomy.js';
import type { ReceivedVkEvent } from '../domain/vk/envelope.js';
import { toCitizenMessage } from '../domain/vk/normalise.js';

export interface ClassifyEventDeps {
  classify: (text: string) => Classification;
}

/**
 * Turns a received VK event into a classified citizen message, or null when the event carries no citizen's
 * words (the community's own messages, service events).
 */
export function createEventClassifier(deps: ClassifyEventDeps) {
  return function classifyEvent(received: ReceivedVkEvent): ClassifiedMessage | null {
    const message = toCitizenMessage(received.event);
    if (!message) return null;
    return {
      kind: 'citizen_message',
      eventKey: received.eventKey,
      receivedAt: received.receivedAt,
      message,
      classification: deps.classify(message.text),
    };
  };
}
