import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { slaTermsFor } from '../../../lambdas/domain/inquiry/deadline.js';
import { openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { routeInquiry } from '../../../lambdas/domain/inquiry/routing.js';
import type { ClassifiedMessage } from '../../../lambdas/domain/messages.js';
import type { Classification } from '../../../lambdas/domain/taxonomy.js';
import type { CitizenMessage } from '../../../lambdas/domain/vk/citizen-message.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import { MemoryInquiryRepository } from './memory-repository.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'local');
const groupId = 123456789;

/**
 * A citizen's direct message number `n` (of the first nine seconds of 05:59), read as a sure `waste` report
 * or, `triage`, as one for triage to read.
 */
const wasteReport = (
  citizen: number,
  n: number,
  eventKey: string,
  text: string,
  triage: boolean,
): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: '2026-03-02T06:00:00.000Z',
  message: {
    groupId,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: citizen, conversationMessageId: n },
    messageRef: `dm:${citizen}:${n}`,
    conversationKey: `dm:${citizen}`,
    authorId: citizen,
    text,
    attachments: [],
    sentAt: `2026-03-02T05:59:0${n}.000Z`,
  },
  classification: {
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    inquiry: true,
    triage,
    model: 't',
  },
});
const deadlineContext = {
  calendar: config.communities[0]?.calendar as (typeof config.communities)[0]['calendar'],
  warnAtFraction: 0.8,
};

describe('routeInquiry', () => {
  it('sends a category to the department of the first matching rule', () => {
    expect(routeInquiry(config, { groupId, category: 'roads', triage: false })).toEqual({
      department: 'roads',
      rule: 3,
    });
    expect(routeInquiry(config, { groupId, category: 'waste', triage: false }).department).toBe('housing');
  });

  it('sends what no rule matches, and what the classifier is unsure of, to triage', () => {
    expect(routeInquiry(config, { groupId, category: 'health', triage: false })).toEqual({
      department: 'triage',
      rule: null,
    });
    expect(routeInquiry(config, { groupId, category: 'roads', triage: true }).department).toBe('triage');
  });

  it('matches a rule by priority and by a pattern in the text (a street, a keyword), ё or е alike', () => {
    const withText = {
      ...config,
      routing: [
        { priority: 'critical' as const, department: 'triage' },
        { category: 'roads' as const, patterns: ['ул\\.? ?Ленина', 'светофор'], department: 'housing' },
        ...config.routing,
      ],
    };
    const route = (text: string, priority: 'critical' | 'normal' = 'normal') =>
      routeInquiry(withText, { groupId, category: 'roads', priority, text, triage: false });
    expect(route('Яма на ул. Ленина у дома 5')).toEqual({ department: 'housing', rule: 1 });
    expect(route('Не работает СВЕТОФОР на перекрёстке').department).toBe('housing');
    expect(route('Яма на улице Мира').department).toBe('roads');
    expect(route('Яма на улице Мира', 'critical')).toEqual({ department: 'triage', rule: 0 });
  });

  it('honours a rule limited to another community', () => {
    const scoped = {
      ...config,
      routing: [{ community: 42, category: 'roads' as const, department: 'housing' }, ...config.routing],
    };
    expect(routeInquiry(scoped, { groupId, category: 'roads', triage: false }).department).toBe('roads');
  });
});

