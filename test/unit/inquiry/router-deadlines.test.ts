import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { ClassifiedMessage } from '../../../lambdas/domain/messages.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import { MemoryInquiryRepository } from './memory-repository.js';

/**
 * The router's deadlines come from the working-time clock of the community's calendar: Perm (UTC+5), office
 * hours Mon-Thu 09-13 and 14-18, Friday 09-13 and 14-16:45, the Russian production calendar. Expected
 * instants are counted by hand below.
 */
const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');

/** A router over memory whose clock reads `now` (a time, or what a function gives at each read). */
function routerAt(
  now: string | (() => string),
  logWarning?: (message: string, fields: Record<string, unknown>) => void,
) {
  const inquiries = new MemoryInquiryRepository();
  const metrics = recordingMetrics();
  const router = createMessageRouter({
    config,
    inquiries,
    clock: { now: () => new Date(typeof now === 'string' ? now : now()) },
    inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    metrics,
    ...(logWarning && { logWarning }),
  });
  return { inquiries, router, metrics };
}

const classified = (eventKey: string, receivedAt: string, priority: Priority): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt,
  message: {
    groupId: 123456789,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 7 },
    messageRef: `dm:7:${eventKey}`,
    conversationKey: `dm:7:${eventKey}`,
    authorId: 7,
    text: 'Во дворе не вывозят мусор',
    attachments: [],
    sentAt: receivedAt,
  },
  classification: {
    category: 'waste',
    priority,
    confidence: 0.9,
    inquiry: true,
    triage: false,
    model: 'test',
  },
});

async function dueOf(receivedAt: string, priority: Priority) {
  const { inquiries, router } = routerAt(receivedAt);
  const outcome = await router.routeCitizenMessage(classified('e', receivedAt, priority));
  return inquiries.inquiries.get(outcome.inquiryId);
}

