import { citizenSettles } from '../domain/inquiry/citizen-settles.js';
import { freshClaimOf } from '../domain/inquiry/conversation-claim.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { routableByEdit, type TransitionContext } from '../domain/inquiry/state-machine.js';
import { threadingDecision } from '../domain/inquiry/threading.js';
import { type ConversationPointer, VersionConflictError } from '../domain/ports.js';
import type { MessageAttempt } from './routed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/** The conversation a citizen's message continues, as an attempt read it, and where the message goes in it. */
export interface MessageConversation {
  /**
   * The conversation's pointer as read: for a wall comment that joins an inquiry opened before a citizen's
   * comments under a post were one conversation, its thread's.
   */
  pointer: ConversationPointer | undefined;
  /** The citizen's latest inquiry in the conversation, if stored. */
  latest: Inquiry | undefined;
  /** Whether the message joins the latest, opens a new matter after it, or opens an inquiry (threading.ts). */
  threading: ReturnType<typeof threadingDecision> | undefined;
  /** The attempt's transition context: the community's calendar, and now. */
  context: TransitionContext;
}

/**
 * The conversation of a citizen's message not applied before. Throws VersionConflictError, for the attempt to
 * read again after a while, while another writer is making the conversation's latest inquiry.
 */
export function messageConversationOf(deps: RouteMessageDeps) {
  const { config, inquiries } = deps;
  const { contextFor } = routerContext(deps);

  return async (attempt: MessageAttempt): Promise<MessageConversation> => {
    const { classified, id, read, inThread, message } = attempt;
    const { classification } = classified;
    const pointer = inThread ? read.threadPointer : read.pointer;
    const latestId = pointer?.inquiryId;
    const latest = !latestId
      ? undefined
      : latestId === id
        ? read.inquiry
        : await inquiries.getInquiry(latestId);
    const context = contextFor(message.groupId);
    // Another message of this conversation is opening its inquiry right now: wait for it, then join it.
    // (A creator that died leaves the claim; after a while a new message takes the conversation over.)
    const claimed = freshClaimOf(pointer, context.now);
    if (pointer && !latest && latestId !== id && claimed !== undefined)
      throw new VersionConflictError(pointer.inquiryId, 0);
    // An edit is routing the latest, a message taken for no inquiry, right now: it claimed the conversation
    // again after the inquiry's last change (stored-change.ts). Wait for it, then join it, rather than
    // open a second case for the matter the edit names.
    if (latest && routableByEdit(latest) && claimed !== undefined && claimed > latest.updatedAt)
      throw new VersionConflictError(latest.id, latest.version);

    // A new matter written soon after the answer opens a case of its own rather than reopening the old one.
    const threading =
      latest &&
      threadingDecision(latest, attempt.receivedAt, config.threading, {
        ...classification,
        settles: citizenSettles(message.text, classification),
      });
    // A case opened in the comment's thread before the release that made the post one conversation, and none
    // in the post's yet: a follow-up joins (or reopens) it, a case opened now is in the post's conversation
    // (as a new matter, following it), so that the citizen's next comments, in any thread, find it.
    if (inThread && threading !== 'join') return { pointer: read.pointer, latest, threading, context };
    return { pointer, latest, threading, context };
  };
}
