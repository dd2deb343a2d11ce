import { VK_API_VERSION } from '../../lambdas/adapters/vk-api-client.js';
import type { MessageQueue } from '../../lambdas/domain/ports.js';
import { type CatchUpWindow, messagesByDay, missedMessageEvents } from '../../lambdas/domain/vk/catch-up.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { receivedEventOf, TRIM_ABOVE_BYTES } from '../../lambdas/ingest/accept-callback.js';
import { readHistories, type VkCaller } from './history.js';

interface CatchUpRequest {
  vk: VkCaller;
  groupId: number;
  window: CatchUpWindow;
  /** Where ingest queues events; without it (a dry run) nothing is queued. */
  queue?: MessageQueue<ReceivedVkEvent>;
  /** The time each queued event is taken as accepted at, as ingest's clock gives it. */
  now: () => Date;
  callsPerSecond?: number;
  onConversation?: (read: number) => void;
  onQueued?: (queued: number) => void;
}

/** What a catch-up found, never a citizen's id or words: counts only. */
export interface CatchUpReport {
  /** Dialogues with a message (the community's or a citizen's) since the window's start. */
  conversations: number;
  /** Group chats with a message since the window's start: VK gives a community no chat's history. */
  chats: number;
  /** The citizens' messages written in the window. */
  messages: number;
  /** The same, by the UTC day they were written. */
  byDay: Map<string, number>;
  queued: number;
}

/**
 * Fetches from VK the citizens' messages written in the window and, given a queue, queues each as ingest
 * queues a `message_new`, oldest first: the classifier and the router take them as any other, and the router
 * drops those it holds already (by their message reference). Run again, it queues the same events under the
 * same keys, and the router drops them all.
 */
export async function catchUp(request: CatchUpRequest): Promise<CatchUpReport> {
  const { vk, groupId, window, queue } = request;
  const read = await readHistories(vk, groupId, window.since, {
    ...(request.callsPerSecond !== undefined && { callsPerSecond: request.callsPerSecond }),
    ...(request.onConversation && { onConversation: request.onConversation }),
  });
  const events = missedMessageEvents(groupId, VK_API_VERSION, read.histories, window);
  let queued = 0;
  if (queue)
    for (const event of events) {
      const large = Buffer.byteLength(JSON.stringify(event)) > TRIM_ABOVE_BYTES;
      await queue.send(receivedEventOf(groupId, event, request.now(), large));
      queued += 1;
      request.onQueued?.(queued);
    }
  return {
    conversations: read.conversations,
    chats: read.chats,
    messages: events.length,
    byDay: messagesByDay(events),
    queued,
  };
}