describe('the router computes deadlines in working time of the community calendar', () => {
  it('starts the clock of a Friday-evening message on Monday morning', async () => {
    // Fri 13 March 2026, 19:00 in Perm: closed. High = 4 working hours: Mon 16 March 09:00-13:00.
    const inquiry = await dueOf('2026-03-13T14:00:00.000Z', 'high');
    expect(inquiry?.firstResponseDueAt).toBe('2026-03-16T08:00:00.000Z');
    // Warned at 80 %: 3 h 12 min into the budget, Mon 12:12 local.
    expect(inquiry?.clock?.warnAt).toBe('2026-03-16T07:12:00.000Z');
  });

  it('skips the New Year holidays: a message an hour before closing on 30 December', async () => {
    // Wed 30 Dec 2026, 17:00 local: 1 h that day; 31 Dec and 1-8 Jan are holidays, 9-10 Jan a weekend;
    // normal = 9 h: the other 8 h on Mon 11 Jan 2027, 09-13 and 14-18: due 18:00 local.
    const inquiry = await dueOf('2026-12-30T12:00:00.000Z', 'normal');
    expect(inquiry?.firstResponseDueAt).toBe('2027-01-11T13:00:00.000Z');
  });

  it('counts a moved working Saturday, itself a shortened pre-holiday day', async () => {
    // Fri 19 Feb 2027, 16:00 local: 45 min to 16:45. Sat 20 Feb 2027 is worked with Monday's hours, an hour
    // shorter before 22-23 Feb: 09-13 gives the other 3 h 15 min: due Sat 12:15 local.
    const inquiry = await dueOf('2027-02-19T11:00:00.000Z', 'high');
    expect(inquiry?.firstResponseDueAt).toBe('2027-02-20T07:15:00.000Z');
  });

  it('uses the SLA override for a category', async () => {
    const { inquiries, router } = routerAt('2026-03-16T04:00:00.000Z');
    const message = classified('s', '2026-03-16T04:00:00.000Z', 'normal');
    message.classification.category = 'safety';
    const outcome = await router.routeCitizenMessage(message);
    // Mon 16 March 09:00 local + 2 h (the override for safety): 11:00 local.
    expect(inquiries.inquiries.get(outcome.inquiryId)?.terms).toEqual({
      firstResponseHours: 2,
      resolutionHours: 56,
      clock: 'working_hours',
    });
    expect(inquiries.inquiries.get(outcome.inquiryId)?.firstResponseDueAt).toBe('2026-03-16T06:00:00.000Z');
  });

  it('stops the first clock at an operator reply in VK and starts the resolution clock', async () => {
    const { inquiries, router, metrics } = routerAt('2026-03-16T04:00:00.000Z');
    const message = classified('r', '2026-03-16T04:00:00.000Z', 'normal');
    message.message.conversationKey = 'dm:7';
    const { inquiryId } = await router.routeCitizenMessage(message);
    const reply = {
      kind: 'operator_reply_in_vk' as const,
      eventKey: 'reply-1',
      receivedAt: '2026-03-16T05:00:00.000Z',
      groupId: 123456789,
      peerId: 7,
      adminId: 900,
      messageRef: 'dm:7:100',
      text: 'Передали в управляющую компанию, ответим до конца недели',
      sentAt: '2026-03-16T05:00:00.000Z',
    };
    expect(await router.recordOperatorReply(reply)).toEqual({ inquiryId, outcome: 'recorded' });
    const inquiry = inquiries.inquiries.get(inquiryId);
    expect(inquiry).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      firstResponseLate: false,
    });
    // 56 working hours from Mon 16 March 10:00 local: Mon 7 h, Tue-Thu 24 h, Fri 6.75 h = 37.75 h;
    // Mon 23: 8 h (45.75), Tue 24: 8 h (53.75), Wed 25: 2.25 h more: 11:15 local.
    expect(inquiry?.resolutionDueAt).toBe('2026-03-25T06:15:00.000Z');
    expect(inquiry?.clock?.kind).toBe('resolution');
    expect(await router.recordOperatorReply(reply)).toEqual({ inquiryId, outcome: 'duplicate' });
    // Counted once each: opened, routed to its department, answered first in time.
    expect(metrics.counts).toEqual([
      { name: 'InquiriesOpened', dimensions: { status: 'routed' } },
      { name: 'InquiriesRouted', dimensions: { department: 'housing' } },
      { name: 'FirstResponsesInTime', dimensions: { department: 'housing' } },
    ]);
  });
});

