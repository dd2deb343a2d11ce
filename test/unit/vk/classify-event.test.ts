import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../lambdas/adapters/classifier-model.js';
import {
  createEventClassifier,
  EventInFlightError,
  toRoutingMessage,
  UnreadableEventError,
} from '../../../lambdas/classifier/classify-event.js';
import { MAX_CLASSIFIED_CHARACTERS } from '../../../lambdas/domain/classifier/index.js';
import { type RoutingMessage, routingMessageSchema } from '../../../lambdas/domain/messages.js';
import type { Classification } from '../../../lambdas/domain/taxonomy.js';
import type { AttachmentSummary, CitizenMessage } from '../../../lambdas/domain/vk/citizen-message.js';
import { vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { eventKeyOf } from '../../../lambdas/domain/vk/event-key.js';
import type { ClaimResult, VkEventLedger } from '../../../lambdas/domain/vk/event-ledger.js';
import { fixture } from '../../support/fixtures.js';
import { readFixture } from '../classifier/fixtures.js';

const classification: Classification = {
  category: 'waste',
  priority: 'normal',
  confidence: 0.9,
  inquiry: true,
  triage: false,
  model: 'test',
};

/** The ledger's contract, in memory. */
function memoryLedger(): VkEventLedger & { states: Map<string, string> } {
  const states = new Map<string, string>();
  const key = (groupId: number, eventKey: string) => `${groupId}#${eventKey}`;
  return {
    states,
    claim: async (groupId, eventKey): Promise<ClaimResult> => {
      const state = states.get(key(groupId, eventKey));
      if (state === 'forwarded') return 'done';
      if (state === 'claimed') return 'busy';
      states.set(key(groupId, eventKey), 'claimed');
      return 'claimed';
    },
    complete: async (groupId, eventKey) => void states.set(key(groupId, eventKey), 'forwarded'),
    release: async (groupId, eventKey) => void states.delete(key(groupId, eventKey)),
  };
}

function setUp(options: { queueFails?: boolean } = {}) {
  const routed: RoutingMessage[] = [];
  const counted: string[] = [];
  const ledger = memoryLedger();
  const classifyEvent = createEventClassifier({
    classify: () => classification,
    ledger,
    routingQueue: {
      send: async (message) => {
        if (options.queueFails) throw new Error('queue down');
        routed.push(message);
      },
    },
    countEvent: (type, prefix) => void counted.push(prefix ? `${prefix}.${type}` : type),
  });
  return { classifyEvent, routed, counted, ledger };
}

const received = (name: string) => {
  const event = vkEventSchema.parse(fixture(name));
  return {
    eventKey: eventKeyOf(event, (text) => createHash('sha256').update(text).digest('base64url')),
    groupId: event.group_id,
    type: event.type,
    receivedAt: '2026-03-02T06:00:00.000Z',
    event,
  };
};

describe('classifyEvent', () => {
  it('hands a citizen message on once, classified, and drops the same event the second time', async () => {
    const { classifyEvent, routed } = setUp();
    expect(await classifyEvent(received('vknet/WallReplyNewTest.json'))).toEqual({
      outcome: 'routed',
      kind: 'citizen_message',
    });
    expect(await classifyEvent(received('vknet/WallReplyNewTest.json'))).toMatchObject({
      outcome: 'duplicate',
    });
    expect(routed).toHaveLength(1);
    expect(routed[0]).toMatchObject({
      kind: 'citizen_message',
      classification,
      message: { channel: 'wall_comment' },
    });
  });

  it('makes changes and operator replies routing messages of their kind', async () => {
    const { classifyEvent, routed } = setUp();
    for (const name of [
      'vknet/WallReplyEditTest.json',
      'vknet/VideoCommentDeleteTest.json',
      'vknet/MessageReplyTest.json',
    ])
      await classifyEvent(received(name));
    expect(routed.map((message) => message.kind)).toEqual([
      'message_changed',
      'message_changed',
      'operator_reply_in_vk',
    ]);
    expect(routed[1]).toMatchObject({ change: 'deleted', deleterId: 12345, groupId: 1234 });
  });

  it('classifies the new text of an edit, so that a message edited into an inquiry can be routed', async () => {
    const { classifyEvent, routed } = setUp();
    await classifyEvent(received('vknet/WallReplyEditTest.json'));
    await classifyEvent(received('vknet/VideoCommentDeleteTest.json'));
    expect(routed[0]).toMatchObject({
      kind: 'message_changed',
      change: 'edited',
      text: 'test1',
      classification,
    });
    expect(routed[1]).not.toHaveProperty('classification');
  });

  it('counts service events and the community own words by type, once each', async () => {
    const { classifyEvent, routed, counted } = setUp();
    await classifyEvent(received('vknet/GroupJoinTest.json'));
    await classifyEvent(received('vknet/GroupJoinTest.json'));
    await classifyEvent(received('vknet/BoardPostNewFirst.json'));
    await classifyEvent(received('vknet/MessageEditTest.json'));
    expect(routed).toEqual([]);
    expect(counted).toEqual(['group_join', 'own_words.board_post_new', 'own_words.message_edit']);
  });

  it('counts message_allow and message_deny, and hands nothing of the citizen on: VK decides at each reply', async () => {
    const { classifyEvent, routed, counted } = setUp();
    expect(await classifyEvent(received('vknet/MessageAllowTest.json'))).toEqual({
      outcome: 'counted',
      kind: 'service',
    });
    await classifyEvent(received('vknet/MessageDenyTest.json'));
    expect(routed).toEqual([]);
    expect(counted).toEqual(['message_allow', 'message_deny']);
  });

  it("counts a group chat's talk and service messages by why, and routes nothing of them", async () => {
    const { classifyEvent, routed, counted } = setUp();
    const inChat = (eventId: string, fields: Record<string, unknown>) => {
      const body = fixture('03_message_new__vknet.json');
      const { message } = body.object as { message: Record<string, unknown> };
      const chat = { ...message, id: 0, peer_id: 2000000005, ...fields };
      const event = vkEventSchema.parse({ ...body, event_id: eventId, object: { message: chat } });
      return { ...received('03_message_new__vknet.json'), eventKey: `e:${eventId}`, event };
    };
    expect(await classifyEvent(inChat('talk', { text: 'у нас тоже нет воды' }))).toEqual({
      outcome: 'counted',
      kind: 'chat_chatter',
    });
    await classifyEvent(inChat('invite', { text: '', action: { type: 'chat_invite_user', member_id: 5 } }));
    expect(routed).toEqual([]);
    expect(counted).toEqual(['chat_not_addressed.message_new', 'chat_service_message.message_new']);
  });

  it('releases its claim when the routing queue fails, so that the retry hands the event on', async () => {
    const failing = setUp({ queueFails: true });
    await expect(failing.classifyEvent(received('vknet/MessageNewTest.json'))).rejects.toThrow('queue down');
    expect(failing.ledger.states.size).toBe(0);
  });

  it('leaves an event another attempt holds to SQS to deliver again, and sends unreadable ones to the DLQ path', async () => {
    const { classifyEvent, ledger } = setUp();
    const event = received('vknet/MessageNewTest.json');
    await ledger.claim(event.groupId, event.eventKey);
    await expect(classifyEvent(event)).rejects.toBeInstanceOf(EventInFlightError);
    const broken = { ...event, eventKey: 'e:broken', event: { ...event.event, object: { message: 5 } } };
    await expect(classifyEvent(broken)).rejects.toBeInstanceOf(UnreadableEventError);
  });
});

/** A recorded event whose own `date` (the message's, or the object's) is `date`. */
const datedAt = (name: string, date: number) => {
  const event = received(name);
  const object = event.event.object as Record<string, unknown>;
  const message = object.message as Record<string, unknown> | undefined;
  const dated = message ? { ...object, message: { ...message, date } } : { ...object, date };
  return { ...event, event: { ...event.event, object: dated } };
};

describe('a message whose VK date no ISO instant writes', () => {
  // Past 9999-12-31T23:59:59Z an ISO date-time needs a sign and six digits, which the router's schema
  // refuses; past ±8.64e15 ms a JavaScript date is no date at all (toISOString throws).
  const OFF = [253_402_300_800, 1e15, -1];

  it('is handed on as sent when ingest received it, in a routing message the router reads', async () => {
    for (const date of OFF)
      for (const name of [
        'vknet/MessageNewTest.json',
        'vknet/WallReplyNewTest.json',
        'vknet/MessageReplyTest.json',
      ]) {
        const { classifyEvent, routed } = setUp();
        const event = datedAt(name, date);
        await classifyEvent(event);
        expect(routingMessageSchema.safeParse(routed[0]).success).toBe(true);
        const [message] = routed;
        const sentAt =
          message?.kind === 'citizen_message'
            ? message.message.sentAt
            : message?.kind === 'operator_reply_in_vk'
              ? message.sentAt
              : undefined;
        expect(sentAt).toBe(event.receivedAt);
      }
  });

  it('is a change that says nothing of when its message was written', async () => {
    for (const date of OFF) {
      const { classifyEvent, routed } = setUp();
      await classifyEvent(datedAt('vknet/WallReplyEditTest.json', date));
      expect(routingMessageSchema.safeParse(routed[0]).success).toBe(true);
      expect(routed[0]).toMatchObject({ kind: 'message_changed', change: 'edited', text: 'test1' });
      expect(routed[0]).not.toHaveProperty('sentAt');
    }
  });
});

describe('a message without a word', () => {
  // As the classifier answers a text with no word in it: not an inquiry.
  const byText = (text: string): Classification =>
    /[\p{L}\p{N}]/u.test(text)
      ? classification
      : { ...classification, category: 'other', inquiry: false, confidence: 0.9 };
  const routedWith = (
    text: string,
    attachments: AttachmentSummary[],
    passedOn: Pick<CitizenMessage, 'quoted'> = {},
  ) => {
    const { event, ...rest } = received('03_message_new__vknet.json');
    const message = {
      ...passedOn,
      groupId: 1,
      channel: 'direct_message' as const,
      replyTo: { channel: 'direct_message' as const, peerId: 5 },
      messageRef: 'dm:5:1',
      conversationKey: 'dm:5',
      authorId: 5,
      text,
      attachments,
      sentAt: '2026-03-02T06:00:00.000Z',
    };
    const routing = toRoutingMessage({ ...rest, event }, { kind: 'citizen_message', message }, byText);
    return routing?.kind === 'citizen_message' ? routing.classification : undefined;
  };

  it('goes to triage when it carries something to read: a voice message, a photo, a forwarded post', () => {
    for (const kind of ['audio_message', 'photo', 'forwarded_messages', 'wall', 'doc', 'geo'])
      expect(routedWith('', [{ kind, count: 1 }]), kind).toMatchObject({
        inquiry: true,
        triage: true,
        category: 'other',
        confidence: 0,
      });
    expect(routedWith('👍📷', [{ kind: 'photo', count: 2 }])).toMatchObject({ inquiry: true, triage: true });
  });

  it('is not wordless when its words are forwarded, quoted or reposted: it is classified on them', () => {
    const forwarded = { kind: 'forwarded' as const, depth: 1, authorId: 7, text: 'В подъезде пахнет газом' };
    for (const kind of ['forwarded', 'reply', 'repost', 'shared_post'] as const)
      expect(
        routedWith('', [{ kind: 'forwarded_messages', count: 1 }], { quoted: [{ ...forwarded, kind }] }),
        kind,
      ).toEqual(classification);
  });

  it("stays wordless when the only words passed on are the community's own messages quoted back", () => {
    const ours = { kind: 'reply' as const, depth: 1, authorId: -1, text: 'Ваше обращение принято' };
    expect(routedWith('', [{ kind: 'reply_to_message', count: 1 }], { quoted: [ours] })).toMatchObject({
      inquiry: false,
    });
    expect(
      routedWith(
        '',
        [
          { kind: 'photo', count: 1 },
          { kind: 'reply_to_message', count: 1 },
        ],
        { quoted: [ours] },
      ),
    ).toMatchObject({ inquiry: true, triage: true });
  });

  it('stays a reaction when it carries nothing more: a sticker, a gift, or words that are a reaction', () => {
    expect(routedWith('', [{ kind: 'sticker', count: 1 }])).toMatchObject({ inquiry: false });
    expect(routedWith('', [])).toMatchObject({ inquiry: false });
    expect(routedWith('👍', [{ kind: 'gift', count: 1 }])).toMatchObject({ inquiry: false });
  });
});

describe('a message with no word the classifier reads, with the real model', () => {
  const classified = (text: string, attachments: AttachmentSummary[] = []) => {
    const { event, ...rest } = received('03_message_new__vknet.json');
    const message = {
      groupId: 1,
      channel: 'direct_message' as const,
      replyTo: { channel: 'direct_message' as const, peerId: 5 },
      messageRef: 'dm:5:1',
      conversationKey: 'dm:5',
      authorId: 5,
      text,
      attachments,
      sentAt: '2026-03-02T06:00:00.000Z',
    };
    const routing = toRoutingMessage({ ...rest, event }, { kind: 'citizen_message', message }, classify);
    return routing?.kind === 'citizen_message' ? routing.classification : undefined;
  };
  const triage = { inquiry: true, triage: true, category: 'other', priority: 'normal' };
  const photo = { kind: 'photo', count: 1, links: ['https://sun9-1.userapi.com/photo.jpg'] };

  it('goes to triage when a mention or a link is its only text and it carries a photo', () => {
    expect(classified('[club123456789|@perm_admin]', [photo])).toMatchObject(triage);
    expect(classified('@club123456789', [photo])).toMatchObject(triage);
    expect(classified('#Казань #ямы', [photo])).toMatchObject(triage);
    expect(classified('#Казань #ямы')).toMatchObject({ inquiry: false });
    expect(classified('https://yandex.ru/maps/-/CHaBcDeF', [photo])).toMatchObject(triage);
  });

  it('goes to triage when a link is all it holds, in its text as VK sends one, or attached', () => {
    expect(classified('https://yandex.ru/maps/-/CHaBcDeF')).toMatchObject(triage);
    expect(classified('vk.com/wall-123456789_42')).toMatchObject(triage);
    expect(classified('', [{ kind: 'link', count: 1 }])).toMatchObject(triage);
  });

  it('stays no inquiry when it holds only emoji, a mention, or a sticker: the rules on reactions hold', () => {
    const reactions = readFixture('not-inquiries.jsonl').filter((text) => !/[\p{L}\p{N}]/u.test(text));
    expect(reactions.length).toBeGreaterThan(10);
    for (const text of reactions) {
      expect(classified(text), text).toMatchObject({ inquiry: false });
      expect(classified(text, [{ kind: 'sticker', count: 1 }]), text).toMatchObject({ inquiry: false });
      expect(classified(text, [photo]), text).toMatchObject(triage);
    }
    expect(classified('[club123456789|@perm_admin]')).toMatchObject({ inquiry: false });
    expect(classified('', [{ kind: 'sticker', count: 1 }])).toMatchObject({ inquiry: false });
  });
});

describe('a message whose words come in parts, with the real model', () => {
  const TYPED = 'Здравствуйте, год назад уже писала вам про подъезд';
  const SPOKEN = 'в подъезде сильно пахнет газом';
  const voice = {
    type: 'audio_message',
    audio_message: { id: 1, owner_id: 123456789, duration: 4, transcript: SPOKEN, transcript_state: 'done' },
  };
  /** The recorded direct message with other fields, classified as the classifier Lambda does. */
  const classifiedAs = async (type: 'message_new' | 'message_edit', fields: Record<string, unknown>) => {
    const routed: RoutingMessage[] = [];
    const classifyEvent = createEventClassifier({
      classify,
      ledger: memoryLedger(),
      routingQueue: { send: async (message) => void routed.push(message) },
      countEvent: () => undefined,
    });
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    const object =
      type === 'message_new' ? { message: { ...message, ...fields } } : { ...message, ...fields };
    const event = vkEventSchema.parse({ ...body, type, object });
    await classifyEvent({ ...received('03_message_new__vknet.json'), eventKey: `e:${type}`, type, event });
    const [routing] = routed;
    return routing?.kind === 'citizen_message' || routing?.kind === 'message_changed'
      ? routing.classification?.priority
      : undefined;
  };

  it('reads a danger a voice message tells as now, though the typed text before it speaks of the past', async () => {
    expect(await classifiedAs('message_new', { text: `${TYPED}.`, attachments: [] })).toBe('normal');
    expect(await classifiedAs('message_new', { text: SPOKEN, attachments: [] })).toBe('critical');
    expect(await classifiedAs('message_new', { text: TYPED, attachments: [voice] })).toBe('critical');
    expect(await classifiedAs('message_edit', { text: TYPED, attachments: [voice] })).toBe('critical');
  });

  it('reads a danger a forwarded message tells as now, though the typed text before it speaks of the past', async () => {
    const forwarded = { date: 1572809800, from_id: 7000099, text: SPOKEN, attachments: [] };
    expect(await classifiedAs('message_new', { text: TYPED, fwd_messages: [forwarded] })).toBe('critical');
    const spokenThere = { ...forwarded, text: '', attachments: [voice] };
    expect(await classifiedAs('message_new', { text: TYPED, fwd_messages: [spokenThere] })).toBe('critical');
  });

  it('reads the start of each part of a very long message, so that a danger passed on after it still counts', async () => {
    const lengths: number[] = [];
    const routed: RoutingMessage[] = [];
    const classifyEvent = createEventClassifier({
      classify: (text) => {
        lengths.push(text.length);
        return classify(text);
      },
      ledger: memoryLedger(),
      routingQueue: { send: async (message) => void routed.push(message) },
      countEvent: () => undefined,
    });
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    const forwarded = { date: 1572809800, from_id: 7000099, text: SPOKEN, attachments: [] };
    const text = `На улице яма. ${'мост,'.repeat(8000)}`;
    const event = vkEventSchema.parse({
      ...body,
      object: { message: { ...message, text, fwd_messages: [forwarded] } },
    });
    await classifyEvent({ ...received('03_message_new__vknet.json'), eventKey: 'e:long', event });
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_CLASSIFIED_CHARACTERS);
    const [routing] = routed;
    expect(routing?.kind === 'citizen_message' && routing.classification.priority).toBe('critical');
  });

  it('still puts in the past a danger its own sentence tells as long past', async () => {
    const past = await classifiedAs('message_new', { text: `${SPOKEN} год назад`, attachments: [] });
    expect(past).toBeDefined();
    expect(past).not.toBe('critical');
  });
});
