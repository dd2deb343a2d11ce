import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { checkNotice, notificationOf } from '../../../lambdas/domain/escalation/addressing.js';
import { type SlaTerms, slaTermsFor } from '../../../lambdas/domain/inquiry/deadline.js';
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
 * A priority raised, then put back: on the shipped terms (config/prod.json: normal 9 working hours, high 4,
 * critical an hour round the clock warned at half of it), in Perm (UTC+5). The inquiry opens `normal` on
 * Monday 14 December 2026 at 09:00, due Tuesday at 10:00, warned Monday at 17:12: the time its acknowledgement
 * told the citizen.
 */
const { sla, departments } = parseAppConfig(
  JSON.parse(readFileSync('config/prod.json', 'utf8')),
  'config/prod.json',
);
const termsOf = (priority: Priority): SlaTerms => slaTermsFor(sla, 'housing', priority);
const deadlines = { calendar: perm, warnAtFraction: sla.warnAtFraction };
const context = (now: string): TransitionContext => ({ ...deadlines, now: new Date(now) });

/** Perm's wall time on Monday 14 (or `day`) December 2026 as an instant: `perm('17:20')`. */
const at = (time: string, day = 14) => new Date(`2026-12-${day}T${time}:00.000+05:00`).toISOString();

const TOLD = at('10:00', 15);
const NORMAL_WARN_AT = at('17:12');

function opened(): Inquiry {
  const receivedAt = new Date(at('09:00'));
  const { inquiry } = openInquiry({
    id: 'i1',
    eventKey: 'e:1',
    message: directMessage('1', 'Течёт крыша', receivedAt.toISOString()),
    classification: housingAt('normal'),
    routing: { department: 'housing', rule: 1 },
    deadlines: { terms: termsOf('normal'), context: deadlines },
    triageDepartment: 'triage',
    receivedAt,
    now: receivedAt,
  });
  expect(inquiry).toMatchObject({ firstResponseDueAt: TOLD, firstResponsePromisedBy: TOLD });
  return { ...inquiry, caseNumber: '2026-000001' };
}

function changed(inquiry: Inquiry, event: InquiryEvent, now: string) {
  const result = applyEvent(inquiry, event, context(now));
  if (result.outcome !== 'changed') throw new Error(`${result.outcome}: ${JSON.stringify(result)}`);
  return result;
}

/** The citizen's follow-up at `time`, classified `priority`, applied a second later. */
const followUp = (inquiry: Inquiry, cause: string, time: string, priority: Priority) =>
  changed(
    inquiry,
    {
      type: 'citizen_message',
      cause,
      receivedAt: time,
      message: directMessage(cause, 'Срочно!', time),
      classification: housingAt(priority),
      terms: termsOf(priority),
    },
    new Date(Date.parse(time) + 1000).toISOString(),
  ).inquiry;

/** An operator sets the priority by hand at `time`. */
const setBy = (inquiry: Inquiry, cause: string, time: string, priority: Priority) =>
  changed(
    inquiry,
    {
      type: 'move',
      cause,
      at: time,
      operatorId: 'operator-sub',
      reason: 'ошибка классификации',
      priority,
      terms: termsOf(priority),
    },
    new Date(Date.parse(time) + 1000).toISOString(),
  );

/** An operator's intermediate answer on Tuesday at 09:30, before the 10:00 the citizen was told. */
const answeredOnTuesdayAtHalfPastNine = (inquiry: Inquiry) =>
  changed(
    inquiry,
    {
      type: 'intermediate_answer',
      cause: 'op:2',
      at: at('09:30', 15),
      operatorId: 'o',
      text: 'Принято',
      via: 'console',
    },
    at('09:30', 15),
  );