describe('a message routed after a later one of the citizen opened the inquiry (a dead letter replayed)', () => {
  // Fri 13 March 2026, 10:00 in Perm, and Sat 14 March, 10:00: the routing of the first failed, and it is
  // replayed on Monday after the second opened the inquiry.
  const FRIDAY = '2026-03-13T05:00:00.000Z';
  const SATURDAY = '2026-03-14T05:00:00.000Z';
  const MONDAY = '2026-03-16T06:00:00.000Z';
  const inDialogue = (
    eventKey: string,
    receivedAt: string,
    changes: Partial<ClassifiedMessage['classification']> = {},
  ) => {
    const message = classified(eventKey, receivedAt, 'high');
    message.message.conversationKey = 'dm:7';
    message.classification = { ...message.classification, ...changes };
    return message;
  };

  it('counts the first response from the earlier message, as if it had come first', async () => {
    const { inquiries, router } = routerAt(MONDAY);
    const { inquiryId } = await router.routeCitizenMessage(inDialogue('saturday', SATURDAY));
    // Opened on Saturday: high, 4 working hours from Monday 09:00, due 13:00 local.
    expect(inquiries.inquiries.get(inquiryId)?.firstResponseDueAt).toBe('2026-03-16T08:00:00.000Z');
    expect(await router.routeCitizenMessage(inDialogue('friday', FRIDAY))).toMatchObject({
      inquiryId,
      outcome: 'joined',
    });
    // Fri 10:00-13:00 and 14:00-15:00: due Friday 15:00 local, as the Friday message alone would have been.
    const alone = (await dueOf(FRIDAY, 'high'))?.clock;
    const inquiry = inquiries.inquiries.get(inquiryId);
    expect(inquiry).toMatchObject({
      messageCount: 2,
      clock: { kind: 'first_response', cycle: 1, startedAt: FRIDAY, dueAt: '2026-03-13T10:00:00.000Z' },
      firstResponseStartedAt: FRIDAY,
      firstResponseDueAt: '2026-03-13T10:00:00.000Z',
    });
    expect(inquiry?.clock).toEqual(alone);
    const entry = [...inquiries.history.values()].find(
      (item) => item.kind === 'message' && item.key.includes('#friday#'),
    );
    expect(entry?.reason).toMatch(/reached us before the message the inquiry was opened by/);
  });

  it('leaves the clock of an inquiry already answered first, and one a thank-you joins', async () => {
    const { inquiries, router } = routerAt(MONDAY);
    const { inquiryId } = await router.routeCitizenMessage(inDialogue('saturday', SATURDAY));
    const opened = inquiries.inquiries.get(inquiryId);
    await router.routeCitizenMessage(inDialogue('thanks', FRIDAY, { inquiry: false, category: 'other' }));
    expect(inquiries.inquiries.get(inquiryId)?.clock).toEqual(opened?.clock);
    await router.recordOperatorReply({
      kind: 'operator_reply_in_vk',
      eventKey: 'reply',
      receivedAt: MONDAY,
      groupId: 123456789,
      peerId: 7,
      adminId: 900,
      messageRef: 'dm:7:100',
      text: 'Передали в управляющую компанию',
      sentAt: MONDAY,
    });
    const answered = inquiries.inquiries.get(inquiryId);
    await router.routeCitizenMessage(inDialogue('friday', FRIDAY));
    expect(inquiries.inquiries.get(inquiryId)).toMatchObject({
      messageCount: 3,
      clock: answered?.clock,
      firstResponseStartedAt: SATURDAY,
      firstResponseLate: false,
    });
  });
});

describe('a message that is not an inquiry', () => {
  it('is listed under triage with no deadline, counted as opened rejected, not as routed', async () => {
    const { inquiries, router, metrics } = routerAt('2026-03-16T04:00:00.000Z');
    const thanks = classified('thanks', '2026-03-16T04:00:00.000Z', 'normal');
    thanks.message.text = 'Спасибо большое!';
    thanks.classification = { ...thanks.classification, category: 'other', inquiry: false };
    const { inquiryId } = await router.routeCitizenMessage(thanks);
    expect(inquiries.inquiries.get(inquiryId)).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(inquiries.inquiries.get(inquiryId)?.clock).toBeUndefined();
    expect(metrics.counts).toEqual([{ name: 'InquiriesOpened', dimensions: { status: 'rejected' } }]);
  });
});

describe('a deadline beyond the production calendar', () => {
  it('is warned of and counted, with ids and dates only, when it falls in a year the calendar does not list', async () => {
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    let now = '2027-12-20T05:00:00.000Z';
    const { inquiries, router, metrics } = routerAt(
      () => now,
      (message, fields) => void warnings.push({ message, fields }),
    );
    // The calendar lists 2026 and 2027: a deadline in December 2027 is counted on its holidays…
    await router.routeCitizenMessage(classified('december', now, 'normal'));
    expect(warnings).toEqual([]);
    // …one that runs into January 2028 is not, and says so.
    now = '2027-12-30T10:00:00.000Z';
    await router.routeCitizenMessage(classified('new-year', now, 'normal'));
    const due = inquiries.inquiries.get('id-new-year')?.clock?.dueAt;
    expect(due?.startsWith('2028-01')).toBe(true);
    expect(warnings).toEqual([
      {
        message: expect.stringContaining('a year the calendar does not list'),
        fields: {
          inquiryId: 'id-new-year',
          groupId: 123456789,
          clock: 'first_response',
          dueAt: due,
          years: [2028],
        },
      },
    ]);
    expect(metrics.counts).toContainEqual({
      name: 'DeadlinesOutsideCalendar',
      dimensions: { community: '123456789' },
    });
  });
});
