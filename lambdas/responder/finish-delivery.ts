import {
  deliveryHistoryEntry,
  deliveryHistoryKey,
  type OutboxRecord,
} from '../domain/outbox/delivery-outcome.js';
import type { OutboxLedger, OutboxMetrics } from '../domain/outbox/ports.js';
import type { Clock, InquiryRepository } from '../domain/ports.js';
import { type DeliveryTrack, DUPLICATE, type Finish, GONE } from './delivery-result.js';

/**
 * The message's final state, in the words it went (or would have gone) in: its history entry, its record,
 * its count, and on the inquiry if refused. `flagged`: the inquiry is flagged for these words (recorded
 * undelivered when they went to the dead letters); `refusedOnReplay`: whether a refusal recorded at a time
 * comes after that flag.
 */
export function createFinish(
  deps: {
    ledger: OutboxLedger;
    inquiries: Pick<InquiryRepository, 'discardHistory'>;
    clock: Clock;
    metrics?: OutboxMetrics;
  },
  track: DeliveryTrack,
  { flagged, refusedOnReplay }: { flagged: boolean; refusedOnReplay: (at: string) => boolean },
): Finish {
  return async (message, outcome, attempt, attempts) => {
    const at = deps.clock.now().toISOString();
    const undeliverable = outcome.kind === 'undeliverable';
    track.decided(
      outcome.kind === 'undeliverable' || outcome.kind === 'skipped' ? outcome.kind : 'delivered',
    );
    track.wrote();
    // The entry before the record: a responder that stops in between leaves the attempt in the history.
    const entry = deliveryHistoryEntry(message, outcome, attempt, at);
    await deps.ledger.appendHistory([entry]);
    const record: OutboxRecord = {
      id: message.id,
      inquiryId: message.inquiryId,
      status:
        outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'skipped' ? 'skipped' : 'undeliverable',
      at,
      attempts,
      attempt,
      ...(outcome.method !== undefined && { method: outcome.method }),
      ...(outcome.kind !== 'delivered' && { reason: outcome.reason }),
      ...(outcome.kind === 'delivered' && outcome.vkId !== undefined && { vkId: outcome.vkId }),
    };
    const earlier = await deps.ledger.putRecord(record);
    if (earlier) {
      // Another copy of the message, handled at the same time, recorded it first (a claim taken over from
      // a responder that was slow, not dead; or words sent without a VK call): it counts, and its entry is
      // the message's. Ours goes, unless it is the same entry.
      const kept = earlier.attempt && deliveryHistoryKey(message.id, earlier.attempt, earlier.at);
      if (kept !== entry.key) await deps.inquiries.discardHistory(message.inquiryId, [entry.key]);
      return DUPLICATE;
    }
    if (outcome.kind === 'skipped') return { done: true, outcome };
    // CloudWatch bills each set of dimension values as a metric of its own, in every hour it is written
    // (https://aws.amazon.com/cloudwatch/pricing/). Replies go out in most hours: counted by community too,
    // they would be four metrics a community, which nothing watches. A refused one is rare, and its
    // community tells ops where to look; and once more alone, the series its alarm watches.
    if (undeliverable) {
      deps.metrics?.count('MessagesUndeliverable', {
        community: String(message.groupId),
        purpose: message.purpose,
      });
      deps.metrics?.count('MessagesUndeliverable', {});
    } else deps.metrics?.count('MessagesDelivered', { purpose: message.purpose });
    const inquiry = undeliverable
      ? await track.recorded(record, refusedOnReplay(record.at))
      : flagged && outcome.kind === 'delivered'
        ? await track.deliveredLate(at)
        : undefined;
    if (inquiry === 'absent') return GONE;
    return { done: true, outcome, ...(inquiry && { inquiry }) };
  };
}
