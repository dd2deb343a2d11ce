import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import { completeRouting, numberedIfDue } from '../application/routing-completion.js';
import { openInquiry } from '../domain/inquiry/inquiry.js';
import { postConversationOf } from '../domain/inquiry/threading.js';
import type { ClassifiedMessage } from '../domain/messages.js';
import { VersionConflictError } from '../domain/ports.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { routingWordsOf } from '../domain/vk/quoted.js';
import { appliedBeforeCheck } from './applied-before.js';
import { erasedAuthorCheck, MessageOfErasedCitizen } from './erased-author.js';
import { erasedMentionsRedaction } from './erased-mentions.js';
import { erasedQuotesRedaction } from './erased-quotes.js';
import { followUpJoining } from './join-follow-up.js';
import { messageConversationOf } from './message-conversation.js';
import { lookupFor } from './message-lookups.js';
import type { RouteOutcome } from './route-outcome.js';
import { attemptOf, routedMessage } from './routed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';
import { ROUTER_RETRIES } from './version-retries.js';

/** The router's use case for a classified citizen's message: a new inquiry or a follow-up. */
export function createCitizenMessageRouter(deps: RouteMessageDeps) {
  const { inquiries } = deps;
  const { communityOf, completion, routingOf, changeStored } = routerContext(deps);
  const dropIfOfErasedCitizen = erasedAuthorCheck(deps);
  const appliedBefore = appliedBeforeCheck(deps);
  const conversationOf = messageConversationOf(deps);
  const joinFollowUp = followUpJoining(deps);

  /** The history and pointer an earlier try of the message left of the inquiry it would have opened. */
  const discardUnopenedOf = (id: string, message: CitizenMessage) => {
    const postConversationKey = postConversationOf(message);
    return inquiries.discardUnopened({
      inquiryId: id,
      groupId: message.groupId,
      authorId: message.authorId,
      conversationKeys: [message.conversationKey, ...(postConversationKey ? [postConversationKey] : [])],
    });
  };
  const withoutErasedQuotes = erasedQuotesRedaction(deps);
  const withoutErasedMentions = erasedMentionsRedaction(deps);

  /**
   * A classified citizen message: a follow-up joins (or reopens) the citizen's latest inquiry in the same
   * conversation; otherwise it opens a new inquiry, routed to its department with its first-response clock.
   *
   * Applied once, however late it comes back, and under whichever event: the message's lookup is stored only
   * after the inquiry that holds it, so a lookup proves the message applied (an inquiry remembers only its
   * last REMEMBERED_CAUSES causes, and a dead letter may be replayed days and many changes later). A try that
   * stopped between the inquiry and the lookup is retried by SQS within minutes: the retry finds the inquiry
   * the message opened by its id, which comes from the event, or a follow-up among the recent causes of the
   * conversation's latest inquiry, and then stores the missing lookup and changes nothing else.
   */
  async function routeCitizenMessage(classified: ClassifiedMessage): Promise<RouteOutcome> {
    const { classification, eventKey } = classified;
    const id = deps.inquiryIdFor(classified.message.groupId, eventKey);
    try {
      // Late, and written before its author's data was erased: gone with it (erased-author.ts).
      await dropIfOfErasedCitizen(classified.message);
    } catch (error) {
      // An earlier try may have begun its inquiry and stopped before storing it (inquiry-table.ts, create),
      // after the erasure or where it did not look: what it left of the citizen's words goes too.
      if (error instanceof MessageOfErasedCitizen) await discardUnopenedOf(id, classified.message);
      throw error;
    }
    // What it passes on of other citizens erased lately, written before their erasure: stored redacted.
    // And the mentions of citizens erased lately (a reply to their comment starts with their id and name).
    const received = await withoutErasedMentions(await withoutErasedQuotes(classified.message));
    const routed = routedMessage(classified, id, received, unsavedHistory(inquiries));
    const { groupId, authorId } = received;
    const { receivedAt, openingKey, writes } = routed;

    return withVersionRetries(async () => {
      const attempt = await attemptOf(inquiries, routed);
      const { read, message } = attempt;
      const applied = await appliedBefore(attempt);
      if (applied) return applied;
      const conversation = await conversationOf(attempt);
      const { pointer, latest, threading, context } = conversation;
      const latestId = pointer?.inquiryId;
      if (latest && threading === 'join') {
        const joined = await joinFollowUp(attempt, latest, context);
        if (joined) return joined;
        // Refused (cannot happen for a joinable inquiry): open a new one rather than lose the message.
      }

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
      // Drawn once the conversation is claimed; a retry that finds the inquiry stored keeps its number (above).
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
          await inquiries.saveMessageLookup(
            lookupFor(message, classification, id, openingKey, eventKey, true),
          );
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
    }, ROUTER_RETRIES);
  }

  return routeCitizenMessage;
}
