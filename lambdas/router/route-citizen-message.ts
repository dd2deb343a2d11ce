import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import { conversationKeyOf, threadConversationOf } from '../domain/inquiry/threading.js';
import type { ClassifiedMessage } from '../domain/messages.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { appliedBeforeCheck } from './applied-before.js';
import { erasedAuthorCheck, MessageOfErasedCitizen } from './erased-author.js';
import { erasedMentionsRedaction } from './erased-mentions.js';
import { erasedQuotesRedaction } from './erased-quotes.js';
import { followUpJoining } from './join-follow-up.js';
import { messageConversationOf } from './message-conversation.js';
import { newInquiryOpening } from './new-inquiry.js';
import type { RouteOutcome } from './route-outcome.js';
import { attemptOf, routedMessage } from './routed-message.js';
import type { RouteMessageDeps } from './router-context.js';
import { ROUTER_RETRIES } from './version-retries.js';

/** The router's use case for a classified citizen's message: a new inquiry or a follow-up. */
export function createCitizenMessageRouter(deps: RouteMessageDeps) {
  const { inquiries } = deps;
  const dropIfOfErasedCitizen = erasedAuthorCheck(deps);
  const appliedBefore = appliedBeforeCheck(deps);
  const conversationOf = messageConversationOf(deps);
  const joinFollowUp = followUpJoining(deps);
  const openNewInquiry = newInquiryOpening(deps);

  /** The history and pointer an earlier try of the message left of the inquiry it would have opened. */
  const discardUnopenedOf = (id: string, message: CitizenMessage) => {
    const threadConversationKey = threadConversationOf(message);
    return inquiries.discardUnopened({
      inquiryId: id,
      groupId: message.groupId,
      authorId: message.authorId,
      conversationKeys: [
        conversationKeyOf(message),
        ...(threadConversationKey ? [threadConversationKey] : []),
      ],
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
    const id = deps.inquiryIdFor(classified.message.groupId, classified.eventKey);
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

    // Each attempt reads afresh. One that finds another writer at work on the inquiry or its conversation (a
    // write refused on its version, a claim lost, a claim to wait for) throws VersionConflictError, and the
    // next attempt reads again (version-retries.ts).
    return withVersionRetries(async () => {
      const attempt = await attemptOf(inquiries, routed);
      const applied = await appliedBefore(attempt);
      if (applied) return applied;
      const conversation = await conversationOf(attempt);
      const { latest, threading, context } = conversation;
      if (latest && threading === 'join') {
        const joined = await joinFollowUp(attempt, latest, context);
        if (joined) return joined;
        // Refused (cannot happen for a joinable inquiry): open a new one rather than lose the message.
      }
      return openNewInquiry(attempt, conversation);
    }, ROUTER_RETRIES);
  }

  return routeCitizenMessage;
}
