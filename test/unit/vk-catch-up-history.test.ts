import { describe, expect, it } from 'vitest';
import type { VkParams } from '../../lambdas/adapters/vk-api-client.js';
import { readHistories } from '../../ops/vk-catch-up/history.js';

const SINCE = new Date('2026-03-02T10:00:00Z');
const at = (minutesAfterSince: number) => SINCE.getTime() / 1000 + minutesAfterSince * 60;

/** VK's answers from dialogues given newest first, each with its messages' dates newest first. */
function fakeVk(dialogues: { peerId: number; dates: number[] }[]) {
  const calls: { method: string; params: VkParams }[] = [];
  const slice = <T>(items: T[], params: VkParams) =>
    items.slice(Number(params.offset), Number(params.offset) + Number(params.count));
  return {
    calls,
    async call<T>(method: string, params: VkParams): Promise<T> {
      calls.push({ method, params });
      if (method === 'messages.getConversations') {
        const items = dialogues.map(({ peerId, dates }) => ({
          conversation: { peer: { id: peerId, type: 'user' } },
          last_message: { date: dates[0] },
        }));
        return { count: items.length, items: slice(items, params) } as T;
      }
      const dialogue = dialogues.find(({ peerId }) => peerId === Number(params.peer_id));
      const items = (dialogue?.dates ?? []).map((date, index) => ({ id: index + 1, date }));
      return { count: items.length, items: slice(items, params) } as T;
    },
  };
}

describe('readHistories', () => {
  it('stops at the first dialogue whose last message is older than since', async () => {
    const vk = fakeVk([
      { peerId: 1, dates: [at(30), at(-5)] },
      { peerId: 2, dates: [at(1)] },
      { peerId: 3, dates: [at(-1)] },
      { peerId: 4, dates: [at(-2)] },
    ]);
    const read = await readHistories(vk, 42, SINCE, { sleep: async () => {} });
    expect(read.conversations).toBe(2);
    expect(read.histories.map((history) => history.peerId)).toEqual([1, 2]);
    expect(vk.calls.map((call) => call.method)).toEqual([
      'messages.getConversations',
      'messages.getHistory',
      'messages.getHistory',
    ]);
    expect(vk.calls[0]?.params).toMatchObject({ group_id: 42, count: 200, offset: 0 });
  });

  it('counts a group chat and leaves its history unread, which VK gives no community', async () => {
    const vk = fakeVk([
      { peerId: 1, dates: [at(30)] },
      { peerId: 2_000_000_001, dates: [at(20)] },
      { peerId: 2, dates: [at(10)] },
    ]);
    const read = await readHistories(vk, 42, SINCE, { sleep: async () => {} });
    expect(read).toMatchObject({ conversations: 2, chats: 1 });
    expect(
      vk.calls.filter((call) => call.method === 'messages.getHistory').map((call) => call.params.peer_id),
    ).toEqual([1, 2]);
  });

  it('pages a long dialogue back to since, and no further', async () => {
    // 450 messages a minute apart, the newest 300 minutes after since: the second page reaches past since.
    const dates = Array.from({ length: 450 }, (_, index) => at(300 - index));
    const vk = fakeVk([{ peerId: 7, dates }]);
    const read = await readHistories(vk, 42, SINCE, { sleep: async () => {} });
    const history = vk.calls.filter((call) => call.method === 'messages.getHistory');
    expect(history.map((call) => call.params.offset)).toEqual([0, 200]);
    expect(read.histories[0]?.messages).toHaveLength(400);
  });

  it('pages the dialogues past the first 200 while they are newer than since', async () => {
    const dialogues = Array.from({ length: 250 }, (_, index) => ({
      peerId: index + 1,
      dates: [at(300 - index)],
    }));
    const vk = fakeVk(dialogues);
    const read = await readHistories(vk, 42, SINCE, { sleep: async () => {} });
    expect(read.conversations).toBe(250);
    const pages = vk.calls.filter((call) => call.method === 'messages.getConversations');
    expect(pages.map((call) => call.params.offset)).toEqual([0, 200]);
  });

  it('spaces its calls to the rate given', async () => {
    let clock = 0;
    const waits: number[] = [];
    const vk = fakeVk([
      { peerId: 1, dates: [at(3)] },
      { peerId: 2, dates: [at(2)] },
    ]);
    await readHistories(vk, 42, SINCE, {
      callsPerSecond: 3,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    expect(waits).toEqual([334, 334]);
  });
});
