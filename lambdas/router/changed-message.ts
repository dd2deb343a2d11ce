import { erasedMentionsInText } from '../application/erased-mentions.js';
import type { unsavedHistory } from '../application/inquiry-writes.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { MessageChange } from '../domain/messages.js';
import type { MessageLookup } from '../domain/ports.js';
import type { Priority } from '../domain/taxonomy.js';
import type { RouteMessageDeps } from './router-context.js';

/**
 * What a change's attempts have learnt of the message's words before it: each attempt of its retry loop
 * (apply-message-change.ts) is given it and passes it on to the next.
 */
export interface WordsBefore {
  /**
   * The message's words before this change, from the first read that does not hold it yet: an attempt stores
   * the change on the message before its inquiry write, which may then be refused, and the retry's read
   * holds the new words. (A read that holds it already, this event's redelivery after such an attempt, has
   * no earlier words to tell: none is recorded rather than the new ones.)
   */
  previousText: string | undefined;
  /**
   * The priority those words were read at, from the same read (MessageLookup.priority); unknown on such a
   * redelivery, the edit then raises as on words before it that raised nothing.
   */
  priorityBefore: Priority | undefined;
}

/** Before the first attempt: nothing learnt yet. */
export const NOTHING_BEFORE: WordsBefore = { previousText: undefined, priorityBefore: undefined };

/** The words before a change, as an attempt's read of its message's lookup tells them, if none did yet. */
export function wordsBeforeChange(deps: Pick<RouteMessageDeps, 'erasedCitizens'>) {
  const withoutErasedMentionsIn = erasedMentionsInText(deps);
  return async (
    before: WordsBefore,
    change: MessageChange,
    lookup: MessageLookup | undefined,
  ): Promise<WordsBefore> => {
    // Learnt once, and only from a read that does not hold this change yet.
    if (before.previousText !== undefined || !lookup || lookup.changedAt === change.receivedAt) return before;
    return {
      // Without the mentions of citizens erased lately: an erasure running now may not have reached the lookup.
      previousText: await withoutErasedMentionsIn(change.groupId, change.authorId, lookup.text),
      priorityBefore: lookup.priority,
    };
  };
}

/**
 * What a `message_changed` event records of a change, on whichever inquiry takes it: its event, the message,
 * its words and attachments after it, and the words before it, when an attempt learnt them.
 */
export const changedWords = (change: MessageChange, previousText: string | undefined) => ({
  type: 'message_changed' as const,
  cause: change.eventKey,
  at: change.receivedAt,
  messageRef: change.messageRef,
  change: change.change,
  ...(change.text !== undefined && { text: change.text }),
  ...(change.attachments && { attachments: change.attachments }),
  ...(previousText !== undefined && { previousText }),
});

/** One attempt at a change of a stored message: the message's lookup and inquiry it read. */
export interface ChangeAttempt {
  change: MessageChange;
  lookup: MessageLookup;
  inquiry: Inquiry;
  /** The message's words before the change, as this attempt or an earlier one learnt them. */
  before: WordsBefore;
  /** The entries of the attempts that lost the version race, settled once one is saved. */
  writes: ReturnType<typeof unsavedHistory>;
}
