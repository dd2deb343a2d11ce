import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messagesByDay, missedMessageEvents } from '../../../lambdas/domain/vk/catch-up.js';
import { eventKeyOf } from '../../../lambdas/domain/vk/event-key.js';
import { toCitizenMessage } from '../../../lambdas/domain/vk/normalise.js';

const GROUP = 4321;
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const at = (iso: string) => Date.parse(iso) / 1000;
const window = { since: new Date('2026-03-02T10:00:00Z'), until: new Date('2026-03-02T12:00:00Z') };

const message = (peerId: number, cmid: number, iso: string, extra: Record<string, unknown> = {}) => ({
  id: 1000 + cmid,
  conversation_message_id: cmid,
  peer_id: peerId,
  from_id: peerId,
  date: at(iso),
  out: 0,
  text: `message ${cmid}`,
  attachments: [],
  fwd_messages: [],
  ...extra,
});

describe('missedMessageEvents', () => {
  it("keeps the citizens' messages of the window, oldest first, as message_new events without event_id", () => {
    const events = missedMessageEvents(
      GROUP,
      '5.199',
      [
        {
          peerId: 501,
          messages: [
            message(501, 4, '2026-03-02T11:30:00Z', { out: 1, from_id: -GROUP }),
            message(501, 3, '2026-03-02T11:00:00Z'),
            message(501, 2, '2026-03-02T09:59:59Z'),
          ],
        },
        {
          peerId: 502,
          messages: [message(502, 7, '2026-03-02T12:00:00Z'), message(502, 6, '2026-03-02T10:00:00Z')],
        },
      ],
      window,
    );
    expect(events).toEqual([
      {
        type: 'message_new',
        group_id: GROUP,
        v: '5.199',
        object: { message: message(502, 6, '2026-03-02T10:00:00Z') },
      },
      {
        type: 'message_new',
        group_id: GROUP,
        v: '5.199',
        object: { message: message(501, 3, '2026-03-02T11:00:00Z') },
      },
    ]);
    for (const event of events) expect(event).not.toHaveProperty('event_id');
  });

  it("leaves out the community's own messages in a chat, however VK flags them", () => {
    const chat = 2_000_000_001;
    const events = missedMessageEvents(
      GROUP,
      '5.199',
      [
        {
          peerId: chat,
          messages: [
            message(chat, 9, '2026-03-02T11:00:00Z', { id: 0, from_id: -GROUP }),
            message(chat, 8, '2026-03-02T11:00:00Z', { id: 0, out: true, from_id: -GROUP }),
            message(chat, 7, '2026-03-02T11:00:00Z', { id: 0, from_id: 77 }),
          ],
        },
      ],
      window,
    );
    expect(
      events.map(
        (event) =>
          (event.object as { message: { conversation_message_id: number } }).message.conversation_message_id,
      ),
    ).toEqual([7]);
  });

  it('takes a message that two pages held once, and gives it the same key on every run', () => {
    const histories = [
      {
        peerId: 501,
        messages: [message(501, 3, '2026-03-02T11:00:00Z'), message(501, 3, '2026-03-02T11:00:00Z')],
      },
    ];
    const first = missedMessageEvents(GROUP, '5.199', histories, window);
    const second = missedMessageEvents(GROUP, '5.199', structuredClone(histories), window);
    expect(first).toHaveLength(1);
    const key = eventKeyOf(first[0] as never, sha256);
    expect(key).toMatch(new RegExp(`^d:${GROUP}:`));
    expect(eventKeyOf(second[0] as never, sha256)).toBe(key);
  });

  it('skips what is not a message VK would send', () => {
    const events = missedMessageEvents(
      GROUP,
      '5.199',
      [
        {
          peerId: 501,
          messages: [null, 'text', { date: 'soon' }, message(501, 0, '2026-03-02T11:00:00Z', { id: 0 })],
        },
      ],
      window,
    );
    expect(events).toEqual([]);
  });

  it('makes events the pipeline reads as a citizen message of the dialogue', () => {
    const [event] = missedMessageEvents(
      GROUP,
      '5.199',
      [{ peerId: 501, messages: [message(501, 3, '2026-03-02T11:00:00Z')] }],
      window,
    );
    const read = toCitizenMessage(event as never);
    expect(read?.messageRef).toBe('dm:501:3');
    expect(read?.text).toBe('message 3');
  });
});

describe('messagesByDay', () => {
  it('counts the messages by the UTC day they were written', () => {
    const events = missedMessageEvents(
      GROUP,
      '5.199',
      [
        {
          peerId: 501,
          messages: [
            message(501, 3, '2026-03-03T00:10:00Z'),
            message(501, 2, '2026-03-02T23:50:00Z'),
            message(501, 1, '2026-03-02T22:00:00Z'),
          ],
        },
      ],
      { since: new Date('2026-03-02T00:00:00Z'), until: new Date('2026-03-04T00:00:00Z') },
    );
    expect([...messagesByDay(events)]).toEqual([
      ['2026-03-02', 2],
      ['2026-03-03', 1],
    ]);
  });
});
