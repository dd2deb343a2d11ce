import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import { completeRouting, numberedIfDue } from '../application/routing-completion.js';
import { putsIntoWork } from '../domain/inquiry/case-number.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { wordsPriority } from '../domain/inquiry/transitions/raise.js';
import type { ClassifiedMessage, MessageChange } from '../domain/messages.js';
import { VersionConflictError } from '../domain/ports.js';
import { unclassifiedOf } from '../domain/unclassified.js';
import { changeAppliedBefore } from './change-applied-before.js';
import { changeDecisionOf } from './change-decision.js';
import type { ChangeOutcome } from './change-outcome.js';
import { changesWithoutMessage } from './change-without-message.js';
import { NOTHING_BEFORE, wordsBeforeChange } from './changed-message.js';
import { erasedMentionsInChange } from './erased-mentions.js';
import type { RouteOutcome } from './route-outcome.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';
import { ROUTER_RETRIES } from './version-retries.js';

/** The router's use case for a citizen's edit, deletion or restoration of a stored message. */
export function createMessageChangeApplier(
  deps: RouteMessageDeps,
  routeCitizenMessage: (classified: ClassifiedMessage) => Promise<RouteOutcome>,
) {
  const { inquiries } = deps;
  const { acknowledgeFollowUp, completion, changeStored } = routerContext(deps);
  const withoutErasedMentions = erasedMentionsInChange(deps);
  const wordsBeforeOf = wordsBeforeChange(deps);
  const decide = changeDecisionOf(deps);
  const appliedBefore = changeAppliedBefore(deps);
  const { withoutMessage, withoutInquiry } = changesWithoutMessage(deps);

  /**
   * An edit of words an operator had answered, applied: counted by what it did, and acknowledged when it
   * reopened the inquiry, as a follow-up that reopens it is.
   */
  const editedAfterAnswer = async (inquiry: Inquiry, eventKey: string): Promise<ChangeOutcome> => {
    const reopened = inquiry.reopenCause === eventKey;
    const afterAnswer = reopened ? 'reopened' : 'recorded';
    deps.metrics?.count('EditsAfterAnswer', { outcome: afterAnswer });
    // Recorded while the inquiry is back in work (its answer undelivered), its words may have raised it.
    const raised = inquiry.raiseCause === eventKey;
    if (!reopened && !raised) return { inquiryId: inquiry.id, outcome: 'changed', afterAnswer };
    const acknowledgement = await acknowledgeFollowUp(inquiry, eventKey);
    return {
      inquiryId: inquiry.id,
      outcome: 'changed',
      afterAnswer,
      ...(raised && { raised: true as const }),
      acknowledgement,
    };
  };

  /**
   * A citizen edited, deleted or restored a stored message: the message and its inquiry change with it. An
   * opening message rejected as not an inquiry and edited into one is routed, as a new one would be.
   * `waitingSince`: when the router first looked for the message, if it has been waiting for it (overtaken.ts).
   */
  async function applyMessageChange(received: MessageChange, waitingSince?: string): Promise<ChangeOutcome> {
    // Its words stored without the mentions of citizens erased lately, as a new message's are.
    const change = await withoutErasedMentions(received);
    const decided = await changeStoredMessage(change, waitingSince);
    if (decided !== 'new_message') return decided;
    // A chat's message we do not hold, edited to be written to the community: new words, routed (and
    // acknowledged) as its message would have been, under this event's key; without a classification this
    // release reads, as such a message is (unclassified.ts).
    const { chat, classification } = change;
    if (!chat?.addressed) throw new Error('a chat edit without its message');
    const routed = await routeCitizenMessage({
      kind: 'citizen_message',
      eventKey: change.eventKey,
      receivedAt: change.receivedAt,
      message: chat.message,
      classification: classification ?? unclassifiedOf(chat.message),
    });
    return {
      inquiryId: routed.inquiryId,
      outcome: 'new_message',
      routed: routed.outcome,
      acknowledgement: routed.acknowledgement,
    };
  }

  async function changeStoredMessage(
    change: MessageChange,
    waitingSince: string | undefined,
  ): Promise<ChangeOutcome | 'new_message'> {
    const writes = unsavedHistory(inquiries);
    // The message's words before this change, learnt by the first attempt whose read can tell them, and
    // passed from each attempt to the next (changed-message.ts).
    let before = NOTHING_BEFORE;
    return withVersionRetries(async () => {
      // Read on every attempt: a newer change of the same message, handled alongside, may have been stored
      // since, and this one must then see itself as the older.
      const lookup = await inquiries.getMessageLookup(change.groupId, change.messageRef);
      before = await wordsBeforeOf(before, change, lookup);
      // This chat edit was routed as new words (below) by an earlier try: that routing is done again, and
      // finds what it did.
      if (lookup && change.chat?.addressed && lookup.eventKey === change.eventKey) return 'new_message';
      if (!lookup) {
        // An attempt that lost its inquiry write to the retention sweep leaves its entries (the citizen's new
        // words) under the deleted inquiry: they go, whatever comes of this change.
        await writes.settle();
        return withoutMessage(change, waitingSince);
      }
      const inquiry = await inquiries.getInquiry(lookup.inquiryId);
      if (!inquiry) {
        await writes.settle();
        return withoutInquiry(lookup, change);
      }
      const attempt = { change, lookup, inquiry, before, writes };
      const decided = await decide(attempt);
      const { stale, conversation, newer, joined, route, answered, afterAnswer, context, result } = decided;
      if (result.outcome !== 'changed') return appliedBefore(attempt, newer);
      // This inquiry routed, made the conversation's latest first: a new message routed meanwhile that read it
      // still rejected is refused its claim (new-inquiry.ts), or waits for this routing
      // (message-conversation.ts), and joins it.
      if (
        route &&
        !(await inquiries.claimConversation(
          inquiry.groupId,
          inquiry.conversationKey,
          inquiry.authorId,
          inquiry.id,
          conversation?.pointer,
          context.now,
        ))
      )
        throw new VersionConflictError(inquiry.id, inquiry.version);
      // The newer inquiry takes the words before this one records the edit: a try that stops between the two
      // is done again, and the newer inquiry, holding the edit's event, takes them once.
      if (joined?.outcome === 'changed' && newer)
        await writes.update(joined.inquiry, newer.version, joined.history);
      // Stored only if no newer change was stored since the read: otherwise read again, to be the older one.
      if (
        !stale &&
        !(await inquiries.changeStoredMessage(lookup, {
          ...(change.change !== 'deleted' && change.text !== undefined && { text: change.text }),
          // The priority of the words it leaves, for the next edit of them to be weighed against.
          ...(change.change === 'edited'
            ? change.classification && { priority: wordsPriority(change.classification, change.text) }
            : lookup.priority !== undefined && { priority: lookup.priority }),
          deleted: change.change === 'deleted',
          changedAt: change.receivedAt,
          ...(answered && {
            answered: change.change === 'edited' ? { editedAt: change.receivedAt } : {},
          }),
        }))
      )
        throw new VersionConflictError(inquiry.id, inquiry.version);
      // Put into work by this edit: it gets its case number now, written with the change.
      const changed = await numberedIfDue(inquiries, result.inquiry, result.effects, context);
      await writes.update(changed, inquiry.version, result.history);
      const joinedHistory = joined?.outcome === 'changed' ? joined.history : [];
      await writes.settle(inquiry, { saved: [...joinedHistory, ...result.history] });
      changeStored(result, inquiry);
      if (putsIntoWork(result.effects)) await completeRouting(completion, changed, { asked: 'first' });
      if (afterAnswer) return editedAfterAnswer(changed, change.eventKey);
      if (changed.raiseCause === change.eventKey)
        return {
          inquiryId: inquiry.id,
          outcome: 'changed',
          raised: true,
          acknowledgement: await acknowledgeFollowUp(changed, change.eventKey),
        };
      if (!joined || !newer) return { inquiryId: inquiry.id, outcome: 'changed' };
      const followed = joined.outcome === 'changed' ? joined.inquiry : newer;
      if (joined.outcome === 'changed') changeStored(joined, newer);
      // As a new message's: only one that reopened the inquiry, or raised its priority, is acknowledged.
      const reopened = followed.reopenCause === change.eventKey;
      return {
        inquiryId: newer.id,
        outcome: reopened ? 'reopened' : 'joined',
        editedInquiryId: inquiry.id,
        acknowledgement: await acknowledgeFollowUp(followed, change.eventKey),
      };
    }, ROUTER_RETRIES);
  }

  return applyMessageChange;
}
