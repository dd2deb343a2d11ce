import { completeRouting } from '../application/routing-completion.js';
import { duplicate, repeated, twinOf } from './duplicate-outcomes.js';
import { isOpening, lookupFor } from './message-lookups.js';
import type { RouteOutcome } from './route-outcome.js';
import type { MessageAttempt } from './routed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * Whether a citizen's message was applied before, by this event or another: then what the attempt finishes of
 * it (a redelivery is acknowledged again, a missing lookup stored), and its outcome; else undefined, and the
 * message is routed.
 */
export function appliedBeforeCheck(deps: RouteMessageDeps) {
  const { inquiries } = deps;
  const { acknowledge, acknowledgeFollowUp, completion } = routerContext(deps);

  return async (attempt: MessageAttempt): Promise<RouteOutcome | undefined> => {
    const { classified, id, read, message } = attempt;
    const { classification, eventKey } = classified;
    // Applied before? The message's lookup names the inquiry that holds it. (One naming no inquiry was
    // stored, as the router once did, before an inquiry that never was: it proves nothing.)
    const stored = read.lookup;
    const holder = !stored
      ? undefined
      : stored.inquiryId === id
        ? read.inquiry
        : await inquiries.getInquiry(stored.inquiryId);
    if (holder && stored?.eventKey === eventKey) {
      // A redelivery. The event opened this inquiry: acknowledge again in case the last try stopped before
      // the outbox, even if an operator has taken it since (the retry comes minutes later).
      // So did one that reopened it, still in the cycle the event started.
      const opened = holder.id === id && holder.sourceEventKey === eventKey;
      return duplicate(
        attempt,
        holder,
        opened ? await acknowledge(holder, 'again') : await acknowledgeFollowUp(holder, eventKey),
        opened ? {} : twinOf(attempt, stored.historyKey),
      );
    }
    // Stored already under another event. A ref names one message of VK's (message-ref.ts), and nothing
    // brings the same message as new words twice: its edits, deletes and restores are changes
    // (apply-message-change.ts). So it is the message itself again: in a group chat, most likely after its
    // edit, written to the community, overtook it and was routed as new words (the inquiry holds the newer
    // words); elsewhere, VK's same event under another key (a second callback server of the community, or a
    // retry without `event_id` after a deploy changed the key's form, event-key.ts). Never a new follow-up:
    // it would reopen an answered inquiry, or open a second one with a second acknowledgement.
    if (holder) return repeated(deps, attempt, holder, message);
    // The event opened its inquiry, and the last try stopped before the lookup (or the acknowledgement).
    if (read.inquiry?.sourceEventKey === eventKey) {
      const opened = read.inquiry;
      const opening = isOpening(opened, message.messageRef, true);
      const acknowledgement = await completeRouting(completion, opened, {
        asked: 'again',
        beforeAcknowledgement: () =>
          inquiries.saveMessageLookup(
            lookupFor(message, classification, id, attempt.openingKey, eventKey, opening),
          ),
      });
      return duplicate(attempt, opened, acknowledgement);
    }
    return undefined;
  };
}
