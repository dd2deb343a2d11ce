/**
 * Delivering one outbox message to the citizen through the VK API: at most once (the ledger's claim and
 * record), within VK's rate limits, tried again while VK asks to, every attempt in the inquiry's history. What
 * to do with the message is decide-delivery.ts's, the calls of VK send-tries.ts's and vk-call.ts's, the
 * record of what came of it finish-delivery.ts's. What it came to is recorded on the inquiry by
 * record-on-inquiry.ts.
 */
import type { AppConfig } from '../domain/config/schema.js';
import type { OutboxRecord } from '../domain/outbox/delivery-outcome.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import type {
  CommunityTokens,
  OutboxLedger,
  OutboxMetrics,
  VkCaller,
  VkRateLimiter,
} from '../domain/outbox/ports.js';
import type { Clock, InquiryRepository, ProductMetrics } from '../domain/ports.js';
import { decideDelivery } from './decide-delivery.js';
import { type DeliveryResult, GONE } from './delivery-result.js';
import { createInquiryRecording, deadLetterErrorReason, deadLetterReason } from './record-on-inquiry.js';

export interface DeliverMessageDeps {
  config: AppConfig;
  ledger: OutboxLedger;
  /** The inquiry a message is about: read to skip what came too late, written when an answer is refused. */
  inquiries: Pick<InquiryRepository, 'getInquiry' | 'update' | 'discardHistory'>;
  tokens: CommunityTokens;
  vk: VkCaller;
  limiter: VkRateLimiter;
  clock: Clock;
  metrics?: OutboxMetrics;
  /**
   * What words delivered late from the dead letters did to their inquiry (reopened it, gave it its first
   * response), counted as the router and the operator API count their changes; and a deadline that set in a
   * year the calendar does not list (record-on-inquiry.ts).
   */
  inquiryMetrics?: ProductMetrics;
  /** Told of such a deadline; the fields hold ids and dates, never the citizen's words. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The receives of a message before SQS moves it to the dead-letter queue (the queue's maxReceiveCount,
   * lib/resources.ts): a message given back unsent on its last is recorded on its inquiry as not delivered.
   * Without it, none is.
   */
  maxReceiveCount?: number;
}

