import type { AppConfig } from '../config/schema.js';
import { answerSupersedes, type Inquiry, isOpen } from '../inquiry/inquiry.js';
import { deliveryFailedCause } from '../inquiry/transitions/delivery.js';
import {
  acknowledgementTextOnceDue,
  isRaiseAcknowledgement,
  reopeningAcknowledgementCause,
} from './acknowledgement.js';
import { isOutboxIdFor, type OutboxMessage } from './outbox-message.js';

/**
 * What a queued message says when the responder comes to send it, read against its inquiry as it is then: the
 * queue may hold it for hours (a VK outage) or days (a dead letter replayed), and the time it promised, or the
 * words themselves, may no longer hold. outgoingMessage is the rule; the functions beside it are its steps.
 */

/**
 * The message to send, or why it is not sent (`skip`) with the words it would have said (`message`), which its
 * history entry keeps.
 */
type OutgoingMessage = { send: OutboxMessage } | { skip: string; message: OutboxMessage };

/** Why an acknowledgement whose time has passed, queued without words for then, is not sent. */
export const NOTHING_ELSE_TO_SAY =
  'its first-response deadline has passed, and the acknowledgement says nothing else';

/**
 * The queued message as it goes at `now`, or why it does not: an acknowledgement whose time has passed goes in
 * its words for then (acknowledgementAt), those of its community for one queued without its time by an earlier
 * release (undatedAcknowledgementAt), and without the time once the department has responded
 * (acknowledgementOnceResponded); one with no words for then is skipped. Words that came too late (tooLate)
 * are skipped whatever they say. Any other message goes as it was queued.
 */
export function outgoingMessage(
  queued: OutboxMessage,
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
): OutgoingMessage {
  const sending = acknowledgementAt(queued, now);
  const message = sending
    ? acknowledgementOnceResponded(undatedAcknowledgementAt(sending, inquiry, config, now), inquiry, config)
    : queued;
  const late = tooLate(message, inquiry) ?? (sending ? undefined : NOTHING_ELSE_TO_SAY);
  return late === undefined ? { send: message } : { skip: late, message };
}

/** Words that may come too late: read against the inquiry before they are sent. */
const mayBeLate = (message: OutboxMessage): boolean =>
  message.purpose === 'acknowledgement' || message.purpose === 'intermediate_answer';

/**
 * An acknowledgement that reaches the responder once the inquiry is answered, closed or rejected (after a long
 * VK outage, or replayed from the dead letters days later) would tell the citizen of a deadline past or work
 * done: it is skipped, with the reason. So is an intermediate answer once an answer superseded it; one queued
 * before a close without an answer goes: the operator's words are all the citizen got (docs/answering-citizens.md, "Too late").
 * Any words recorded on the inquiry as not delivered when they went to the dead letters, and replayed once the
 * department has answered, closed or written again since (supersededSince), are skipped too, the reason naming
 * which.
 */
export function tooLate(message: OutboxMessage, inquiry: Inquiry): string | undefined {
  // Recorded on the inquiry as not delivered when it went to the dead-letter queue, and no longer flagged:
  // the department answered, closed or wrote since, and a replay would tell them twice. An intermediate answer
  // since leaves an answer's flag (answers.ts): the answer replayed still goes, and so does that intermediate
  // answer, kept in the dead letters too, while the answer's flag stays.
  // Known by the inquiry's own list, however many changes came since; by its recent causes, if recorded before
  // it kept one.
  const recorded =
    inquiry.undeliveredWords?.includes(message.id) ||
    inquiry.causes.includes(deliveryFailedCause(message.id));
  if (recorded && inquiry.undelivered?.outboxId !== message.id) {
    const since = supersededSince(message, inquiry);
    if (since !== undefined) return `recorded as not reaching the citizen, and ${since}: not sent`;
  }
  if (!mayBeLate(message)) return undefined;
  // Back in work because its answer was refused: it was answered all the same, and the words are late. Not so
  // a reopened one, flagged for the answer before its reopening (delivery.ts): its cycle is unanswered. Nor
  // the acknowledgement of a raise: the citizen has just written of a danger, which no answer has met yet,
  // and the router asked for it as the inquiry is open (raised.ts).
  const answered =
    message.purpose === 'intermediate_answer'
      ? answerSupersedes(inquiry, message.requestedAt)
      : !isOpen(inquiry.status) ||
        (inquiry.undelivered?.purpose === 'answer' &&
          inquiry.status !== 'reopened' &&
          !isRaiseAcknowledgement(message));
  if (!answered) return undefined;
  const status = isOpen(inquiry.status) ? 'answered' : inquiry.status;
  return `the inquiry was already ${status}: a late ${message.purpose.replace('_', ' ')} is not sent`;
}

/**
 * What came since words recorded as not reaching the citizen (and no longer the ones the inquiry is flagged
 * for) were written, that a replay of them would repeat or contradict: an answer (one delivered late from the
 * dead letters too), a close, a rejection, an answer written before which is still owed, or later words of
 * the department. Undefined for words written once the inquiry was flagged for its answer, with no answer nor
 * close since: the department's response to the citizen while the answer waits, which goes (answers.ts).
 */
