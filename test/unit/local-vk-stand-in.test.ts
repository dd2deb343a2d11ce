import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { VkStandIn } from '../../local/vk-stand-in.js';

/** The stand-in VK is no more forgiving than VK: its rate limits per token, the hour it keeps a random_id. */
const vk = new VkStandIn();
vk.addCommunity(1, { community: 'community-token', user: 'user-token' });
// Tokens of their own for the rate limits, so that no other test's calls count in their second.
vk.addCommunity(2, { community: 'limited-community-token', user: 'limited-user-token' });
beforeAll(() => vk.start());
afterAll(() => vk.stop());

const call = async (method: string, token: string, params: Record<string, string>) => {
  const answer = await fetch(`${vk.baseUrl}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ v: '5.199', ...params }),
  });
  return (await answer.json()) as { response?: unknown; error?: { error_code: number } };
};

it('answers error 6 past 3 calls a second of a user token, as past 20 of a community token', async () => {
  const comments = await Promise.all(
    Array.from({ length: 10 }, (_, n) =>
      call('board.createComment', 'limited-user-token', {
        group_id: '2',
        topic_id: '1',
        message: 'x',
        guid: `g${n}`,
      }),
    ),
  );
  expect(comments.filter((answer) => answer.error === undefined)).toHaveLength(3);
  expect(comments.filter((answer) => answer.error?.error_code === 6)).toHaveLength(7);

  const messages = await Promise.all(
    Array.from({ length: 25 }, (_, n) =>
      call('messages.send', 'limited-community-token', {
        peer_id: String(100 + n),
        random_id: '1',
        message: 'x',
      }),
    ),
  );
  expect(messages.filter((answer) => answer.error === undefined)).toHaveLength(20);
  expect(messages.filter((answer) => answer.error?.error_code === 6)).toHaveLength(5);
});

it('drops a repeated random_id in a dialogue for an hour by default, and delivers it again once it is forgotten', async () => {
  expect(vk.randomIdKeptMs).toBe(60 * 60 * 1000);
  const send = () =>
    call('messages.send', 'community-token', { peer_id: '5', random_id: '42', message: 'hi' });
  const delivered = () =>
    vk.delivered.filter(({ method, params }) => method === 'messages.send' && params.peer_id === '5').length;
  // The stand-in's clock is set, not waited on: a real wait raced the next send on a busy machine.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    await send();
    await send();
    expect(delivered()).toBe(1);
    vi.setSystemTime(Date.now() + vk.randomIdKeptMs);
    await send();
    expect(delivered()).toBe(2);
    // Kept again from that send on, for the whole hour.
    vi.setSystemTime(Date.now() + vk.randomIdKeptMs - 1);
    await send();
    expect(delivered()).toBe(2);
  } finally {
    vi.useRealTimers();
  }
});

it('drops a call whose client went away before sending all of it, and answers the next', async () => {
  const unhandled = vi.fn();
  process.on('unhandledRejection', unhandled);
  try {
    const { port } = new URL(vk.baseUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /method/groups.getById HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nv=5',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).not.toHaveBeenCalled();
    expect(await call('groups.getCallbackServers', 'community-token', { group_id: '1' })).toEqual({
      response: { count: 0, items: [] },
    });
  } finally {
    process.off('unhandledRejection', unhandled);
  }
});

it("answers messages.getConversations and messages.getHistory from the dialogues seeded and the community's sends", async () => {
  vk.addCommunity(3, { community: 'dialogues-token' });
  vk.addDialogueMessage(3, { peer_id: 301, from_id: 301, date: 1_000, out: 0, text: 'a' });
  vk.addDialogueMessage(3, { peer_id: 302, from_id: 302, date: 2_000, out: 0, text: 'b' });
  vk.addDialogueMessage(3, { peer_id: 301, from_id: 301, date: 3_000, out: 0, text: 'c' });
  const sent = await call('messages.send', 'dialogues-token', {
    peer_id: '302',
    random_id: '9',
    message: 'ok',
  });
  expect(sent.error).toBeUndefined();

  const conversations = (await call('messages.getConversations', 'dialogues-token', { group_id: '3' }))
    .response as {
    count: number;
    items: { conversation: { peer: { id: number } }; last_message: { out: number } }[];
  };
  expect(conversations.count).toBe(2);
  expect(conversations.items.map((item) => [item.conversation.peer.id, item.last_message.out])).toEqual([
    [302, 1],
    [301, 0],
  ]);

  const page = (await call('messages.getHistory', 'dialogues-token', {
    group_id: '3',
    peer_id: '301',
    count: '1',
    offset: '1',
  })) as { response: { count: number; items: { text: string; conversation_message_id: number }[] } };
  expect(page.response.count).toBe(2);
  expect(page.response.items.map((item) => [item.text, item.conversation_message_id])).toEqual([['a', 1]]);

  expect(
    (await call('messages.getHistory', 'dialogues-token', { group_id: '1', peer_id: '301' })).error,
  ).toEqual(expect.objectContaining({ error_code: 15 }));
  expect(
    (await call('messages.getHistory', 'dialogues-token', { group_id: '3', peer_id: '301', count: '201' }))
      .error,
  ).toEqual(expect.objectContaining({ error_code: 100 }));
});
