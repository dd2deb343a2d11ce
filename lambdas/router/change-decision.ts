import { slaTermsFor } from '../domain/inquiry/deadline.js';
import { answerCovered, type EditAfterAnswer, editAfterAnswer } from '../domain/inquiry/edit-after-answer.js';
import { historyKeyParts, type Inquiry } from '../domain/inquiry/inquiry.js';
import {
  applyEvent,
  type EditRaise,
  type EditRouting,
  routableByEdit,
  type TransitionContext,
  type TransitionResult,
} from '../domain/inquiry/state-machine.js';
import type { MovedChange } from '../domain/inquiry/unconfigured-department.js';
import type { MessageChange } from '../domain/messages.js';
import type { ConversationPointer } from '../domain/ports.js';
import type { Priority } from '../domain/taxonomy.js';
import { type ChangeAttempt, changedWords } from './changed-message.js';
import { editRoutingOf } from './edit-routing.js';
import { isOpening } from './message-lookups.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/** What a change does to its message's inquiry, as an attempt read them, and the change applied. */
export interface ChangeDecision {
  /** An older change that arrives after a newer one: recorded, but it does not undo it. */
  stale: boolean;
  /** For an edit that would route the inquiry: the conversation as read, and its newer inquiry they join. */
  conversation: { newer?: Inquiry; pointer: ConversationPointer | undefined } | undefined;
  newer: Inquiry | undefined;
  /** The edit's words joined to the newer inquiry as a follow-up (edit-routing.ts, joinNewer). */
  joined: { outcome: 'duplicate' } | MovedChange | undefined;
  /** Where the edit routes this inquiry, when it joins no newer one. */
  route: EditRouting | undefined;
  /** The changed words had been answered by an operator. */
  answered: boolean;
  /** What an edit of answered words does: reopen the inquiry, or be recorded. */
  afterAnswer: EditAfterAnswer | undefined;
  /** The attempt's transition context: the community's calendar, and now. */
  context: TransitionContext;
  /** The change applied to the inquiry, handed to triage if left under a department no longer configured. */
  result: Exclude<TransitionResult, { outcome: 'changed' }> | MovedChange;
}

/**
 * What a citizen's change of a stored message does to its inquiry: recorded; routing a message taken for
 * no inquiry, or joining the conversation's newer inquiry instead; reopening an answered one; raising its
 * priority.
 */
export function changeDecisionOf(deps: RouteMessageDeps) {
  const { config } = deps;
  const { contextFor, seenInTriage } = routerContext(deps);
  const { editRouting, conversationOfEdit, joinNewer, editJoined } = editRoutingOf(deps);

  /**
   * The edited words as classified, with the terms of the inquiry's category at their priority, and the
   * priority the words before them were read at (`before`), for the transition to raise a routed inquiry by,
   * as a follow-up of words more urgent than those before would (transitions/raise.ts).
   */
  const editRaise = (
    change: MessageChange,
    inquiry: Inquiry,
    before: Priority | undefined,
  ): EditRaise | undefined => {
    const { classification } = change;
    if (change.change !== 'edited' || !classification) return undefined;
    return {
      classification,
      terms: slaTermsFor(config.sla, inquiry.category, classification.priority),
      ...(before !== undefined && { before }),
    };
  };

  return async (attempt: ChangeAttempt): Promise<ChangeDecision> => {
    const { change, lookup, inquiry } = attempt;
    const { previousText, priorityBefore } = attempt.before;
    // An older change that arrives after a newer one is recorded, but does not undo it.
    const stale = lookup.changedAt !== undefined && lookup.changedAt > change.receivedAt;
    const opening = isOpening(inquiry, lookup.messageRef, lookup.opening);
    const routing = !stale && opening && routableByEdit(inquiry) ? editRouting(change, inquiry) : undefined;
    const context = contextFor(change.groupId);
    // Words that would route this inquiry go where the same words written anew would: the conversation's
    // newer inquiry they would join takes them as a follow-up, and this one keeps its status.
    const conversation = routing ? await conversationOfEdit(inquiry, change, context.now) : undefined;
    const newer = conversation?.newer;
    // Words it joined there before, edited again: an edit of that follow-up, not a second one.
    const joined =
      newer &&
      (inquiry.wordsJoined?.inquiryId === newer.id
        ? editJoined(newer, change, editRaise(change, newer, priorityBefore), previousText, context)
        : joinNewer(newer, inquiry, change, context));
    const route = joined ? undefined : routing;
    // Words an operator answered keep their history entry; an edit of them may reopen the inquiry.
    const reachedAt = historyKeyParts(lookup.historyKey).at;
    const answered = !stale && !routing && answerCovered(inquiry, reachedAt, change.receivedAt);
    const afterAnswer =
      answered && change.change === 'edited'
        ? editAfterAnswer(
            inquiry,
            {
              reachedAt,
              at: change.receivedAt,
              before: previousText,
              after: change.text,
              ...(change.classification && { classification: change.classification }),
            },
            config.threading,
          )
        : undefined;
    // Any other edit keeps the inquiry's routing, but its words may raise the priority as a follow-up's would.
    const raise = !stale && !routing ? editRaise(change, inquiry, priorityBefore) : undefined;
    // Left under a department no longer configured: handed to triage as well (router-context.ts).
    const result = seenInTriage(
      applyEvent(
        inquiry,
        {
          ...changedWords(change, previousText),
          opening: opening && !stale,
          ...(stale && { stale: true as const }),
          ...(afterAnswer && { afterAnswer }),
          ...(change.deleterId !== undefined && { actorId: change.deleterId }),
          ...(route && { route }),
          ...(raise && { raise }),
          ...(joined &&
            newer && {
              joined: { inquiryId: newer.id, ...(newer.caseNumber && { caseNumber: newer.caseNumber }) },
            }),
        },
        context,
      ),
      change.eventKey,
      context,
    );
    return { stale, conversation, newer, joined, route, answered, afterAnswer, context, result };
  };
}
