import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import { sentBefore, withinWindow } from '../../../lambdas/domain/inquiry/burst.js';
import { countEffects } from '../../../lambdas/domain/inquiry/effect-counts.js';
import {
  type HistoryEntry,
  INQUIRY_STATUSES,
  type Inquiry,
  type InquiryStatus,
} from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type DeliveryFailure,
  deadlineOf,
  deliveredLateCause,
  deliveryFailedCause,
  dueCheck,
  type EditRouting,
  type InquiryEvent,
  type LateDelivery,
  nextCheckOf,
  refusedOnReplayCause,
  TRANSITIONS,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import { editThreadingDecision, threadingDecision } from '../../../lambdas/domain/inquiry/threading.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { permContext as context } from './perm-context.js';

/** An inquiry routed on Mon 16 March 2026, 09:00 Perm, 4 working hours to the first response. */
const routed = (status: InquiryStatus = 'routed'): Inquiry =>
  routedInquiry({
    status,
    ...(status === 'answered' && { clock: undefined, answeredAt: '2026-03-16T06:00:00.000Z' }),
    ...(status === 'closed' && { clock: undefined, closedAt: '2026-03-17T06:00:00.000Z' }),
  });

const followUp = (cause: string, receivedAt: string, inquiry = true): InquiryEvent => ({
  type: 'citizen_message',
  cause,
  receivedAt,
  message: {
    groupId: 1,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${cause}`,
    conversationKey: 'dm:5',
    authorId: 5,
    text: inquiry ? 'Всё ещё не вывезли!' : 'Спасибо',
    attachments: [],
    sentAt: receivedAt,
  },
  classification: {
    category: 'waste',
    priority: 'high',
    confidence: 0.9,
    inquiry,
    triage: false,
    model: 't',
  },
});

const events: Record<InquiryEvent['type'], InquiryEvent> = {
  citizen_message: followUp('e:2', '2026-03-16T06:00:00.000Z'),
  take: {
    type: 'take',
    cause: 'op:take',
    at: '2026-03-16T05:00:00.000Z',
    operatorId: 'operator-sub',
    operatorName: 'Анна Иванова',
  },
  intermediate_answer: {
    type: 'intermediate_answer',
    cause: 'op:1',
    at: '2026-03-16T05:00:00.000Z',
    operatorId: 9,
    text: 'Работаем',
    via: 'console',
  },
  final_answer: {
    type: 'final_answer',
    cause: 'op:2',
    at: '2026-03-16T09:00:00.000Z',
    operatorId: 9,
    text: 'Вывезли',
    via: 'console',
  },
  reply_noted: {
    type: 'reply_noted',
    cause: 'op:3',
    at: '2026-03-16T05:00:00.000Z',
    operatorId: 9,
    text: '…',
    via: 'vk',
  },
  close: {
    type: 'close',
    cause: 'op:close',
    at: '2026-03-17T05:00:00.000Z',
    reason: 'the citizen has no questions',
  },
  reject: {
    type: 'reject',
    cause: 'op:reject',
    at: '2026-03-16T05:00:00.000Z',
    reason: 'spam',
    operatorId: 9,
    department: 'triage',
  },
  route: {
    type: 'route',
    cause: 'op:route',
    at: '2026-03-16T05:00:00.000Z',
    reason: 'a real complaint, not a thank-you',
    operatorId: 'operator-sub',
    department: 'roads',
    category: 'roads',
    priority: 'normal',
    terms: { firstResponseHours: 9, resolutionHours: 56 },
  },
  reopen: {
    type: 'reopen',
    cause: 'op:reopen',
    at: '2026-03-17T06:00:00.000Z',
    reason: 'the answer missed the point',
    operatorId: 'operator-sub',
  },
  move: {
    type: 'move',
    cause: 'op:move',
    at: '2026-03-16T05:00:00.000Z',
    reason: 'roads, not housing',
    operatorId: 'operator-sub',
    department: 'roads',
    category: 'roads',
  },
  message_changed: {
    type: 'message_changed',
    cause: 'e:edit',
    at: '2026-03-16T05:00:00.000Z',
    messageRef: 'dm:5:1',
    change: 'edited',
    text: 'Не вывозят мусор уже неделю',
    opening: true,
  },
  delivery_failed: {
    type: 'delivery_failed',
    cause: deliveryFailedCause('i1:answer:op:2'),
    at: '2026-03-16T09:00:05.000Z',
    outboxId: 'i1:answer:op:2',
    purpose: 'answer',
    reason: "VK error 901: Can't send messages for users without permission",
  },
  delivered_late: {
    type: 'delivered_late',
    cause: deliveredLateCause('i1:answer:op:2'),
    at: '2026-03-16T11:00:00.000Z',
    outboxId: 'i1:answer:op:2',
    purpose: 'answer',
  },
  warn: { type: 'warn', now: '2026-03-16T07:30:00.000Z' },
  breach: { type: 'breach', now: '2026-03-16T08:30:00.000Z' },
  release: {
    type: 'release',
    cause: 'op:release',
    at: '2026-03-16T05:00:00.000Z',
    reason: 'moved to roads',
    operatorId: 'admin-sub',
    operatorName: 'Администратор',
    admin: true,
  },
  note: {
    type: 'note',
    cause: 'op:note',
    at: '2026-03-16T05:00:00.000Z',
    text: 'Позвонили жителю, не ответил',
    operatorId: 'operator-sub',
    operatorName: 'Анна Иванова',
  },
};

describe('the state machine', () => {
  const cases = INQUIRY_STATUSES.flatMap((status) =>
    (Object.keys(events) as InquiryEvent['type'][]).map((type) => [status, type] as const),
  );

  it.each(cases)('in %s, %s is applied only if the table allows it', (status, type) => {
    // Released only where someone holds it (tested below), in any status someone may.
    const inquiry =
      type === 'release'
        ? { ...routed(status), assignee: { id: 'operator-sub', name: 'Анна' } }
        : routed(status);
    const result = applyEvent(inquiry, events[type], context);
    const allowed = TRANSITIONS[status][type];
    const needsClock = (type === 'warn' || type === 'breach') && !inquiry.clock;
    // Work in progress is closed only after its first response, or when its answer did not reach the citizen;
    // a reopened inquiry only when the answer before it did not (tested below). This one was only taken.
    const needsUndelivered =
      type === 'close' && (status === 'in_progress' || status === 'reopened') && !inquiry.undelivered;
    // A rejected message moves to another department only, not to a category (tested below).
    const rejectedMove = type === 'move' && status === 'rejected';
    // Words delivered late matter only to an inquiry flagged for them (tested below).
    const needsFlag = type === 'delivered_late' && !inquiry.undelivered;
    if (allowed === undefined || needsClock || needsUndelivered || rejectedMove || needsFlag) {
      expect(result.outcome).toBe('refused');
      return;
    }
    expect(result.outcome).toBe('changed');
    if (result.outcome !== 'changed') return;
    expect(result.inquiry.version).toBe(inquiry.version + 1);
    expect(result.history.length).toBeGreaterThan(0);
    for (const entry of result.history) {
      expect(entry).toMatchObject({ inquiryId: 'i1', key: expect.any(String), at: expect.any(String) });
      expect(entry.actor).toBeTruthy();
    }
  });

  it('refuses what the design forbids: answering a rejected inquiry, closing an open one, reopening by operator', () => {
    expect(applyEvent(routed('rejected'), events.final_answer, context)).toMatchObject({
      outcome: 'refused',
    });
    expect(applyEvent(routed('routed'), events.close, context)).toMatchObject({ outcome: 'refused' });
    expect(applyEvent(routed('closed'), events.final_answer, context)).toMatchObject({ outcome: 'refused' });
    expect(applyEvent(routed('answered'), events.intermediate_answer, context)).toMatchObject({
      outcome: 'refused',
      reason: 'intermediate_answer is not allowed when the inquiry is answered',
    });
  });

  it('changes nothing when the same cause comes again', () => {
    const first = applyEvent(routed(), events.citizen_message, context);
    if (first.outcome !== 'changed') throw new Error(first.outcome);
    expect(applyEvent(first.inquiry, events.citizen_message, context)).toEqual({ outcome: 'duplicate' });
    const again = applyEvent(routed(), events.citizen_message, { ...context, now: new Date('2030-01-01') });
    // History keys come from the cause, not from the time of processing.
    expect(again.outcome === 'changed' && again.history.map((entry: HistoryEntry) => entry.key)).toEqual(
      first.history.map((entry) => entry.key),
    );
  });

  it('an intermediate answer stops the first clock, in time, and starts the resolution clock', () => {
    const result = applyEvent(routed(), events.intermediate_answer, context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      firstResponseLate: false,
      clock: { kind: 'resolution', cycle: 2, startedAt: '2026-03-16T05:00:00.000Z' },
    });
    expect(result.effects).toContainEqual({ type: 'first_response', late: false, department: 'housing' });
    // A second intermediate answer moves no clock.
    const second = applyEvent(
      result.inquiry,
      { ...events.intermediate_answer, cause: 'op:1b' } as InquiryEvent,
      context,
    );
    expect(second.outcome === 'changed' && second.inquiry.clock).toEqual(result.inquiry.clock);
  });

  it('a late final answer counts as a late first response and stops every clock', () => {
    const result = applyEvent(routed(), events.final_answer, context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({ status: 'answered', firstResponseLate: true, clock: undefined });
    expect(result.effects).toContainEqual({ type: 'first_response', late: true, department: 'housing' });
  });

  it('keeps when the first-response clock started while the clock moves on to the resolution and stops', () => {
    const started = { ...routed(), firstResponseStartedAt: '2026-03-16T04:00:00.000Z' };
    const intermediate = applyEvent(started, events.intermediate_answer, context);
    if (intermediate.outcome !== 'changed') throw new Error(intermediate.outcome);
    const answered = applyEvent(intermediate.inquiry, events.final_answer, context);
    if (answered.outcome !== 'changed') throw new Error(answered.outcome);
    expect(answered.inquiry).toMatchObject({
      clock: undefined,
      firstResponseStartedAt: '2026-03-16T04:00:00.000Z',
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      answeredAt: '2026-03-16T09:00:00.000Z',
    });
  });

  it('a follow-up after the answer reopens the inquiry with a new first-response clock', () => {
    const result = applyEvent(routed('answered'), followUp('e:3', '2026-03-16T10:00:00.000Z'), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      messageCount: 2,
      // The citizen's new wait counts from the message that reopened it.
      firstResponseStartedAt: '2026-03-16T10:00:00.000Z',
    });
    // Mon 16 March 15:00 Perm + 4 working hours: 3 h that day, 1 h on Tuesday: Tue 10:00 local.
    expect(result.inquiry.clock).toMatchObject({
      kind: 'first_response',
      cycle: 2,
      dueAt: '2026-03-17T05:00:00.000Z',
    });
    expect(result.history[0]).toMatchObject({
      from: 'answered',
      to: 'reopened',
      actor: 'citizen',
      actorId: 5,
    });
  });

  it('a message written before the answer and routed after it reopens the inquiry after the answer, in its history too', () => {
    // Answered at 06:00 (its entry keyed then); the message reached us a second before, the router after.
    const answered = { ...routed('answered'), updatedAt: '2026-03-16T06:00:00.200Z' };
    const result = applyEvent(answered, followUp('e:3', '2026-03-16T05:59:59.000Z'), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.history[0]).toMatchObject({
      key: '2026-03-16T06:00:00.201Z#e:3#1',
      // When the citizen wrote it.
      at: '2026-03-16T05:59:59.000Z',
      from: 'answered',
      to: 'reopened',
      reason: 'the citizen wrote before the answer, and the message reached the inquiry after it',
    });
    // The new cycle starts just after the answer, after the cycle it ends; its entry is keyed after the
    // inquiry's last change.
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      reopenCause: 'e:3',
      firstResponseStartedAt: '2026-03-16T06:00:00.001Z',
      clock: { cycle: 2, startedAt: '2026-03-16T06:00:00.001Z' },
    });
    expect(result.inquiry.earlierCycles).toMatchObject([{ answeredAt: '2026-03-16T06:00:00.000Z' }]);

    // Moved to another department an hour after the answer, before the message was routed: the entry reads
    // after the move, but the cycle, and its deadline, still start just after the answer.
    const moved = applyEvent(
      answered,
      { ...events.move, at: '2026-03-16T07:00:00.000Z' } as InquiryEvent,
      context,
    );
    if (moved.outcome !== 'changed') throw new Error(moved.outcome);
    expect(moved.inquiry.updatedAt).toBe('2026-03-16T12:00:00.000Z');
    const afterMove = applyEvent(moved.inquiry, followUp('e:3', '2026-03-16T05:59:59.000Z'), context);
    if (afterMove.outcome !== 'changed') throw new Error(afterMove.outcome);
    expect(afterMove.history[0]?.key).toBe('2026-03-16T12:00:00.001Z#e:3#1');
    // Mon 16 March 11:00 Perm + 4 working hours, the lunch hour left out: 16:00 local.
    expect(afterMove.inquiry).toMatchObject({
      firstResponseStartedAt: '2026-03-16T06:00:00.001Z',
      firstResponseDueAt: '2026-03-16T11:00:00.001Z',
      clock: { startedAt: '2026-03-16T06:00:00.001Z', dueAt: '2026-03-16T11:00:00.001Z' },
    });

    const closed = { ...routed('closed'), updatedAt: '2026-03-17T06:00:00.000Z' };
    const afterClosing = applyEvent(closed, followUp('e:4', '2026-03-17T05:59:58.000Z'), context);
    if (afterClosing.outcome !== 'changed') throw new Error(afterClosing.outcome);
    expect(afterClosing.history[0]).toMatchObject({
      key: '2026-03-17T06:00:00.001Z#e:4#1',
      from: 'closed',
      to: 'reopened',
      reason: 'the citizen wrote before the inquiry was closed, and the message reached the inquiry after it',
    });

    // A "спасибо" written before the answer reopens nothing, and stays where it was written.
    const thanks = applyEvent(answered, followUp('e:5', '2026-03-16T05:59:59.000Z', false), context);
    if (thanks.outcome !== 'changed') throw new Error(thanks.outcome);
    expect(thanks.inquiry.status).toBe('answered');
    expect(thanks.history[0]).toMatchObject({
      key: '2026-03-16T05:59:59.000Z#e:5#1',
      reason: 'a follow-up in the same conversation',
    });
    expect(thanks.history[0]?.to).toBeUndefined();
  });

  it('a second message after the reopening joins the reopened cycle: no new clock, no second reopening', () => {
    const reopened = applyEvent(routed('answered'), followUp('e:3', '2026-03-16T10:00:00.000Z'), context);
    if (reopened.outcome !== 'changed') throw new Error(reopened.outcome);
    expect(reopened.inquiry).toMatchObject({
      reopenCause: 'e:3',
      firstResponsePromisedBy: '2026-03-17T05:00:00.000Z',
    });
    const more = applyEvent(reopened.inquiry, followUp('e:5', '2026-03-16T10:05:00.000Z'), context);
    if (more.outcome !== 'changed') throw new Error(more.outcome);
    expect(more.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      messageCount: 3,
      reopenCause: 'e:3',
      clock: { cycle: 2, dueAt: '2026-03-17T05:00:00.000Z' },
      firstResponseStartedAt: '2026-03-16T10:00:00.000Z',
    });
    expect(more.inquiry.earlierCycles).toEqual(reopened.inquiry.earlierCycles);
    expect(more.effects).toEqual([]);
    expect(more.history[0]).toMatchObject({ reason: 'a follow-up in the same conversation' });
    expect(more.history[0]?.to).toBeUndefined();
  });

  it('an operator who reopens an inquiry starts its first-response clock, and the wait, anew', () => {
    const closed = {
      ...routed('closed'),
      firstResponseStartedAt: '2026-03-16T04:00:00.000Z',
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      firstResponseLate: false,
    };
    const result = applyEvent(closed, events.reopen, context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      clock: { kind: 'first_response', startedAt: '2026-03-17T06:00:00.000Z' },
      firstResponseStartedAt: '2026-03-17T06:00:00.000Z',
    });
    expect(result.inquiry.firstRespondedAt).toBeUndefined();
  });

  it('a "thank you" after the answer is kept but does not reopen', () => {
    const result = applyEvent(
      routed('answered'),
      followUp('e:4', '2026-03-16T10:00:00.000Z', false),
      context,
    );
    expect(result.outcome === 'changed' && result.inquiry.status).toBe('answered');
  });

  it('warns once at 80 % and escalates once past the due time, per clock', () => {
    const inquiry = routed();
    expect(dueCheck(inquiry, new Date('2026-03-16T07:00:00Z'))?.action).toBeUndefined();
    expect(dueCheck(inquiry, new Date('2026-03-16T07:12:00Z'))?.action).toBe('warn');
    expect(applyEvent(inquiry, { type: 'warn', now: '2026-03-16T07:00:00.000Z' }, context).outcome).toBe(
      'refused',
    );
    const warned = applyEvent(inquiry, events.warn, context);
    if (warned.outcome !== 'changed') throw new Error(warned.outcome);
    expect(applyEvent(warned.inquiry, events.warn, context).outcome).toBe('duplicate');
    expect(dueCheck(warned.inquiry, new Date('2026-03-16T07:30:00Z'))?.action).toBeUndefined();
    expect(dueCheck(warned.inquiry, new Date('2026-03-16T08:00:00Z'))?.action).toBe('breach');
    const breached = applyEvent(warned.inquiry, events.breach, context);
    if (breached.outcome !== 'changed') throw new Error(breached.outcome);
    expect(breached.inquiry).toMatchObject({ escalated: true, clock: { warned: true, breached: true } });
    expect(breached.history[0]).toMatchObject({
      kind: 'escalated',
      actor: 'escalator',
      at: '2026-03-16T08:00:00.000Z',
    });
    expect(applyEvent(breached.inquiry, events.breach, context).outcome).toBe('duplicate');
    expect(dueCheck(breached.inquiry, new Date('2026-03-20T00:00:00Z'))?.action).toBeUndefined();
  });

  it('escalates the current cycle only: a reopened or routed-back inquiry starts unescalated, escalated anew on its new clock', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result;
    };
    const breached = apply(routed(), events.breach);
    expect(breached.history[0]).toMatchObject({ kind: 'escalated', detail: { cycle: 1 } });
    // Answered late, then the citizen writes again: the new clock is on time until it passes.
    const answered = apply(breached.inquiry, events.final_answer).inquiry;
    expect(answered.escalated).toBe(true);
    const reopened = apply(answered, followUp('e:3', '2026-03-16T10:00:00.000Z')).inquiry;
    expect(reopened).toMatchObject({
      status: 'reopened',
      escalated: false,
      clock: { cycle: 2, breached: false },
    });
    const again = apply(reopened, { type: 'breach', now: '2026-03-17T05:00:00.000Z' }).inquiry;
    expect(again).toMatchObject({ escalated: true, clock: { cycle: 2, breached: true } });
    // Rejected while escalated, then routed back into work by an operator: a new cycle too.
    const rejected = apply(breached.inquiry, events.reject).inquiry;
    const routedBack = apply(rejected, events.route).inquiry;
    expect(routedBack).toMatchObject({ status: 'routed', escalated: false, clock: { cycle: 2 } });
  });

  it('an edit changes the inquiry text; a delete withdraws it', () => {
    const edited = applyEvent(routed(), events.message_changed, context);
    expect(edited.outcome === 'changed' && edited.inquiry.text).toBe('Не вывозят мусор уже неделю');
    const deleted = applyEvent(
      routed(),
      { ...events.message_changed, change: 'deleted', cause: 'e:del' } as InquiryEvent,
      context,
    );
    expect(deleted.outcome === 'changed' && deleted.inquiry.withdrawn).toBe(true);
  });

  it('an edit of the opening message brings its attachments with its words; one that names none keeps them', () => {
    const photo = { kind: 'photo', count: 1, links: ['https://vk.com/photo5_1'] };
    const withPhoto = applyEvent(
      routed(),
      { ...events.message_changed, attachments: [photo] } as InquiryEvent,
      context,
    );
    if (withPhoto.outcome !== 'changed') throw new Error(withPhoto.outcome);
    expect(withPhoto.inquiry.attachments).toEqual([photo]);
    const kept = applyEvent(
      withPhoto.inquiry,
      { ...events.message_changed, cause: 'e:edit-2', text: 'Мусор' } as InquiryEvent,
      context,
    );
    expect(kept.outcome === 'changed' && kept.inquiry.attachments).toEqual([photo]);
    const without = applyEvent(
      withPhoto.inquiry,
      { ...events.message_changed, cause: 'e:edit-3', attachments: [] } as InquiryEvent,
      context,
    );
    expect(without.outcome === 'changed' && without.inquiry).not.toHaveProperty(
      'attachments',
      expect.anything(),
    );
    // An edit of another message of the inquiry leaves the opening message's alone.
    const other = applyEvent(
      withPhoto.inquiry,
      { ...events.message_changed, cause: 'e:edit-4', opening: false, attachments: [] } as InquiryEvent,
      context,
    );
    expect(other.outcome === 'changed' && other.inquiry.attachments).toEqual([photo]);
  });
});

describe('an operator’s words that did not reach the citizen', () => {
  const answered = () => {
    const result = applyEvent(routed('in_progress'), events.final_answer, context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    return result.inquiry;
  };
  // As the responder applies it: with no calendar, as it starts no clock.
  const failed = (purpose: 'answer' | 'intermediate_answer', outboxId: string): DeliveryFailure => ({
    ...(events.delivery_failed as DeliveryFailure),
    cause: deliveryFailedCause(outboxId),
    outboxId,
    purpose,
  });

  /** The answer failed VK's every try: the inquiry flagged for it, the answer kept in the dead-letter queue. */
  const answerKept = () => {
    const result = applyEvent(
      answered(),
      {
        ...events.delivery_failed,
        reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
      } as InquiryEvent,
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    return result.inquiry;
  };
  /** The kept answer replayed at 11:00 and refused by VK for good (the fixture's 901). */
  const refusedOnReplay = (inquiry: Inquiry) => {
    const result = applyEvent(
      inquiry,
      {
        ...events.delivery_failed,
        cause: refusedOnReplayCause('i1:answer:op:2'),
        at: '2026-03-16T11:00:00.000Z',
      } as DeliveryFailure,
      { now: context.now },
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    return result;
  };

  it('put an answered inquiry back into open work, flagged, without a new clock, once', () => {
    const result = applyEvent(answered(), events.delivery_failed, context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'in_progress',
      undelivered: {
        outboxId: 'i1:answer:op:2',
        purpose: 'answer',
        reason: expect.stringContaining('901'),
        at: '2026-03-16T09:00:05.000Z',
      },
      answeredAt: undefined,
      clock: undefined,
      // The answer was its first response too, and the citizen got neither: that is owed again.
      firstRespondedAt: undefined,
      firstResponseLate: undefined,
    });
    expect(result.history).toEqual([
      expect.objectContaining({
        kind: 'undelivered',
        actor: 'responder',
        from: 'answered',
        to: 'in_progress',
        reason: expect.stringMatching(/^the answer did not reach the citizen: VK error 901/),
        detail: { outboxId: 'i1:answer:op:2', purpose: 'answer' },
      }),
    ]);
    expect(result.effects).toEqual([]);
    // No clock runs, but the first response it gave is owed again by its deadline, long passed.
    expect(dueCheck(result.inquiry, new Date('2026-04-01T00:00:00Z'))).toMatchObject({
      action: 'breach',
      clock: { kind: 'first_response', dueAt: '2026-03-16T08:00:00.000Z' },
    });
    // The same queue message again: nothing; processed later, the same history key.
    expect(applyEvent(result.inquiry, events.delivery_failed, context)).toEqual({
      outcome: 'duplicate',
    });
    const later = applyEvent(answered(), events.delivery_failed, {
      ...context,
      now: new Date('2026-03-20T00:00:00Z'),
    });
    expect(later.outcome === 'changed' && later.history[0]?.key).toBe(result.history[0]?.key);
  });

  const late = events.delivered_late as LateDelivery;

  it('answer the inquiry when the refused answer reaches the citizen after all, from the dead letters, at that time', () => {
    const refused = applyEvent(answered(), events.delivery_failed, context);
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    const result = applyEvent(refused.inquiry, late, { now: context.now });
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'answered',
      answeredAt: '2026-03-16T11:00:00.000Z',
      clock: undefined,
      // Its first response, taken back, is given when the citizen got the words: late by then.
      firstRespondedAt: '2026-03-16T11:00:00.000Z',
      firstResponseLate: true,
    });
    expect(result.inquiry.undelivered).toBeUndefined();
    expect(result.inquiry.finishedAt).toBeDefined();
    // Counted once a cycle: given when the answer was first recorded.
    expect(result.effects).toEqual([]);
    expect(result.history).toEqual([
      expect.objectContaining({
        actor: 'responder',
        from: 'in_progress',
        to: 'answered',
        reason: 'the answer reached the citizen after all, from the dead-letter queue',
      }),
    ]);
    expect(applyEvent(result.inquiry, late, { now: context.now })).toEqual({
      outcome: 'duplicate',
    });
  });

  it('answer the inquiry with the answer delivered late after an edit made meanwhile, saying it did not see the edit', () => {
    const refused = applyEvent(answered(), events.delivery_failed, context);
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    // The router counts the answer in the dead letters as given (edit-after-answer.ts): the edit is recorded.
    const edited = applyEvent(
      refused.inquiry,
      { ...events.message_changed, at: '2026-03-16T10:00:00.000Z', afterAnswer: 'recorded' } as InquiryEvent,
      context,
    );
    if (edited.outcome !== 'changed') throw new Error(edited.outcome);
    expect(edited.inquiry).toMatchObject({
      status: 'in_progress',
      editedAfterAnswerAt: '2026-03-16T10:00:00.000Z',
      undelivered: { outboxId: 'i1:answer:op:2' },
    });
    const result = applyEvent(edited.inquiry, late, { now: context.now });
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'answered',
      answeredAt: '2026-03-16T11:00:00.000Z',
      editedAfterAnswerAt: '2026-03-16T10:00:00.000Z',
    });
    expect(result.history[0]?.reason).toBe(
      'the answer reached the citizen after all, from the dead-letter queue; the citizen edited the message meanwhile: the answer did not see the edit',
    );
  });

  it('tell the flag VK’s refusal for good of words kept in the dead letters, replayed: nothing else changes', () => {
    const replayed = refusedOnReplay(answerKept());
    expect(replayed.inquiry).toMatchObject({
      status: 'in_progress',
      undelivered: {
        outboxId: 'i1:answer:op:2',
        reason: "VK error 901: Can't send messages for users without permission",
        // Still when the answer was flagged: what the department wrote after that is its response meanwhile.
        at: '2026-03-16T09:00:05.000Z',
      },
    });
    expect(replayed.history).toEqual([
      expect.objectContaining({
        kind: 'undelivered',
        reason:
          "the answer kept in the dead-letter queue, sent again, did not reach the citizen: VK error 901: Can't send messages for users without permission",
      }),
    ]);
    expect(replayed.history[0]?.to).toBeUndefined();
  });

  it('record an intermediate answer written while the answer waited, refused after the answer’s replay was refused: no answer superseded it', () => {
    const kept = answerKept();
    const working = applyEvent(
      kept,
      { ...events.intermediate_answer, cause: 'op:4', at: '2026-03-16T10:00:00.000Z' } as InquiryEvent,
      context,
    );
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const replayed = refusedOnReplay(working.inquiry);
    const refused = applyEvent(
      replayed.inquiry,
      {
        type: 'delivery_failed',
        cause: deliveryFailedCause('i1:intermediate_answer:op:4'),
        at: '2026-03-16T11:30:00.000Z',
        outboxId: 'i1:intermediate_answer:op:4',
        purpose: 'intermediate_answer',
        reason: "VK error 901: Can't send messages for users without permission",
        requestedAt: '2026-03-16T10:00:00.000Z',
      },
      { now: context.now },
    );
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    // The answer's flag stays; the intermediate answer's refusal is the department's to know, not dropped as
    // one an answer came after.
    expect(refused.inquiry.undelivered).toMatchObject({ outboxId: 'i1:answer:op:2' });
    expect(refused.inquiry.undeliveredWords).toContain('i1:intermediate_answer:op:4');
    expect(refused.history.map((entry) => entry.reason)).toEqual([
      "the intermediate answer did not reach the citizen: VK error 901: Can't send messages for users without permission",
    ]);
  });

  it('change nothing when words delivered late were dealt with since: answered again or closed', () => {
    const refused = applyEvent(answered(), events.delivery_failed, context);
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    const closed = applyEvent(
      refused.inquiry,
      { ...(events.close as Extract<InquiryEvent, { type: 'close' }>), at: '2026-03-16T10:00:00.000Z' },
      context,
    );
    if (closed.outcome !== 'changed') throw new Error(closed.outcome);
    expect(applyEvent(closed.inquiry, late, { now: context.now })).toMatchObject({
      outcome: 'refused',
    });
  });

  it('change nothing when words kept in the dead letters, replayed, are refused once closed meanwhile', () => {
    const closed = applyEvent(
      answerKept(),
      { ...(events.close as Extract<InquiryEvent, { type: 'close' }>), at: '2026-03-16T10:00:00.000Z' },
      context,
    );
    if (closed.outcome !== 'changed') throw new Error(closed.outcome);
    expect(
      applyEvent(
        closed.inquiry,
        {
          ...events.delivery_failed,
          cause: refusedOnReplayCause('i1:answer:op:2'),
          at: '2026-03-16T11:00:00.000Z',
        } as DeliveryFailure,
        { now: context.now },
      ),
    ).toEqual({
      outcome: 'refused',
      reason: 'the inquiry is not flagged for these words any more: the department dealt with them since',
    });
  });

  it('put a closed inquiry back into open work too: it was closed on an answer the citizen never got', () => {
    const result = applyEvent(routed('closed'), events.delivery_failed, context);
    expect(result.outcome === 'changed' && result.inquiry).toMatchObject({
      status: 'in_progress',
      closedAt: undefined,
      undelivered: { purpose: 'answer' },
    });
  });

  it('flag an inquiry in work whose intermediate answer failed, its clock running; not once it is answered', () => {
    const working = applyEvent(routed(), events.intermediate_answer, context);
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const result = applyEvent(working.inquiry, failed('intermediate_answer', 'i1:intermediate_answer:op:1'), {
      now: context.now,
    });
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'in_progress',
      clock: working.inquiry.clock,
      undelivered: { purpose: 'intermediate_answer' },
    });
    expect(result.history[0]?.reason).toMatch(/^the intermediate answer did not reach the citizen/);
    expect(
      applyEvent(answered(), failed('intermediate_answer', 'i1:intermediate_answer:op:1'), {
        now: context.now,
      }),
    ).toMatchObject({ outcome: 'refused' });
  });

  it('watch the first response owed again after a refused intermediate answer beside the resolution clock, each once', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result;
    };
    // Given at 10:00 Perm, due by 13:00; refused 5 s later.
    const working = apply(routed(), events.intermediate_answer);
    const refused = apply(working.inquiry, {
      ...failed('intermediate_answer', 'i1:intermediate_answer:op:1'),
      at: '2026-03-16T05:00:05.000Z',
    }).inquiry;
    const resolution = working.inquiry.clock;
    expect(resolution).toMatchObject({ kind: 'resolution', dueAt: '2026-03-25T06:15:00.000Z' });
    expect(refused.clock).toEqual(resolution);
    // The escalator's next look and the list by deadline go by the owed first response, due first.
    expect(nextCheckOf(refused)).toBe('2026-03-16T07:12:00.000Z');
    expect(deadlineOf(refused)).toBe('2026-03-16T08:00:00.000Z');
    expect(dueCheck(refused, new Date('2026-03-16T07:30:00Z'))).toMatchObject({
      action: 'warn',
      clock: { kind: 'first_response', cycle: 1 },
    });
    // Both owed, unchecked for days (an escalator outage): the earliest goes first, the first response's breach.
    expect(dueCheck(refused, new Date('2026-03-25T00:00:00Z'))).toMatchObject({
      action: 'breach',
      clock: { kind: 'first_response' },
    });
    const warned = apply(refused, { type: 'warn', now: '2026-03-16T07:30:00.000Z', clock: 'first_response' });
    expect(warned.inquiry.clock).toEqual(resolution);
    expect(warned.effects).toEqual([
      { type: 'warned', clock: 'first_response', dueAt: '2026-03-16T08:00:00.000Z' },
    ]);
    expect(nextCheckOf(warned.inquiry)).toBe('2026-03-16T08:00:00.000Z');
    // 13:30 Perm: past the first response's deadline.
    expect(dueCheck(warned.inquiry, new Date('2026-03-16T08:30:00Z'))?.action).toBe('breach');
    const breached = apply(warned.inquiry, events.breach);
    expect(breached.inquiry).toMatchObject({ escalated: true, clock: resolution });
    expect(breached.history[0]).toMatchObject({
      kind: 'escalated',
      at: '2026-03-16T08:00:00.000Z',
      detail: { clock: 'first_response', cycle: 1 },
    });
    // Once: the resolution clock is watched on, and the inquiry stays listed overdue.
    expect(
      applyEvent(
        breached.inquiry,
        { type: 'breach', now: '2026-03-16T08:30:00.000Z', clock: 'first_response' },
        context,
      ).outcome,
    ).toBe('duplicate');
    expect(dueCheck(breached.inquiry, new Date('2026-03-16T09:00:00Z'))?.action).toBeUndefined();
    expect(nextCheckOf(breached.inquiry)).toBe(resolution?.warnAt);
    expect(deadlineOf(breached.inquiry)).toBe('2026-03-16T08:00:00.000Z');
    // Given again: only the resolution clock is owed.
    const again = apply(breached.inquiry, {
      ...events.intermediate_answer,
      cause: 'op:3',
      at: '2026-03-16T09:00:00.000Z',
    } as InquiryEvent);
    expect(again.inquiry.clock).toEqual(resolution);
    expect(deadlineOf(again.inquiry)).toBe(resolution?.dueAt);
  });

  it('leave the answer standing when another of the operators’ messages is refused: a further word, an older answer', () => {
    const noted = failed('answer', 'i1:answer:op:further-word');
    expect(applyEvent(answered(), noted, context)).toEqual({
      outcome: 'refused',
      reason: 'not the answer the inquiry was answered with: that one stands',
    });
    const closed = applyEvent(answered(), events.close, context);
    if (closed.outcome !== 'changed') throw new Error(closed.outcome);
    expect(applyEvent(closed.inquiry, noted, context)).toMatchObject({ outcome: 'refused' });
    // The answer it was answered with, refused: that one counts.
    expect(applyEvent(closed.inquiry, failed('answer', 'i1:answer:op:2'), context)).toMatchObject({
      outcome: 'changed',
      inquiry: { status: 'in_progress' },
    });
  });

  it('keep the answer’s refusal when an earlier intermediate answer or a further word is refused after it', () => {
    const working = applyEvent(routed(), events.intermediate_answer, context);
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const answer = applyEvent(working.inquiry, events.final_answer, context);
    if (answer.outcome !== 'changed') throw new Error(answer.outcome);
    const refused = applyEvent(answer.inquiry, failed('answer', 'i1:answer:op:2'), context);
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    expect(refused.inquiry).toMatchObject({ status: 'in_progress', undelivered: { purpose: 'answer' } });
    // The intermediate answer, retried through a VK outage, refused at last: the answer's refusal stands.
    expect(
      applyEvent(refused.inquiry, failed('intermediate_answer', 'i1:intermediate_answer:op:1'), {
        now: context.now,
      }),
    ).toMatchObject({ outcome: 'refused' });
    expect(applyEvent(refused.inquiry, failed('answer', 'i1:answer:op:further'), context)).toMatchObject({
      outcome: 'refused',
    });
    // So the operator who reached the citizen by phone can still close it.
    expect(applyEvent(refused.inquiry, events.close, context)).toMatchObject({
      outcome: 'changed',
      inquiry: { status: 'closed' },
    });
  });

  it('keep the answer owed by the deadline it had once VK refused it: an intermediate answer starts no new one', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result.inquiry;
    };
    const again = {
      ...events.intermediate_answer,
      cause: 'op:again',
      at: '2026-04-20T05:00:00.000Z',
    } as InquiryEvent;
    // "We are working on it", then the answer weeks after its resolution deadline, refused.
    const working = apply(routed(), events.intermediate_answer);
    const owed = working.resolutionDueAt;
    const late = apply(working, { ...events.final_answer, at: '2026-04-15T05:00:00.000Z' } as InquiryEvent);
    const refused = apply(late, events.delivery_failed);
    const answeringAgain = apply(refused, again);
    expect(answeringAgain).toMatchObject({ status: 'in_progress', resolutionDueAt: owed, clock: undefined });
    expect(dueCheck(answeringAgain, new Date('2026-06-01T00:00:00Z'))?.action).toBeUndefined();
    // The answer given with no intermediate answer before it, refused: it stays owed by the first deadline.
    const direct = apply(apply(routed('in_progress'), events.final_answer), events.delivery_failed);
    const directAgain = apply(direct, again);
    expect(directAgain.clock).toBeUndefined();
    expect(directAgain.resolutionDueAt).toBeUndefined();
  });

  it('take back the first response words VK refused gave: the next words give it, at their own time', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result;
    };
    const at = (event: InquiryEvent, cause: string, time: string) =>
      ({ ...event, cause, at: time }) as InquiryEvent;
    // The answer at 14:00 in Perm, refused; answered again at 15:00: the first response then, not before.
    const refused = apply(answered(), events.delivery_failed).inquiry;
    const again = apply(refused, at(events.final_answer, 'op:again', '2026-03-16T10:00:00.000Z'));
    expect(again.inquiry).toMatchObject({
      firstRespondedAt: '2026-03-16T10:00:00.000Z',
      firstResponseLate: true,
      firstResponseCause: 'op:again',
    });
    // The cycle's first response was counted when the refused answer gave it: not counted again.
    expect(again.effects).not.toContainEqual(expect.objectContaining({ type: 'first_response' }));
    // "We are working on it" at 10:00, refused; again at 11:00: the first response, its resolution clock
    // running from the first.
    const working = apply(routed(), events.intermediate_answer).inquiry;
    const flagged = apply(working, failed('intermediate_answer', 'i1:intermediate_answer:op:1')).inquiry;
    expect(flagged.firstRespondedAt).toBeUndefined();
    const second = apply(
      flagged,
      at(events.intermediate_answer, 'op:1b', '2026-03-16T06:00:00.000Z'),
    ).inquiry;
    expect(second).toMatchObject({
      firstRespondedAt: '2026-03-16T06:00:00.000Z',
      firstResponseLate: false,
      clock: working.clock,
    });
    // Words refused after other words gave the first response leave it given: a second intermediate answer,
    // or the answer after one.
    const more = apply(working, at(events.intermediate_answer, 'op:1b', '2026-03-16T06:00:00.000Z')).inquiry;
    expect(
      apply(more, failed('intermediate_answer', 'i1:intermediate_answer:op:1b')).inquiry.firstRespondedAt,
    ).toBe('2026-03-16T05:00:00.000Z');
    const answeredAfter = apply(working, events.final_answer).inquiry;
    expect(apply(answeredAfter, events.delivery_failed).inquiry.firstRespondedAt).toBe(
      '2026-03-16T05:00:00.000Z',
    );
    // Reached by phone and closed after the refused answer: the closing was the response, at its time.
    expect(apply(refused, events.close).inquiry).toMatchObject({
      status: 'closed',
      firstRespondedAt: '2026-03-17T05:00:00.000Z',
      firstResponseLate: true,
    });
  });

  it('count a cycle’s first response once, however often VK’s refusals take it back and words give it again', () => {
    const metrics = recordingMetrics();
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      countEffects(metrics, result.effects, result.inquiry);
      return result.inquiry;
    };
    const timed = (event: InquiryEvent, cause: string, time: string) =>
      ({ ...event, cause, at: time }) as InquiryEvent;
    const counted = () => metrics.counts.filter((count) => count.name.startsWith('FirstResponses'));
    // The answer at 11:00 in Perm, in time; VK refuses it; the department phones the next day and closes it.
    const inTime = apply(
      routed('in_progress'),
      timed(events.final_answer, 'op:2', '2026-03-16T06:00:00.000Z'),
    );
    const refused = apply(inTime, events.delivery_failed);
    const closed = apply(refused, events.close);
    expect(closed).toMatchObject({ firstResponseLate: true, firstResponseCounted: true });
    expect(counted()).toEqual([{ name: 'FirstResponsesInTime', dimensions: { department: 'housing' } }]);
    // "We are working on it", refused, and given again: one first response still.
    metrics.counts.length = 0;
    const working = apply(routed(), events.intermediate_answer);
    const flagged = apply(working, failed('intermediate_answer', 'i1:intermediate_answer:op:1'));
    apply(flagged, timed(events.intermediate_answer, 'op:1b', '2026-03-16T06:00:00.000Z'));
    expect(counted()).toEqual([{ name: 'FirstResponsesInTime', dimensions: { department: 'housing' } }]);
    // A new cycle owes, and counts, a first response of its own.
    metrics.counts.length = 0;
    const reopened = apply(closed, timed(events.reopen, 'op:reopen', '2026-03-17T06:00:00.000Z'));
    expect(reopened.firstResponseCounted).toBeUndefined();
    apply(reopened, timed(events.final_answer, 'op:next', '2026-03-17T07:00:00.000Z'));
    expect(counted()).toEqual([{ name: 'FirstResponsesInTime', dimensions: { department: 'housing' } }]);
  });

  it('count once the first response of an inquiry stored before its count was kept', () => {
    const metrics = recordingMetrics();
    const stored: Inquiry = { ...answered(), firstResponseCounted: undefined };
    const refused = applyEvent(stored, events.delivery_failed, context);
    if (refused.outcome !== 'changed') throw new Error(refused.outcome);
    const closed = applyEvent(refused.inquiry, events.close, context);
    if (closed.outcome !== 'changed') throw new Error(closed.outcome);
    countEffects(metrics, closed.effects, closed.inquiry);
    expect(metrics.counts).toEqual([]);
  });

  it('judge a first response recorded before its words were kept as the statistics do, when VK refuses words', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result.inquiry;
    };
    const unkept = (inquiry: Inquiry): Inquiry => ({ ...inquiry, firstResponseCause: undefined });
    const working = unkept(apply(routed(), events.intermediate_answer));
    // A refused intermediate answer is taken for the first response; a refused answer after one is not.
    expect(
      apply(working, failed('intermediate_answer', 'i1:intermediate_answer:op:other')).firstRespondedAt,
    ).toBeUndefined();
    expect(apply(unkept(apply(working, events.final_answer)), events.delivery_failed).firstRespondedAt).toBe(
      '2026-03-16T05:00:00.000Z',
    );
  });

  it('take back a first response recorded before its words were kept only for the words queued with it', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result.inquiry;
    };
    const unkept = (inquiry: Inquiry): Inquiry => ({ ...inquiry, firstResponseCause: undefined });
    // "We are working on it" at 10:00 in Perm, recorded before the inquiry kept which words gave the first
    // response; another at 12:00, refused by VK.
    const working = unkept(apply(routed(), events.intermediate_answer));
    const second = apply(working, {
      ...events.intermediate_answer,
      cause: 'op:1b',
      at: '2026-03-16T07:00:00.000Z',
    } as InquiryEvent);
    const refusedAt = (outboxId: string, requestedAt: string): InquiryEvent => ({
      ...failed('intermediate_answer', outboxId),
      requestedAt,
    });
    // The second's refusal leaves the first response the first gave.
    expect(
      apply(second, refusedAt('i1:intermediate_answer:op:1b', '2026-03-16T07:00:00.040Z')),
    ).toMatchObject({
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      undelivered: { purpose: 'intermediate_answer' },
    });
    // The first's refusal takes it back: queued by its request, or by the request's repeat seconds later.
    for (const requestedAt of ['2026-03-16T05:00:00.040Z', '2026-03-16T05:00:07.000Z'])
      expect(
        apply(second, refusedAt('i1:intermediate_answer:op:1', requestedAt)).firstRespondedAt,
      ).toBeUndefined();
    // Words queued before the first response (an earlier cycle's, retried late) did not give it either.
    expect(
      apply(second, refusedAt('i1:intermediate_answer:op:0', '2026-03-16T04:00:00.000Z')).firstRespondedAt,
    ).toBe('2026-03-16T05:00:00.000Z');
  });

  it('keep an inquiry whose intermediate answer was refused from being closed: its answer is still owed', () => {
    const working = applyEvent(routed(), events.intermediate_answer, context);
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const flagged = applyEvent(
      working.inquiry,
      failed('intermediate_answer', 'i1:intermediate_answer:op:1'),
      {
        now: context.now,
      },
    );
    if (flagged.outcome !== 'changed') throw new Error(flagged.outcome);
    expect(applyEvent(flagged.inquiry, events.close, context)).toMatchObject({ outcome: 'refused' });
  });

  it('let the operator close it (answered by phone) or answer again, either of which clears the flag', () => {
    const undelivered = applyEvent(answered(), events.delivery_failed, context);
    if (undelivered.outcome !== 'changed') throw new Error(undelivered.outcome);
    const closed = applyEvent(
      undelivered.inquiry,
      { ...events.close, reason: 'answered by phone' } as InquiryEvent,
      context,
    );
    expect(closed.outcome === 'changed' && closed.inquiry).toMatchObject({
      status: 'closed',
      closedAt: '2026-03-17T05:00:00.000Z',
      undelivered: undefined,
    });
    const again = applyEvent(
      undelivered.inquiry,
      { ...events.final_answer, cause: 'op:again', at: '2026-03-16T10:00:00.000Z' } as InquiryEvent,
      context,
    );
    expect(again.outcome === 'changed' && again.inquiry).toMatchObject({
      status: 'answered',
      answeredAt: '2026-03-16T10:00:00.000Z',
      undelivered: undefined,
    });
    // Work in progress whose answer was not refused is not closed: it is answered first.
    expect(applyEvent(routed('in_progress'), events.close, context)).toMatchObject({ outcome: 'refused' });
  });

  describe('the answer refused after a message written before it reopened the inquiry', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent) => {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result;
    };
    // Answered at 14:00 Perm; the citizen's message of 13:59:59 is routed after it and reopens the inquiry,
    // before the responder hears VK refuse the answer.
    const writtenBefore = followUp('e:before', '2026-03-16T08:59:59.000Z');
    const reopened = (inquiry: Inquiry) => apply(apply(inquiry, events.final_answer).inquiry, writtenBefore);

    it('is no longer counted as the ended cycle’s answer, nor as its first response; the inquiry is flagged', () => {
      const before = reopened(routed('in_progress')).inquiry;
      // The reopened cycle has no answer of its own: the ended one keeps the cause of its answer.
      expect(before).toMatchObject({ status: 'reopened', answerCause: undefined });
      expect(before.earlierCycles).toEqual([
        expect.objectContaining({
          status: 'answered',
          endedAt: '2026-03-16T12:00:00.000Z',
          firstRespondedAt: '2026-03-16T09:00:00.000Z',
          firstResponseCause: 'op:2',
          answeredAt: '2026-03-16T09:00:00.000Z',
          answerCause: 'op:2',
        }),
      ]);
      const refused = applyEvent(before, failed('answer', 'i1:answer:op:2'), { now: context.now });
      if (refused.outcome !== 'changed') throw new Error(refused.outcome);
      const [ended] = refused.inquiry.earlierCycles ?? [];
      expect(ended).toMatchObject({ refused: 'answer', answeredAt: '2026-03-16T09:00:00.000Z' });
      // The answer was its first response too: the citizen got neither.
      expect(ended?.firstRespondedAt).toBeUndefined();
      expect(ended?.firstResponseLate).toBeUndefined();
      // Still reopened, its own clock running; flagged for the operators, who find it with undelivered=true.
      expect(refused.inquiry).toMatchObject({
        status: 'reopened',
        clock: before.clock,
        undelivered: { outboxId: 'i1:answer:op:2', purpose: 'answer' },
      });
      expect(refused.history).toEqual([
        expect.objectContaining({
          kind: 'undelivered',
          actor: 'responder',
          reason: expect.stringMatching(
            /^the answer given before the inquiry was reopened did not reach the citizen: VK error 901/,
          ),
          detail: { outboxId: 'i1:answer:op:2', purpose: 'answer' },
        }),
      ]);
      expect(refused.history[0]?.to).toBeUndefined();
      expect(applyEvent(refused.inquiry, failed('answer', 'i1:answer:op:2'), { now: context.now })).toEqual({
        outcome: 'duplicate',
      });

      // Reached by phone: closed, the closing its first response and answer; never rejected as none.
      const closed = apply(refused.inquiry, {
        ...events.close,
        reason: 'ответили по телефону',
      } as InquiryEvent);
      expect(closed.inquiry).toMatchObject({
        status: 'closed',
        closedAt: '2026-03-17T05:00:00.000Z',
        firstRespondedAt: '2026-03-17T05:00:00.000Z',
        undelivered: undefined,
        clock: undefined,
      });
      expect(applyEvent(refused.inquiry, events.reject, context)).toMatchObject({ outcome: 'refused' });
      // A reopened inquiry whose answer reached the citizen is answered, not closed.
      expect(applyEvent(before, events.close, context)).toEqual({
        outcome: 'refused',
        reason:
          'a reopened inquiry is closed only when the answer before it did not reach the citizen: answer it',
      });
    });

    it('delivered late from the dead letters, only clears the flag, even once the reopened inquiry is taken', () => {
      const refused = apply(reopened(routed('in_progress')).inquiry, failed('answer', 'i1:answer:op:2'));
      const taken = apply(refused.inquiry, events.take).inquiry;
      expect(taken).toMatchObject({ status: 'in_progress', undelivered: { outboxId: 'i1:answer:op:2' } });
      const result = apply(taken, late);
      // The reopened cycle is still owed its answer, by its own clock; the ended one stays counted as refused.
      expect(result.inquiry).toMatchObject({ status: 'in_progress', clock: taken.clock });
      expect(result.inquiry.undelivered).toBeUndefined();
      expect(result.inquiry.answeredAt).toBeUndefined();
      expect(result.inquiry.finishedAt).toBeUndefined();
      expect(result.inquiry.earlierCycles).toEqual(taken.earlierCycles);
      expect(result.history).toEqual([
        expect.objectContaining({
          reason:
            'the answer given before the inquiry was reopened reached the citizen after all, from the dead-letter queue',
        }),
      ]);
      expect(result.history[0]?.to).toBeUndefined();
    });

    it('keeps a first response other words gave, and an answer given since', () => {
      // "We are working on it" at 10:00 reached the citizen: it stays the ended cycle's first response.
      const working = apply(routed(), events.intermediate_answer).inquiry;
      const refused = applyEvent(reopened(working).inquiry, failed('answer', 'i1:answer:op:2'), {
        now: context.now,
      });
      expect(refused.outcome === 'changed' && refused.inquiry.earlierCycles).toEqual([
        expect.objectContaining({ refused: 'answer', firstRespondedAt: '2026-03-16T05:00:00.000Z' }),
      ]);
      // Answered again before VK's refusal of the first answer came: the ended cycle is not answered, the
      // inquiry stays answered with its new answer, unflagged.
      const again = apply(reopened(routed('in_progress')).inquiry, {
        ...events.final_answer,
        cause: 'op:again',
        at: '2026-03-16T09:30:00.000Z',
      } as InquiryEvent).inquiry;
      const late = applyEvent(again, failed('answer', 'i1:answer:op:2'), { now: context.now });
      if (late.outcome !== 'changed') throw new Error(late.outcome);
      expect(late.inquiry).toMatchObject({ status: 'answered', answeredAt: '2026-03-16T09:30:00.000Z' });
      expect(late.inquiry.undelivered).toBeUndefined();
      expect(late.inquiry.earlierCycles).toEqual([expect.objectContaining({ refused: 'answer' })]);
      expect(late.history[0]?.to).toBeUndefined();
    });
  });

  it('let the operator close work in progress resolved outside the product after its first response', () => {
    // "We are working on it", then resolved by phone: closed with the reason, its clocks stopped.
    const working = applyEvent(routed('in_progress'), events.intermediate_answer, context);
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const closed = applyEvent(
      working.inquiry,
      { ...events.close, reason: 'решено по телефону' } as InquiryEvent,
      context,
    );
    if (closed.outcome !== 'changed') throw new Error(closed.outcome);
    expect(closed.inquiry).toMatchObject({ status: 'closed', closedAt: '2026-03-17T05:00:00.000Z' });
    expect(closed.inquiry.clock).toBeUndefined();
    expect(closed.inquiry.answeredAt).toBeUndefined();
    expect(closed.history).toEqual([
      expect.objectContaining({
        kind: 'status',
        from: 'in_progress',
        to: 'closed',
        reason: 'решено по телефону',
      }),
    ]);
    // The same after an answer typed by hand in VK, which is the first response too.
    const byHand = applyEvent(
      routed('routed'),
      { ...events.intermediate_answer, cause: 'e:reply', via: 'vk', operatorId: 555 } as InquiryEvent,
      context,
    );
    if (byHand.outcome !== 'changed') throw new Error(byHand.outcome);
    expect(applyEvent(byHand.inquiry, events.close, context)).toMatchObject({
      outcome: 'changed',
      inquiry: { status: 'closed' },
    });
  });
});

describe('an opening message edited into an inquiry', () => {
  const terms = { firstResponseHours: 1, resolutionHours: 24 };
  const route: EditRouting = {
    classification: {
      category: 'roads',
      priority: 'critical',
      confidence: 0.97,
      inquiry: true,
      triage: false,
      model: 't',
    },
    department: 'roads',
    rule: 3,
    terms,
  };
  const edit = (fields: Partial<Extract<InquiryEvent, { type: 'message_changed' }>> = {}): InquiryEvent => ({
    ...(events.message_changed as Extract<InquiryEvent, { type: 'message_changed' }>),
    text: 'Провал асфальта посреди дороги, машины объезжают по встречке',
    route,
    ...fields,
  });
  /** As the router records a message that is not an inquiry: rejected, listed under triage, no clock. */
  const notAnInquiry = (): Inquiry => {
    const { terms, clock, firstResponseDueAt, ...rest } = routed('rejected');
    return { ...rest, department: 'triage', clockCount: 0 };
  };
  /** As the router recorded one before such messages were listed: no department at all. */
  const unlisted = (): Inquiry => {
    const { department, ...rest } = notAnInquiry();
    return rest;
  };

  it('routes an inquiry rejected as not one, with its first-response clock from the edit', () => {
    expect(applyEvent(unlisted(), edit(), context)).toMatchObject({
      outcome: 'changed',
      inquiry: { status: 'routed', department: 'roads' },
    });
    const result = applyEvent(notAnInquiry(), edit(), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    // Mon 16 March, 10:00 Perm: 1 working hour, due 11:00 local.
    expect(result.inquiry).toMatchObject({
      status: 'routed',
      text: 'Провал асфальта посреди дороги, машины объезжают по встречке',
      category: 'roads',
      priority: 'critical',
      department: 'roads',
      terms,
      clockCount: 1,
      clock: { kind: 'first_response', cycle: 1, startedAt: '2026-03-16T05:00:00.000Z' },
      firstResponseStartedAt: '2026-03-16T05:00:00.000Z',
      firstResponseDueAt: '2026-03-16T06:00:00.000Z',
    });
    expect(result.effects).toEqual([{ type: 'routed', department: 'roads' }]);
    // Critical, and routed at 17:00 (the change's time) past its 11:00 deadline: escalated at once, and its
    // department told on the escalator's next run.
    expect(result.inquiry).toMatchObject({
      escalated: true,
      clock: { warned: true, breached: true },
      pendingNotification: { kind: 'critical', dueAt: '2026-03-16T06:00:00.000Z', department: 'roads' },
    });
    expect(result.inquiry.pendingNotification).not.toHaveProperty('raisedFrom');
    expect(result.history.map((entry) => [entry.kind, entry.from, entry.to])).toEqual([
      ['message_changed', undefined, undefined],
      ['classified', undefined, undefined],
      ['routed', 'rejected', 'routed'],
      ['escalated', undefined, undefined],
    ]);
  });

  it('leaves alone an inquiry routed before or rejected by an operator, and a change that is no such edit', () => {
    for (const inquiry of [routed(), routed('in_progress'), routed('answered'), routed('rejected')]) {
      const result = applyEvent(inquiry, edit(), context);
      if (result.outcome !== 'changed') throw new Error(result.outcome);
      expect(result.inquiry).toMatchObject({
        status: inquiry.status,
        department: 'housing',
        category: 'waste',
      });
      expect(result.effects).toEqual([]);
    }
    for (const change of [edit({ opening: false }), edit({ change: 'deleted', text: undefined })]) {
      const result = applyEvent(notAnInquiry(), change, context);
      expect(result.outcome === 'changed' && result.inquiry.status).toBe('rejected');
    }
  });
});

describe('a message rejected as not an inquiry, listed under triage', () => {
  /** As the router records "Спасибо большое!": rejected, under the community's triage department, no clock. */
  const rejected = (): Inquiry => {
    const { terms, clock, firstResponseDueAt, ...rest } = routed('rejected');
    return {
      ...rest,
      text: 'Спасибо большое!',
      category: 'other',
      priority: 'normal',
      department: 'triage',
      clockCount: 0,
    };
  };
  const route = (fields: Partial<Extract<InquiryEvent, { type: 'route' }>> = {}): InquiryEvent => ({
    ...(events.route as Extract<InquiryEvent, { type: 'route' }>),
    ...fields,
  });

  it('is in no open work: no deadline to warn or escalate, and no work to take, answer or close', () => {
    const inquiry = rejected();
    expect(dueCheck(inquiry, new Date('2027-01-01T00:00:00Z'))?.action).toBeUndefined();
    for (const type of ['take', 'intermediate_answer', 'final_answer', 'close', 'warn', 'breach'] as const)
      expect(applyEvent(inquiry, events[type], context), type).toMatchObject({ outcome: 'refused' });
  });

  it('an operator routes it: its first-response clock starts at the route, not at its arrival, and the history says who and why', () => {
    // It arrived Mon 16 March 09:00 Perm; routed at 10:00 with 9 working hours (an hour's lunch): Tue 11:00.
    const result = applyEvent(rejected(), route(), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'routed',
      department: 'roads',
      category: 'roads',
      priority: 'normal',
      terms: { firstResponseHours: 9, resolutionHours: 56 },
      clockCount: 1,
      clock: { kind: 'first_response', cycle: 1, startedAt: '2026-03-16T05:00:00.000Z' },
      firstResponseDueAt: '2026-03-17T06:00:00.000Z',
      routeCause: 'op:route',
    });
    expect(result.effects).toEqual([{ type: 'routed', department: 'roads' }]);
    // Waited on since it arrived (kept before as its opening): its first response is timed from then, not
    // from the start of its clock.
    expect(result.inquiry.firstResponseStartedAt).toBe('2026-03-16T04:00:01.000Z');
    expect(result.history).toEqual([
      expect.objectContaining({
        kind: 'routed',
        actor: 'operator',
        actorId: 'operator-sub',
        from: 'rejected',
        to: 'routed',
        reason: 'a real complaint, not a thank-you',
        detail: expect.objectContaining({
          fromDepartment: 'triage',
          department: 'roads',
          fromCategory: 'other',
          category: 'roads',
          firstResponseDueAt: '2026-03-17T06:00:00.000Z',
        }),
      }),
    ]);
    // Now open work like any routed inquiry; the same request again changes nothing.
    expect(dueCheck(result.inquiry, new Date('2026-03-17T06:00:00Z'))?.action).toBe('breach');
    expect(applyEvent(result.inquiry, route(), context)).toEqual({ outcome: 'duplicate' });
    expect(applyEvent(result.inquiry, route({ cause: 'op:again' }), context)).toMatchObject({
      outcome: 'refused',
    });
    // The citizen editing it afterwards leaves the operator's routing alone.
    const edited = applyEvent(
      result.inquiry,
      {
        ...(events.message_changed as Extract<InquiryEvent, { type: 'message_changed' }>),
        route: {
          classification: {
            category: 'housing',
            priority: 'critical',
            confidence: 0.97,
            inquiry: true,
            triage: false,
            model: 't',
          },
          department: 'housing',
          rule: 1,
          terms: { firstResponseHours: 1, resolutionHours: 8 },
        },
      },
      context,
    );
    expect(edited.outcome === 'changed' && edited.inquiry).toMatchObject({
      department: 'roads',
      clockCount: 1,
    });
  });

  it('takes a reply (a polite word to a "thank you") without becoming an inquiry', () => {
    const result = applyEvent(
      rejected(),
      { ...events.reply_noted, via: 'console', text: 'Спасибо и вам!' } as InquiryEvent,
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({ status: 'rejected', department: 'triage', clockCount: 0 });
    expect(result.inquiry.clock).toBeUndefined();
    expect(result.history).toEqual([
      expect.objectContaining({ kind: 'reply', reason: 'a reply while the inquiry is rejected' }),
    ]);
  });

  it('moves to another department only as it is, rejected (its triage department renamed)', () => {
    const relisted = applyEvent(
      rejected(),
      {
        type: 'move',
        cause: 'op:rename',
        at: '2026-03-16T05:00:00.000Z',
        reason: 'triage renamed',
        operatorId: 'ops',
        department: 'sorting',
      },
      context,
    );
    expect(relisted.outcome === 'changed' && relisted.inquiry).toMatchObject({
      status: 'rejected',
      department: 'sorting',
      clockCount: 0,
    });
    expect(applyEvent(rejected(), events.move, context)).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('route it'),
    });
  });
});

describe('an operator rejecting an inquiry as none', () => {
  const anna = { id: 'sub-anna', name: 'Анна Иванова' };
  const reject = (fields: Partial<Extract<InquiryEvent, { type: 'reject' }>> = {}): InquiryEvent => ({
    type: 'reject',
    cause: 'op:reject',
    at: '2026-03-16T05:00:00.000Z',
    reason: 'реклама',
    operatorId: 'sub-boris',
    operatorName: 'Борис Петров',
    department: 'triage',
    ...fields,
  });
  const apply = (inquiry: Inquiry, event: InquiryEvent = reject()) => {
    const result = applyEvent(inquiry, event, context);
    if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
    return result;
  };

  it('rejects a routed inquiry and lists it under triage in one change, one entry saying who, why and from where', () => {
    const result = apply(routed());
    expect(result.inquiry).toMatchObject({
      status: 'rejected',
      department: 'triage',
      version: 4,
      causes: ['e:1', 'op:reject'],
      operatorActedAt: '2026-03-16T05:00:00.000Z',
    });
    expect(result.inquiry.clock).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(result.history).toEqual([
      {
        inquiryId: 'i1',
        key: '2026-03-16T05:00:00.000Z#op:reject#1',
        at: '2026-03-16T05:00:00.000Z',
        kind: 'rejected',
        actor: 'operator',
        actorId: 'sub-boris',
        actorName: 'Борис Петров',
        from: 'routed',
        to: 'rejected',
        reason: 'реклама',
        detail: { fromDepartment: 'housing', department: 'triage' },
      },
    ]);
    // Out of open work: no deadline to escalate; the same request again changes nothing.
    expect(dueCheck(result.inquiry, new Date('2027-01-01T00:00:00Z'))?.action).toBeUndefined();
    expect(applyEvent(result.inquiry, reject(), context)).toEqual({ outcome: 'duplicate' });
  });

  it('rejects one taken into work, or reopened, letting its holder go as a move to another department does', () => {
    for (const status of ['in_progress', 'reopened'] as const) {
      // A colleague's rejection, on purpose (transitions/holder.ts).
      const result = apply({ ...routed(status), assignee: anna }, reject({ force: true }));
      expect(result.inquiry).toMatchObject({ status: 'rejected', department: 'triage' });
      expect(result.inquiry.assignee).toBeUndefined();
      expect(result.inquiry.clock).toBeUndefined();
      expect(result.history).toEqual([
        expect.objectContaining({
          kind: 'rejected',
          from: status,
          to: 'rejected',
          detail: { fromDepartment: 'housing', department: 'triage', fromAssignee: anna },
        }),
      ]);
    }
  });

  it('in triage already, stays there and is no one’s: a rejected message is in no one’s work', () => {
    const result = apply(
      { ...routed('in_progress'), department: 'triage', assignee: anna },
      reject({ operatorId: anna.id, operatorName: anna.name }),
    );
    expect(result.inquiry).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(result.inquiry.assignee).toBeUndefined();
    expect(result.history[0]?.detail).toEqual({
      fromDepartment: 'triage',
      department: 'triage',
      fromAssignee: anna,
    });
  });

  it('refuses one whose answer was written: answered, closed, or in work again as VK refused the answer', () => {
    for (const status of ['answered', 'closed'] as const)
      expect(applyEvent(routed(status), reject(), context)).toEqual({
        outcome: 'refused',
        reason: `reject is not allowed when the inquiry is ${status}`,
      });
    const undelivered = (purpose: 'answer' | 'intermediate_answer'): Inquiry => ({
      ...routed('in_progress'),
      undelivered: {
        outboxId: `i1:${purpose}:op:2`,
        purpose,
        reason: 'VK error 901',
        at: '2026-03-16T04:30:00.000Z',
      },
    });
    expect(applyEvent(undelivered('answer'), reject(), context)).toEqual({
      outcome: 'refused',
      reason: 'an inquiry whose answer did not reach the citizen is closed, not rejected',
    });
    // An intermediate answer refused owes the citizen nothing once the inquiry is none.
    const rejected = apply(undelivered('intermediate_answer'));
    expect(rejected.inquiry).toMatchObject({ status: 'rejected' });
    expect(rejected.inquiry.undelivered).toBeUndefined();
  });
});

describe('an inquiry rejected while in work and routed back into work', () => {
  const anna = { id: 'sub-anna', name: 'Анна Иванова' };
  const event = <T extends InquiryEvent['type']>(type: T) =>
    events[type] as Extract<InquiryEvent, { type: T }>;
  const apply = (inquiry: Inquiry, event: InquiryEvent) => {
    const result = applyEvent(inquiry, event, { ...context, now: new Date('at' in event ? event.at : 0) });
    if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
    return result;
  };
  // Routed Mon 16 March 09:00 Perm; "we are working on it" at 10:00, in time (due 13:00): the resolution
  // clock runs to Wed 25 March 11:15. Rejected as spam on Tuesday, found real and routed back on Mon 23 March
  // at 09:00 with 2 working hours: the first response is due at 11:00.
  const working = apply(
    { ...routed('in_progress'), assignee: anna },
    { ...event('intermediate_answer'), operatorId: anna.id, operatorName: anna.name },
  ).inquiry;
  const rejected = apply(working, { ...event('reject'), at: '2026-03-17T05:00:00.000Z' }).inquiry;
  const routedBack = apply(rejected, {
    ...event('route'),
    cause: 'op:route-back',
    at: '2026-03-23T04:00:00.000Z',
    department: 'housing',
    category: 'waste',
    terms: { firstResponseHours: 2, resolutionHours: 56 },
  });

  it('starts a new cycle: the first response and resolution clock of the last one are gone, not the wait', () => {
    expect(working).toMatchObject({
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      firstResponseLate: false,
      resolutionDueAt: '2026-03-25T06:15:00.000Z',
    });
    expect(rejected).toMatchObject({ status: 'rejected', firstRespondedAt: '2026-03-16T05:00:00.000Z' });
    const { inquiry } = routedBack;
    expect(inquiry).toMatchObject({
      status: 'routed',
      clockCount: 3,
      clock: { kind: 'first_response', cycle: 3, startedAt: '2026-03-23T04:00:00.000Z' },
      // The citizen has waited since they wrote, the cycle rejected began: the statistics time it from then.
      firstResponseStartedAt: '2026-03-16T04:00:01.000Z',
      firstResponseDueAt: '2026-03-23T06:00:00.000Z',
      reopenCount: 0,
      routeCause: 'op:route-back',
    });
    expect(inquiry.firstRespondedAt).toBeUndefined();
    expect(inquiry.firstResponseLate).toBeUndefined();
    expect(inquiry.resolutionDueAt).toBeUndefined();
    expect(inquiry.finishedAt).toBeUndefined();
    // Routed back, not reopened: the citizen did not write again.
    expect(routedBack.effects).toEqual([{ type: 'routed', department: 'housing' }]);
    expect(routedBack.history[0]?.detail).toMatchObject({ firstResponseDueAt: '2026-03-23T06:00:00.000Z' });
  });

  it('counts its next words as the first response of the new cycle, late past its new deadline', () => {
    const answered = apply(routedBack.inquiry, { ...event('final_answer'), at: '2026-03-26T05:00:00.000Z' });
    expect(answered.inquiry).toMatchObject({
      status: 'answered',
      firstRespondedAt: '2026-03-26T05:00:00.000Z',
      firstResponseLate: true,
    });
    expect(answered.effects).toEqual([{ type: 'first_response', late: true, department: 'housing' }]);
    // The escalator breaches the same clock the first response is counted against.
    expect(dueCheck(routedBack.inquiry, new Date('2026-03-23T06:00:00Z'))?.action).toBe('breach');
  });
});

describe('words to an inquiry another operator holds', () => {
  const anna = { id: 'sub-anna', name: 'Анна Иванова' };
  const boris = { operatorId: 'sub-boris', operatorName: 'Борис Петров' };
  const held = { ...routed('in_progress'), assignee: anna };
  const event = <T extends InquiryEvent['type']>(type: T) =>
    events[type] as Extract<InquiryEvent, { type: T }>;

  it('refuses them from the console, unless sent on purpose, which makes the inquiry the answerer’s', () => {
    for (const type of ['intermediate_answer', 'final_answer'] as const) {
      const words = { ...event(type), ...boris };
      expect(applyEvent(held, words, context)).toEqual({
        outcome: 'refused',
        reason: 'the inquiry is taken by Анна Иванова: send with force to answer it',
      });
      const forced = applyEvent(held, { ...words, force: true }, context);
      if (forced.outcome !== 'changed') throw new Error(forced.outcome);
      expect(forced.inquiry.assignee).toEqual({ id: boris.operatorId, name: boris.operatorName });
      expect(forced.history[0]?.detail).toMatchObject({
        assignee: { id: boris.operatorId, name: boris.operatorName },
        fromAssignee: anna,
      });
    }
  });

  it('records words typed in VK by hand whoever holds it, and a further word on purpose leaves it theirs', () => {
    const typed = applyEvent(held, { ...event('final_answer'), via: 'vk' }, context);
    expect(typed).toMatchObject({ outcome: 'changed', inquiry: { status: 'answered', assignee: anna } });
    const answered = { ...held, status: 'answered' as const };
    const word = { ...event('reply_noted'), ...boris, via: 'console' as const };
    expect(applyEvent(answered, word, context).outcome).toBe('refused');
    expect(applyEvent(answered, { ...word, force: true }, context)).toMatchObject({
      outcome: 'changed',
      inquiry: { assignee: anna },
    });
  });
});

describe('a follow-up more urgent than its inquiry', () => {
  /** The terms a `critical` waste inquiry would get: 1 working hour to the first response, 8 to the resolution. */
  const criticalTerms = { firstResponseHours: 1, resolutionHours: 8 };
  const urgent = (
    cause: string,
    receivedAt: string,
    priority: Priority = 'critical',
    inquiry = true,
  ): InquiryEvent => {
    const event = followUp(cause, receivedAt, inquiry);
    if (event.type !== 'citizen_message') throw new Error(event.type);
    return {
      ...event,
      classification: { ...event.classification, priority },
      terms: priority === 'normal' ? { firstResponseHours: 9, resolutionHours: 120 } : criticalTerms,
    };
  };

  it('raises the inquiry to its priority and brings the running clock forward, counted from its start', () => {
    const result = applyEvent(routed(), urgent('e:5', '2026-03-16T04:30:00.000Z'), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    // Started Mon 09:00 Perm: 1 working hour instead of 4, due 10:00 local, warned at 80 % (09:48).
    expect(result.inquiry).toMatchObject({
      priority: 'critical',
      terms: criticalTerms,
      status: 'routed',
      firstResponseDueAt: '2026-03-16T05:00:00.000Z',
      clock: {
        kind: 'first_response',
        cycle: 1,
        startedAt: '2026-03-16T04:00:00.000Z',
        dueAt: '2026-03-16T05:00:00.000Z',
        warnAt: '2026-03-16T04:48:00.000Z',
      },
    });
    expect(result.history[1]).toMatchObject({
      kind: 'classified',
      reason: 'a follow-up is critical: the priority was high',
      detail: { fromPriority: 'high', toPriority: 'critical', dueAt: '2026-03-16T05:00:00.000Z' },
    });
    expect(result.effects).toContainEqual({ type: 'priority_raised', from: 'high', to: 'critical' });
  });

  it('keeps the raise, for its acknowledgement, and holds the sooner time it tells as promised', () => {
    // Routed at once: its deadline, 10:00, is still ahead, and its acknowledgement tells it.
    const raisedNow = { ...context, now: new Date('2026-03-16T04:30:01.000Z') };
    const result = applyEvent(routed(), urgent('e:5', '2026-03-16T04:30:00.000Z'), raisedNow);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      raiseCause: 'e:5',
      firstResponsePromisedBy: '2026-03-16T05:00:00.000Z',
    });
    // A follow-up as urgent as the inquiry is no raise: it keeps the raise before it.
    const next = applyEvent(result.inquiry, urgent('e:5b', '2026-03-16T04:40:00.000Z'), context);
    if (next.outcome !== 'changed') throw new Error(next.outcome);
    expect(next.inquiry.raiseCause).toBe('e:5');
    const plain = applyEvent(routed(), urgent('e:6', '2026-03-16T04:30:00.000Z', 'normal'), context);
    if (plain.outcome !== 'changed') throw new Error(plain.outcome);
    expect(plain.inquiry.raiseCause).toBeUndefined();
    // A reopening is acknowledged as such, not as a raise.
    const reopened = applyEvent(routed('answered'), urgent('e:10', '2026-03-16T10:00:00.000Z'), context);
    if (reopened.outcome !== 'changed') throw new Error(reopened.outcome);
    expect(reopened.inquiry.raiseCause).toBeUndefined();
  });

  it('keeps no raise to acknowledge when the deadline stays, but one to critical, told with no time', () => {
    const normal = { ...routed(), priority: 'normal' as const };
    // Written at once, the deadline still ahead.
    const then = { ...context, now: new Date('2026-03-16T04:30:01.000Z') };
    const same = (priority: Priority, terms: { firstResponseHours: number; resolutionHours: number }) => {
      const event = urgent('e:11', '2026-03-16T04:30:00.000Z', priority);
      if (event.type !== 'citizen_message') throw new Error(event.type);
      return { ...event, terms };
    };
    // The shipped `safety` terms: 2 hours at normal and at high alike. The priority is raised, the deadline stays.
    const high = applyEvent(normal, same('high', normal.terms ?? criticalTerms), then);
    if (high.outcome !== 'changed') throw new Error(high.outcome);
    expect(high.inquiry).toMatchObject({ priority: 'high', clock: normal.clock });
    expect(high.inquiry.raiseCause).toBeUndefined();
    // To critical, on terms that put it no sooner (a deadline set sooner before): where to call, with no time.
    const critical = applyEvent(
      normal,
      same('critical', { firstResponseHours: 9, resolutionHours: 24 }),
      then,
    );
    if (critical.outcome !== 'changed') throw new Error(critical.outcome);
    expect(critical.inquiry).toMatchObject({
      priority: 'critical',
      clock: normal.clock,
      raiseCause: 'e:11',
      raiseKeptDueAt: true,
    });
    // A later raise that brings it forward is told with its time.
    const sooner = applyEvent(critical.inquiry, urgent('e:12', '2026-03-16T04:40:00.000Z'), then);
    if (sooner.outcome !== 'changed') throw new Error(sooner.outcome);
    expect(sooner.inquiry.raiseCause).toBe('e:11');
    const raised = applyEvent(high.inquiry, urgent('e:12', '2026-03-16T04:40:00.000Z'), then);
    if (raised.outcome !== 'changed') throw new Error(raised.outcome);
    expect(raised.inquiry).toMatchObject({
      raiseCause: 'e:12',
      firstResponseDueAt: '2026-03-16T05:00:00.000Z',
    });
    expect(raised.inquiry.raiseKeptDueAt).toBeUndefined();
  });

  it('leaves priority and clock alone for a follow-up as urgent or less, and for a reaction', () => {
    for (const event of [
      urgent('e:6', '2026-03-16T04:30:00.000Z', 'high'),
      urgent('e:7', '2026-03-16T04:30:00.000Z', 'normal'),
      urgent('e:8', '2026-03-16T04:30:00.000Z', 'critical', false),
    ]) {
      const result = applyEvent(routed(), event, context);
      if (result.outcome !== 'changed') throw new Error(result.outcome);
      expect(result.inquiry).toMatchObject({ priority: 'high', clock: routed().clock });
      expect(result.history).toHaveLength(1);
    }
  });

  it('brings the resolution clock forward after an intermediate answer', () => {
    const working = applyEvent(routed(), events.intermediate_answer, context);
    if (working.outcome !== 'changed') throw new Error(working.outcome);
    const result = applyEvent(working.inquiry, urgent('e:9', '2026-03-16T06:00:00.000Z'), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    // Started Mon 10:00 Perm: 8 working hours instead of 56, 7 that day (an hour's lunch) and 1 on Tuesday.
    expect(result.inquiry).toMatchObject({
      priority: 'critical',
      resolutionDueAt: '2026-03-17T05:00:00.000Z',
      clock: { kind: 'resolution', cycle: 2, dueAt: '2026-03-17T05:00:00.000Z' },
    });
  });

  it('reopens an answered inquiry with a first-response clock of the raised terms', () => {
    const result = applyEvent(routed('answered'), urgent('e:10', '2026-03-16T10:00:00.000Z'), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    // Mon 15:00 Perm + 1 working hour.
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      priority: 'critical',
      clock: { kind: 'first_response', cycle: 2, dueAt: '2026-03-16T11:00:00.000Z' },
    });
  });
});

describe('a burst of messages routed out of order', () => {
  /**
   * An inquiry opened at Mon 16 March 09:00:20 Perm by "Когда это наконец исправят?", which the classifier was
   * not sure of: in triage, due 4 working hours on (the hour's lunch at 13:00 in between).
   */
  const inTriage = (fields: Partial<Inquiry> = {}): Inquiry => ({
    ...routed(),
    text: 'Когда это наконец исправят?',
    replyTo: { channel: 'direct_message', peerId: 5, conversationMessageId: 20 },
    category: 'improvement',
    confidence: 0.21,
    triage: true,
    department: 'triage',
    clock: {
      kind: 'first_response',
      cycle: 1,
      startedAt: '2026-03-16T04:00:20.000Z',
      dueAt: '2026-03-16T09:00:20.000Z',
      warnAt: '2026-03-16T07:12:20.000Z',
      warned: false,
      breached: false,
    },
    firstResponseDueAt: '2026-03-16T09:00:20.000Z',
    lastMessageAt: '2026-03-16T04:00:20.000Z',
    version: 1,
    updatedAt: '2026-03-16T04:00:21.000Z',
    openingMessage: { messageRef: 'dm:5:20', sentAt: '2026-03-16T04:00:20.000Z', number: 20 },
    routingMessage: { messageRef: 'dm:5:20', sentAt: '2026-03-16T04:00:20.000Z', number: 20, rule: null },
    ...fields,
  });
  const housing: EditRouting = {
    classification: {
      category: 'waste',
      priority: 'high',
      confidence: 0.96,
      inquiry: true,
      triage: false,
      model: 't',
    },
    department: 'housing',
    rule: 2,
    terms: { firstResponseHours: 4, resolutionHours: 56 },
  };
  /** "Во дворе не вывозят мусор", message `number` of the dialogue, sent and received at `at`. */
  const message = (
    at: string,
    number: number | undefined,
    /** null: a reaction, which routes nothing. */
    route: EditRouting | null = housing,
  ): Extract<InquiryEvent, { type: 'citizen_message' }> => {
    const event = followUp(`e:${number}`, at);
    if (event.type !== 'citizen_message') throw new Error(event.type);
    return {
      ...event,
      message: {
        ...event.message,
        messageRef: `dm:5:${number}`,
        text: 'Во дворе дома 12 третий день не вывозят мусор',
        replyTo: { channel: 'direct_message', peerId: 5, conversationMessageId: number },
      },
      classification: route?.classification ?? { ...housing.classification, inquiry: false },
      ...(route && { route }),
    };
  };

  it('counts messages sent five minutes apart, to the second, as one burst, and no further', () => {
    const opening = { messageRef: 'dm:5:20', sentAt: '2026-03-16T04:00:20.000Z', number: 20 };
    expect(withinWindow({ messageRef: 'dm:5:19', sentAt: '2026-03-16T03:55:20.000Z' }, opening)).toBe(true);
    expect(withinWindow({ messageRef: 'dm:5:18', sentAt: '2026-03-16T03:55:19.000Z' }, opening)).toBe(false);
  });

  it("orders two messages of one second by VK's number only when they are of one kind", () => {
    const at = '2026-03-16T04:00:20.000Z';
    expect(
      sentBefore(
        { messageRef: 'dm:5:19', sentAt: at, number: 19 },
        { messageRef: 'dm:5:20', sentAt: at, number: 20 },
      ),
    ).toBe(true);
    expect(
      sentBefore(
        { messageRef: 'dm:5:20', sentAt: at, number: 20 },
        { messageRef: 'dm:5:20', sentAt: at, number: 20 },
      ),
    ).toBe(false);
    // A post's id and a comment's are numbers of their own: a comment of the same second is not told before it.
    const post = { messageRef: 'post:-1:500', sentAt: at, number: 500 };
    const comment = { messageRef: 'wall:-1:500:12', sentAt: at, number: 12 };
    expect(sentBefore(comment, post)).toBe(false);
    expect(sentBefore(post, comment)).toBe(false);
  });

  it("leaves a new matter's case in its department when a later message of the old case's category would route it", () => {
    // Opened beside an answered rubbish case: a rubbish message of the burst is about that one, a follow-up here.
    const newMatter = inTriage({
      follows: { inquiryId: 'old', caseNumber: '2026-000001', category: 'waste', department: 'housing' },
    });
    const result = applyEvent(newMatter, message('2026-03-16T04:01:00.000Z', 21), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      department: 'triage',
      category: 'improvement',
      text: 'Когда это наконец исправят?',
      routingMessage: { messageRef: 'dm:5:20', rule: null },
    });
  });

  it('makes an earlier message the opening one, routed as it routes, the clock from when it reached us', () => {
    const result = applyEvent(inTriage(), message('2026-03-16T04:00:00.000Z', 19), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    // From 09:00 Perm: 4 working hours, due 13:00 local.
    expect(result.inquiry).toMatchObject({
      status: 'routed',
      text: 'Во дворе дома 12 третий день не вывозят мусор',
      replyTo: { conversationMessageId: 19 },
      category: 'waste',
      priority: 'high',
      confidence: 0.96,
      triage: false,
      department: 'housing',
      terms: housing.terms,
      clock: { cycle: 1, startedAt: '2026-03-16T04:00:00.000Z', dueAt: '2026-03-16T08:00:00.000Z' },
      firstResponseDueAt: '2026-03-16T08:00:00.000Z',
      messageCount: 2,
      openingMessage: { messageRef: 'dm:5:19' },
      routingMessage: { messageRef: 'dm:5:19', rule: 2 },
    });
    expect(result.effects).toEqual([{ type: 'rerouted', from: 'triage', department: 'housing' }]);
    expect(result.history.map((entry) => [entry.kind, entry.actor, entry.reason])).toEqual([
      ['message', 'citizen', 'sent before the message the inquiry was opened by, which reached us first'],
      [
        'routed',
        'router',
        'the citizen sent this message before the one the inquiry was opened by, which reached us first: it is the opening message now; routing rule 2',
      ],
    ]);
    // After the entries of the routing it changes, though the message reached us before them.
    expect(result.history[1]?.key).toBe('2026-03-16T04:00:21.000Z#e:19#3');
    expect(applyEvent(result.inquiry, message('2026-03-16T04:00:00.000Z', 19), context).outcome).toBe(
      'duplicate',
    );
  });

  it('times the wait the statistics count from the earlier message too, as its clock', () => {
    const opened = inTriage({ firstResponseStartedAt: '2026-03-16T04:00:20.000Z' });
    const result = applyEvent(opened, message('2026-03-16T04:00:00.000Z', 19), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry.firstResponseStartedAt).toBe('2026-03-16T04:00:00.000Z');
    // A message of the burst sent later leaves the start where it was.
    const later = applyEvent(opened, message('2026-03-16T04:01:00.000Z', 21), context);
    expect(later.outcome === 'changed' && later.inquiry.firstResponseStartedAt).toBe(
      '2026-03-16T04:00:20.000Z',
    );
  });

  it('takes the place the earlier message pins with its words, or none if it pins none', () => {
    const lenina = {
      latitude: 58.01,
      longitude: 56.25,
      title: 'ул. Ленина, 12',
      mapUrl: 'https://yandex.ru/maps/?pt=56.25,58.01&z=17&l=map',
    };
    const pinned = message('2026-03-16T04:00:00.000Z', 19);
    const withPlace = applyEvent(
      inTriage(),
      { ...pinned, message: { ...pinned.message, location: lenina } },
      context,
    );
    const withoutPlace = applyEvent(inTriage({ location: lenina }), pinned, context);
    if (withPlace.outcome !== 'changed' || withoutPlace.outcome !== 'changed') throw new Error('refused');
    expect(withPlace.inquiry).toMatchObject({ openingMessage: { messageRef: 'dm:5:19' }, location: lenina });
    expect(withoutPlace.inquiry.openingMessage?.messageRef).toBe('dm:5:19');
    expect(withoutPlace.inquiry.location).toBeUndefined();
  });

  it('takes the attachments of the earlier message with its words, or none if it carries none', () => {
    const voice = { kind: 'audio_message', count: 1, transcripts: ['Во дворе не вывозят мусор'] };
    const photo = { kind: 'photo', count: 1 };
    const spoken = message('2026-03-16T04:00:00.000Z', 19);
    const withVoice = applyEvent(
      inTriage({ attachments: [photo] }),
      { ...spoken, message: { ...spoken.message, attachments: [voice] } },
      context,
    );
    const withNone = applyEvent(inTriage({ attachments: [photo] }), spoken, context);
    if (withVoice.outcome !== 'changed' || withNone.outcome !== 'changed') throw new Error('refused');
    expect(withVoice.inquiry.attachments).toEqual([voice]);
    expect(withNone.inquiry.attachments).toBeUndefined();
  });

  it('tells messages of the same second apart by their number in the conversation', () => {
    const sameSecond = '2026-03-16T04:00:20.000Z';
    const earlier = applyEvent(inTriage(), message(sameSecond, 19), context);
    const later = applyEvent(inTriage(), message(sameSecond, 21), context);
    const unnumbered = applyEvent(inTriage(), message(sameSecond, undefined), context);
    if (earlier.outcome !== 'changed' || later.outcome !== 'changed' || unnumbered.outcome !== 'changed')
      throw new Error('refused');
    expect(earlier.inquiry).toMatchObject({
      department: 'housing',
      openingMessage: { messageRef: 'dm:5:19' },
    });
    // A later one (or one not told apart) routes the triage's inquiry too, but opens nothing.
    for (const { inquiry } of [later, unnumbered])
      expect(inquiry).toMatchObject({
        department: 'housing',
        text: 'Когда это наконец исправят?',
        openingMessage: { messageRef: 'dm:5:20' },
        clock: { startedAt: '2026-03-16T04:00:20.000Z' },
      });
  });

  it('routes an inquiry in triage by a message sent within minutes that a rule routes, its text and clock start staying', () => {
    const result = applyEvent(inTriage(), message('2026-03-16T04:02:00.000Z', 21), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      text: 'Когда это наконец исправят?',
      category: 'waste',
      department: 'housing',
      clock: { startedAt: '2026-03-16T04:00:20.000Z', dueAt: '2026-03-16T09:00:20.000Z' },
      routingMessage: { messageRef: 'dm:5:21', rule: 2 },
    });
    expect(result.history[1]?.reason).toBe(
      'the citizen said what the inquiry is about in a message sent minutes after the opening one; routing rule 2',
    );
  });

  it('keeps the routing a rule made when an earlier message is one the classifier is not sure of', () => {
    const routedByRule = inTriage({
      text: 'Во дворе дома 12 третий день не вывозят мусор',
      category: 'waste',
      triage: false,
      department: 'housing',
      routingMessage: { messageRef: 'dm:5:20', sentAt: '2026-03-16T04:00:20.000Z', number: 20, rule: 2 },
    });
    const unsure: EditRouting = {
      ...housing,
      classification: { ...housing.classification, category: 'improvement', triage: true },
      department: 'triage',
      rule: null,
    };
    const result = applyEvent(routedByRule, message('2026-03-16T04:00:00.000Z', 19, unsure), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      category: 'waste',
      department: 'housing',
      openingMessage: { messageRef: 'dm:5:19' },
      routingMessage: { messageRef: 'dm:5:20' },
      clock: { startedAt: '2026-03-16T04:00:00.000Z', dueAt: '2026-03-16T08:00:00.000Z' },
    });
    expect(result.effects).toEqual([]);
    expect(result.history[1]?.reason).toContain('the routing stays that of a later message');
  });

  it('drops the routing of a message that an earlier opening message leaves outside its window', () => {
    // Opened at 04:00:20 by a message in triage, routed by one sent at 04:04:30 (within 5 minutes of it).
    const routedLater = inTriage({
      category: 'waste',
      triage: false,
      department: 'housing',
      routingMessage: { messageRef: 'dm:5:22', sentAt: '2026-03-16T04:04:30.000Z', number: 22, rule: 2 },
    });
    const unsure: EditRouting = {
      ...housing,
      classification: { ...housing.classification, category: 'improvement', triage: true },
      department: 'triage',
      rule: null,
    };
    // Sent at 03:59:20: it opens the inquiry, and the message at 04:04:30 is 5:10 after it, as in order.
    const result = applyEvent(routedLater, message('2026-03-16T03:59:20.000Z', 19, unsure), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      category: 'improvement',
      department: 'triage',
      openingMessage: { messageRef: 'dm:5:19' },
      routingMessage: { messageRef: 'dm:5:19', rule: null },
    });
    expect(result.effects).toEqual([{ type: 'rerouted', from: 'housing', department: 'triage' }]);
    expect(result.history[1]?.reason).toContain('sent more than 5 minutes after this one');
    // One within 5 minutes of the message that routed it leaves that routing as it is.
    const within = applyEvent(routedLater, message('2026-03-16T03:59:40.000Z', 19, unsure), context);
    if (within.outcome !== 'changed') throw new Error(within.outcome);
    expect(within.inquiry).toMatchObject({
      department: 'housing',
      routingMessage: { messageRef: 'dm:5:22' },
    });
  });

  it('never makes the clock due later than before, though the new terms are longer', () => {
    const longer = { ...housing, terms: { firstResponseHours: 9, resolutionHours: 56 } };
    const result = applyEvent(inTriage(), message('2026-03-16T04:00:00.000Z', 19, longer), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      terms: longer.terms,
      clock: { startedAt: '2026-03-16T04:00:00.000Z', dueAt: '2026-03-16T09:00:20.000Z', warned: false },
      firstResponseDueAt: '2026-03-16T09:00:20.000Z',
    });
    // The warning point at 80 % of the shorter time: 4 working hours from 09:00, 3:12 into it.
    expect(result.inquiry.clock?.warnAt).toBe('2026-03-16T07:12:16.000Z');
  });

  it('leaves the inquiry as it is for a reaction, a message sent minutes apart, or once a person acted or a department was warned', () => {
    const moved = applyEvent(
      inTriage(),
      { ...(events.move as Extract<InquiryEvent, { type: 'move' }>), department: 'roads' },
      context,
    );
    const taken = applyEvent(inTriage(), events.take, context);
    const warned = applyEvent(inTriage(), { type: 'warn', now: '2026-03-16T08:00:00.000Z' }, context);
    if (moved.outcome !== 'changed' || taken.outcome !== 'changed' || warned.outcome !== 'changed')
      throw new Error('refused');
    // Untouched, the same inquiry is re-routed by the same message.
    expect(applyEvent(inTriage(), message('2026-03-16T04:00:00.000Z', 19), context)).toMatchObject({
      inquiry: { department: 'housing' },
    });
    expect(moved.inquiry).toMatchObject({ status: 'routed', operatorActedAt: '2026-03-16T05:00:00.000Z' });
    // Each with when its first-response clock starts then: an inquiry that reached us first still counts the
    // first response from when it did, though it no longer opens or routes the inquiry; a reaction does not.
    const opened = '2026-03-16T04:00:20.000Z';
    const cases: [Inquiry, InquiryEvent, string][] = [
      [inTriage(), message('2026-03-16T04:00:00.000Z', 19, null), opened],
      [inTriage(), message('2026-03-16T03:50:00.000Z', 19), '2026-03-16T03:50:00.000Z'],
      [inTriage(), message('2026-03-16T04:10:00.000Z', 21), opened],
      [moved.inquiry, message('2026-03-16T04:00:00.000Z', 19), '2026-03-16T04:00:00.000Z'],
      [taken.inquiry, message('2026-03-16T04:00:00.000Z', 19), '2026-03-16T04:00:00.000Z'],
      [warned.inquiry, message('2026-03-16T04:00:00.000Z', 19), '2026-03-16T04:00:00.000Z'],
      [
        { ...inTriage(), escalated: true },
        message('2026-03-16T04:00:00.000Z', 19),
        '2026-03-16T04:00:00.000Z',
      ],
      // Stored before the router kept its messages' places.
      [
        { ...inTriage(), openingMessage: undefined, routingMessage: undefined },
        message('2026-03-16T04:00:00.000Z', 19),
        '2026-03-16T04:00:00.000Z',
      ],
    ];
    for (const [inquiry, event, startedAt] of cases) {
      const result = applyEvent(inquiry, event, context);
      if (result.outcome !== 'changed') throw new Error(result.outcome);
      expect(result.inquiry).toMatchObject({
        department: inquiry.department,
        category: inquiry.category,
        text: 'Когда это наконец исправят?',
      });
      const [before, after] = [inquiry.clock, result.inquiry.clock];
      if (startedAt === opened) expect(after).toEqual(before);
      else {
        // Never due later, a warning sent staying sent.
        expect(after).toMatchObject({ startedAt, warned: before?.warned, breached: before?.breached });
        expect(Date.parse(after?.dueAt ?? '')).toBeLessThanOrEqual(Date.parse(before?.dueAt ?? ''));
        expect(result.inquiry).toMatchObject({
          firstResponseStartedAt: startedAt,
          firstResponseDueAt: after?.dueAt,
        });
      }
      expect(result.history.map((entry) => entry.kind)).toEqual(['message']);
    }
  });
});

describe('a priority set by hand', () => {
  const move = (priority: Priority, terms: { firstResponseHours: number; resolutionHours: number }) =>
    ({
      type: 'move',
      cause: `op:priority-${priority}`,
      at: '2026-03-16T04:30:00.000Z',
      operatorId: 9,
      reason: 'ошибка классификатора',
      priority,
      terms,
    }) as InquiryEvent;

  it('puts the running clock back for a false alarm, and forward for a danger, from its start', () => {
    // The inquiry started Mon 09:00 Perm with 4 working hours (`high`).
    const lowered = applyEvent(
      routed(),
      move('normal', { firstResponseHours: 9, resolutionHours: 56 }),
      context,
    );
    if (lowered.outcome !== 'changed') throw new Error(lowered.outcome);
    // 9 working hours: 4 before lunch, 4 after, 1 on Tuesday: Tue 10:00 local.
    expect(lowered.inquiry).toMatchObject({
      priority: 'normal',
      firstResponseDueAt: '2026-03-17T05:00:00.000Z',
      clock: { kind: 'first_response', cycle: 1, dueAt: '2026-03-17T05:00:00.000Z' },
    });
    expect(lowered.history[0]?.detail).toMatchObject({
      fromPriority: 'high',
      toPriority: 'normal',
      dueAt: '2026-03-17T05:00:00.000Z',
    });

    const raised = applyEvent(
      routed(),
      move('critical', { firstResponseHours: 1, resolutionHours: 8 }),
      context,
    );
    expect(raised.outcome === 'changed' && raised.inquiry.clock?.dueAt).toBe('2026-03-16T05:00:00.000Z');
  });

  it('times the running clock on the terms of a new category, and records no priority change', () => {
    // The inquiry started Mon 09:00 Perm with 4 working hours; a category with 2-hour terms brings it to 11:00.
    const result = applyEvent(
      routed(),
      {
        type: 'move',
        cause: 'op:to-safety',
        at: '2026-03-16T04:30:00.000Z',
        operatorId: 9,
        reason: 'это угроза безопасности',
        category: 'safety',
        terms: { firstResponseHours: 2, resolutionHours: 56 },
      },
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      category: 'safety',
      priority: 'high',
      terms: { firstResponseHours: 2 },
      clock: { kind: 'first_response', cycle: 1, dueAt: '2026-03-16T06:00:00.000Z' },
    });
    expect(result.history[0]?.detail).toMatchObject({
      toCategory: 'safety',
      dueAt: '2026-03-16T06:00:00.000Z',
    });
    expect(result.history[0]?.detail).not.toHaveProperty('toPriority');
  });

  /** Routed Mon 09:00 Perm, `high`: due 13:00, escalated then; moved at 17:00 (the context's now). */
  const escalatedAtOne = (): Inquiry => {
    const inquiry = routed();
    const clock = inquiry.clock as NonNullable<Inquiry['clock']>;
    expect(clock.dueAt).toBe('2026-03-16T08:00:00.000Z');
    return { ...inquiry, escalated: true, clock: { ...clock, warned: true, breached: true } };
  };

  it('leaves a clock already escalated as it is when it is brought forward', () => {
    const escalated = escalatedAtOne();
    const result = applyEvent(
      escalated,
      move('high', { firstResponseHours: 2, resolutionHours: 56 }),
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({ clock: escalated.clock, escalated: true });
    expect(result.history[0]?.detail).not.toHaveProperty('escalatedDueAt');
  });

  it('times anew a clock escalated and put back, judged by its new deadline, and names the one replaced', () => {
    // Set to normal at 17:00: 9 working hours from 09:00 are due Tuesday 10:00, ahead; warned at 17:12.
    const result = applyEvent(
      escalatedAtOne(),
      move('normal', { firstResponseHours: 9, resolutionHours: 56 }),
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      priority: 'normal',
      escalated: false,
      firstResponseDueAt: '2026-03-17T05:00:00.000Z',
      clock: { dueAt: '2026-03-17T05:00:00.000Z', warned: false, breached: false },
    });
    expect(result.history[0]?.detail).toMatchObject({
      dueAt: '2026-03-17T05:00:00.000Z',
      escalatedDueAt: '2026-03-16T08:00:00.000Z',
    });
    // Put back to 15:00, passed too: still escalated, of the deadline it now has.
    const later = applyEvent(
      escalatedAtOne(),
      move('normal', { firstResponseHours: 5, resolutionHours: 56 }),
      context,
    );
    if (later.outcome !== 'changed') throw new Error(later.outcome);
    expect(later.inquiry).toMatchObject({
      escalated: true,
      clock: { dueAt: '2026-03-16T10:00:00.000Z', warned: true, breached: true },
    });
    expect(later.history[0]?.detail).toMatchObject({ escalatedDueAt: '2026-03-16T08:00:00.000Z' });
  });
});

describe('who handles an inquiry, and who did what', () => {
  const anna = { operatorId: 'sub-anna', operatorName: 'Анна Иванова' };
  const boris = { operatorId: 'sub-boris', operatorName: 'Борис Петров' };
  const at = '2026-03-16T05:00:00.000Z';
  const take = (who: typeof anna, cause: string, force?: true): InquiryEvent => ({
    type: 'take',
    cause,
    at,
    ...who,
    ...(force && { force }),
  });
  const apply = (inquiry: Inquiry, event: InquiryEvent) => {
    const result = applyEvent(inquiry, event, context);
    if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
    return result;
  };
  const takenByAnna = () => apply(routed(), take(anna, 'op:take-a')).inquiry;

  it('names the operator beside their id in every entry an operator makes', () => {
    const taken = apply(routed(), take(anna, 'op:take-a'));
    const answered = apply(taken.inquiry, {
      type: 'final_answer',
      cause: 'op:answer',
      at,
      ...boris,
      text: 'Вывезли',
      via: 'console',
      force: true,
    });
    const closed = apply(answered.inquiry, {
      type: 'close',
      cause: 'op:close',
      at,
      reason: 'решено',
      ...anna,
      force: true,
    });
    const moved = apply(closed.inquiry, {
      type: 'move',
      cause: 'op:move',
      at,
      reason: 'дороги',
      ...boris,
      category: 'roads',
    });
    const reopened = apply(moved.inquiry, {
      type: 'reopen',
      cause: 'op:reopen',
      at,
      reason: 'снова',
      ...anna,
    });
    expect(
      [taken, answered, closed, moved, reopened].map(({ history }) =>
        history.map((entry) => [entry.actorId, entry.actorName]),
      ),
    ).toEqual([
      [['sub-anna', 'Анна Иванова']],
      [['sub-boris', 'Борис Петров']],
      [['sub-anna', 'Анна Иванова']],
      [['sub-boris', 'Борис Петров']],
      [['sub-anna', 'Анна Иванова']],
    ]);
    // An answer typed in VK knows its author by VK id only.
    const inVk = apply(routed(), { ...events.intermediate_answer, via: 'vk' } as InquiryEvent);
    expect(inVk.history[0]).toMatchObject({ actorId: 9 });
    expect(inVk.history[0]).not.toHaveProperty('actorName');
  });

  it('takes the inquiry for the operator, and keeps it theirs through the answer and the closing', () => {
    const taken = apply(routed(), take(anna, 'op:take-a'));
    expect(taken.inquiry).toMatchObject({
      status: 'in_progress',
      assignee: { id: 'sub-anna', name: 'Анна Иванова' },
    });
    expect(taken.history[0]).toMatchObject({
      reason: 'taken into work',
      detail: { assignee: { id: 'sub-anna', name: 'Анна Иванова' } },
    });
    // Their answer and their closing: the inquiry stays the one's who took it (a colleague's close is refused
    // unless forced: holder.ts).
    const answered = apply(taken.inquiry, { ...events.final_answer, ...anna } as InquiryEvent);
    const closed = apply(answered.inquiry, { ...events.close, ...anna } as InquiryEvent);
    expect(closed.inquiry).toMatchObject({ status: 'closed', assignee: { id: 'sub-anna' } });
    const reopened = apply(closed.inquiry, followUp('e:again', '2026-03-18T06:00:00.000Z'));
    expect(reopened.inquiry).toMatchObject({ status: 'reopened', assignee: { id: 'sub-anna' } });
    // Reopened, it is taken again by whoever handles it.
    expect(apply(reopened.inquiry, take(anna, 'op:take-a2')).inquiry.status).toBe('in_progress');
  });

  it("refuses a colleague's reopening of the inquiry its holder answered or closed, unless made on purpose: then it is the reopener's", () => {
    const reopen = (who: typeof anna, force?: true): InquiryEvent => ({
      type: 'reopen',
      cause: `op:reopen-${who.operatorId}`,
      at: '2026-03-18T06:00:00.000Z',
      reason: 'житель звонил: не вывезли',
      ...who,
      ...(force && { force }),
    });
    const answered = apply(takenByAnna(), { ...events.final_answer, ...anna } as InquiryEvent).inquiry;
    const closed = apply(answered, { ...events.close, ...anna } as InquiryEvent).inquiry;
    for (const finished of [answered, closed]) {
      expect(applyEvent(finished, reopen(boris), context), finished.status).toEqual({
        outcome: 'refused',
        reason: 'the inquiry is taken by Анна Иванова: reopen it with force to do so all the same',
      });
      // Its holder reopens it as before: theirs, with no word of anyone's hold.
      const own = apply(finished, reopen(anna));
      expect(own.inquiry, finished.status).toMatchObject({
        status: 'reopened',
        assignee: { id: 'sub-anna' },
      });
      expect(own.history[0]?.detail, finished.status).toEqual({
        firstResponseDueAt: own.inquiry.firstResponseDueAt,
      });
      // On purpose: the reopener owes its new response, and the history says whose it was.
      const over = apply(finished, reopen(boris, true));
      expect(over.inquiry, finished.status).toMatchObject({
        status: 'reopened',
        reopenCount: 1,
        assignee: { id: 'sub-boris', name: 'Борис Петров' },
        assignedAt: '2026-03-18T06:00:00.000Z',
      });
      expect(over.history[0], finished.status).toMatchObject({
        kind: 'status',
        actorId: 'sub-boris',
        detail: {
          firstResponseDueAt: over.inquiry.firstResponseDueAt,
          assignee: { id: 'sub-boris', name: 'Борис Петров' },
          fromAssignee: { id: 'sub-anna', name: 'Анна Иванова' },
        },
      });
    }
    // No one's (answered by hand in VK, no one took it): anyone of the department reopens it.
    expect(apply(routed('answered'), reopen(boris)).inquiry).toMatchObject({ status: 'reopened' });
  });

  it('keeps when the holder took it, for the deadline e-mails: set with the holder, cleared with them', () => {
    const taken = apply(routed(), take(anna, 'op:take-a'));
    expect(taken.inquiry.assignedAt).toBe(at);
    // Kept through the answer and a reopening, as the holder is.
    const answered = apply(taken.inquiry, { ...events.final_answer, ...anna } as InquiryEvent);
    const reopened = apply(answered.inquiry, followUp('e:again', '2026-03-18T06:00:00.000Z'));
    expect(reopened.inquiry.assignedAt).toBe(at);
    // An operator who answers one no one took takes it at the time of their words.
    const later = '2026-03-16T07:30:00.000Z';
    const byAnswer = apply(routed(), { ...events.intermediate_answer, ...boris, at: later } as InquiryEvent);
    expect(byAnswer.inquiry.assignedAt).toBe(later);
    // Moved to another department, it is no one's there.
    const moved = apply(taken.inquiry, {
      ...(events.move as Extract<InquiryEvent, { type: 'move' }>),
      cause: 'op:move-away',
      at: '2026-03-16T06:00:00.000Z',
      force: true,
    });
    expect(moved.inquiry).toMatchObject({ department: 'roads', assignee: undefined, assignedAt: undefined });
  });

  it("refuses to take an inquiry another operator holds, unless taken over on purpose, and one's own again", () => {
    expect(applyEvent(takenByAnna(), take(boris, 'op:take-b'), context)).toEqual({
      outcome: 'refused',
      reason: 'the inquiry is taken by Анна Иванова: take it over with force',
    });
    const reopened = { ...takenByAnna(), status: 'reopened' as const };
    expect(applyEvent(reopened, take(boris, 'op:take-b'), context).outcome).toBe('refused');
    expect(applyEvent(takenByAnna(), take(anna, 'op:take-a2'), context)).toEqual({
      outcome: 'refused',
      reason: 'the inquiry is already taken by you',
    });
    expect(applyEvent(takenByAnna(), take(anna, 'op:take-a2', true), context).outcome).toBe('refused');

    const over = apply(takenByAnna(), take(boris, 'op:take-b', true));
    expect(over.inquiry).toMatchObject({
      status: 'in_progress',
      assignee: { id: 'sub-boris', name: 'Борис Петров' },
    });
    expect(over.history[0]).toMatchObject({
      actorId: 'sub-boris',
      actorName: 'Борис Петров',
      reason: 'taken over from Анна Иванова',
      detail: {
        assignee: { id: 'sub-boris', name: 'Борис Петров' },
        fromAssignee: { id: 'sub-anna', name: 'Анна Иванова' },
      },
    });
    expect(over.history[0]).not.toHaveProperty('to');
  });

  it('gives an inquiry answered in between, which no one took, to the operator who answered or takes it', () => {
    const answered = apply(routed(), { ...events.intermediate_answer, ...boris } as InquiryEvent);
    expect(answered.inquiry.assignee).toEqual({ id: 'sub-boris', name: 'Борис Петров' });
    expect(answered.history[0]?.detail).toMatchObject({ assignee: { id: 'sub-boris' } });

    // Answered by hand in VK: no one's yet, and anyone of the department may take it while it is in work.
    const inVk = apply(routed(), { ...events.intermediate_answer, via: 'vk' } as InquiryEvent);
    expect(inVk.inquiry).toMatchObject({ status: 'in_progress' });
    expect(inVk.inquiry).not.toHaveProperty('assignee');
    const taken = apply(inVk.inquiry, take(anna, 'op:take-a'));
    expect(taken.inquiry).toMatchObject({ status: 'in_progress', assignee: { id: 'sub-anna' } });
  });

  it('leaves a moved inquiry to the department it goes to; a new category or priority keeps it', () => {
    const recategorised = apply(takenByAnna(), {
      type: 'move',
      cause: 'op:category',
      at,
      reason: 'это дороги',
      ...boris,
      category: 'roads',
    });
    expect(recategorised.inquiry.assignee).toEqual({ id: 'sub-anna', name: 'Анна Иванова' });
    const moved = apply(recategorised.inquiry, {
      type: 'move',
      cause: 'op:department',
      at,
      reason: 'это дороги',
      ...boris,
      department: 'roads',
      force: true,
    });
    expect(moved.inquiry).toMatchObject({ department: 'roads', status: 'in_progress' });
    expect(moved.inquiry.assignee).toBeUndefined();
    expect(moved.history[0]?.detail).toMatchObject({
      fromAssignee: { id: 'sub-anna', name: 'Анна Иванова' },
    });
  });

  it('routes a rejected message into work named in the history and untaken, as a move leaves it; a reply to one gives it to no one', () => {
    const { terms, clock, firstResponseDueAt, ...rest } = routed('rejected');
    const rejected: Inquiry = { ...rest, text: 'Спасибо большое!', department: 'triage', clockCount: 0 };
    const route = (inquiry: Inquiry, department: string) =>
      apply(inquiry, {
        ...(events.route as Extract<InquiryEvent, { type: 'route' }>),
        ...anna,
        department,
      });

    const routedByAnna = route(rejected, 'roads');
    expect(routedByAnna.inquiry).toMatchObject({ status: 'routed', operatorActedAt: at });
    expect(routedByAnna.inquiry).not.toHaveProperty('assignee');
    expect(routedByAnna.history[0]).toMatchObject({
      kind: 'routed',
      actorId: 'sub-anna',
      actorName: 'Анна Иванова',
    });
    // Its department's operators take it, as any routed inquiry.
    expect(apply(routedByAnna.inquiry, take(boris, 'op:take-b')).inquiry.assignee).toEqual({
      id: 'sub-boris',
      name: 'Борис Петров',
    });

    // One someone held (taken before an operator rejected it) goes as a move goes: to another department
    // untaken, within its own still theirs.
    const held = { ...rejected, assignee: { id: 'sub-boris', name: 'Борис Петров' } };
    const elsewhere = route(held, 'roads');
    expect(elsewhere.inquiry.assignee).toBeUndefined();
    expect(elsewhere.history[0]?.detail).toMatchObject({
      fromAssignee: { id: 'sub-boris', name: 'Борис Петров' },
    });
    const inPlace = route(held, 'triage');
    expect(inPlace.inquiry.assignee).toEqual({ id: 'sub-boris', name: 'Борис Петров' });
    expect(inPlace.history[0]?.detail).not.toHaveProperty('fromAssignee');

    // A word to a "thank you" is no inquiry answered: the message stays no one's.
    const replied = apply(rejected, {
      type: 'reply_noted',
      cause: 'op:thanks',
      at,
      ...anna,
      text: 'Спасибо и вам!',
      via: 'console',
    });
    expect(replied.inquiry).toMatchObject({ status: 'rejected' });
    expect(replied.inquiry).not.toHaveProperty('assignee');
    expect(replied.history[0]).toMatchObject({ actorName: 'Анна Иванова' });
  });
});

describe('threadingDecision', () => {
  const window = { reopenClosedWithinHours: 72 };
  it('joins an open inquiry and one answered or closed recently; opens after a rejected, a long-answered or a long-closed one', () => {
    const at = new Date('2026-03-18T06:00:00Z');
    expect(threadingDecision(undefined, at, window)).toBe('open');
    expect(threadingDecision(routed('routed'), at, window)).toBe('join');
    expect(threadingDecision(routed('answered'), at, window)).toBe('join');
    expect(threadingDecision(routed('closed'), at, window)).toBe('join');
    expect(threadingDecision(routed('rejected'), at, window)).toBe('open');
    expect(threadingDecision(routed('closed'), new Date('2026-03-20T06:00:01Z'), window)).toBe('open');
  });

  it('counts the window from the answer: nothing closes an answered inquiry by itself', () => {
    // Answered on 16 March, 06:00 UTC: 72 hours later a message still reopens it, a second later it does not.
    expect(threadingDecision(routed('answered'), new Date('2026-03-19T06:00:00Z'), window)).toBe('join');
    expect(threadingDecision(routed('answered'), new Date('2026-03-19T06:00:01Z'), window)).toBe('open');
    expect(threadingDecision(routed('answered'), new Date('2026-06-16T06:00:00Z'), window)).toBe('open');
    // Open work is joined however old it is.
    expect(threadingDecision(routed('in_progress'), new Date('2026-06-16T06:00:00Z'), window)).toBe('join');
  });

  it("counts the window from the answer or the closing, not from the inquiry's last change since", () => {
    // A citizen's edit recorded, or an operator's note, two days after the settling changes the inquiry: a
    // message past the window still opens a case of its own rather than reopening the old one.
    const touchedLater = { updatedAt: '2026-03-19T06:00:00.000Z' };
    const past = new Date('2026-03-20T06:00:01Z');
    expect(threadingDecision({ ...routed('closed'), ...touchedLater }, past, window)).toBe('open');
    expect(threadingDecision({ ...routed('answered'), ...touchedLater }, past, window)).toBe('open');
    // Stored before it kept its closing: its last change stands for it.
    const unkept = { ...routed('closed'), closedAt: undefined, updatedAt: '2026-03-19T06:00:00.000Z' };
    expect(threadingDecision(unkept, past, window)).toBe('join');
  });

  it('opens a new inquiry within the window for a sure inquiry of another category than the settled one', () => {
    const on = { reopenClosedWithinHours: 72, newMatterOpensInquiry: true };
    const at = new Date('2026-03-18T06:00:00Z');
    const roads = { category: 'roads', inquiry: true, triage: false } as const;
    expect(threadingDecision(routed('answered'), at, on, roads)).toBe('new_matter');
    expect(threadingDecision(routed('closed'), at, on, roads)).toBe('new_matter');
    // The inquiry's current category counts, one an operator set by hand too.
    expect(threadingDecision({ ...routed('answered'), category: 'roads' }, at, on, roads)).toBe('join');
    // Unsure, no inquiry, or the same matter: a follow-up that reopens, as before.
    expect(threadingDecision(routed('answered'), at, on, { ...roads, triage: true })).toBe('join');
    expect(threadingDecision(routed('answered'), at, on, { ...roads, inquiry: false })).toBe('join');
    expect(threadingDecision(routed('answered'), at, on, { ...roads, category: 'waste' })).toBe('join');
    // Open work is joined whatever it is about; past the window or after a rejection a new one opens anyway.
    expect(threadingDecision(routed('routed'), at, on, roads)).toBe('join');
    expect(threadingDecision(routed('reopened'), at, on, roads)).toBe('join');
    expect(threadingDecision(routed('answered'), new Date('2026-06-16T06:00:00Z'), on, roads)).toBe('open');
    expect(threadingDecision(routed('rejected'), at, on, roads)).toBe('open');
    // Turned off, or asked without a classification (an operator's reply typed in VK): it reopens.
    expect(threadingDecision(routed('answered'), at, { ...on, newMatterOpensInquiry: false }, roads)).toBe(
      'join',
    );
    expect(threadingDecision(routed('answered'), at, on)).toBe('join');
  });
});

describe('editThreadingDecision', () => {
  const window = { reopenClosedWithinHours: 72, newMatterOpensInquiry: true };
  const at = new Date('2026-03-18T06:00:00Z');
  const housing = { category: 'housing', inquiry: true, triage: false } as const;
  const greeting = { ...routed('rejected'), id: 'greeting' };
  const newer = (status: Parameters<typeof routed>[0]) => ({
    ...routed(status),
    id: 'newer',
    category: 'housing' as const,
  });

  it('routes the edited inquiry when it is the latest of its conversation, or the newer one would not take the words', () => {
    expect(editThreadingDecision(greeting, greeting, at, window, housing)).toBe('route');
    expect(editThreadingDecision(greeting, undefined, at, window, housing)).toBe('route');
    expect(editThreadingDecision(greeting, newer('rejected'), at, window, housing)).toBe('route');
    // Answered longer ago than the window, or a new matter beside an answered one: a new message would open.
    expect(
      editThreadingDecision(greeting, newer('answered'), new Date('2026-06-16T06:00:00Z'), window, housing),
    ).toBe('route');
    expect(
      editThreadingDecision(greeting, newer('answered'), at, window, { ...housing, category: 'roads' }),
    ).toBe('route');
  });

  it('joins a newer inquiry that is open, or settled within the window, as a new message would', () => {
    expect(editThreadingDecision(greeting, newer('routed'), at, window, housing)).toBe('join');
    expect(
      editThreadingDecision(greeting, newer('in_progress'), at, window, { ...housing, category: 'roads' }),
    ).toBe('join');
    expect(editThreadingDecision(greeting, newer('answered'), at, window, housing)).toBe('join');
    expect(editThreadingDecision(greeting, newer('closed'), at, window, housing)).toBe('join');
  });
});

describe('an answer kept in the dead letters while the citizen writes again', () => {
  const apply = (inquiry: Inquiry, event: InquiryEvent, at: TransitionContext | { now: Date } = context) => {
    const result = applyEvent(inquiry, event, at as TransitionContext);
    if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
    return result;
  };
  /** Answered at 14:00 in Perm, its last try recorded at 15:00: kept in the dead-letter queue. */
  const keptInDeadLetters = () => {
    const answered = apply(routed('in_progress'), events.final_answer).inquiry;
    return apply(
      answered,
      {
        ...events.delivery_failed,
        at: '2026-03-16T10:00:00.000Z',
        reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
      } as InquiryEvent,
      { now: new Date('2026-03-16T10:00:00.000Z') },
    ).inquiry;
  };
  /** «Пахнет газом в подъезде, срочно!» at 15:30 in Perm: critical, 1 working hour to the first response. */
  const gas: InquiryEvent = {
    ...(followUp('e:gas', '2026-03-16T10:30:00.000Z') as Extract<InquiryEvent, { type: 'citizen_message' }>),
    classification: {
      category: 'waste',
      priority: 'critical',
      confidence: 0.95,
      inquiry: true,
      triage: false,
      model: 't',
    },
    terms: { firstResponseHours: 1, resolutionHours: 8 },
  };
  const at16 = { ...context, now: new Date('2026-03-16T11:00:00.000Z') };
  const late = events.delivered_late as LateDelivery;

  it('reopens the inquiry from the follow-up the late answer never saw, its clock running and its critical notice pending', () => {
    const followedUp = apply(keptInDeadLetters(), gas, at16).inquiry;
    expect(followedUp).toMatchObject({
      status: 'in_progress',
      priority: 'critical',
      undelivered: { outboxId: 'i1:answer:op:2' },
      pendingNotification: { kind: 'critical' },
    });
    const result = apply(followedUp, late, at16);
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      clock: {
        kind: 'first_response',
        cycle: 2,
        startedAt: '2026-03-16T10:30:00.000Z',
        dueAt: '2026-03-16T11:30:00.000Z',
        breached: false,
      },
      firstResponseDueAt: '2026-03-16T11:30:00.000Z',
      firstRespondedAt: undefined,
      answeredAt: undefined,
      pendingNotification: {
        kind: 'critical',
        clock: 'first_response',
        cycle: 2,
        dueAt: '2026-03-16T11:30:00.000Z',
        department: 'housing',
      },
    });
    expect(result.inquiry.undelivered).toBeUndefined();
    expect(result.inquiry.unseenFollowUp).toBeUndefined();
    expect(result.inquiry.finishedAt).toBeUndefined();
    // The answer's cycle ends answered, when the citizen got it.
    expect(result.inquiry.earlierCycles?.at(-1)).toMatchObject({
      answeredAt: '2026-03-16T11:00:00.000Z',
      answerCause: 'op:2',
    });
    expect(result.effects).toContainEqual({ type: 'reopened' });
    expect(result.history[0]).toMatchObject({
      actor: 'responder',
      from: 'in_progress',
      to: 'reopened',
      reason: expect.stringMatching(
        /the citizen wrote again meanwhile .*which the answer did not see: reopened$/,
      ),
    });
    expect(dueCheck(result.inquiry, new Date('2026-03-16T11:31:00.000Z'))?.action).toBe('breach');
  });

  it('counts words given after the follow-up as the reopened cycle’s first response, not the answer’s cycle’s', () => {
    // The gas at 15:30 in Perm, «we are on our way» at 15:45 (in time for its hour), the answer replayed the
    // next morning: the reopened cycle was responded to, in time, and nothing is overdue.
    const followedUp = apply(keptInDeadLetters(), gas, at16).inquiry;
    const working = apply(
      followedUp,
      {
        ...events.intermediate_answer,
        cause: 'op:on-our-way',
        at: '2026-03-16T10:45:00.000Z',
      } as InquiryEvent,
      at16,
    ).inquiry;
    const nextMorning = { ...context, now: new Date('2026-03-17T05:00:00.000Z') };
    const result = apply(working, { ...late, at: '2026-03-17T05:00:00.000Z' }, nextMorning);
    expect(result.inquiry).toMatchObject({
      status: 'in_progress',
      reopenCount: 1,
      firstResponseDueAt: '2026-03-16T11:30:00.000Z',
      firstRespondedAt: '2026-03-16T10:45:00.000Z',
      firstResponseLate: false,
      firstResponseCause: 'op:on-our-way',
      clock: { kind: 'resolution', startedAt: '2026-03-16T10:45:00.000Z', breached: false },
    });
    expect(result.effects).toContainEqual({ type: 'first_response', late: false, department: 'housing' });
    expect(dueCheck(result.inquiry, nextMorning.now)?.action).not.toBe('breach');
    // The answer's cycle was first responded to by the answer itself, when the citizen got it.
    expect(result.inquiry.earlierCycles?.at(-1)).toMatchObject({
      answeredAt: '2026-03-17T05:00:00.000Z',
      firstRespondedAt: '2026-03-17T05:00:00.000Z',
    });
    expect(result.history[0]?.reason).toMatch(/responded to by the words given after it \(2026-03-16T10:45/);

    // Those words refused too, the citizen never got them: the reopened cycle is owed its first response.
    const refused = apply(
      working,
      {
        ...events.delivery_failed,
        cause: deliveryFailedCause('i1:intermediate_answer:op:on-our-way'),
        outboxId: 'i1:intermediate_answer:op:on-our-way',
        purpose: 'intermediate_answer',
        requestedAt: '2026-03-16T10:45:00.000Z',
        at: '2026-03-16T10:46:00.000Z',
      } as InquiryEvent,
      { now: at16.now },
    ).inquiry;
    expect(apply(refused, late, at16).inquiry).toMatchObject({
      status: 'reopened',
      firstRespondedAt: undefined,
      clock: { kind: 'first_response', cycle: 2 },
    });
  });

  it('answers the inquiry as before after a «спасибо»: it reopens nothing', () => {
    const thanked = apply(keptInDeadLetters(), followUp('e:thanks', '2026-03-16T10:30:00.000Z', false), at16);
    expect(thanked.inquiry.unseenFollowUp).toBeUndefined();
    expect(apply(thanked.inquiry, late, at16).inquiry.status).toBe('answered');
  });

  it("answers the inquiry as before after the citizen's word that the matter is settled", () => {
    const words = followUp('e:settled', '2026-03-16T10:30:00.000Z');
    if (words.type !== 'citizen_message') throw new Error(words.type);
    const settled = apply(
      keptInDeadLetters(),
      { ...words, message: { ...words.message, text: 'Вопрос решён, спасибо' } },
      at16,
    );
    expect(settled.inquiry.unseenFollowUp).toBeUndefined();
    expect(apply(settled.inquiry, late, at16).inquiry.status).toBe('answered');
  });

  it('leaves the flag while the community is not configured to time the reopening', () => {
    const followedUp = apply(keptInDeadLetters(), gas, at16).inquiry;
    expect(applyEvent(followedUp, late, { now: at16.now })).toMatchObject({ outcome: 'refused' });
  });

  it('keeps the answer’s flag through an intermediate answer: the inquiry stays watched, and the late answer answers it', () => {
    const kept = keptInDeadLetters();
    const working = apply(kept, {
      ...events.intermediate_answer,
      cause: 'op:working',
      at: '2026-03-16T10:15:00.000Z',
    } as InquiryEvent).inquiry;
    expect(working).toMatchObject({ status: 'in_progress', undelivered: { outboxId: 'i1:answer:op:2' } });
    // VK refuses that intermediate answer too: the answer's flag stays, the answer being what is owed.
    const refusedToo = apply(
      working,
      {
        ...events.delivery_failed,
        cause: deliveryFailedCause('i1:intermediate_answer:op:working'),
        outboxId: 'i1:intermediate_answer:op:working',
        purpose: 'intermediate_answer',
        requestedAt: '2026-03-16T10:15:00.000Z',
        at: '2026-03-16T10:16:00.000Z',
      } as InquiryEvent,
      { now: at16.now },
    ).inquiry;
    expect(refusedToo.undelivered).toMatchObject({ outboxId: 'i1:answer:op:2', purpose: 'answer' });
    expect(refusedToo.firstRespondedAt).toBeUndefined();
    expect(apply(working, late, at16).inquiry).toMatchObject({
      status: 'answered',
      answeredAt: '2026-03-16T11:00:00.000Z',
    });
  });
});