function supersededSince(message: OutboxMessage, inquiry: Inquiry): string | undefined {
  const written = Date.parse(message.requestedAt);
  const since = (at: string | undefined) => at !== undefined && Date.parse(at) >= written;
  const ended = inquiry.earlierCycles?.at(-1);
  const answered =
    since(inquiry.answeredAt) ||
    since(ended?.answeredAt) ||
    (inquiry.status === 'answered' && inquiry.answeredAt === undefined);
  if (answered)
    return answeredLate(inquiry)
      ? 'the answer kept in the dead letters has reached them since'
      : 'the inquiry was answered since';
  if (inquiry.status === 'closed' || (ended?.status === 'closed' && since(ended.endedAt)))
    return 'the inquiry was closed since';
  if (inquiry.status === 'rejected') return 'the inquiry was rejected since';
  const flagged = inquiry.undelivered;
  if (flagged?.purpose === 'answer')
    return since(flagged.at)
      ? 'an answer was written since, which the department owes the citizen still'
      : undefined;
  return 'the department wrote to them again since';
}

/** Whether the inquiry's answer is words once recorded as not reaching the citizen: delivered late since. */
const answeredLate = (inquiry: Inquiry): boolean => {
  const cause = inquiry.answerCause ?? inquiry.earlierCycles?.at(-1)?.answerCause;
  return (
    cause !== undefined &&
    (inquiry.undeliveredWords ?? []).some((id) => isOutboxIdFor(id, inquiry.id, 'answer', cause))
  );
};

/**
 * The message as it is to be sent at `now`: an acknowledgement whose deadline (`dueAt`) has passed goes in the
 * words it was queued with for then (`textOnceDue`), or not at all (undefined) when it has none; any other
 * message, or one still in time, as it was queued.
 */
export function acknowledgementAt(message: OutboxMessage, now: Date): OutboxMessage | undefined {
  if (message.dueAt === undefined || Date.parse(message.dueAt) > now.getTime()) return message;
  return message.textOnceDue === undefined ? undefined : { ...message, text: message.textOnceDue };
}

/**
 * An acknowledgement queued without its due time (`dueAt`), as it is to be sent at `now`, read against its
 * inquiry: a release before acknowledgements carried it queued them all so, the deadline written in their
 * text, and one may wait in the outbox or its dead letters across an upgrade until that deadline has passed.
 * Once the inquiry's first-response deadline has passed, it goes in its community's words for then
 * (`templateOnceDue`), as the router acknowledges a routing that late; still ahead, as it was queued. So does
 * any other message, and one whose community is no longer configured, or whose template names no time. One
 * this release queued without `dueAt` (its deadline passed already) comes out in the words it was queued
 * with, unless the inquiry's department or the community's words changed since.
 */
export function undatedAcknowledgementAt(
  message: OutboxMessage,
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
): OutboxMessage {
  if (message.purpose !== 'acknowledgement' || message.dueAt !== undefined) return message;
  const dueAt = inquiry.firstResponseDueAt;
  if (dueAt === undefined || Date.parse(dueAt) > now.getTime()) return message;
  return inCommunityWordsOnceDue(message, inquiry, config);
}

/**
 * An acknowledgement as it is to be sent once the department has given the inquiry's first response of the
 * cycle (`firstRespondedAt`: an intermediate answer, or a reply an admin typed in VK): the time it promises
 * has come and gone its way, and "the answer will be given by …" after "we are working on it" would tell the
 * citizen of a deadline that no longer holds. It goes in the words for then, as one whose deadline passed:
 * the case number and the department, which the citizen still needs and the department's words did not tell.
 * Operators' words go through a queue of their own and so may overtake the router's acknowledgement of the
 * same inquiry when the outbox is backed up (docs/answering-citizens.md, "Overtaking"); one overtaken by the answer
 * itself is not sent at all (tooLate). Any other message, or one before the first response, goes as it is.
 */
export function acknowledgementOnceResponded(
  message: OutboxMessage,
  inquiry: Inquiry,
  config: AppConfig,
): OutboxMessage {
  if (message.purpose !== 'acknowledgement' || inquiry.firstRespondedAt === undefined) return message;
  if (message.textOnceDue !== undefined) return { ...message, text: message.textOnceDue };
  // Queued without its time: in time then (by an earlier release), or its deadline passed already.
  return inCommunityWordsOnceDue(message, inquiry, config);
}

/**
 * Whether the outbox message is the acknowledgement of one of the inquiry's reopenings: its id is the one
 * reopeningAcknowledgementCause keys a reopening by, so that a change of that id cannot go unnoticed here. The
 * inquiry's count of reopenings only grows, so it bounds the reopening a message queued before tells of.
 */
export function isReopeningAcknowledgement(
  message: Pick<OutboxMessage, 'id' | 'inquiryId' | 'purpose'>,
  inquiry: Pick<Inquiry, 'reopenCount'>,
): boolean {
  if (message.purpose !== 'acknowledgement') return false;
  return Array.from({ length: inquiry.reopenCount }, (_, n) =>
    reopeningAcknowledgementCause({ reopenCount: n + 1 }),
  ).some((cause) => isOutboxIdFor(message.id, message.inquiryId, 'acknowledgement', cause));
}

/**
 * An acknowledgement in its community's words for once its time has passed (a reopening's in those for a
 * reopening); as it is if they name no time. A raise's acknowledgement was never queued by a release without
 * its time: one queued without it was already in its words for then, which it keeps.
 */
function inCommunityWordsOnceDue(message: OutboxMessage, inquiry: Inquiry, config: AppConfig): OutboxMessage {
  if (isRaiseAcknowledgement(message)) return message;
  const text = acknowledgementTextOnceDue(inquiry, config, {
    reopening: isReopeningAcknowledgement(message, inquiry),
  });
  return text === undefined ? message : { ...message, text };
}
