import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';
import { drained, operatorOverHttp, startDemoRuntime, vkCallbackTo } from '../support/runtime.js';

const ADMIN = 'local-admin-token-change-me';
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0, retryDelaySeconds: 1 });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, ADMIN);
const callback = vkCallbackTo(() => runtime);
type Listed = { id: string; authorId: number; status: string; channel: string; messageCount: number };
const inquiriesOf = async (...authors: number[]): Promise<Listed[]> =>
  ((await operator('GET', '/api/v1/inquiries?limit=100')).body.items ?? []).filter((item: Listed) =>
    authors.includes(item.authorId),
  );
const sentTo = (peer: number) =>
  runtime.vk?.delivered.filter(
    (call) => call.method === 'messages.send' && call.params.peer_id === String(peer),
  ) ?? [];
/** Every queue drained: what the events sent will ever do is done. */
const settled = () => drained(runtime);
const now = () => Math.floor(Date.now() / 1000);

describe('a group chat the community is in, end to end through the local runtime and the stand-in VK', () => {
  const CHAT = 2000000005;
  const [ANNA, BORIS, VERA] = [7300001, 7300002, 7300003];
  const chatMessage = (from: number, cmid: number, text: string, more: Record<string, unknown> = {}) => ({
    message: {
      id: 0,
      date: now(),
      peer_id: CHAT,
      from_id: from,
      out: 0,
      conversation_message_id: cmid,
      text,
      ...more,
    },
    client_info: { keyboard: true, lang_id: 0 },
  });

  it("takes the neighbours' talk for none of its business, and each message written to it for an inquiry", async () => {
    // Talk among the members, and a service message: the community has access to all of the chat's messages.
    await callback(
      'message_new',
      'e2e-chat-talk-1',
      chatMessage(ANNA, 11, 'Соседи, у кого тоже третий день нет горячей воды?'),
    );
    await callback(
      'message_new',
      'e2e-chat-talk-2',
      chatMessage(BORIS, 12, 'У нас в 3 подъезде тоже нет горячей воды, и батареи холодные', {
        reply_message: { from_id: ANNA, conversation_message_id: 11, text: 'Соседи, у кого тоже…' },
      }),
    );
    await callback(
      'message_new',
      'e2e-chat-invite',
      chatMessage(ANNA, 13, '', { action: { type: 'chat_invite_user', member_id: VERA } }),
    );
    // Then two neighbours write to the community: a mention, and a reply to one of its messages.
    await callback(
      'message_new',
      'e2e-chat-addressed-1',
      chatMessage(
        ANNA,
        14,
        `[club${DEMO_GROUP_ID}|Администрация] Третий день нет горячей воды в доме 7 по улице Мира`,
      ),
    );
    await callback(
      'message_new',
      'e2e-chat-addressed-2',
      chatMessage(BORIS, 15, 'В доме 7 по улице Мира в 3 подъезде нет горячей воды и не греют батареи', {
        reply_message: {
          from_id: -DEMO_GROUP_ID,
          conversation_message_id: 9,
          text: 'Администрация на связи',
        },
      }),
    );

    const opened = await eventually(
      () => inquiriesOf(ANNA, BORIS, VERA),
      (found) => found.length >= 2,
    );
    await eventually(
      async () => sentTo(CHAT),
      (sent) => sent.length >= 2,
    );
    await settled();

    // Two neighbours, two inquiries: conversations in a chat are per author.
    const again = await inquiriesOf(ANNA, BORIS, VERA);
    expect(again.map((item) => item.authorId).sort()).toEqual([ANNA, BORIS]);
    expect(again.every((item) => item.messageCount === 1 && item.status === 'routed')).toBe(true);
    expect(opened).toHaveLength(2);
    // One acknowledgement each, in the chat, quoting the message it acknowledges; none for the talk.
    const quoted = sentTo(CHAT).map(
      (call) => JSON.parse(String(call.params.forward)).conversation_message_ids[0] as number,
    );
    expect(quoted.sort()).toEqual([14, 15]);
  });
});

