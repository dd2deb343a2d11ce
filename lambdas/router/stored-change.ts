import { completeRouting, numberedIfDue } from '../application/routing-completion.js';
import { putsIntoWork } from '../domain/inquiry/case-number.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { wordsPriority } from '../domain/inquiry/transitions/raise.js';
import type { MovedChange } from '../domain/inquiry/unconfigured-department.js';
import { VersionConflictError } from '../domain/ports.js';
import type { ChangeDecision } from './change-decision.js';
import type { ChangeOutcome } from './change-outcome.js';
import type { ChangeAttempt } from './changed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * A change its inquiry takes, stored: the conversation claimed by an edit that routes the inquiry, the words
 * joined to the newer inquiry, the stored message changed, then the inquiry; and what became of it, told.
 * Throws VersionConflictError, for the attempt to read again, when another writer came first.
 */
export function changeStoring(deps: RouteMessageDeps) {
  const { inquiries } = deps;
  const { acknowledgeFollowUp, completion, changeStored } = routerContext(deps);

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

  /** `result`: the decision's change, which the inquiry took. */
  return async (
    attempt: ChangeAttempt,
    decided: ChangeDecision,
    result: MovedChange,
  ): Promise<ChangeOutcome> => {
    const { change, lookup, inquiry, writes } = attempt;
    const { stale, conversation, newer, joined, route, answered, afterAnswer, context } = decided;
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
  };
}
