import type { MessageChange } from '../domain/messages.js';
import type { MessageLookup } from '../domain/ports.js';
import { cannotBeLate, MessageNotFoundYet, OVERTAKEN_RETRY_MS, waitIsOver } from './overtaken.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/** A change dropped, its message not held (change-outcome.ts tells the outcomes apart). */
type Dropped = { inquiryId: null; outcome: 'unknown_message' | 'not_addressed' | 'erased_citizen' };

/**
 * What becomes of a change of a citizen's message when the message, or its inquiry, is not stored: it waits
 * for it while it may have overtaken it on the queues, is dropped, or goes to wait beside it in the routing
 * dead-letter queue (overtaken.ts).
 */
export function changesWithoutMessage(deps: RouteMessageDeps) {
  const { stillMissing, erasedMessageOf, droppedAfterErasure } = routerContext(deps);

  /** No lookup names the changed message; `new_message`: a chat's message edited to be written to us. */
  const withoutMessage = async (
    change: MessageChange,
    waitingSince: string | undefined,
  ): Promise<Dropped | 'new_message'> => {
    // A message its author wrote before their data was erased went with it: its change is dropped at once,
    // never stored, nor routed as new words (a chat's talk edited to be written to the community).
    const erased = await erasedMessageOf(change.groupId, change.authorId, change.sentAt);
    if (erased === 'written_before') return droppedAfterErasure();
    // A chat's edit of a message we do not hold, edited to be written to the community: new words.
    if (change.chat?.addressed) return 'new_message';
    // The change may have overtaken its message on the queues: let SQS bring it back for a while. A chat's
    // edit that is not written to the community waits too: its message may have been, and be on its way.
    if (!waitIsOver(waitingSince, deps.clock.now()))
      throw new MessageNotFoundYet(`no stored message ${change.messageRef} in community ${change.groupId}`);
    // Still not held: the chat's talk, never stored, counted and dropped.
    if (change.chat) {
      deps.metrics?.count('ChatEditsNotAddressed');
      return { inquiryId: null, outcome: 'not_addressed' };
    }
    // A message that cannot be a dead letter still (the community's own deleted, one older than the dead
    // letters are kept, its inquiry deleted since): counted and dropped.
    if (cannotBeLate(change, deps.clock.now())) {
      deps.metrics?.count('ChangesWithoutMessageDropped');
      return { inquiryId: null, outcome: 'unknown_message' };
    }
    // Undated, of an erased citizen: far more likely of a message erased than of a dead letter written
    // since, and dropped rather than kept there for ops to remove by hand.
    if (erased === 'undated') return droppedAfterErasure();
    // Its message may be a dead letter, replayed later: the change goes to wait beside it.
    throw stillMissing('message_changed');
  };

  /** The changed message's lookup names an inquiry that is not stored. */
  const withoutInquiry = async (lookup: MessageLookup, change: MessageChange): Promise<Dropped> => {
    // The retention sweep deletes the inquiry item first, then its lookups: until it is done (the next
    // night, if a run stopped between the two), its messages are no longer known.
    if (await deps.erasures?.isBeingErased(lookup.inquiryId))
      return { inquiryId: null, outcome: 'unknown_message' };
    // A lookup is stored after its inquiry, but the router once stored it first: a table may hold a lookup
    // of a routing that failed then (its message a dead letter). The change waits for the window, then
    // fails too, to wait beside it in the dead-letter queue instead of coming back for ever.
    if (deps.clock.now().getTime() - Date.parse(change.receivedAt) < OVERTAKEN_RETRY_MS)
      throw new MessageNotFoundYet(`inquiry ${lookup.inquiryId} is not stored yet`);
    throw new Error(`inquiry ${lookup.inquiryId} of a stored message was never stored`);
  };

  return { withoutMessage, withoutInquiry };
}
