import { describe, expect, it } from 'vitest';
import {
  type HistoryEntry,
  type Inquiry,
  type InquiryStatus,
  openInquiry,
} from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  deletionCutoff,
  deletionDueAt,
  dueForDeletion,
  erasureOf,
  referencesIn,
} from '../../../lambdas/domain/inquiry/retention.js';
import { applyEvent, type InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { perm } from '../sla/calendars.js';
import { directMessage } from './dialogue-fixtures.js';

const policy = { closedInquiryDays: 1826 };
const DAY = 24 * 60 * 60 * 1000;
const daysAfter = (at: string, days: number, ms = 0) => new Date(Date.parse(at) + days * DAY + ms);

/** A `normal` housing inquiry routed on Mon 16 March 2026 in Perm, with its first-response clock running. */
const routed = (): Inquiry => ({
  id: 'i1',
  caseNumber: '2026-000001',
  groupId: 1,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  conversationKey: 'dm:5',
  authorId: 5,
  text: 'Не вывозят мусор',
  status: 'routed',
  category: 'waste',
  priority: 'normal',
  confidence: 0.9,
  triage: false,
  department: 'housing',
  terms: { firstResponseHours: 9, resolutionHours: 56 },
  clock: {
    kind: 'first_response',
    cycle: 1,
    startedAt: '2026-03-16T04:00:00.000Z',
    dueAt: '2026-03-17T06:00:00.000Z',
    warnAt: '2026-03-17T03:00:00.000Z',
    warned: false,
    breached: false,
  },
  clockCount: 1,
  escalated: false,
  messageCount: 1,
  lastMessageAt: '2026-03-16T04:00:00.000Z',
  reopenCount: 0,
  createdAt: '2026-03-16T04:00:01.000Z',
  updatedAt: '2026-03-16T04:00:01.000Z',
  version: 1,
  sourceEventKey: 'e:1',
  causes: ['e:1'],
});

/** The inquiry after the event, applied as the router or an operator would at `at`. */
function then(inquiry: Inquiry, event: InquiryEvent, at: string): Inquiry {
  const result = applyEvent(inquiry, event, { calendar: perm, warnAtFraction: 0.8, now: new Date(at) });
  if (result.outcome !== 'changed') throw new Error(`${event.type} did not change the inquiry`);
  return result.inquiry;
}

const answer = (inquiry: Inquiry, at: string, cause = 'op:answer') =>
  then(inquiry, { type: 'final_answer', cause, at, operatorId: 'op', text: 'Вывезли', via: 'console' }, at);
const close = (inquiry: Inquiry, at: string): Inquiry =>
  then(inquiry, { type: 'close', cause: 'op:close', at, reason: 'no questions' }, at);
const citizenWrites = (inquiry: Inquiry, at: string, cause: string, text = 'Опять не вывезли!') =>
  then(
    inquiry,
    {
      type: 'citizen_message',
      cause,
      receivedAt: at,
      message: directMessage(cause, text, at),
      classification: {
        category: 'waste',
        priority: 'normal',
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 't',
      },
    },
    at,
  );

describe('when an inquiry is due for deletion', () => {
  it('never while it is open, however old', () => {
    for (const status of ['new', 'routed', 'in_progress', 'reopened'] satisfies InquiryStatus[]) {
      const open = { ...routed(), status };
      expect(deletionDueAt(open, policy)).toBeUndefined();
      expect(dueForDeletion(open, daysAfter(open.createdAt, 36_500), policy)).toBe(false);
    }
  });

  it('the period after its answer, to the millisecond', () => {
    const answered = answer(routed(), '2026-03-18T10:00:00.000Z');
    expect(answered.status).toBe('answered');
    expect(deletionDueAt(answered, policy)).toEqual(daysAfter('2026-03-18T10:00:00.000Z', 1826));
    expect(dueForDeletion(answered, daysAfter('2026-03-18T10:00:00.000Z', 1826, -1), policy)).toBe(false);
    expect(dueForDeletion(answered, daysAfter('2026-03-18T10:00:00.000Z', 1826), policy)).toBe(true);
  });

  it('the period after its closing, not its answer, when it is closed later', () => {
    const closed = close(answer(routed(), '2026-03-18T10:00:00.000Z'), '2026-04-01T10:00:00.000Z');
    expect(closed.status).toBe('closed');
    expect(dueForDeletion(closed, daysAfter('2026-03-18T10:00:00.000Z', 1826), policy)).toBe(false);
    expect(dueForDeletion(closed, daysAfter('2026-04-01T10:00:00.000Z', 1826), policy)).toBe(true);
  });

  it('the period after a message rejected as not an inquiry was last changed', () => {
    const rejected: Inquiry = {
      ...routed(),
      status: 'rejected',
      clock: undefined,
      clockCount: 0,
      department: 'triage',
      updatedAt: '2026-03-16T04:00:01.000Z',
    };
    expect(dueForDeletion(rejected, daysAfter('2026-03-16T04:00:01.000Z', 1826), policy)).toBe(true);
    expect(dueForDeletion(rejected, daysAfter('2026-03-16T04:00:01.000Z', 1825), policy)).toBe(false);
  });

  it('never once the citizen reopens it; answered again, the period counts from the new answer', () => {
    const answered = answer(routed(), '2026-03-18T10:00:00.000Z');
    const reopened = citizenWrites(answered, '2026-03-19T10:00:00.000Z', 'e:2');
    expect(reopened.status).toBe('reopened');
    expect(dueForDeletion(reopened, daysAfter('2026-03-18T10:00:00.000Z', 36_500), policy)).toBe(false);
    const answeredAgain = answer(reopened, '2026-03-25T10:00:00.000Z', 'op:again');
    expect(dueForDeletion(answeredAgain, daysAfter('2026-03-18T10:00:00.000Z', 1826), policy)).toBe(false);
    expect(dueForDeletion(answeredAgain, daysAfter('2026-03-25T10:00:00.000Z', 1826), policy)).toBe(true);
  });

  it('a withdrawn inquiry by its status: kept while open, due once an operator finishes it', () => {
    const withdrawn: Inquiry = { ...routed(), withdrawn: true };
    expect(dueForDeletion(withdrawn, daysAfter(withdrawn.createdAt, 36_500), policy)).toBe(false);
    const rejected = then(
      withdrawn,
      {
        type: 'reject',
        cause: 'op:reject',
        at: '2026-03-17T10:00:00.000Z',
        reason: 'the citizen deleted the message',
        operatorId: 'op',
        department: 'triage',
      },
      '2026-03-17T10:00:00.000Z',
    );
    expect(dueForDeletion(rejected, daysAfter('2026-03-17T10:00:00.000Z', 1826), policy)).toBe(true);
  });

  it('the period after its finish, whatever changes it later without reopening it', () => {
    const answered = answer(routed(), '2026-03-18T10:00:00.000Z');
    expect(answered.finishedAt).toBe('2026-03-18T10:00:00.000Z');
    // Ops move it before removing its department (departments:move); years later an admin types an unrelated
    // word in the VK dialogue, recorded on it; a citizen edits their old message.
    const moved = then(
      answered,
      {
        type: 'move',
        cause: 'ops:move',
        at: '2028-01-10T10:00:00.000Z',
        reason: 'the department is removed',
        operatorId: 'ops',
        department: 'roads',
      },
      '2028-01-10T10:00:00.000Z',
    );
    const noted = then(
      moved,
      {
        type: 'reply_noted',
        cause: 'e:admin',
        at: '2030-06-01T10:00:00.000Z',
        operatorId: 77,
        text: 'С праздником!',
        via: 'vk',
      },
      '2030-06-01T10:00:00.000Z',
    );
    expect(noted.updatedAt).toBe('2030-06-01T10:00:00.000Z');
    expect(noted.finishedAt).toBe('2026-03-18T10:00:00.000Z');
    expect(dueForDeletion(noted, daysAfter('2026-03-18T10:00:00.000Z', 1826), policy)).toBe(true);
    expect(dueForDeletion(noted, daysAfter('2026-03-18T10:00:00.000Z', 1826, -1), policy)).toBe(false);
  });

  it('no finish once it is back in work: reopened, its answer refused, or a rejected message routed', () => {
    const answered = answer(routed(), '2026-03-18T10:00:00.000Z');
    expect(citizenWrites(answered, '2026-03-19T10:00:00.000Z', 'e:2').finishedAt).toBeUndefined();
    const refused = then(
      answered,
      {
        type: 'delivery_failed',
        cause: 'undelivered:i1:answer:op:answer',
        outboxId: 'i1:answer:op:answer',
        purpose: 'answer',
        reason: 'VK error 901',
        at: '2026-03-18T10:00:05.000Z',
      },
      '2026-03-18T10:00:05.000Z',
    );
    expect(refused.status).toBe('in_progress');
    expect(refused.finishedAt).toBeUndefined();
    expect(dueForDeletion(refused, daysAfter('2026-03-18T10:00:00.000Z', 36_500), policy)).toBe(false);
    const closed = close(refused, '2026-03-20T10:00:00.000Z');
    expect(closed.finishedAt).toBe('2026-03-20T10:00:00.000Z');

    const rejected = openInquiry({
      id: 'i2',
      eventKey: 'e:thanks',
      message: {
        groupId: 1,
        channel: 'direct_message',
        replyTo: { channel: 'direct_message', peerId: 6 },
        messageRef: 'dm:6:1',
        conversationKey: 'dm:6',
        authorId: 6,
        text: 'Спасибо!',
        attachments: [],
        sentAt: '2026-03-16T04:00:00.000Z',
      },
      classification: {
        category: 'other',
        priority: 'normal',
        confidence: 0.9,
        inquiry: false,
        triage: false,
        model: 't',
      },
      routing: null,
      deadlines: null,
      triageDepartment: 'triage',
      receivedAt: new Date('2026-03-16T04:00:00.000Z'),
      now: new Date('2026-03-16T04:00:01.000Z'),
    }).inquiry;
    // Rejected at its opening: finished then.
    expect(rejected.finishedAt).toBe('2026-03-16T04:00:01.000Z');
    const put = then(
      rejected,
      {
        type: 'route',
        cause: 'op:route',
        at: '2026-03-17T10:00:00.000Z',
        reason: 'it is an inquiry',
        operatorId: 'op',
        department: 'housing',
        category: 'waste',
        priority: 'normal',
        terms: { firstResponseHours: 9, resolutionHours: 56 },
      },
      '2026-03-17T10:00:00.000Z',
    );
    expect(put.status).toBe('routed');
    expect(put.finishedAt).toBeUndefined();
  });

  it('not while a deadline notice waits to be sent', () => {
    const answered: Inquiry = {
      ...answer(routed(), '2026-03-18T10:00:00.000Z'),
      pendingNotification: {
        kind: 'breach',
        clock: 'first_response',
        dueAt: '2026-03-17T06:00:00.000Z',
        at: '2026-03-17T06:00:00.000Z',
      },
    };
    expect(dueForDeletion(answered, daysAfter('2026-03-18T10:00:00.000Z', 36_500), policy)).toBe(false);
  });

  it('whatever notice waits, once its department is not configured: no one will send it', () => {
    const answered: Inquiry = {
      ...answer(routed(), '2026-03-18T10:00:00.000Z'),
      pendingNotification: {
        kind: 'breach',
        clock: 'first_response',
        dueAt: '2026-03-17T06:00:00.000Z',
        at: '2026-03-17T06:00:00.000Z',
      },
    };
    const due = daysAfter('2026-03-18T10:00:00.000Z', policy.closedInquiryDays);
    const department = answered.department ?? '';
    expect(dueForDeletion(answered, due, policy, new Set([department]))).toBe(false);
    expect(dueForDeletion(answered, due, policy, new Set(['another']))).toBe(true);
    expect(dueForDeletion(answered, daysAfter('2026-03-18T10:00:00.000Z', 1), policy, new Set())).toBe(false);
  });

  it('asks the index for what was last changed the period before now', () => {
    expect(deletionCutoff(new Date('2031-03-18T10:00:00.000Z'), policy)).toEqual(
      new Date('2026-03-18T10:00:00.000Z'),
    );
  });
});

describe('what an erasure deletes besides the inquiry', () => {
  it('finds the conversation, case number and department on the inquiry', () => {
    expect(erasureOf({ ...routed(), version: 7 })).toEqual({
      inquiryId: 'i1',
      version: 7,
      groupId: 1,
      conversationKey: 'dm:5',
      authorId: 5,
      caseNumber: '2026-000001',
      department: 'housing',
    });
    const { caseNumber, department, ...unnumbered } = routed();
    expect(erasureOf(unnumbered)).not.toHaveProperty('caseNumber');
    expect(erasureOf(unnumbered)).not.toHaveProperty('department');
  });

  it('finds the messages and deliveries its history names, each once', () => {
    const entry = (key: string, detail: Record<string, unknown>): HistoryEntry => ({
      inquiryId: 'i1',
      key,
      at: '2026-03-16T04:00:00.000Z',
      kind: 'message',
      actor: 'citizen',
      detail,
    });
    expect(
      referencesIn([
        entry('1', { messageRef: 'dm:5:1', text: '…' }),
        entry('2', { messageRef: 'dm:5:2' }),
        entry('3', { messageRef: 'dm:5:1', change: 'edited' }),
        entry('4', { outboxId: 'i1:acknowledgement:e:1', attempt: '1.1' }),
        entry('5', { outboxId: 'i1:acknowledgement:e:1', attempt: '2.1' }),
        entry('6', { outboxId: 'i1:answer:op:1' }),
        entry('7', { department: 'housing' }),
      ]),
    ).toEqual({
      messageRefs: ['dm:5:1', 'dm:5:2'],
      outboxIds: ['i1:acknowledgement:e:1', 'i1:answer:op:1'],
    });
  });
});
