import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { checkDeadlineCalendar } from '../../../lambdas/domain/inquiry/calendar-check.js';
import {
  type SlaTerms,
  slaTermsFor,
  startClock,
  startClockDueBy,
} from '../../../lambdas/domain/inquiry/deadline.js';
import { type Inquiry, openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type EditRouting,
  type InquiryEvent,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { perm } from '../sla/calendars.js';
import { directMessage, housingAt } from './dialogue-fixtures.js';

/**
 * Terms counted round the clock, as the shipped configuration counts `critical`: a gas smell on Friday
 * evening, on New Year's Eve or on a holiday is due an hour after it reached us, not an hour into the next
 * working day. Perm (UTC+5), office hours Mon-Thu 09-13 and 14-18, Friday 09-13 and 14-16:45, the Russian
 * production calendar; instants counted by hand.
 */
const { sla } = parseAppConfig(JSON.parse(readFileSync('config/prod.json', 'utf8')), 'config/prod.json');
const critical = slaTermsFor(sla, 'housing', 'critical');
const normal = slaTermsFor(sla, 'housing', 'normal');
const deadlines = { calendar: perm, warnAtFraction: sla.warnAtFraction };

/** Fri 13 March 2026, 17:00 in Perm: the office closed at 16:45. */
const FRIDAY_EVENING = new Date('2026-03-13T12:00:00.000Z');

describe('the SLA terms of the shipped configuration', () => {
  it('count critical round the clock, the other priorities in working hours', () => {
    expect(critical).toEqual({
      firstResponseHours: 1,
      resolutionHours: 24,
      clock: 'round_the_clock',
      warnAtFraction: 0.5,
    });
    expect(slaTermsFor(sla, 'safety', 'critical').clock).toBe('round_the_clock');
    expect(slaTermsFor(sla, 'safety', 'high')).toEqual({
      firstResponseHours: 2,
      resolutionHours: 56,
      clock: 'working_hours',
    });
    expect(normal.clock).toBe('working_hours');
  });

  it('take the clock from the first override that sets it, the hours from the defaults when it sets none', () => {
    const policy = {
      ...sla,
      overrides: [
        { category: 'safety' as const, priority: 'high' as const, clock: 'round_the_clock' as const },
        { category: 'safety' as const, firstResponseHours: 2, clock: 'working_hours' as const },
      ],
    };
    expect(slaTermsFor(policy, 'safety', 'high')).toEqual({
      firstResponseHours: 2,
      resolutionHours: 56,
      clock: 'round_the_clock',
    });
    expect(slaTermsFor(policy, 'safety', 'critical').clock).toBe('working_hours');
  });
});

describe('a clock on terms counted round the clock', () => {
  it('is due an hour after a Friday-evening message and warned at 30 minutes; in working hours, on Monday', () => {
    expect(startClock('first_response', 1, FRIDAY_EVENING, critical, deadlines)).toMatchObject({
      startedAt: '2026-03-13T12:00:00.000Z',
      dueAt: '2026-03-13T13:00:00.000Z',
      warnAt: '2026-03-13T12:30:00.000Z',
    });
    // The same hour counted in working time: Mon 16 March 09:00-10:00 local, warned at 09:30.
    expect(
      startClock('first_response', 1, FRIDAY_EVENING, { ...critical, clock: 'working_hours' }, deadlines),
    ).toMatchObject({ dueAt: '2026-03-16T05:00:00.000Z', warnAt: '2026-03-16T04:30:00.000Z' });
    // Terms stored before they said how they count: working hours.
    const { clock, ...unsaid } = critical;
    expect(startClock('first_response', 1, FRIDAY_EVENING, unsaid, deadlines).dueAt).toBe(
      '2026-03-16T05:00:00.000Z',
    );
    // `normal` still waits for Monday: 8 working hours then, 1 on Tuesday: Tue 10:00 local.
    expect(startClock('first_response', 1, FRIDAY_EVENING, normal, deadlines).dueAt).toBe(
      '2026-03-17T05:00:00.000Z',
    );
  });

  it('does not wait out the New Year holidays: 30 December 17:30, and the resolution over 31 December', () => {
    // Wed 30 Dec 2026, 17:30 local: due 18:30 that evening, not on Mon 11 January 2027 at 09:30.
    const start = new Date('2026-12-30T12:30:00.000Z');
    expect(startClock('first_response', 1, start, critical, deadlines)).toMatchObject({
      dueAt: '2026-12-30T13:30:00.000Z',
      warnAt: '2026-12-30T13:00:00.000Z',
    });
    expect(
      startClock('first_response', 1, start, { ...critical, clock: 'working_hours' }, deadlines).dueAt,
    ).toBe('2027-01-11T04:30:00.000Z');
    // An intermediate answer on 31 December (a holiday), 10:00 local: resolved within 24 hours, on 1 January
    // at 10:00, warned at half of them (12 h), 31 December 22:00 local.
    expect(
      startClock('resolution', 2, new Date('2026-12-31T05:00:00.000Z'), critical, deadlines),
    ).toMatchObject({ dueAt: '2027-01-01T05:00:00.000Z', warnAt: '2026-12-31T17:00:00.000Z' });
  });

  it('counts a holiday as any other hour: Monday 9 March 2026, 03:00 local', () => {
    expect(
      startClock('first_response', 1, new Date('2026-03-08T22:00:00.000Z'), critical, deadlines),
    ).toMatchObject({ dueAt: '2026-03-08T23:00:00.000Z', warnAt: '2026-03-08T22:30:00.000Z' });
  });

  it('due no later than a given time, is warned at the fraction of the shorter time, counted round the clock', () => {
    expect(
      startClockDueBy('first_response', 1, FRIDAY_EVENING, critical, deadlines, '2026-03-13T12:30:00.000Z'),
    ).toMatchObject({ dueAt: '2026-03-13T12:30:00.000Z', warnAt: '2026-03-13T12:15:00.000Z' });
  });
});

const context = (now: string): TransitionContext => ({ ...deadlines, now: new Date(now) });

/** A `normal` inquiry opened on Fri 13 March 2026 at 21:30 in Perm: its 9 working hours start on Monday. */
function openedFridayNight(terms: SlaTerms = normal, priority: Priority = 'normal'): Inquiry {
  const receivedAt = new Date('2026-03-13T16:30:00.000Z');
  const { inquiry } = openInquiry({
    id: 'i1',
    eventKey: 'e:1',
    message: directMessage('1', 'В подъезде течёт с потолка', receivedAt.toISOString()),
    classification: housingAt(priority),
    routing: { department: 'housing', rule: 1 },
    deadlines: { terms, context: deadlines },
    triageDepartment: 'triage',
    receivedAt,
    now: receivedAt,
  });
  return { ...inquiry, caseNumber: '2026-000001' };
}

/** Applies an event that must change the inquiry. */
function changed(inquiry: Inquiry, event: InquiryEvent, now: string): Inquiry {
  const result = applyEvent(inquiry, event, context(now));
  if (result.outcome !== 'changed') throw new Error(`${result.outcome}: ${JSON.stringify(result)}`);
  return result.inquiry;
}

const citizenWrites = (cause: string, at: string, priority: Priority): InquiryEvent => ({
  type: 'citizen_message',
  cause,
  receivedAt: at,
  message: directMessage(cause, 'Пахнет газом в подъезде!', at),
  classification: housingAt(priority),
  terms: priority === 'critical' ? critical : normal,
});

describe('every change that times a clock on terms counted round the clock', () => {
  it('opens a critical inquiry due an hour after it reached us, on a Friday night', () => {
    const inquiry = openedFridayNight(critical, 'critical');
    expect(inquiry).toMatchObject({
      terms: critical,
      firstResponseDueAt: '2026-03-13T17:30:00.000Z',
      clock: {
        kind: 'first_response',
        dueAt: '2026-03-13T17:30:00.000Z',
        warnAt: '2026-03-13T17:00:00.000Z',
      },
    });
    expect(openedFridayNight().firstResponseDueAt).toBe('2026-03-17T05:00:00.000Z');
  });

  it('raised to critical by a follow-up at 22:00, is due within the hour of its start', () => {
    const raised = changed(
      openedFridayNight(),
      citizenWrites('e:2', '2026-03-13T17:00:00.000Z', 'critical'),
      '2026-03-13T17:00:01.000Z',
    );
    // Counted from its start, 21:30 local: due 22:30; its warning point, 22:00, passed as it was raised.
    expect(raised).toMatchObject({
      priority: 'critical',
      terms: critical,
      firstResponseDueAt: '2026-03-13T17:30:00.000Z',
      clock: { dueAt: '2026-03-13T17:30:00.000Z', warnAt: '2026-03-13T17:00:00.000Z' },
    });
  });

  it('set to critical by hand at 22:00, is due within the hour of its start; set back, waits for Monday', () => {
    const move = (cause: string, priority: Priority, terms: SlaTerms): InquiryEvent => ({
      type: 'move',
      cause,
      at: '2026-03-13T17:00:00.000Z',
      operatorId: 'operator-sub',
      reason: 'утечка газа',
      priority,
      terms,
    });
    const raised = changed(
      openedFridayNight(),
      move('op:1', 'critical', critical),
      '2026-03-13T17:00:01.000Z',
    );
    expect(raised.clock).toMatchObject({
      dueAt: '2026-03-13T17:30:00.000Z',
      warnAt: '2026-03-13T17:00:00.000Z',
    });
    const lowered = changed(raised, move('op:2', 'normal', normal), '2026-03-13T17:05:00.000Z');
    expect(lowered.firstResponseDueAt).toBe('2026-03-17T05:00:00.000Z');
  });

  it('starts the resolution clock of an intermediate answer on Friday evening: 24 hours, through the weekend', () => {
    const answered = changed(
      openedFridayNight(critical, 'critical'),
      {
        type: 'intermediate_answer',
        cause: 'op:1',
        at: '2026-03-13T17:10:00.000Z',
        operatorId: 9,
        text: 'Аварийная служба выехала',
        via: 'console',
      },
      '2026-03-13T17:10:01.000Z',
    );
    expect(answered).toMatchObject({
      resolutionDueAt: '2026-03-14T17:10:00.000Z',
      clock: { kind: 'resolution', dueAt: '2026-03-14T17:10:00.000Z', warnAt: '2026-03-14T05:10:00.000Z' },
    });
  });

  it('reopens a critical inquiry on Saturday night, by the citizen or an operator, due an hour on', () => {
    const answered = changed(
      openedFridayNight(critical, 'critical'),
      {
        type: 'final_answer',
        cause: 'op:1',
        at: '2026-03-13T17:10:00.000Z',
        operatorId: 9,
        text: 'Устранено',
        via: 'console',
      },
      '2026-03-13T17:10:01.000Z',
    );
    // Sat 14 March, 23:00 local.
    const byCitizen = changed(
      answered,
      citizenWrites('e:2', '2026-03-14T18:00:00.000Z', 'critical'),
      '2026-03-14T18:00:01.000Z',
    );
    expect(byCitizen).toMatchObject({ status: 'reopened', firstResponseDueAt: '2026-03-14T19:00:00.000Z' });
    const byOperator = changed(
      answered,
      {
        type: 'reopen',
        cause: 'op:2',
        at: '2026-03-14T18:00:00.000Z',
        reason: 'снова пахнет',
        operatorId: 'op',
      },
      '2026-03-14T18:00:01.000Z',
    );
    expect(byOperator).toMatchObject({ status: 'reopened', firstResponseDueAt: '2026-03-14T19:00:00.000Z' });
  });

  it('routes a rejected message into work as critical on Saturday night, due an hour on', () => {
    const { terms, clock, firstResponseDueAt, ...rest } = openedFridayNight();
    const rejected: Inquiry = { ...rest, status: 'rejected', department: 'triage', clockCount: 0 };
    const routed = changed(
      rejected,
      {
        type: 'route',
        cause: 'op:route',
        at: '2026-03-14T18:00:00.000Z',
        reason: 'это утечка газа',
        operatorId: 'operator-sub',
        department: 'housing',
        category: 'housing',
        priority: 'critical',
        terms: critical,
      },
      '2026-03-14T18:00:01.000Z',
    );
    expect(routed.firstResponseDueAt).toBe('2026-03-14T19:00:00.000Z');
  });

  it('routes an opening message edited into a critical inquiry on Saturday night, due an hour after the edit', () => {
    const { terms, clock, firstResponseDueAt, ...rest } = openedFridayNight();
    const rejected: Inquiry = { ...rest, status: 'rejected', department: 'triage', clockCount: 0 };
    const route: EditRouting = {
      classification: { ...housingAt('critical'), confidence: 0.97 },
      department: 'housing',
      rule: 1,
      terms: critical,
    };
    const edited = changed(
      rejected,
      {
        type: 'message_changed',
        cause: 'e:edit',
        at: '2026-03-14T18:00:00.000Z',
        messageRef: 'dm:5:1',
        change: 'edited',
        text: 'Пахнет газом в подъезде',
        opening: true,
        route,
      },
      '2026-03-14T18:00:01.000Z',
    );
    expect(edited.firstResponseDueAt).toBe('2026-03-14T19:00:00.000Z');
  });

  it('re-routes an inquiry by an earlier message of its burst as critical: due an hour from that message', () => {
    // Opened at 21:30:20 local by a message the classifier was unsure of; one sent at 21:30:00 says it all.
    const opened = openedFridayNight();
    const inTriage: Inquiry = {
      ...opened,
      department: 'triage',
      triage: true,
      routingMessage: { ...(opened.openingMessage as NonNullable<Inquiry['openingMessage']>), rule: null },
    };
    const earlier = citizenWrites('e:0', '2026-03-13T16:29:40.000Z', 'critical');
    if (earlier.type !== 'citizen_message') throw new Error(earlier.type);
    const rerouted = changed(
      {
        ...inTriage,
        openingMessage: { messageRef: 'dm:5:1', sentAt: '2026-03-13T16:30:00.000Z', number: 20 },
      },
      {
        ...earlier,
        message: {
          ...earlier.message,
          replyTo: { channel: 'direct_message', peerId: 5, conversationMessageId: 19 },
        },
        route: { classification: earlier.classification, department: 'housing', rule: 1, terms: critical },
      },
      '2026-03-13T16:30:05.000Z',
    );
    expect(rerouted).toMatchObject({
      department: 'housing',
      priority: 'critical',
      terms: critical,
      firstResponseDueAt: '2026-03-13T17:29:40.000Z',
    });
  });
});

describe('a deadline counted round the clock in a year the calendar does not list', () => {
  it('is not told of: it owes nothing to that year’s holidays; one in working hours is', () => {
    const atYearEnd = (terms: SlaTerms): Inquiry => {
      const inquiry = openedFridayNight(terms);
      return {
        ...inquiry,
        clock: startClock('first_response', 1, new Date('2029-12-31T12:00:00.000Z'), terms, deadlines),
      };
    };
    const metrics = recordingMetrics();
    checkDeadlineCalendar(atYearEnd(critical), undefined, perm, { metrics });
    expect(metrics.counts).toEqual([]);
    checkDeadlineCalendar(atYearEnd(normal), undefined, perm, { metrics });
    expect(metrics.counts).toEqual([{ name: 'DeadlinesOutsideCalendar', dimensions: { community: '1' } }]);
  });
});
