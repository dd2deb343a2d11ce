/**
 * A citizen often writes in a burst: "Во дворе не вывозят мусор…", then "Когда это наконец исправят?" a few
 * seconds later. Nothing keeps such messages in order on their way to the router: the events and routing
 * queues are standard (not FIFO) queues, the classifier and the router handle the records of a batch side by
 * side, and a record that fails is retried on its own, minutes later. (A FIFO routing queue alone would not
 * help: the order is lost before it.) Whichever is routed first opens the inquiry, and the others join it as
 * follow-ups. So that the inquiry is the same in whatever order they come, while no one has acted on it yet,
 * it takes:
 *
 * - its opening message (text, passed-on words, shared location, first-response clock) from the earliest
 *   message of the burst that is an inquiry, by the time VK gives each message (`date`, in seconds), then VK's
 *   number for it in its conversation (`conversation_message_id`, a comment's id) for messages of the same
 *   second;
 * - its category and department from the earliest of them that a routing rule routes (the classifier was sure
 *   and a rule matched), or, with none such, from the opening message (to the triage department): a vague
 *   "у меня проблема" followed within minutes by "во дворе не вывозят мусор" goes to housing, whichever came
 *   first.
 *
 * Only messages sent within BURST_WINDOW_MS of the opening message count (a routing taken from a message an
 * earlier opening message leaves outside is dropped), and a reaction ("спасибо", a sticker) never opens or
 * routes anything. The inquiry keeps the more urgent priority of its messages, and its first-response clock
 * is never due later than before: the acknowledgement told the citizen that time. Once a person has acted on
 * the inquiry (taken, moved, answered or rejected it, or replied in VK), or the escalator has warned its
 * department, it keeps its routing: a message that comes late is then a follow-up like any other.
 *
 * Nor does a message of the category of the case a new matter was opened beside (threading.ts, the inquiry's
 * `follows`) change the new matter's case: it is about the old matter. In order, "мусор опять не вывезли"
 * reopens the answered rubbish case, and "и яма у дома" sent seconds later joins it (open work is joined);
 * out of order, the pothole opens a roads case, and the rubbish message joins it as a follow-up, leaving its
 * text and routing as they are, and the rubbish case answered.
 */
import type { Classification } from '../taxonomy.js';
import type { CitizenMessage, ReplyTarget } from '../vk/citizen-message.js';
import type { Inquiry } from './inquiry.js';

/** How far apart the messages of a burst may have been sent. */
export const BURST_WINDOW_MS = 5 * 60_000;

/** Where a citizen's message stands among the others of its conversation. */
export interface MessagePlace {
  messageRef: string;
  /** The time VK gives for the message (its `date`: whole seconds). */
  sentAt: string;
  /** VK's number for the message, increasing among messages of its kind (`messageRef`'s prefix). */
  number?: number;
}

/** The message the inquiry's category and department come from, and the routing rule it matched. */
export interface RoutingPlace extends MessagePlace {
  /** Null: the triage department (the classifier was not sure, or no rule matched). */
  rule: number | null;
}

/**
 * VK's increasing number for a message: the conversation message id in a dialogue (unique and increasing for
 * all messages with the peer, https://dev.vk.com/ru/reference/objects/message), else the message's id; the
 * comment's or post's id on the wall and elsewhere.
 */
const numberOf = (target: ReplyTarget): number | undefined => {
  switch (target.channel) {
    case 'direct_message':
      return target.conversationMessageId ?? target.messageId;
    case 'wall_post':
      return target.postId;
    default:
      return target.commentId;
  }
};

export function placeOf(message: CitizenMessage): MessagePlace {
  const number = numberOf(message.replyTo);
  return {
    messageRef: message.messageRef,
    sentAt: message.sentAt,
    ...(number !== undefined && { number }),
  };
}

/** A message's kind, which its number counts within: `dm`, `post`, `wall`, `board`… */
const kindOf = (place: MessagePlace) => place.messageRef.slice(0, place.messageRef.indexOf(':'));

/**
 * Whether `a` was sent before `b`: by VK's time, then, within one second, by VK's number for messages of one
 * kind. Two messages that cannot be told apart are not in order.
 */
export function sentBefore(a: MessagePlace, b: MessagePlace): boolean {
  if (a.sentAt !== b.sentAt) return a.sentAt < b.sentAt;
  return a.number !== undefined && b.number !== undefined && kindOf(a) === kindOf(b) && a.number < b.number;
}

/**
 * Whether the router alone has changed the inquiry since it was routed: no operator has acted on it, and no
 * department was warned of it (a department told of a case keeps it). Inquiries stored before the router
 * kept the places of their messages are left as they are.
 */
function untouched(inquiry: Inquiry): boolean {
  return (
    inquiry.status === 'routed' &&
    inquiry.operatorActedAt === undefined &&
    !inquiry.escalated &&
    inquiry.clock?.kind === 'first_response' &&
    !inquiry.clock.warned &&
    inquiry.openingMessage !== undefined &&
    inquiry.routingMessage !== undefined
  );
}

/**
 * What a citizen's message that joins the inquiry changes in it as a message of its burst: whether it becomes
 * the opening message (sent earlier than the one that opened it), and whether it takes over the routing (with
 * `rule`, the routing rule that routes it on its own: null for the triage department).
 */
export function burstChange(
  inquiry: Inquiry,
  message: CitizenMessage,
  classification: Classification,
  rule: number | null | undefined,
): { opens: boolean; routes: boolean; ofFollowedCase?: true } {
  const change = burstRearranges(inquiry, message, classification, rule);
  // A new matter's case (threading.ts) is about the new matter: a message of its burst of the category of the
  // case it was opened beside is about that one (the rubbish again, sent just before the pothole), kept here
  // as a follow-up, never its text or routing: else it would become a second case of the old matter.
  const followed = inquiry.follows?.category === classification.category;
  return followed && (change.opens || change.routes)
    ? { opens: false, routes: false, ofFollowedCase: true }
    : change;
}

function burstRearranges(
  inquiry: Inquiry,
  message: CitizenMessage,
  classification: Classification,
  rule: number | null | undefined,
): { opens: boolean; routes: boolean } {
  const none = { opens: false, routes: false };
  const { openingMessage: opening, routingMessage: routing } = inquiry;
  if (!classification.inquiry || rule === undefined || !untouched(inquiry) || !opening || !routing)
    return none;
  const place = placeOf(message);
  if (!withinWindow(place, opening)) return none;
  const opens = sentBefore(place, opening);
  // The message that routed it counted within the window of the message that opened it then; one sent earlier
  // that opens it now may leave it outside, as it is when the burst comes in order: the routing is then the
  // new opening message's own.
  if (opens && !withinWindow(place, routing)) return { opens, routes: true };
  // A message a rule routes wins over the triage department, and the earliest of those over a later one.
  const routes =
    rule !== null ? routing.rule === null || sentBefore(place, routing) : routing.rule === null && opens;
  return { opens, routes };
}

/** Whether two messages were sent within BURST_WINDOW_MS of each other. */
export const withinWindow = (a: MessagePlace, b: MessagePlace): boolean =>
  Math.abs(Date.parse(a.sentAt) - Date.parse(b.sentAt)) <= BURST_WINDOW_MS;
