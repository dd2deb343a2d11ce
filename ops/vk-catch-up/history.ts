import type { VkParams } from '../../lambdas/adapters/vk-api-client.js';
import type { ConversationHistory } from '../../lambdas/domain/vk/catch-up.js';

/** What the reader needs of a VK API client: a call of a method with the community token. */
export interface VkCaller {
  call<T>(method: string, params: VkParams): Promise<T>;
}

/** The most items VK gives in one answer of messages.getConversations and of messages.getHistory. */
export const PAGE_SIZE = 200;

/**
 * The calls a second the catch-up makes at most. VK allows a community token 20 a second over every process
 * using it (https://dev.vk.com/ru/api/api-requests#Частота%20обращений), and the responders keep to that among
 * themselves (lambdas/adapters/vk-rate-limit.ts): this command, outside their count, takes a small share, so
 * that acknowledgements and answers still go while it reads.
 */
export const CATCH_UP_CALLS_PER_SECOND = 3;

interface Page<T> {
  count?: number;
  items?: T[];
}

interface ConversationItem {
  conversation?: { peer?: { id?: unknown } };
  last_message?: { date?: unknown };
}

interface ReadOptions {
  callsPerSecond?: number;
  /** Told after each conversation read, with how many were read so far. */
  onConversation?: (read: number) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What was read of the community's dialogues: each one with a message since `since`, and its messages. */
export interface ReadHistories {
  conversations: number;
  histories: ConversationHistory[];
  /** Group chats with a message since `since`, whose history VK does not give a community: not read. */
  chats: number;
}

/** Peer ids of group chats start here (https://dev.vk.com/ru/reference/objects/conversation). */
const CHAT_PEER_IDS = 2_000_000_000;

const dateOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Reads the community's dialogues with a message since `since`, and each one's messages back to `since`, with
 * the community token (group chats only counted). messages.getConversations answers the dialogues newest first, by their last message:
 * the first whose last message is older than `since` ends the reading, as all after it are older still.
 * messages.getHistory answers a dialogue's messages newest first: the page that reaches past `since` is its
 * last. Both are paged by offset; a message written meanwhile moves the older ones a place on, so a message
 * may come twice (missedMessageEvents takes it once), never not at all.
 * https://dev.vk.com/ru/method/messages.getConversations https://dev.vk.com/ru/method/messages.getHistory
 */
export async function readHistories(
  vk: VkCaller,
  groupId: number,
  since: Date,
  options: ReadOptions = {},
): Promise<ReadHistories> {
  const sinceSeconds = since.getTime() / 1000;
  const call = pacer(vk, options);
  const peers: number[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await call<Page<ConversationItem>>('messages.getConversations', {
      group_id: groupId,
      count: PAGE_SIZE,
      offset,
      filter: 'all',
    });
    const items = page.items ?? [];
    let older = false;
    for (const item of items) {
      const date = dateOf(item.last_message?.date);
      const peerId = item.conversation?.peer?.id;
      if (date !== undefined && date < sinceSeconds) {
        older = true;
        break;
      }
      if (typeof peerId === 'number' && Number.isSafeInteger(peerId) && !peers.includes(peerId))
        peers.push(peerId);
    }
    if (older || items.length === 0 || offset + items.length >= (page.count ?? 0)) break;
  }
  const histories: ConversationHistory[] = [];
  // messages.getHistory gives a chat's history to no call on a community's behalf (its page, peer_id): such a
  // chat is counted, not read, lest one refusal stop the whole run.
  const dialogues = peers.filter((peerId) => peerId < CHAT_PEER_IDS);
  for (const peerId of dialogues) {
    const messages: unknown[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await call<Page<{ date?: unknown }>>('messages.getHistory', {
        group_id: groupId,
        peer_id: peerId,
        count: PAGE_SIZE,
        offset,
      });
      const items = page.items ?? [];
      messages.push(...items);
      const oldest = dateOf(items.at(-1)?.date);
      if (items.length === 0 || offset + items.length >= (page.count ?? 0)) break;
      if (oldest !== undefined && oldest < sinceSeconds) break;
    }
    histories.push({ peerId, messages });
    options.onConversation?.(histories.length);
  }
  return { conversations: dialogues.length, histories, chats: peers.length - dialogues.length };
}

/** The client's calls spaced evenly, at most `callsPerSecond` in any second. */
function pacer(vk: VkCaller, options: ReadOptions) {
  const interval = Math.ceil(1000 / (options.callsPerSecond ?? CATCH_UP_CALLS_PER_SECOND));
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  let nextAt = 0;
  return async <T>(method: string, params: VkParams): Promise<T> => {
    const wait = nextAt - now();
    if (wait > 0) await sleep(wait);
    nextAt = Math.max(now(), nextAt) + interval;
    return vk.call<T>(method, params);
  };
}