describe('a follow-up that raises the priority past its new deadline', () => {
  it('tells the citizen no time, so the time they were told stands, and setting it back restores it', () => {
    // Classified high at 17:20: the high terms from 09:00 were due at 13:00, long gone.
    const raised = followUp(opened(), 'e:2', at('17:20'), 'high');
    expect(raised).toMatchObject({
      priority: 'high',
      raiseCause: 'e:2',
      firstResponseDueAt: at('13:00'),
      // The raise's acknowledgement tells no time (templateOnceDue): the citizen still holds Tuesday 10:00.
      firstResponsePromisedBy: TOLD,
    });
    // An operator corrects it at 17:22, before the escalator's next run: due Tuesday 10:00 again.
    const { inquiry: back } = setBy(raised, 'op:1', at('17:22'), 'normal');
    expect(back).toMatchObject({
      priority: 'normal',
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, breached: false },
      escalated: false,
    });
  });

  it('still holds a sooner time still ahead as told', () => {
    // Classified high at 10:00: due 13:00, ahead, which the raise's acknowledgement tells.
    const raised = followUp(opened(), 'e:2', at('10:00'), 'high');
    expect(raised).toMatchObject({ firstResponseDueAt: at('13:00'), firstResponsePromisedBy: at('13:00') });
    // Set back, it is never due later than that.
    expect(setBy(raised, 'op:1', at('10:05'), 'normal').inquiry.firstResponseDueAt).toBe(at('13:00'));
  });
});

/** The notice pending on the inquiry sent, and cleared as the escalator clears it. */
const sent = ({ pendingNotification: _sent, ...rest }: Inquiry): Inquiry => rest;

/** The escalator's mark of `kind` at `time` (refused or duplicate: undefined), its notice sent. */
function checked(inquiry: Inquiry, kind: 'warn' | 'breach', time: string): Inquiry | undefined {
  const result = applyEvent(inquiry, { type: kind, now: time }, { now: new Date(time) });
  return result.outcome === 'changed' ? sent(result.inquiry) : undefined;
}

describe('a priority put back', () => {
  it('after a raise to critical counted its warning as given, warns again of the deadline put back', () => {
    // Raised to critical by hand at 09:40, past critical's warning point (09:30): counted as warned. Its
    // notice is sent at 09:45; an operator sets it back at 09:50.
    const raised = setBy(opened(), 'op:1', at('09:40'), 'critical').inquiry;
    expect(raised.clock).toMatchObject({ dueAt: at('10:00'), warned: true, breached: false });
    const { inquiry: back } = setBy(sent(raised), 'op:2', at('09:50'), 'normal');
    expect(back.clock).toMatchObject({ dueAt: TOLD, warnAt: at('17:12'), warned: false });
    // The head hears of the normal deadline at its warning point, not first at its breach.
    expect(checked(back, 'warn', at('17:11'))).toBeUndefined();
    expect(checked(back, 'warn', at('17:12'))?.clock).toMatchObject({ dueAt: TOLD, warned: true });
  });

  it('after the escalator warned of the sooner deadline, warns again of the later one', () => {
    // Raised at 09:20 (due 10:00), warned at 09:30, then set back at 09:42.
    const raised = sent(setBy(opened(), 'op:1', at('09:20'), 'critical').inquiry);
    const warned = checked(raised, 'warn', at('09:30'));
    expect(warned?.clock).toMatchObject({ dueAt: at('10:00'), warned: true });
    if (!warned) throw new Error('not warned');
    const back = setBy(warned, 'op:2', at('09:42'), 'normal').inquiry;
    expect(back.clock).toMatchObject({ dueAt: TOLD, warned: false });
    // Its own warning, once: the warning of 09:30 told of another deadline.
    const again = checked(back, 'warn', at('17:12'));
    expect(again?.clock).toMatchObject({ dueAt: TOLD, warned: true });
    if (!again) throw new Error('not warned');
    expect(checked(again, 'warn', at('17:20'))).toBeUndefined();
  });

  it('past its new warning point, counts a warning given as given, and warns of one not given', () => {
    // Raised to high by hand at 10:00 (due 13:00, warned at 12:12), set back at 12:30: due Tuesday 10:00
    // again, its warning point (Monday 17:12) ahead: warned again then.
    const raised = setBy(opened(), 'op:1', at('10:00'), 'high').inquiry;
    const warned = checked(raised, 'warn', at('12:12'));
    if (!warned) throw new Error('not warned');
    expect(setBy(warned, 'op:2', at('12:30'), 'normal').inquiry.clock).toMatchObject({
      dueAt: TOLD,
      warned: false,
    });
    // Set back at 17:30 instead, past 17:12: the warning of 12:12 counts, no second one.
    expect(setBy(warned, 'op:2', at('17:30'), 'normal').inquiry.clock).toMatchObject({
      dueAt: TOLD,
      warned: true,
    });
    // Raised at 17:13, before the escalator's run warned of 17:12, and set back at 17:14: still to warn.
    const late = setBy(opened(), 'op:1', at('17:13'), 'high').inquiry;
    const back = setBy(late, 'op:2', at('17:14'), 'normal').inquiry;
    expect(back.clock).toMatchObject({ dueAt: TOLD, warned: false });
    expect(checked(back, 'warn', at('17:15'))?.clock).toMatchObject({ warned: true });
  });
});

