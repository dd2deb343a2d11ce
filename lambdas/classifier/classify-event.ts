import { classifiedWords, hasLink, hasOwnWords, normaliseText } from '../domain/classifier/index.js';
import type { RoutingMessage } from '../domain/messages.js';
import type { MessageQueue } from '../domain/ports.js';
import type { Classification } from '../domain/taxonomy.js';
import type { AttachmentSummary, CitizenMessage } from '../domain/vk/citizen-message.js';
import type { ReceivedVkEvent } from '../domain/vk/envelope.js';
import type { VkEventLedger } from '../domain/vk/event-ledger.js';
import { interpretVkEvent, type VkEventMeaning } from '../domain/vk/interpret.js';
import { wordsOf } from '../domain/vk/quoted.js';

interface ClassifyEventDeps {
  classify: (text: string) => Classification;
  ledger: VkEventLedger;
  routingQueue: MessageQueue<RoutingMessage>;
  /**
   * Counts an event that makes no routing message, by its type, under a prefix that says why when it is
   * words (`own_words`, `chat_not_addressed`, `chat_service_message`).
   */
  countEvent: (type: string, prefix?: CountPrefix) => void;
}

type CountPrefix = 'own_words' | 'chat_not_addressed' | 'chat_service_message';

type EventOutcome =
  | { outcome: 'routed'; kind: RoutingMessage['kind'] }
  | { outcome: 'counted'; kind: 'service' | 'own_words' | 'chat_chatter' }
  | { outcome: 'duplicate'; kind: VkEventMeaning['kind'] };

/** The event could not be read; thrown so that SQS retries it and then keeps it in the dead-letter queue. */
export class UnreadableEventError extends Error {
  override name = 'UnreadableEventError';
}

/** Another attempt holds the event right now; SQS delivers it again after the visibility timeout. */
export class EventInFlightError extends Error {
  override name = 'EventInFlightError';
}

/** Attachments that carry no matter of their own: a sticker, a gift, a graffiti, the message replied to. */
const REACTION_ATTACHMENTS = new Set(['sticker', 'gift', 'graffiti', 'reply_to_message']);

/**
 * Words classified, and what they come with. Words with no word left once the classifier has normalised them
 * (emoji, mentions, hashtags, a link) are no reaction when they come with something to look at (a voice message, a
 * photo of a pothole, a link, in the text or attached): the text classifier cannot read it, so a person does,
 * in triage. An emoji or a sticker alone stays a reaction. Of a very long message, the start of each of its
 * parts is read (`classifiedWords`).
 */
function classifyWords(
  allWords: string,
  attachments: readonly AttachmentSummary[],
  classify: (text: string) => Classification,
): Classification {
  const words = classifiedWords(allWords);
  const byText = classify(words);
  if (byText.inquiry || hasOwnWords(normaliseText(words))) return byText;
  const content =
    hasLink(words) || attachments.some((attachment) => !REACTION_ATTACHMENTS.has(attachment.kind));
  if (!content) return byText;
  return { ...byText, category: 'other', priority: 'normal', confidence: 0, inquiry: true, triage: true };
}

/**
 * A citizen's message classified on its words: the citizen's own and those they passed on (a forwarded or
 * reposted "пахнет газом" is critical, though the citizen typed nothing).
 */
const classifyMessage = (message: CitizenMessage, classify: (text: string) => Classification) =>
  classifyWords(wordsOf(message), message.attachments, classify);

/** The message an event puts on the routing queue, or undefined when it puts none (it is only counted). */
export function toRoutingMessage(
  received: ReceivedVkEvent,
  meaning: VkEventMeaning,
  classify: (text: string) => Classification,
): RoutingMessage | undefined {
  const base = { eventKey: received.eventKey, receivedAt: received.receivedAt };
  switch (meaning.kind) {
    case 'citizen_message': {
      // An event ingest trimmed carried more than it keeps: the operator reads it whole in VK.
      const message = received.trimmed ? { ...meaning.message, cropped: true as const } : meaning.message;
      return {
        kind: 'citizen_message',
        ...base,
        message,
        classification: classifyMessage(message, classify),
      };
    }
    case 'message_changed': {
      const { change } = meaning;
      // Classified here, as new words are: the router routes an opening message edited into an inquiry, one
      // edited to add only a photo too. A chat's edit written to the community may be new words to the
      // router, classified as its message would be, on what it passes on too.
      const attachments = change.attachments ?? [];
      const asNew =
        change.chat?.addressed && received.trimmed
          ? { ...change.chat.message, cropped: true as const }
          : change.chat?.addressed
            ? change.chat.message
            : undefined;
      const classification = asNew
        ? classifyMessage(asNew, classify)
        : change.change === 'edited' && change.text !== undefined
          ? classifyWords(
              wordsOf({ groupId: received.groupId, text: change.text, attachments }),
              attachments,
              classify,
            )
          : undefined;
      return {
        kind: 'message_changed',
        ...base,
        groupId: received.groupId,
        ...change,
        ...(asNew && { chat: { addressed: true as const, message: asNew } }),
        ...(classification && { classification }),
      };
    }
    case 'operator_reply_in_vk':
      return { kind: 'operator_reply_in_vk', ...base, groupId: received.groupId, ...meaning.reply };
    default:
      return undefined;
  }
}

/** Why words were only counted: the community's own, or a group chat's not written to the community. */
function countPrefixOf(meaning: VkEventMeaning): CountPrefix | undefined {
  if (meaning.kind === 'own_words') return 'own_words';
  if (meaning.kind === 'chat_chatter') return `chat_${meaning.chatter}`;
  return undefined;
}

/**
 * Reads one received VK event and hands what it means on to the routing queue (a citizen message,
 * classified; a change to one; an operator's answer in VK), or counts it (service events, message_allow and
 * message_deny among them; the community's own words). Each VK event is handed on once: the ledger is claimed
 * before and completed after, so VK's retries and SQS redeliveries of a handed-on event are dropped here.
 */
export function createEventClassifier(deps: ClassifyEventDeps) {
  return async function classifyEvent(received: ReceivedVkEvent): Promise<EventOutcome> {
    const meaning = interpretVkEvent(received.event, received.receivedAt);
    if (meaning.kind === 'malformed')
      throw new UnreadableEventError(`${received.type} does not fit VK's schema: ${meaning.problem}`);
    const routing = toRoutingMessage(received, meaning, deps.classify);

    const claim = await deps.ledger.claim(received.groupId, received.eventKey);
    if (claim === 'done') return { outcome: 'duplicate', kind: meaning.kind };
    if (claim === 'busy') throw new EventInFlightError(`event ${received.eventKey} is being handed on`);
    try {
      if (routing) await deps.routingQueue.send(routing);
      else deps.countEvent(received.type, countPrefixOf(meaning));
    } catch (error) {
      await deps.ledger.release(received.groupId, received.eventKey).catch(() => undefined);
      throw error;
    }
    await deps.ledger.complete(received.groupId, received.eventKey);
    if (routing) return { outcome: 'routed', kind: routing.kind };
    const counted =
      meaning.kind === 'own_words' || meaning.kind === 'chat_chatter' ? meaning.kind : 'service';
    return { outcome: 'counted', kind: counted };
  };
}
