import { slaTermsFor } from '../domain/inquiry/deadline.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { applyEvent, type TransitionContext } from '../domain/inquiry/state-machine.js';
import { moreUrgent } from '../domain/taxonomy.js';
import { routingWordsOf } from '../domain/vk/quoted.js';
import { duplicate, repeated, twinOf } from './duplicate-outcomes.js';
import { isOpening, lookupFor } from './message-lookups.js';
import type { RouteOutcome } from './route-outcome.js';
import type { MessageAttempt } from './routed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * A citizen's message that threading joins to the conversation's latest inquiry, as a follow-up (which may
 * reopen it, raise its priority or re-route it). Undefined if the inquiry refuses it.
 */
export function followUpJoining(deps: RouteMessageDeps) {
  const { config, inquiries } = deps;
  const { acknowledgeFollowUp, routingOf, seenInTriage, changeStored } = routerContext(deps);

  return async (
    attempt: MessageAttempt,
    latest: Inquiry,
    context: TransitionContext,
  ): Promise<RouteOutcome | undefined> => {
    const { classified, message, followUpKey, writes } = attempt;
    const { classification, eventKey } = classified;
    const joined = applyEvent(
      latest,
      {
        type: 'citizen_message',
        cause: eventKey,
        receivedAt: classified.receivedAt,
        message,
        classification,
        // Taken only if the follow-up is more urgent than the inquiry (a danger reported later).
        terms: slaTermsFor(config.sla, latest.category, classification.priority),
        // Taken only if the message re-routes the inquiry as a message of its burst (burst.ts).
        ...(classification.inquiry && {
          route: routingOf(
            message.groupId,
            classification,
            routingWordsOf(message),
            moreUrgent(latest.priority, classification.priority),
          ),
        }),
      },
      context,
    );
    if (joined.outcome === 'duplicate') {
      // Joined it on a try that stopped before the lookup, or another delivery did: the lookup names the
      // entry where it was saved, which the version it read decided if it reopened the inquiry.
      const opening = isOpening(latest, message.messageRef, false);
      const key =
        (await inquiries.historyKeyOf(latest.id, eventKey, 1, classified.receivedAt)) ?? followUpKey;
      await inquiries.saveMessageLookup(
        lookupFor(message, classification, latest.id, key, eventKey, opening),
      );
      return duplicate(attempt, latest, await acknowledgeFollowUp(latest, eventKey), twinOf(attempt, key));
    }
    // Its opening (or routing) message already: the same message brought by another event side by side
    // with this one, whose lookup is on its way.
    const held = [latest.openingMessage, latest.routingMessage];
    if (held.some((place) => place?.messageRef === message.messageRef))
      return repeated(deps, attempt, latest, message);
    if (joined.outcome !== 'changed') return undefined;
    // Left under a department no longer configured, where no one sees it: handed to triage as well.
    const result = seenInTriage(joined, eventKey, context);
    await writes.update(result.inquiry, latest.version, result.history);
    // The message is stored as a follow-up, or as the opening message if it became it; under a later
    // key if it reopened the inquiry it reached after the answer.
    const opening = isOpening(result.inquiry, message.messageRef, false);
    const key = result.history.find((entry) => entry.kind === 'message')?.key ?? followUpKey;
    await inquiries.saveMessageLookup(lookupFor(message, classification, latest.id, key, eventKey, opening));
    await writes.settle(latest, { saved: result.history });
    changeStored(result, latest);
    // The citizen who wrote again after the answer, or whose message raised the priority, is told their
    // message was taken, and by when we answer (acknowledgeFollowUp).
    const reopened = result.inquiry.reopenCause === eventKey;
    return {
      inquiryId: latest.id,
      ...(result.inquiry.caseNumber && { caseNumber: result.inquiry.caseNumber }),
      outcome: reopened ? 'reopened' : 'joined',
      created: false,
      department: result.inquiry.department ?? null,
      status: result.inquiry.status,
      acknowledgement: await acknowledgeFollowUp(result.inquiry, eventKey),
      messageCount: result.inquiry.messageCount,
    };
  };
}