describe("a member's edit in a group chat, end to end", () => {
  const CHAT = 2000000006;
  const [GLEB, DARIA] = [7300021, 7300022];
  const inChat = (from: number, cmid: number, text: string) => ({
    id: 0,
    date: now(),
    peer_id: CHAT,
    from_id: from,
    out: 0,
    conversation_message_id: cmid,
    text,
    attachments: [],
  });
  const mention = `[club${DEMO_GROUP_ID}|Администрация]`;

  it('changes the message it holds whatever its mention, and takes the talk edited to mention it for a new inquiry', async () => {
    // Written to the community, then edited so that the mention goes: the inquiry takes the new words.
    const written = inChat(GLEB, 41, `${mention} Не работает лифт в доме 3 по улице Мира`);
    await callback('message_new', 'e2e-chat-edit-written', {
      message: written,
      client_info: { keyboard: true, lang_id: 0 },
    });
    const [held] = await eventually(
      () => inquiriesOf(GLEB),
      (found) => found.length > 0,
    );
    await callback('message_edit', 'e2e-chat-edit-unmentioned', {
      ...written,
      text: 'Не работает лифт в доме 13 по улице Мира',
      update_time: now(),
    });
    const changed = await eventually(
      async () => runtime.inquiries.getInquiry(held?.id ?? ''),
      (found) => found?.text.includes('доме 13') === true,
    );
    expect(changed?.text).toBe('Не работает лифт в доме 13 по улице Мира');

    // The talk, never stored, edited to mention the community: an inquiry, acknowledged in the chat.
    const talk = inChat(DARIA, 42, 'Соседи, у кого тоже нет света в подъезде?');
    await callback('message_new', 'e2e-chat-edit-talk', {
      message: talk,
      client_info: { keyboard: true, lang_id: 0 },
    });
    await settled();
    expect(await inquiriesOf(DARIA)).toEqual([]);
    await callback('message_edit', 'e2e-chat-edit-mentioned', {
      ...talk,
      text: `${mention} Нет света во втором подъезде дома 3 по улице Мира`,
      update_time: now(),
    });
    const [opened] = await eventually(
      () => inquiriesOf(DARIA),
      (found) => found.length > 0,
    );
    expect(opened).toMatchObject({ status: 'routed', messageCount: 1 });
    await eventually(
      async () => sentTo(CHAT),
      (sent) => sent.length >= 2,
    );
    await settled();
    const quoted = sentTo(CHAT).map(
      (call) => JSON.parse(String(call.params.forward)).conversation_message_ids[0] as number,
    );
    expect(quoted.sort()).toEqual([41, 42]);
    expect(await inquiriesOf(GLEB, DARIA)).toHaveLength(2);
  });
});

describe("a citizen's edit of a direct message, end to end", () => {
  const CITIZEN = 7300010;

  it('changes the words the inquiry holds', async () => {
    const message = {
      id: 5101,
      date: now(),
      peer_id: CITIZEN,
      from_id: CITIZEN,
      out: 0,
      conversation_message_id: 31,
      text: 'Не работает лифт в доме 5 по улице Ленина, третий день',
      attachments: [],
    };
    await callback('message_new', 'e2e-dm-edit-new', {
      message,
      client_info: { keyboard: true, lang_id: 0 },
    });
    const [inquiry] = await eventually(
      () => inquiriesOf(CITIZEN),
      (found) => found.length > 0,
    );
    // VK documents message_edit for the community's own messages only; it is seen for a citizen's too.
    await callback('message_edit', 'e2e-dm-edit', {
      ...message,
      text: 'Не работает лифт в доме 15 по улице Ленина, третий день',
      update_time: now(),
    });
    const stored = await eventually(
      async () => runtime.inquiries.getInquiry(inquiry?.id ?? ''),
      (found) => found?.text.includes('доме 15') === true,
    );
    expect(stored?.text).toBe('Не работает лифт в доме 15 по улице Ленина, третий день');
  });
});
