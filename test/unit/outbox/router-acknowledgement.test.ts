import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { ClassifiedMessage } from '../../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../../lambdas/domain/outbox/outbox-message.js';
import { createAcknowledger } from '../../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import { MemoryInquiryRepository } from '../inquiry/memory-repository.js';

const raw = JSON.parse(readFileSync('config/local.json', 'utf8'));
const now = '2026-03-02T06:00:00.000Z'; // Monday, 11:00 in Yekaterinburg

function routerWith(
  acknowledgement?: unknown,
  failFirstSend = false,
  inquiries = new MemoryInquiryRepository(),
) {
  const community = { ...raw.communities[0], ...(acknowledgement !== undefined && { acknowledgement }) };
  const config = parseAppConfig({ ...raw, communities: [community] }, 'test');
  const sent: OutboxMessage[] = [];
  let failures = failFirstSend ? 1 : 0;
  const outbox = {
    send: async (message: OutboxMessage) => {
      if (failures-- > 0) throw new Error('the queue is unreachable');
      sent.push(message);
    },
  };
  const clock = { now: () => new Date(now) };
  const router = createMessageRouter({
    config,
    inquiries,
    clock,
    inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    acknowledge: createAcknowledger({ config, outbox, clock }),
  });
  return { router, sent };
}

const classified = (eventKey: string, peer: number, inquiry = true): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: now,
  message: {
    groupId: 123456789,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: peer },
    messageRef: `dm:${peer}:${eventKey}`,
    conversationKey: `dm:${peer}`,
    authorId: peer,
    text: 'Во дворе не вывозят мусор',
    attachments: [],
    sentAt: now,
  },
  classification: {
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    inquiry,
    triage: false,
    model: 't',
  },
});

describe('the acknowledgement of a routed inquiry', () => {
  it('is put on the outbox with one id, however often the event comes, with the case, the department and the due time', async () => {
    const { router, sent } = routerWith();
    await router.routeCitizenMessage(classified('e1', 7));
    // A redelivery asks again (the first try may have stopped before the outbox); the id makes it one message.
    await router.routeCitizenMessage(classified('e1', 7));
    expect(new Set(sent.map((message) => message.id)).size).toBe(1);
    expect(sent[0]).toMatchObject({
      id: 'id-e1:acknowledgement:routed',
      purpose: 'acknowledgement',
      replyTo: { channel: 'direct_message', peerId: 7 },
    });
    // The case number, the community's first of the year: not the id, which no one can read out on the phone.
    expect(sent[0]?.text).toContain('под номером 2026-000001.');
    expect(sent[0]?.text).toContain('Департамент ЖКХ');
    expect(sent[0]?.text).toMatch(/до 3 марта в \d\d:\d\d по местному времени \(МСК\+2\)\./);
  });

  it('is not sent for a follow-up, nor for what is not an inquiry', async () => {
    const { router, sent } = routerWith();
    await router.routeCitizenMessage(classified('e1', 7));
    await router.routeCitizenMessage(classified('e2', 7));
    await router.routeCitizenMessage(classified('e3', 8, false));
    expect(sent.map((message) => message.inquiryId)).toEqual(['id-e1']);
    // A redelivered opening asks again (same id); a redelivered follow-up is still a follow-up.
    expect(await router.routeCitizenMessage(classified('e1', 7))).toMatchObject({
      outcome: 'duplicate',
      acknowledgement: 'queued',
    });
    expect(await router.routeCitizenMessage(classified('e2', 7))).toMatchObject({
      outcome: 'duplicate',
      acknowledgement: 'follow_up',
    });
  });

  it('is asked for again when the outbox failed the first time, with the same id', async () => {
    const { router, sent } = routerWith(undefined, true);
    await expect(router.routeCitizenMessage(classified('e1', 7))).rejects.toThrow(/unreachable/);
    await router.routeCitizenMessage(classified('e1', 7));
    expect(sent.map((message) => message.id)).toEqual(['id-e1:acknowledgement:routed']);
  });

  it('is sent by the retry when the first try stopped after storing the inquiry, before its lookup', async () => {
    const inquiries = new MemoryInquiryRepository();
    const saveMessageLookup = inquiries.saveMessageLookup.bind(inquiries);
    let failures = 1;
    inquiries.saveMessageLookup = async (lookup) => {
      if (failures-- > 0) throw new Error('the table is unreachable');
      return saveMessageLookup(lookup);
    };
    const { router, sent } = routerWith(undefined, false, inquiries);
    await expect(router.routeCitizenMessage(classified('e1', 7))).rejects.toThrow(/unreachable/);
    expect(sent).toEqual([]);
    // The inquiry is stored and its lookup missing: the retry stores the lookup, and tells the citizen.
    expect(await router.routeCitizenMessage(classified('e1', 7))).toMatchObject({
      outcome: 'duplicate',
      acknowledgement: 'queued',
    });
    expect(sent.map((message) => message.id)).toEqual(['id-e1:acknowledgement:routed']);
  });

  it('follows the community template, or is off', async () => {
    const custom = routerWith({ template: 'Обращение {caseNumber} принято.' });
    await custom.router.routeCitizenMessage(classified('e1', 7));
    expect(custom.sent[0]?.text).toBe('Обращение 2026-000001 принято.');
    const off = routerWith({ enabled: false });
    // Told apart from one that is stuck: the router logs why it queued none.
    expect(await off.router.routeCitizenMessage(classified('e1', 7))).toMatchObject({
      status: 'routed',
      acknowledgement: 'disabled',
    });
    expect(off.sent).toEqual([]);
  });

  it('refuses a template with an unknown placeholder', () => {
    expect(() => routerWith({ template: 'Номер {номер}' })).toThrow(/unknown placeholder/);
  });

  it('carries the community words for once its time has passed', async () => {
    const { router, sent } = routerWith({
      template: 'Здравствуйте!\nОбращение № {caseNumber} передано: {department}\nСрок ответа: {dueAt}',
      templateOnceDue: 'Здравствуйте!\nОбращение № {caseNumber} передано: {department}',
    });
    await router.routeCitizenMessage(classified('e1', 7));
    expect(sent[0]?.textOnceDue).toBe('Здравствуйте!\nОбращение № 2026-000001 передано: Департамент ЖКХ');
  });

  it('refuses words for once its time has passed that lack the case number or name the time', () => {
    const template = 'Обращение {caseNumber} принято. Ответим до {dueAt}.';
    expect(() => routerWith({ template, templateOnceDue: 'Обращение принято.' })).toThrow(
      /communities\[0\]\.acknowledgement\.templateOnceDue: must name \{caseNumber\}/,
    );
    expect(() =>
      routerWith({ template, templateOnceDue: 'Обращение {caseNumber}, ответ до {dueAt}.' }),
    ).toThrow(/templateOnceDue: must not name \{dueAt\}/);
    expect(() => routerWith({ template, templateOnceDue: 'Обращение {caseNumber} {срок}' })).toThrow(
      /templateOnceDue: unknown placeholder \{срок\}/,
    );
  });
});
