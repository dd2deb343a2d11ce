import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { slaTermsFor } from '../../../lambdas/domain/inquiry/deadline.js';
import { type Inquiry, openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type InquiryEvent,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { perm } from '../sla/calendars.js';
import { directMessage, housingAt } from './dialogue-fixtures.js';

/**
 * The news that an inquiry became critical (critical-notice.ts), marked by the change that makes it so: on the
 * shipped terms (critical: an hour round the clock, warned at half of it), in Perm (UTC+5).
 */
const { sla } = parseAppConfig(JSON.parse(readFileSync('config/prod.json', 'utf8')), 'config/prod.json');
const critical = slaTermsFor(sla, 'housing', 'critical');
const normal = slaTermsFor(sla, 'housing', 'normal');
const deadlines = { calendar: perm, warnAtFraction: sla.warnAtFraction };
const context = (now: string): TransitionContext => ({ ...deadlines, now: new Date(now) });

/** Opened at `at` in housing: Mon 6 July 2026, 09:00 Perm unless said. */
function opened(priority: Priority, at = '2026-07-06T04:00:00.000Z'): Inquiry {
  const { inquiry } = openInquiry({
    id: 'i1',
    eventKey: 'e:1',
    message: directMessage('1', 'Течёт крыша', at),
    classification: housingAt(priority),
    routing: { department: 'housing', rule: 1 },
    deadlines: { terms: priority === 'critical' ? critical : normal, context: deadlines },
    triageDepartment: 'triage',
    receivedAt: new Date(at),
    now: new Date(at),
  });
  return inquiry;
}

function changed(inquiry: Inquiry, event: InquiryEvent, now: string) {
  const result = applyEvent(inquiry, event, context(now));
  if (result.outcome !== 'changed') throw new Error(`${result.outcome}: ${JSON.stringify(result)}`);
  return result;
}

const gasSmell = (cause: string, at: string): InquiryEvent => ({
  type: 'citizen_message',
  cause,
  receivedAt: at,
  message: directMessage(cause, 'Теперь пахнет газом в подъезде', at),
  classification: housingAt('critical'),
  terms: critical,
});

/** The escalator's mark of `kind` on the inquiry's clock at `at`, and its notice sent (cleared). */
function checked(inquiry: Inquiry, kind: 'warn' | 'breach', at: string): Inquiry {
  const { inquiry: marked } = changed(inquiry, { type: kind, now: at, clock: 'first_response' }, at);
  const { pendingNotification, ...sent } = marked;
  return sent;
}

describe('a critical inquiry', () => {
  it('opened, is told to its department on the next run: its notice is due as it is routed', () => {
    const inquiry = opened('critical');
    expect(inquiry.pendingNotification).toEqual({
      kind: 'critical',
      clock: 'first_response',
      cycle: 1,
      dueAt: '2026-07-06T05:00:00.000Z',
      at: '2026-07-06T04:00:00.000Z',
      department: 'housing',
    });
    // Warned at half its hour, 09:30: the escalator looks again then.
    expect(inquiry.clock).toMatchObject({
      warnAt: '2026-07-06T04:30:00.000Z',
      warned: false,
      breached: false,
    });
    expect(opened('normal').pendingNotification).toBeUndefined();
  });

  it('raised after its deadline was escalated, is told once, on the terms it now runs on', () => {
    // Normal, opened Monday 09:00, due Tuesday 10:00: warned Monday, escalated Tuesday, nobody took it.
    const warned = checked(opened('normal'), 'warn', '2026-07-06T12:15:00.000Z');
    const escalated = checked(warned, 'breach', '2026-07-07T05:00:00.000Z');
    expect(escalated.clock).toMatchObject({ dueAt: '2026-07-07T05:00:00.000Z', breached: true });
    // Tuesday 11:00: the citizen smells gas.
    const raise = gasSmell('e:2', '2026-07-07T06:00:00.000Z');
    const { inquiry, history } = changed(escalated, raise, '2026-07-07T06:00:01.000Z');
    expect(inquiry).toMatchObject({
      priority: 'critical',
      escalated: true,
      // Critical's hour from its start, Monday 09:00: long passed, still escalated (once: no new entry).
      clock: { dueAt: '2026-07-06T05:00:00.000Z', warned: true, breached: true },
      firstResponseDueAt: '2026-07-06T05:00:00.000Z',
      pendingNotification: {
        kind: 'critical',
        raisedFrom: 'normal',
        dueAt: '2026-07-06T05:00:00.000Z',
        at: '2026-07-07T06:00:01.000Z',
        department: 'housing',
      },
    });
    expect(history.map((entry) => entry.kind)).not.toContain('escalated');
    // The same message again (SQS, VK): nothing more.
    expect(applyEvent(inquiry, raise, context('2026-07-07T06:01:00.000Z')).outcome).toBe('duplicate');
    // A second critical word adds no second notice.
    const again = changed(
      { ...inquiry, pendingNotification: undefined },
      gasSmell('e:3', '2026-07-07T06:10:00.000Z'),
      '2026-07-07T06:10:01.000Z',
    );
    expect(again.inquiry.pendingNotification).toBeUndefined();
  });

  it('raised after its warning, is escalated at once if the new deadline has passed, and told so', () => {
    const warned = checked(opened('normal'), 'warn', '2026-07-06T12:15:00.000Z');
    // Monday 18:00, its warning sent at 17:15: raised, due at 10:00 on the critical terms.
    const { inquiry, history } = changed(
      warned,
      gasSmell('e:2', '2026-07-06T13:00:00.000Z'),
      '2026-07-06T13:00:01.000Z',
    );
    expect(inquiry).toMatchObject({
      escalated: true,
      clock: { dueAt: '2026-07-06T05:00:00.000Z', warned: true, breached: true },
      pendingNotification: { kind: 'critical', raisedFrom: 'normal', dueAt: '2026-07-06T05:00:00.000Z' },
    });
    const escalation = history.find((entry) => entry.kind === 'escalated');
    expect(escalation).toMatchObject({
      actor: 'escalator',
      detail: { clock: 'first_response', cycle: 1, dueAt: '2026-07-06T05:00:00.000Z', department: 'housing' },
    });
    // Once: the escalator finds nothing more to mark (its clock is escalated).
    expect(
      applyEvent(inquiry, { type: 'breach', now: '2026-07-06T13:05:00.000Z' }, { now: new Date() }).outcome,
    ).toBe('refused');
  });

  it('raised before the new deadline, is warned again of it at its own warning point', () => {
    // Opened 09:00, its warning sent (of the normal terms); raised at 09:10: due 10:00, warned at 09:30.
    const normalOne = opened('normal');
    if (!normalOne.clock) throw new Error('no clock');
    const warnedEarly: Inquiry = { ...normalOne, clock: { ...normalOne.clock, warned: true } };
    const { inquiry } = changed(
      warnedEarly,
      gasSmell('e:2', '2026-07-06T04:10:00.000Z'),
      '2026-07-06T04:10:01.000Z',
    );
    expect(inquiry.clock).toMatchObject({
      dueAt: '2026-07-06T05:00:00.000Z',
      warnAt: '2026-07-06T04:30:00.000Z',
      warned: false,
      breached: false,
    });
    expect(inquiry.escalated).toBe(false);
    expect(inquiry.pendingNotification).toMatchObject({ kind: 'critical', raisedFrom: 'normal' });
  });

  it("takes the place of a notice pending for its department, not of one pending for another's", () => {
    const base = opened('normal');
    const warning = {
      kind: 'warning' as const,
      clock: 'first_response' as const,
      cycle: 1,
      dueAt: base.firstResponseDueAt as string,
      at: '2026-07-06T12:12:00.000Z',
      department: 'housing',
    };
    const raise = gasSmell('e:2', '2026-07-06T12:20:00.000Z');
    const own = changed({ ...base, pendingNotification: warning }, raise, '2026-07-06T12:20:01.000Z');
    expect(own.inquiry.pendingNotification).toMatchObject({ kind: 'critical', raisedFrom: 'normal' });
    const roads = { ...warning, department: 'roads' };
    const theirs = changed({ ...base, pendingNotification: roads }, raise, '2026-07-06T12:20:01.000Z');
    expect(theirs.inquiry.pendingNotification).toEqual(roads);
  });

  it('set back before it was told, is told nothing; moved before it was told, is told where it went', () => {
    const move = (cause: string, fields: Partial<Extract<InquiryEvent, { type: 'move' }>>): InquiryEvent => ({
      type: 'move',
      cause,
      at: '2026-07-06T04:01:00.000Z',
      operatorId: 'operator-sub',
      reason: 'ошибка',
      ...fields,
    });
    const lowered = changed(
      opened('critical'),
      move('op:1', { priority: 'normal', terms: normal }),
      '2026-07-06T04:01:01.000Z',
    );
    expect(lowered.inquiry.pendingNotification).toBeUndefined();
    const moved = changed(
      opened('critical'),
      move('op:2', { department: 'roads' }),
      '2026-07-06T04:01:01.000Z',
    );
    expect(moved.inquiry.pendingNotification).toMatchObject({
      kind: 'critical',
      department: 'roads',
      movedFrom: 'housing',
    });
  });
});
