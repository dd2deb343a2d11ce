import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import { isOpen } from '../domain/inquiry/inquiry.js';
import { applyEvent } from '../domain/inquiry/state-machine.js';
import { threadingDecision } from '../domain/inquiry/threading.js';
import type { OperatorReplyInVk } from '../domain/messages.js';
import { isGroupChat } from '../domain/vk/peer.js';
import { MessageNotFoundYet, waitIsOver } from './overtaken.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';
import { ROUTER_RETRIES } from './version-retries.js';

/** The router's use case for an operator's reply typed in VK rather than sent through the product. */
export function createReplyRecorder(deps: RouteMessageDeps) {
  const { config, inquiries } = deps;
  const { contextFor, record, checkCalendar, stillMissing, erasedMessageOf, droppedAfterErasure } =
    routerContext(deps);

  /**
   * An operator answered the citizen by hand in VK: recorded on the citizen's open inquiry in that dialogue as
   * an operator reply (in a group chat, on the inquiry of the member whose message the answer quotes). It counts as the first response: the first clock stops and the resolution clock starts.
   * On an answered or closed inquiry it is noted, and changes nothing else.
   * `waitingSince`: when the router first looked for the message it answers, if it has been waiting for it.
   */
  async function recordOperatorReply(
    reply: OperatorReplyInVk,
    waitingSince?: string,
  ): Promise<{
    inquiryId: string | null;
    outcome: 'recorded' | 'duplicate' | 'no_inquiry' | 'erased_citizen';
  }> {
    const conversationKey = `dm:${reply.peerId}`;
    // A group chat's inquiries are per author: the answer belongs to the member whose message it replies to
    // or forwards. One that quotes no member's message names no inquiry, and none will come to wait for.
    const chat = isGroupChat(reply.peerId);
    const authorId = chat ? reply.citizenId : reply.peerId;
    if (authorId === undefined) return { inquiryId: null, outcome: 'no_inquiry' };
    const writes = unsavedHistory(inquiries);
    return withVersionRetries(async () => {
      const pointer = await inquiries.latestInConversation(reply.groupId, conversationKey, authorId);
      const inquiry = pointer ? await inquiries.getInquiry(pointer.inquiryId) : undefined;
      // The citizen's message the operator answers may not be routed yet (the routing queue is not FIFO): no
      // inquiry in the dialogue, or only one the message would not join. Retried as a change that overtook
      // its message is. (A rejected greeting is not waited on: operators often answer one.)
      const awaited =
        !inquiry ||
        (inquiry.status !== 'rejected' &&
          threadingDecision(inquiry, new Date(reply.sentAt), config.threading) === 'open');
      if (awaited && !waitIsOver(waitingSince, deps.clock.now()))
        throw new MessageNotFoundYet(`no inquiry yet for the reply ${reply.eventKey}`);
      if (!inquiry) {
        // Still none once the wait is over. In a group chat: an answer to the member's talk, which is never
        // stored (only what is written to the community is, vk/chat.ts), dropped as the talk's edits are.
        if (chat) {
          await writes.settle();
          deps.metrics?.count('ChatRepliesNotAddressed');
          return { inquiryId: null, outcome: 'no_inquiry' };
        }
        // A citizen whose data was erased lately: an answer to what was erased, dropped as their messages'
        // changes are (an answer to their new message would have found its inquiry in the wait).
        await writes.settle();
        if (await erasedMessageOf(reply.groupId, authorId)) return droppedAfterErasure();
        // In a direct dialogue, the citizen's message may be a dead letter, replayed later, the reply then its
        // first response: kept beside it, as a change is (or written first, by the operator: ops look).
        throw stillMissing('operator_reply_in_vk');
      }
      if (inquiry.status === 'rejected') {
        await writes.settle();
        return { inquiryId: null, outcome: 'no_inquiry' };
      }
      const common = {
        cause: reply.eventKey,
        at: reply.sentAt,
        operatorId: reply.adminId,
        text: reply.text,
        via: 'vk' as const,
      };
      const type = isOpen(inquiry.status) && inquiry.status !== 'new' ? 'intermediate_answer' : 'reply_noted';
      const result = applyEvent(inquiry, { type, ...common }, contextFor(reply.groupId));
      if (result.outcome !== 'changed') {
        await writes.settle(inquiry);
        return result.outcome === 'duplicate'
          ? { inquiryId: inquiry.id, outcome: 'duplicate' }
          : { inquiryId: null, outcome: 'no_inquiry' };
      }
      for (const entry of result.history) entry.detail = { ...entry.detail, messageRef: reply.messageRef };
      await writes.update(result.inquiry, inquiry.version, result.history);
      await writes.settle(inquiry, { saved: result.history });
      record(result.effects, result.inquiry);
      checkCalendar(result.inquiry, inquiry);
      // Still awaited once the wait was over: an inquiry answered or closed too long ago for the citizen's next
      // message to join, noted on it. Far more often the operator's follow-up of it ("we fixed it, here is a
      // photo", days later) than the answer to a dead letter: not kept in the dead-letter queue, but counted.
      if (awaited) deps.metrics?.count('RepliesInVkOnSettledInquiries');
      return { inquiryId: inquiry.id, outcome: 'recorded' };
    }, ROUTER_RETRIES);
  }

  return recordOperatorReply;
}