describe('a raise to critical undone before its notice went out', () => {
  /** Opened at 09:00, warned at 17:12 as the escalator warns it, a follow-up classified critical at 17:20. */
  function raisedAtTwentyPastFive() {
    const warned = checked(opened(), 'warn', NORMAL_WARN_AT);
    if (!warned) throw new Error('not warned');
    const raised = changed(
      warned,
      {
        type: 'citizen_message',
        cause: 'e:2',
        receivedAt: at('17:20'),
        message: directMessage('e:2', 'СРОЧНО!!!', at('17:20')),
        classification: housingAt('critical'),
        terms: termsOf('critical'),
      },
      at('17:20'),
    );
    return { warned, raised: raised.inquiry, history: raised.history };
  }

  it('goes back to the clock before the raise: the escalation the raise made, told to no one, goes with it', () => {
    const { warned, raised, history } = raisedAtTwentyPastFive();
    // Critical's hour from 09:00 was gone: escalated at once, in the raise, to be told on the next run.
    expect(raised).toMatchObject({
      escalated: true,
      clock: { dueAt: at('10:00'), breached: true },
      pendingNotification: { kind: 'critical', escalated: true },
      clockBeforeRaise: { clock: warned.clock, escalated: false },
    });
    expect(history.map((entry) => entry.kind)).toContain('escalated');
    // A false alarm: an operator sets it back at 17:25, before the escalator's run.
    const { inquiry: back, history: moved } = setBy(raised, 'op:1', at('17:25'), 'normal');
    expect(back).toMatchObject({
      priority: 'normal',
      escalated: false,
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, warnAt: NORMAL_WARN_AT, warned: true, breached: false },
    });
    expect(back.pendingNotification).toBeUndefined();
    expect(back.clockBeforeRaise).toBeUndefined();
    expect(moved[0]?.detail).toMatchObject({ toPriority: 'normal', dueAt: TOLD, escalationUndone: true });
    // Nothing to tell until its own deadline, Tuesday 10:00: then escalated, once.
    expect(checked(back, 'breach', at('09:59', 15))).toBeUndefined();
    const breached = checked(back, 'breach', TOLD);
    expect(breached).toMatchObject({ escalated: true, clock: { breached: true } });
  });

  it('and answered by Tuesday 10:00, its first response is in time', () => {
    const back = setBy(raisedAtTwentyPastFive().raised, 'op:1', at('17:25'), 'normal').inquiry;
    const answered = answeredOnTuesdayAtHalfPastNine(back);
    expect(answered.inquiry.firstResponseLate).toBe(false);
    expect(answered.effects).toContainEqual({ type: 'first_response', late: false, department: 'housing' });
  });

  it('set back to high, is timed on the high terms from the clock before the raise', () => {
    const back = setBy(raisedAtTwentyPastFive().raised, 'op:1', at('17:25'), 'high').inquiry;
    // High's 4 hours from 09:00 were due at 13:00: not escalated by the raise, escalated on the next run.
    expect(back).toMatchObject({ escalated: false, clock: { dueAt: at('13:00'), breached: false } });
    expect(checked(back, 'breach', at('17:30'))?.clock).toMatchObject({ dueAt: at('13:00'), breached: true });
  });

  it('raised before its critical deadline, goes back to the warning point it had', () => {
    // Raised by hand at 09:40, past critical's warning point, and set back at 09:42.
    const raised = setBy(opened(), 'op:1', at('09:40'), 'critical').inquiry;
    const back = setBy(raised, 'op:2', at('09:42'), 'normal').inquiry;
    expect(back).toMatchObject({
      escalated: false,
      clock: { dueAt: TOLD, warnAt: NORMAL_WARN_AT, warned: false },
    });
    expect(checked(back, 'warn', NORMAL_WARN_AT)?.clock).toMatchObject({ warned: true });
  });

  it('its deadline warned and escalated while the notice waited (its e-mail refused), is warned and escalated anew', () => {
    // Raised by hand at 09:20 (due 10:00); the escalator marks its warning at 09:30 and its breach at 10:00,
    // each told by the notice, which the e-mail service keeps refusing.
    let inquiry = setBy(opened(), 'op:1', at('09:20'), 'critical').inquiry;
    for (const [kind, time] of [
      ['warn', at('09:30')],
      ['breach', at('10:00')],
    ] as const)
      inquiry = changed(inquiry, { type: kind, now: time }, time).inquiry;
    expect(inquiry).toMatchObject({ escalated: true, pendingNotification: { kind: 'critical' } });
    const back = setBy(inquiry, 'op:2', at('10:05'), 'normal').inquiry;
    expect(back).toMatchObject({ escalated: false, clock: { dueAt: TOLD, warned: false, breached: false } });
    const warned = checked(back, 'warn', NORMAL_WARN_AT);
    if (!warned) throw new Error('not warned');
    expect(checked(warned, 'breach', TOLD)).toMatchObject({ escalated: true, clock: { breached: true } });
  });

  it('once told, is not undone: timed anew, due at the time told, escalated again only if that passes', () => {
    const { raised } = raisedAtTwentyPastFive();
    // The escalator sends the notice at 17:25 (and clears what it kept); set back at 17:30.
    const { clockBeforeRaise: _told, ...cleared } = sent(raised);
    const { inquiry: back, history } = setBy(cleared, 'op:1', at('17:30'), 'normal');
    expect(back).toMatchObject({
      priority: 'normal',
      escalated: false,
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, warnAt: NORMAL_WARN_AT, warned: true, breached: false },
    });
    expect(back.clock).not.toHaveProperty('raisedPastDue');
    // Its history names the escalated deadline the set back replaced; nothing was undone.
    expect(history[0]?.detail).toMatchObject({ dueAt: TOLD, escalatedDueAt: at('10:00') });
    expect(history[0]?.detail).not.toHaveProperty('escalationUndone');
    // Escalated anew at the time told, a deadline of its own, once.
    expect(checked(back, 'breach', at('09:59', 15))).toBeUndefined();
    const breached = checked(back, 'breach', TOLD);
    expect(breached).toMatchObject({ escalated: true, clock: { dueAt: TOLD, breached: true } });
    if (!breached) throw new Error('not escalated');
    expect(checked(breached, 'breach', at('10:05', 15))).toBeUndefined();
  });

  it('once told and answered by Tuesday 10:00, its first response is in time', () => {
    const { clockBeforeRaise: _told, ...cleared } = sent(raisedAtTwentyPastFive().raised);
    const back = setBy(cleared, 'op:1', at('17:30'), 'normal').inquiry;
    const answered = answeredOnTuesdayAtHalfPastNine(back);
    expect(answered.inquiry.firstResponseLate).toBe(false);
  });

  it('while the escalator is sending its notice, is not undone, and the notice stays to be cleared', () => {
    const { raised } = raisedAtTwentyPastFive();
    // The escalator's run claimed the notice at 17:25 and is publishing its e-mail; set back at 17:25:30.
    const notice = raised.pendingNotification;
    if (!notice) throw new Error('no notice');
    const sending = { ...notice, sending: { run: 'run-1', at: at('17:25') } };
    const { inquiry: back, history } = setBy(
      { ...raised, pendingNotification: sending },
      'op:1',
      at('17:25'),
      'normal',
    );
    expect(back.pendingNotification).toEqual(sending);
    expect(back.clockBeforeRaise).toBeUndefined();
    expect(history[0]?.detail).not.toHaveProperty('escalationUndone');
    expect(history[0]?.detail).toMatchObject({ escalatedDueAt: at('10:00') });
    expect(back).toMatchObject({ escalated: false, clock: { dueAt: TOLD, breached: false } });
  });

  it('keeps an escalation of another deadline made since: the first response VK took back, owed and passed', () => {
    // «We are working on it» at 09:30 on Tuesday; raised to critical by hand at 09:40, its notice unsent; VK
    // refuses those words at 09:45, so the first response is owed again by the 10:00 told, which passes: that
    // deadline is escalated while the notice still waits. Set back at 10:05.
    const working = answeredOnTuesdayAtHalfPastNine(opened()).inquiry;
    const raised = setBy(working, 'op:3', at('09:40', 15), 'critical').inquiry;
    const refused = changed(
      raised,
      {
        type: 'delivery_failed',
        cause: 'undelivered:i1:intermediate_answer:op:2',
        at: at('09:45', 15),
        outboxId: 'i1:intermediate_answer:op:2',
        purpose: 'intermediate_answer',
        reason: "VK error 901: Can't send messages for users without permission",
        requestedAt: at('09:30', 15),
      },
      at('09:45', 15),
    ).inquiry;
    const breached = changed(refused, { type: 'breach', now: TOLD, clock: 'first_response' }, TOLD).inquiry;
    expect(breached).toMatchObject({
      escalated: true,
      firstResponseClock: { dueAt: TOLD, breached: true },
      pendingNotification: { kind: 'critical' },
      clockBeforeRaise: { clock: working.clock, escalated: false },
    });
    const { inquiry: back, history } = setBy(breached, 'op:4', at('10:05', 15), 'normal');
    // The raise is undone, its clock back to the one before it; the first response's escalation stays.
    expect(back).toMatchObject({
      escalated: true,
      clock: { kind: 'resolution', dueAt: working.clock?.dueAt, breached: false },
      firstResponseClock: { dueAt: TOLD, breached: true },
    });
    expect(back.clockBeforeRaise).toBeUndefined();
    expect(history[0]?.detail).not.toHaveProperty('escalationUndone');
    // The same once words gave the first response again, late, before the set back: the cycle missed that
    // deadline all the same.
    const respondedLate = changed(
      breached,
      {
        type: 'intermediate_answer',
        cause: 'op:5',
        at: at('10:02', 15),
        operatorId: 'o',
        text: 'Работаем',
        via: 'console',
      },
      at('10:02', 15),
    ).inquiry;
    expect(respondedLate.firstRespondedAt).toBe(at('10:02', 15));
    expect(setBy(respondedLate, 'op:4', at('10:05', 15), 'normal').inquiry.escalated).toBe(true);
  });

  it('keeps nothing to go back to once its clock stopped or another started', () => {
    const { raised } = raisedAtTwentyPastFive();
    const answered = changed(
      raised,
      {
        type: 'intermediate_answer',
        cause: 'op:2',
        at: at('17:22'),
        operatorId: 'o',
        text: 'Выехали',
        via: 'console',
      },
      at('17:22'),
    ).inquiry;
    expect(answered.clock?.kind).toBe('resolution');
    expect(answered.clockBeforeRaise).toBeUndefined();
  });
});