export function createMessageDeliverer(deps: DeliverMessageDeps) {
  /**
   * Given back unsent on the queue's last receive: VK failing, the token refused, the rate limit busy. Not a
   * copy another responder holds (`claimed`): that one records what became of the message.
   */
  const isLastReceive = (result: Extract<DeliveryResult, { done: false }>, receiveCount: number) =>
    deps.maxReceiveCount !== undefined &&
    receiveCount >= deps.maxReceiveCount &&
    result.outcome.kind !== 'claimed';

  const { recordUndelivered, recordDeliveredLate } = createInquiryRecording({
    config: deps.config,
    inquiries: deps.inquiries,
    clock: deps.clock,
    metrics: deps.inquiryMetrics,
    logWarning: deps.logWarning,
  });

  /** Delivers one outbox message: at most once to the citizen, every attempt in the inquiry's history. */
  return async function deliver(message: OutboxMessage, receiveCount: number): Promise<DeliveryResult> {
    // Nothing the responder writes can be on the inquiry's condition (local DynamoDB has no transactions),
    // so the inquiry is read after the writes instead. Its deletion (lambdas/adapters/retention-store.ts)
    // deletes the inquiry item first and only then reads its history for what else to delete. Found there,
    // the inquiry goes later: the deletion's read comes after our writes, and deletes them with the rest.
    // Found gone, it may have read before them: they are ours to delete. A strongly consistent read returns
    // every write that succeeded before it:
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
    let unconfirmed = false;
    /** A write on the inquiry read it after every write of ours: found, or gone (what names the message goes). */
    const confirmed = async <T>(write: Promise<T>): Promise<T> => {
      const outcome = await write;
      // It read the inquiry after every write of ours (and a write of its own lost to the deletion left
      // an entry naming the message).
      if (outcome !== undefined) unconfirmed = false;
      if (outcome === 'absent') await deps.ledger.discard(message);
      return outcome;
    };
    /**
     * The words are recorded delivered (by another copy of the message): the flag the inquiry has for them,
     * recorded after that copy read the inquiry, is cleared as a replay that delivers them clears it. Keyed
     * by the record's time, as that copy keys it: two that clear it write one entry. Undefined when they are not.
     */
    const deliveredMeanwhile = async () => {
      const record = await deps.ledger.getRecord(message.id);
      if (record?.status !== 'delivered') return undefined;
      return (await confirmed(recordDeliveredLate(message, record.at))) ?? 'refused';
    };
    /** What became of the words, once known in this receive: VK took them, refused them, or they were not to go. */
    let decided: OutboxRecord['status'] | undefined;
    /**
     * SQS keeps it in the dead-letter queue next, where nothing tells the department: an operator's words are
     * recorded on the inquiry as not delivered, as words VK refused are, so that it is back in the
     * department's open work, flagged, and they can reach the citizen another way. No ledger record: a
     * replay from the dead letters sends it still, and clears the flag if it goes (recordDeliveredLate).
     */
    const recordKept = async (reason: string) => {
      const inquiry = await confirmed(
        recordUndelivered(message, { at: deps.clock.now().toISOString(), reason }),
      );
      if (inquiry === 'absent') return 'absent';
      // Flagged now; but this receive released its claim before, and another copy (SQS delivers at least
      // once) may have claimed the message and sent it after reading the inquiry unflagged: the flag goes.
      // A read that fails (the error this receive records, maybe) leaves the flag, as before the check.
      const late = inquiry === 'changed' ? await deliveredMeanwhile().catch(() => undefined) : undefined;
      if (late === 'absent') return 'absent';
      if (late !== undefined) return inquiry;
      deps.metrics?.count('MessagesUndeliverable', {
        community: String(message.groupId),
        purpose: message.purpose,
      });
      deps.metrics?.count('MessagesUndeliverable', {});
      return inquiry;
    };
    let result: DeliveryResult;
    try {
      result = await decideDelivery(deps, message, receiveCount, {
        wrote: () => {
          unconfirmed = true;
        },
        recorded: (record, replayed) => confirmed(recordUndelivered(message, record, replayed)),
        deliveredLate: (at) => confirmed(recordDeliveredLate(message, at)),
        decided: (status) => {
          decided = status;
        },
      });
    } catch (error) {
      // An error of ours on the last receive (DynamoDB failing, a missing grant) sends the words to the dead
      // letters as surely as VK failing does: recorded too, as far as the table lets us, then given to SQS as
      // before. Not words VK took (or that were not to go) before the error: the flag would be false. A crash
      // or a timeout of the function is no error caught here: docs/alarms.md says how ops tell.
      if (
        deps.maxReceiveCount !== undefined &&
        receiveCount >= deps.maxReceiveCount &&
        (decided === undefined || decided === 'undeliverable')
      )
        await recordKept(deadLetterErrorReason(error)).catch(() => undefined);
      throw error;
    }
    if (result.done && result.outcome.kind === 'inquiry_gone') return result;
    let answer = result;
    if (!result.done && isLastReceive(result, receiveCount)) {
      const inquiry = await recordKept(deadLetterReason(result.outcome));
      if (inquiry === 'absent') return GONE;
      answer = { ...result, lastReceive: { ...(inquiry && { inquiry }) } };
    }
    if (!unconfirmed) return answer;
    const inquiry = await deps.inquiries.getInquiry(message.inquiryId);
    if (!inquiry) {
      await deps.ledger.discard(message);
      return GONE;
    }
    // Sent by this receive, the words were flagged since its read of the inquiry: by another copy, on its
    // last receive, that gave the message back before this one claimed it (recordKept).
    if (answer.done && answer.outcome.kind === 'delivered' && inquiry.undelivered?.outboxId === message.id) {
      const late = await deliveredMeanwhile();
      if (late === 'absent') return GONE;
      if (late !== undefined) return { ...answer, inquiry: late };
    }
    return answer;
  };
}