describe('the router, on words passed on', () => {
  it('routes by a street named in a forwarded message as by one the citizen typed', async () => {
    const byStreet = {
      ...config,
      routing: [
        { category: 'roads' as const, patterns: ['ул\\.? ?Ленина'], department: 'housing' },
        ...config.routing,
      ],
    };
    const router = createMessageRouter({
      config: byStreet,
      inquiries: new MemoryInquiryRepository(),
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    });
    const forwardedOnly: ClassifiedMessage = {
      kind: 'citizen_message',
      eventKey: 'e:pit',
      receivedAt: '2026-03-02T06:00:00.000Z',
      message: {
        groupId,
        channel: 'direct_message',
        replyTo: { channel: 'direct_message', peerId: 5 },
        messageRef: 'dm:5:1',
        conversationKey: 'dm:5',
        authorId: 5,
        text: '',
        attachments: [{ kind: 'forwarded_messages', count: 1 }],
        quoted: [{ kind: 'forwarded', depth: 1, authorId: 6, text: 'Яма на ул. Ленина у дома 5' }],
        sentAt: '2026-03-02T05:59:00.000Z',
      },
      classification: {
        category: 'roads',
        priority: 'normal',
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 'test',
      },
    };
    expect(await router.routeCitizenMessage(forwardedOnly)).toMatchObject({ department: 'housing' });
  });

  it('counts the inquiry re-routed when a message of its burst routes it to a department', async () => {
    const metrics = recordingMetrics();
    const router = createMessageRouter({
      config,
      inquiries: new MemoryInquiryRepository(),
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
      metrics,
    });
    const written = (n: number, text: string, triage: boolean) => wasteReport(5, n, `e:${n}`, text, triage);
    expect(await router.routeCitizenMessage(written(1, 'У меня проблема', true))).toMatchObject({
      department: 'triage',
    });
    expect(await router.routeCitizenMessage(written(2, 'Во дворе не вывозят мусор', false))).toMatchObject({
      outcome: 'joined',
      department: 'housing',
    });
    expect(metrics.counts).toContainEqual({
      name: 'InquiriesRerouted',
      dimensions: { department: 'housing' },
    });
  });

  it('drops the message that routed the inquiry when another event brings it before its lookup is stored', async () => {
    const inquiries = new MemoryInquiryRepository();
    const router = createMessageRouter({
      config,
      inquiries,
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    });
    const written = (n: number, eventKey: string, text: string, triage: boolean) =>
      wasteReport(6, n, eventKey, text, triage);
    await router.routeCitizenMessage(written(1, 'e:1', 'У меня проблема', true));
    // The report routes the inquiry, and its try stops before its lookup.
    const saveMessageLookup = inquiries.saveMessageLookup.bind(inquiries);
    let failures = 1;
    inquiries.saveMessageLookup = async (lookup) => {
      if (failures-- > 0) throw new Error('the table is unreachable');
      return saveMessageLookup(lookup);
    };
    const report = 'Во дворе не вывозят мусор';
    await expect(router.routeCitizenMessage(written(2, 'e:2', report, false))).rejects.toThrow(/unreachable/);
    // The same message under another key (a second callback server): held already, not a second follow-up.
    expect(await router.routeCitizenMessage(written(2, 'e:2-again', report, false))).toMatchObject({
      inquiryId: 'id-e:1',
      outcome: 'duplicate',
    });
    expect((await inquiries.getInquiry('id-e:1'))?.causes).not.toContain('e:2-again');
  });

  it('routes by the street of the place a citizen pinned, and keeps the place on the inquiry', async () => {
    const byStreet = {
      ...config,
      routing: [
        { category: 'roads' as const, patterns: ['ул\\.? ?Ленина'], department: 'housing' },
        ...config.routing,
      ],
    };
    const inquiries = new MemoryInquiryRepository();
    const router = createMessageRouter({
      config: byStreet,
      inquiries,
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    });
    const location = {
      latitude: 58.0105,
      longitude: 56.2502,
      title: 'ул. Ленина, 12',
      city: 'Пермь',
      mapUrl: 'https://yandex.ru/maps/?pt=56.2502,58.0105&z=17&l=map',
    };
    const pinned = (eventKey: string, peerId: number, where?: typeof location): ClassifiedMessage => ({
      kind: 'citizen_message',
      eventKey,
      receivedAt: '2026-03-02T06:00:00.000Z',
      message: {
        groupId,
        channel: 'direct_message',
        replyTo: { channel: 'direct_message', peerId },
        messageRef: `dm:${peerId}:1`,
        conversationKey: `dm:${peerId}`,
        authorId: peerId,
        text: 'Яма на дороге, машины объезжают по встречке',
        attachments: [{ kind: 'geo', count: 1 }],
        ...(where && { location: where }),
        sentAt: '2026-03-02T05:59:00.000Z',
      },
      classification: {
        category: 'roads',
        priority: 'normal',
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 'test',
      },
    });
    const opened = await router.routeCitizenMessage(pinned('e:pinned', 15, location));
    expect(opened).toMatchObject({ department: 'housing' });
    expect(inquiries.inquiries.get(opened.inquiryId)?.location).toEqual(location);
    const message = [...inquiries.history.values()].find(
      (entry) => entry.inquiryId === opened.inquiryId && entry.kind === 'message',
    );
    expect(message?.detail.location).toEqual(location);
    // Without the place the same words go where the category goes.
    expect(await router.routeCitizenMessage(pinned('e:unpinned', 16))).toMatchObject({ department: 'roads' });
  });
});

describe('openInquiry', () => {
  const message: CitizenMessage = {
    groupId,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: 'dm:5:1',
    conversationKey: 'dm:5',
    authorId: 5,
    text: 'Во дворе не вывозят мусор',
    attachments: [],
    sentAt: '2026-03-02T05:59:00.000Z',
  };
  const classification: Classification = {
    category: 'waste',
    priority: 'high',
    confidence: 0.8,
    inquiry: true,
    triage: false,
    model: 'test',
  };
  const now = new Date('2026-03-02T06:00:00Z');

  it('opens a routed inquiry with department, deadline and a history of message, classification and routing', () => {
    const { inquiry, history } = openInquiry({
      id: 'i1',
      eventKey: 'e:1',
      message,
      classification,
      routing: { department: 'housing', rule: 1 },
      deadlines: { terms: slaTermsFor(config.sla, 'waste', 'high'), context: deadlineContext },
      receivedAt: now,
      now,
      triageDepartment: 'triage',
    });
    expect(inquiry).toMatchObject({
      status: 'routed',
      department: 'housing',
      // The citizen's wait counts from when the message reached us, not from when it was processed.
      firstResponseStartedAt: '2026-03-02T06:00:00.000Z',
      // Monday 11:00 in Perm (UTC+5) + 4 working hours, an hour of lunch between: 16:00 local.
      firstResponseDueAt: '2026-03-02T11:00:00.000Z',
      version: 1,
    });
    expect(history.map((entry) => entry.kind)).toEqual(['message', 'classified', 'routed']);
  });

  it('records a message that is not an inquiry as rejected, with no deadline, listed under triage for review', () => {
    const { inquiry, history } = openInquiry({
      id: 'i2',
      eventKey: 'e:2',
      message: { ...message, text: 'Спасибо!' },
      classification: { ...classification, inquiry: false },
      routing: null,
      deadlines: null,
      receivedAt: now,
      now,
      triageDepartment: 'triage',
    });
    expect(inquiry).toMatchObject({ status: 'rejected', department: 'triage', clockCount: 0 });
    expect(inquiry.clock).toBeUndefined();
    expect(inquiry.firstResponseDueAt).toBeUndefined();
    expect(history.at(-1)).toMatchObject({ kind: 'rejected', detail: { department: 'triage' } });
  });
});