describe('a raise escalated before it was set back', () => {
  it('high at 17:20, escalated by the run at 17:25, set back at 17:30: due at the time told again', () => {
    const warned = checked(opened(), 'warn', NORMAL_WARN_AT);
    if (!warned) throw new Error('not warned');
    const escalated = checked(followUp(warned, 'e:2', at('17:20'), 'high'), 'breach', at('17:25'));
    expect(escalated).toMatchObject({ escalated: true, clock: { dueAt: at('13:00'), breached: true } });
    if (!escalated) throw new Error('not escalated');
    const { inquiry: back, history } = setBy(escalated, 'op:1', at('17:30'), 'normal');
    expect(back).toMatchObject({
      escalated: false,
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, warned: true, breached: false },
    });
    expect(back.clock).not.toHaveProperty('raisedPastDue');
    expect(history[0]?.detail).toMatchObject({ escalatedDueAt: at('13:00') });
  });

  it('set back on Tuesday at 11:00, past the time told too: stays escalated, of that deadline', () => {
    const escalated = checked(followUp(opened(), 'e:2', at('17:20'), 'high'), 'breach', at('17:25'));
    if (!escalated) throw new Error('not escalated');
    const back = setBy(escalated, 'op:1', at('11:00', 15), 'normal').inquiry;
    expect(back).toMatchObject({
      escalated: true,
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, warned: true, breached: true },
    });
    // Nothing more to escalate: the department was told it is overdue.
    expect(checked(back, 'breach', at('11:05', 15))).toBeUndefined();
  });

  it('a breach still unsent when set back goes with the deadline it told of', () => {
    const marked = applyEvent(
      followUp(opened(), 'e:2', at('17:20'), 'high'),
      { type: 'breach', now: at('17:25') },
      {
        now: new Date(at('17:25')),
      },
    );
    if (marked.outcome !== 'changed') throw new Error(marked.outcome);
    const withNotice: Inquiry = {
      ...marked.inquiry,
      pendingNotification: {
        kind: 'breach',
        clock: 'first_response',
        cycle: 1,
        dueAt: at('13:00'),
        at: at('17:25'),
      },
    };
    expect(setBy(withNotice, 'op:1', at('17:30'), 'normal').inquiry.pendingNotification).toBeUndefined();
  });
});

