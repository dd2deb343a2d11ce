import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import type { ClassifiedMessage, MessageChange } from '../domain/messages.js';
import { unclassifiedOf } from '../domain/unclassified.js';
import { changeAppliedBefore } from './change-applied-before.js';
import { changeDecisionOf } from './change-decision.js';
import type { ChangeOutcome } from './change-outcome.js';
import { changesWithoutMessage } from './change-without-message.js';
import { NOTHING_BEFORE, wordsBeforeChange } from './changed-message.js';
import { erasedMentionsInChange } from './erased-mentions.js';
import type { RouteOutcome } from './route-outcome.js';
import type { RouteMessageDeps } from './router-context.js';
import { changeStoring } from './stored-change.js';
import { ROUTER_RETRIES } from './version-retries.js';

/** The router's use case for a citizen's edit, deletion or restoration of a stored message. */
export function createMessageChangeApplier(
  deps: RouteMessageDeps,
  routeCitizenMessage: (classified: ClassifiedMessage) => Promise<RouteOutcome>,
) {
  const { inquiries } = deps;
  const withoutErasedMentions = erasedMentionsInChange(deps);
  const wordsBeforeOf = wordsBeforeChange(deps);
  const decide = changeDecisionOf(deps);
  const appliedBefore = changeAppliedBefore(deps);
  const storeChange = changeStoring(deps);
  const { withoutMessage, withoutInquiry } = changesWithoutMessage(deps);

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
      // This chat edit was routed as new words (applyMessageChange) by an earlier try: that routing is done
      // again, and finds what it did.
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
      const { newer, result } = decided;
      if (result.outcome !== 'changed') return appliedBefore(attempt, newer);
      return storeChange(attempt, decided, result);
    }, ROUTER_RETRIES);
  }

  return applyMessageChange;
}
