import { erasedMentionsInText } from '../application/erased-mentions.js';
import { unsavedHistory, withVersionRetries } from '../application/inquiry-writes.js';
import { type Inquiry, isOpen } from '../domain/inquiry/inquiry.js';
import { applyEvent } from '../domain/inquiry/state-machine.js';
import { threadingDecision } from '../domain/inquiry/threading.js';
import type { OperatorReplyInVk } from '../domain/messages.js';
import type { MetricName } from '../domain/ports.js';
import { isGroupChat } from '../domain/vk/peer.js';
import { MessageNotFoundYet, REJECTED_LATEST_ATTRIBUTE, waitIsOver } from './overtaken.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';
import { ROUTER_RETRIES } from './version-retries.js';

type ReplyOutcome = {
  inquiryId: string | null;
  outcome: 'recorded' | 'duplicate' | 'no_inquiry' | 'erased_citizen';
};

/**
 * Whether the inquiry was opened by words the citizen wrote after the reply (VK's times, whole seconds): the
 * reply does not answer them. One stored before it kept its opening message is taken as older.
 */
const openedAfter = (inquiry: Inquiry, sentAt: string): boolean =>
  inquiry.openingMessage !== undefined && inquiry.openingMessage.sentAt > sentAt;

/** The router's use case for an operator's reply typed in VK rather than sent through the product. */
export function createReplyRecorder(deps: RouteMessageDeps) {
  const { config, inquiries } = deps;
  const { contextFor, changeStored, stillMissing, erasedMessageOf, droppedAfterErasure } =
    routerContext(deps);
  const withoutErasedMentions = erasedMentionsInText(deps);

  /** A reply that ends on no inquiry: counted, so that none is lost without trace. */
  const notRecorded = (metric: MetricName): ReplyOutcome => {
    deps.metrics?.count(metric);
    return { inquiryId: null, outcome: 'no_inquiry' };
  };

  /**
   * An operator answered the citizen by hand in VK: recorded on the citizen's open inquiry in that dialogue as
   * an operator reply (in a group chat, on the inquiry of the member whose message the answer quotes). It counts as the first response: the first clock stops and the resolution clock starts.
   * On an answered or closed inquiry it is noted, and changes nothing else; so it is on a message rejected as
   * no inquiry (a greeting), once no inquiry the citizen wrote before the reply came in its wait.
   * `waitingSince`: when the router first looked for the message it answers, if it has been waiting for it.
   * `rejectedLatest`: the rejected message the dialogue's latest inquiry was at a look while it waited.
   */
  async function recordOperatorReply(
    reply: OperatorReplyInVk,
    waitingSince?: string,
    rejectedLatest?: string,
  ): Promise<ReplyOutcome> {
    const conversationKey = `dm:${reply.peerId}`;
    // A group chat's inquiries are per author: the answer belongs to the member whose message it replies to
    // or forwards. One that quotes no member's message names no inquiry, and none will come to wait for.
    const chat = isGroupChat(reply.peerId);
    const authorId = chat ? reply.citizenId : reply.peerId;
    if (authorId === undefined) return notRecorded('ChatRepliesNotAddressed');
    // An operator's words name citizens as a citizen's do: those erased lately are replaced, as the erasure
    // replaced them in the replies stored before it (citizen-records.ts).
    const text = await withoutErasedMentions(reply.groupId, reply.adminId, reply.text);
    const writes = unsavedHistory(inquiries);
    const waitOver = waitIsOver(waitingSince, deps.clock.now());
    /** Put back to look again, carrying the rejected message the reply may answer. */
    const waitLonger = async (rejected: string | undefined) => {
      await writes.settle();
      return new MessageNotFoundYet(
        `no inquiry yet for the reply ${reply.eventKey}`,
        rejected === undefined ? {} : { [REJECTED_LATEST_ATTRIBUTE]: rejected },
      );
    };

    /** Writes the reply on the inquiry as `type`, counting `counted` if it changed it. */
    const writeOn = async (
      inquiry: Inquiry,
      type: 'intermediate_answer' | 'reply_noted',
      counted?: MetricName,
    ): Promise<ReplyOutcome> => {
      const event = {
        type,
        cause: reply.eventKey,
        at: reply.sentAt,
        operatorId: reply.adminId,
        text,
        via: 'vk' as const,
      };
      const result = applyEvent(inquiry, event, contextFor(reply.groupId));
      if (result.outcome !== 'changed') {
        await writes.settle(inquiry);
        return result.outcome === 'duplicate'
          ? { inquiryId: inquiry.id, outcome: 'duplicate' }
          : notRecorded('RepliesInVkNotRecorded');
      }
      for (const entry of result.history) entry.detail = { ...entry.detail, messageRef: reply.messageRef };
      await writes.update(result.inquiry, inquiry.version, result.history);
      await writes.settle(inquiry, { saved: result.history });
      changeStored(result, inquiry);
      if (counted) deps.metrics?.count(counted);
      return { inquiryId: inquiry.id, outcome: 'recorded' };
    };

    return withVersionRetries(async () => {
      const pointer = await inquiries.latestInConversation(reply.groupId, conversationKey, authorId);
      const inquiry = pointer ? await inquiries.getInquiry(pointer.inquiryId) : undefined;

      // The citizen's latest inquiry was opened by words written after the reply (the matter they wrote once
      // the operator had answered their greeting): the reply answers something before it, the rejected message
      // that was the latest at an earlier look, noted there; else it is known nowhere.
      if (inquiry && openedAfter(inquiry, reply.sentAt)) {
        const earlier =
          rejectedLatest === undefined || rejectedLatest === inquiry.id
            ? undefined
            : await inquiries.getInquiry(rejectedLatest);
        if (!earlier) {
          await writes.settle();
          return notRecorded('RepliesInVkNotRecorded');
        }
        return writeOn(earlier, 'reply_noted', 'RepliesInVkOnRejectedMessages');
      }
      // A message rejected as no inquiry (a greeting): the reply may answer the citizen's next message, not
      // routed yet (the routing queue is not FIFO), which opens an inquiry; it waits for it as below. None
      // come, it answered the rejected message (operators often answer one): noted there, so that an edit or
      // an operator who routes it finds the reply in its history. The same once an edit or an operator routed
      // it while the reply waited: the reply answered the words before that, not the matter routed.
      if (inquiry?.status === 'rejected' && !waitOver) throw await waitLonger(inquiry.id);
      if (inquiry && (inquiry.status === 'rejected' || inquiry.id === rejectedLatest))
        return writeOn(inquiry, 'reply_noted', 'RepliesInVkOnRejectedMessages');

      // The citizen's message the operator answers may not be routed yet (the routing queue is not FIFO): no
      // inquiry in the dialogue, or only one the message would not join. Retried as a change that overtook
      // its message is.
      const awaited =
        !inquiry || threadingDecision(inquiry, new Date(reply.sentAt), config.threading) === 'open';
      if (awaited && !waitOver) throw await waitLonger(rejectedLatest);
      if (!inquiry) {
        // Still none once the wait is over. In a group chat: an answer to the member's talk, which is never
        // stored (only what is written to the community is, vk/chat.ts), dropped as the talk's edits are.
        await writes.settle();
        if (chat) return notRecorded('ChatRepliesNotAddressed');
        // A citizen whose data was erased lately: an answer to what was erased, dropped as their messages'
        // changes are (an answer to their new message would have found its inquiry in the wait).
        if (await erasedMessageOf(reply.groupId, authorId)) return droppedAfterErasure();
        // In a direct dialogue, the citizen's message may be a dead letter, replayed later, the reply then its
        // first response: kept beside it, as a change is (or written first, by the operator: ops look).
        throw stillMissing('operator_reply_in_vk');
      }
      // Still awaited once the wait was over: an inquiry answered or closed too long ago for the citizen's next
      // message to join, noted on it. Far more often the operator's follow-up of it ("we fixed it, here is a
      // photo", days later) than the answer to a dead letter: not kept in the dead-letter queue, but counted.
      const type = isOpen(inquiry.status) && inquiry.status !== 'new' ? 'intermediate_answer' : 'reply_noted';
      return writeOn(inquiry, type, awaited ? 'RepliesInVkOnSettledInquiries' : undefined);
    }, ROUTER_RETRIES);
  }

  return recordOperatorReply;
}
