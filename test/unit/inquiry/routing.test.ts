import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { firstResponseDue } from '../../../lambdas/domain/inquiry/deadline.js';
import { openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { routeInquiry } from '../../../lambdas/domain/inquiry/routing.js';
import type { Classification } from '../../../lambdas/domain/taxonomy.js';
import type { CitizenMessage } from '../../../lambdas/domain/vk/citizen-message.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'local');
const groupId = 123456789;

describe('routeInquiry', () => {
  it('sends a category to the department of the first matching rule', () => {
    expect(routeInquiry(config, { groupId, category: 'roads', triage: false })).toEqual({
      department: 'roads',
      rule: 2,
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

  it('honours a rule limited to another community', () => {
    const scoped = {
      ...config,
      routing: [{ community: 42, category: 'roads' as const, department: 'housing' }, ...config.routing],
    };
    expect(routeInquiry(scoped, { groupId, category: 'roads', triage: false }).department).toBe('roads');
  });
});

describe('firstResponseDue', () => {
  it('gives fewer hours to more urgent inquiries', () => {
    const at = new Date('2026-03-02T06:00:00Z');
    expect(firstResponseDue(config.sla, 'critical', at).toISOString()).toBe('2026-03-02T07:00:00.000Z');
    expect(firstResponseDue(config.sla, 'high', at).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(firstResponseDue(config.sla, 'normal', at).toISOString()).toBe('2026-03-02T15:00:00.000Z');
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
      firstResponseDueAt: new Date('2026-03-02T10:00:00Z'),
      now,
    });
    expect(inquiry).toMatchObject({
      status: 'routed',
      department: 'housing',
      firstResponseDueAt: '2026-03-02T10:00:00.000Z',
      version: 1,
    });
    expect(history.map((entry) => entry.kind)).toEqual(['message', 'classified', 'routed']);
  });

  it('records a message that is not an inquiry as rejected, with no department and no deadline', () => {
    const { inquiry, history } = openInquiry({
      id: 'i2',
      eventKey: 'e:2',
      message: { ...message, text: 'Спасибо!' },
      classification: { ...classification, inquiry: false },
      routing: null,
      firstResponseDueAt: null,
      now,
    });
    expect(inquiry.status).toBe('rejected');
    expect(inquiry.department).toBeUndefined();
    expect(inquiry.firstResponseDueAt).toBeUndefined();
    expect(history.at(-1)?.kind).toBe('rejected');
  });
});
