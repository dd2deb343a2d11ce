import type { CitizenMessage } from '../vk/citizen-message.js';

/** The passed-on words of a message, the location it shares and whether VK cut it, where it has any. */
export const passedOn = (message: CitizenMessage) => ({
  ...(message.quoted && { quoted: message.quoted }),
  ...(message.quotedLeftOut && { quotedLeftOut: message.quotedLeftOut }),
  ...(message.location && { location: message.location }),
  ...(message.cropped && { cropped: message.cropped }),
});

/**
 * What the history says of a citizen message: enough to show it, and to edit or withdraw it later, and when it
 * reached us (`receivedAt`, its VK event's receipt): the entry's `at` is VK's `date`, the citizen's side, which
 * a message VK delivered late (or a dead letter replayed) may put long before that.
 */
export function messageDetail(
  message: CitizenMessage,
  eventKey: string,
  receivedAt: string,
): Record<string, unknown> {
  return {
    eventKey,
    receivedAt,
    messageRef: message.messageRef,
    text: message.text,
    attachments: message.attachments,
    ...passedOn(message),
  };
}
