import type { Settled } from '../application/inquiry-writes.js';
import { historyKeyParts, type Inquiry } from '../domain/inquiry/inquiry.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { isGroupChat } from '../domain/vk/peer.js';
import type { RouteOutcome } from './route-outcome.js';
import type { RoutedMessage } from './routed-message.js';
import type { RouteMessageDeps } from './router-context.js';

/**
 * How the entries of this work's lost attempts are settled once another delivery of the event saved it, its
 * message's entry under `key`. Keyed later than the message reached us, it reopened the inquiry, which it
 * reached after the answer (citizen-message.ts, reopeningAt), and all its entries are of that time: an attempt
 * that read another version of the inquiry keyed its own at another, and they go.
 */
export const twinOf = (routed: RoutedMessage, key: string): Settled => {
  const { at } = historyKeyParts(key);
  return at === routed.classified.receivedAt ? {} : { twinKeyedAt: async () => at };
};

/** The message is held already by `holder`: the entries of this work's lost attempts settled. */
export const duplicate = async (
  routed: RoutedMessage,
  holder: Inquiry,
  acknowledgement: RouteOutcome['acknowledgement'],
  settled: Settled = {},
): Promise<RouteOutcome> => {
  await routed.writes.settle(holder, settled);
  return {
    inquiryId: holder.id,
    ...(holder.caseNumber && { caseNumber: holder.caseNumber }),
    outcome: 'duplicate',
    created: false,
    department: holder.department ?? null,
    status: holder.status,
    acknowledgement,
  };
};

/** The message is held already, brought by another event: dropped, and counted unless a chat's edit did. */
export const repeated = (
  deps: Pick<RouteMessageDeps, 'metrics'>,
  routed: RoutedMessage,
  holder: Inquiry,
  message: CitizenMessage,
): Promise<RouteOutcome> => {
  const inChat = message.replyTo.channel === 'direct_message' && isGroupChat(message.replyTo.peerId);
  if (inChat) return duplicate(routed, holder, 'follow_up');
  deps.metrics?.count('RepeatedMessagesDropped');
  return duplicate(routed, holder, 'other_delivery');
};
