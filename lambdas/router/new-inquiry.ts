import { completeRouting, numberedIfDue } from '../application/routing-completion.js';
import { openInquiry } from '../domain/inquiry/inquiry.js';
import { VersionConflictError } from '../domain/ports.js';
import { routingWordsOf } from '../domain/vk/quoted.js';
import type { MessageConversation } from './message-conversation.js';
import { lookupFor } from './message-lookups.js';
import type { RouteOutcome } from './route-outcome.js';
import type { MessageAttempt } from './routed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * A citizen's message that opens an inquiry of its own, routed to its department with its first-response
 * clock (or taken for no inquiry): a new one, a new matter after the latest, or the first in its conversation.
 */
export function newInquiryOpening(deps: RouteMessageDeps) {
  const { inquiries } = deps;
  const { communityOf, completion, routingOf, changeStored } = routerContext(deps);

  return async (attempt: MessageAttempt, conversation: MessageConversation): Promise<RouteOutcome> => {
    const { classified, id, read, message, receivedAt, openingKey, writes } = attempt;
    const { classification, eventKey } = classified;
    const { groupId, authorId } = message;
    const { pointer, latest, threading, context } = conversation;
    const latestId = pointer?.inquiryId;
    // The case a new matter follows: the settled latest it did not reopen or, when an earlier try of this
    // event claimed the conversation for it and stopped before storing it (the pointer names it, and it is
    // absent), the one that try followed, kept on the pointer: the retry opens the same new matter, linked.
    const follows =
      threading === 'new_matter'
        ? latest
        : latestId === id && !read.inquiry && pointer?.follows
          ? await inquiries.getInquiry(pointer.follows)
          : undefined;
    // A new inquiry: first make it the conversation's latest, so that a concurrent message joins it.
    const claimsConversation = latestId !== id;
    if (
      claimsConversation &&
      !(await inquiries.claimConversation(
        groupId,
        message.conversationKey,
        authorId,
        id,
        pointer,
        context.now,
        follows?.id,
      ))
    )
      // Named by the new inquiry, not the conversation: a dialogue's key holds the citizen's VK id, and
      // failed records are logged.
      throw new VersionConflictError(id, 0);
    // Routed on the words it was classified on (a street named in a forwarded message routes as a typed
    // one), and the name of the place it shares, with the terms of its category and priority.
    const routing = classification.inquiry
      ? routingOf(groupId, classification, routingWordsOf(message))
      : null;
    const {
      inquiry: unnumbered,
      history,
      effects,
    } = openInquiry({
      id,
      eventKey,
      message,
      classification,
      routing,
      deadlines: routing ? { terms: routing.terms, context } : null,
      receivedAt,
      now: context.now,
      triageDepartment: communityOf(groupId).triageDepartment,
      ...(follows && { follows }),
    });
    // Drawn once the conversation is claimed; a retry that finds the inquiry stored keeps its number
    // (applied-before.ts).
    const inquiry = await numberedIfDue(inquiries, unnumbered, effects, context);
    // Read absent, and the conversation moved to it by this attempt (only a claim that finds the previous
    // latest still in place succeeds): no other attempt can have created it since, so no second read.
    const created = await inquiries.create(inquiry, history, {
      knownAbsent: claimsConversation && read.inquiry === undefined,
    });
    // Also when another delivery of the event created it first, which acknowledges it: whichever stores the
    // lookups, they are the same. That delivery's case number is the inquiry's, and this one's is skipped.
    const opened = created ? inquiry : await inquiries.getInquiry(id);
    const acknowledgement = await completeRouting(completion, opened, {
      asked: created ? 'first' : undefined,
      beforeAcknowledgement: async () => {
        await inquiries.saveMessageLookup(lookupFor(message, classification, id, openingKey, eventKey, true));
        await writes.settle(created ? undefined : opened, { saved: created ? history : [] });
        if (!created) return;
        deps.metrics?.count('InquiriesOpened', { status: inquiry.status });
        // Counted routed as any inquiry put into work; a message that is not one is listed under triage only.
        changeStored({ inquiry, effects });
      },
    });
    return {
      inquiryId: id,
      ...(opened?.caseNumber && { caseNumber: opened.caseNumber }),
      outcome: !created ? 'duplicate' : follows ? 'opened_new_matter' : 'opened',
      created,
      department: inquiry.department ?? null,
      status: inquiry.status,
      acknowledgement: acknowledgement ?? 'other_delivery',
    };
  };
}