describe('a raise whose new deadline had passed', () => {
  it('records the raise on the clock, and its escalation tells of it, not of hours overdue', () => {
    const warned = checked(opened(), 'warn', NORMAL_WARN_AT);
    if (!warned) throw new Error('not warned');
    // A follow-up classified high at 17:20 (applied a second later): high's 4 hours ran out at 13:00.
    const raised = followUp(warned, 'e:2', at('17:20'), 'high');
    expect(raised.clock).toMatchObject({
      dueAt: at('13:00'),
      raisedPastDue: {
        from: 'normal',
        to: 'high',
        at: new Date(Date.parse(at('17:20')) + 1000).toISOString(),
      },
    });
    // The escalator's run at 17:25 escalates it, and its notice carries the raise to the digest.
    const housing = departments.find((one) => one.id === 'housing');
    if (!housing) throw new Error('no housing department');
    const check = checkNotice(raised, housing, departments, new Date(at('17:25')));
    if (check.kind !== 'marked') throw new Error(check.kind);
    expect(check.addressed.notice).toMatchObject({ kind: 'breach', raisedFrom: 'normal', raisedTo: 'high' });
    expect(notificationOf(check.addressed, departments)).toMatchObject({
      kind: 'breach',
      dueAt: at('13:00'),
      raisedFrom: 'normal',
      raisedTo: 'high',
      raisedAt: expect.any(String),
    });
  });

  it('records nothing for a raise still ahead of its deadline, and forgets it once put back', () => {
    expect(followUp(opened(), 'e:2', at('10:00'), 'high').clock).not.toHaveProperty('raisedPastDue');
    const raised = setBy(opened(), 'op:1', at('17:20'), 'high').inquiry;
    expect(raised.clock?.raisedPastDue).toMatchObject({ from: 'normal', to: 'high' });
    expect(setBy(raised, 'op:2', at('17:22'), 'normal').inquiry.clock).not.toHaveProperty('raisedPastDue');
  });
});
