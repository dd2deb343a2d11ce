import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { type Inquiry, REMEMBERED_CAUSES } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deliveredLateCause,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import { decideAcknowledgementOf } from '../../../lambdas/domain/outbox/acknowledgement.js';
import type { OutboxMessage } from '../../../lambdas/domain/outbox/outbox-message.js';
import {
  isReopeningAcknowledgement,
  NOTHING_ELSE_TO_SAY,
  outgoingMessage,
  tooLate,
} from '../../../lambdas/domain/outbox/send-time.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');

/** Routed at 06:00Z on Monday 2 March 2026, its first response due at 09:00Z (14:00 in Perm). */
const inquiry = {
  id: 'AbCdEf0123456789',
  caseNumber: '2026-000042',
  groupId: 123456789,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  authorId: 5,
  status: 'routed',
  department: 'housing',
  reopenCount: 0,
  firstResponseDueAt: '2026-03-02T09:00:00.000Z',
  causes: [],
} as unknown as Inquiry;
const routedAt = new Date('2026-03-02T06:00:00.000Z');
const inTime = new Date('2026-03-02T08:59:59.000Z');
const late = new Date('2026-03-02T09:00:00.000Z');

const WITH_TIME =
  'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000042. Его рассматривает Департамент ЖКХ. Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).';
const ONCE_DUE =
  'Здравствуйте! Ваше обращение зарегистрировано под номером 2026-000042. Его рассматривает Департамент ЖКХ.';

const messageOf = (decision: ReturnType<typeof decideAcknowledgementOf>): OutboxMessage => {
  if (!('message' in decision)) throw new Error(`no acknowledgement: ${decision.skipped}`);
  return decision.message;
};

/** The router's acknowledgement of the inquiry, queued at routing with its time and its words for once due. */
const queued = messageOf(decideAcknowledgementOf(inquiry, config, routedAt));
/** The same as a release before acknowledgements carried their time queued it. */
const { dueAt: _dueAt, textOnceDue: _textOnceDue, ...queuedUndated } = queued;
/** An operator's «we are working on it», queued with no time to wait for. */
const intermediateAnswer = (also: Partial<OutboxMessage> = {}): OutboxMessage => ({
  ...queuedUndated,
  id: `${inquiry.id}:intermediate_answer:op:1`,
  purpose: 'intermediate_answer',
  text: 'Работаем над вашим обращением.',
  ...also,
});

/** The inquiry after an event, in Perm's calendar at the routing's time; an event refused fails the test. */
const apply = (inquiry: Inquiry, event: InquiryEvent) => {
  const result = applyEvent(inquiry, event, { calendar: perm, warnAtFraction: 0.8, now: routedAt });
  if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
  return result.inquiry;
};

describe('a queued message, when the responder comes to send it', () => {
  it('is an acknowledgement with its time before that time', () => {
    expect(queued).toMatchObject({ text: WITH_TIME, textOnceDue: ONCE_DUE });
    expect(outgoingMessage(queued, inquiry, config, inTime)).toEqual({ send: queued });
  });

  it('is an acknowledgement in its words for then once its time has passed (templateOnceDue)', () => {
    expect(outgoingMessage(queued, inquiry, config, late)).toEqual({ send: { ...queued, text: ONCE_DUE } });
  });

  it('is skipped, with the reason, once its time has passed and it has no words for then', () => {
    const { textOnceDue: _, ...wordless } = queued;
    expect(outgoingMessage(wordless, inquiry, config, inTime)).toEqual({ send: wordless });
    expect(outgoingMessage(wordless, inquiry, config, late)).toEqual({
      skip: NOTHING_ELSE_TO_SAY,
      message: wordless,
    });
  });

  it("is an acknowledgement without the time once the department's first words overtook it", () => {
    const responded = {
      ...inquiry,
      status: 'in_progress',
      firstRespondedAt: '2026-03-02T06:30:00.000Z',
    } as Inquiry;
    expect(outgoingMessage(queued, responded, config, inTime)).toEqual({
      send: { ...queued, text: ONCE_DUE },
    });
    // Queued without its time by an earlier release: in its community's words for then.
    expect(outgoingMessage(queuedUndated, responded, config, inTime)).toEqual({
      send: { ...queuedUndated, text: ONCE_DUE },
    });
  });

  it('queued without its time by an earlier release, goes as queued in time, in the words for then after', () => {
    expect(outgoingMessage(queuedUndated, inquiry, config, inTime)).toEqual({ send: queuedUndated });
    expect(outgoingMessage(queuedUndated, inquiry, config, late)).toEqual({
      send: { ...queuedUndated, text: ONCE_DUE },
    });
  });

  it('is skipped as too late once the inquiry is answered, closed or rejected, whatever its time', () => {
    const reason = (status: string) =>
      `the inquiry was already ${status}: a late acknowledgement is not sent`;
    for (const status of ['answered', 'closed', 'rejected'] as const) {
      const finished = { ...inquiry, status } as Inquiry;
      expect(outgoingMessage(queued, finished, config, inTime)).toEqual({
        skip: reason(status),
        message: queued,
      });
      // Too late before without words for then: the reason is that it is late.
      const { textOnceDue: _, ...wordless } = queued;
      expect(outgoingMessage(wordless, finished, config, late)).toMatchObject({ skip: reason(status) });
    }
    // Back in work because VK refused its answer: answered all the same.
    const refused = {
      ...inquiry,
      status: 'in_progress',
      undelivered: {
        outboxId: 'x',
        purpose: 'answer',
        reason: 'closed comments',
        at: '2026-03-02T07:00:00.000Z',
      },
    } as Inquiry;
    expect(outgoingMessage(queued, refused, config, inTime)).toEqual({
      skip: reason('answered'),
      message: queued,
    });
    // Reopened, and flagged since for the answer before the reopening: this cycle is not answered.
    const reopened = { ...refused, status: 'reopened', reopenCount: 1 } as Inquiry;
    expect(outgoingMessage(queued, reopened, config, inTime)).toEqual({ send: queued });
  });

  it('is an intermediate answer skipped once an answer superseded it, sent after a close without one', () => {
    const intermediate = intermediateAnswer();
    const answered = { ...inquiry, status: 'answered', answeredAt: '2026-03-02T08:00:00.000Z' } as Inquiry;
    expect(outgoingMessage(intermediate, answered, config, late)).toEqual({
      skip: 'the inquiry was already answered: a late intermediate answer is not sent',
      message: intermediate,
    });
    const closed = { ...inquiry, status: 'closed' } as Inquiry;
    expect(outgoingMessage(intermediate, closed, config, late)).toEqual({ send: intermediate });
  });

  it('is an intermediate answer skipped once an answer after it ended its cycle, the inquiry reopened since', () => {
    // «We are working on it» at 07:00, the answer at 08:00, the citizen writes again at 08:30: reopened.
    const intermediate = intermediateAnswer({ requestedAt: '2026-03-02T07:00:00.000Z' });
    const reopened = {
      ...inquiry,
      status: 'reopened',
      reopenCount: 1,
      firstResponseStartedAt: '2026-03-02T08:30:00.000Z',
      earlierCycles: [
        { status: 'answered', answeredAt: '2026-03-02T08:00:00.000Z', endedAt: '2026-03-02T08:00:00.000Z' },
      ],
    } as Inquiry;
    expect(outgoingMessage(intermediate, reopened, config, late)).toEqual({
      skip: 'the inquiry was already answered: a late intermediate answer is not sent',
      message: intermediate,
    });
    // Written in the cycle since, to the citizen's newer message: it goes.
    const since = { ...intermediate, requestedAt: '2026-03-02T08:45:00.000Z' };
    expect(outgoingMessage(since, reopened, config, late)).toEqual({ send: since });
  });

  it('is an answer, as it was queued, whatever the time or the inquiry', () => {
    const answer: OutboxMessage = {
      ...queuedUndated,
      id: `${inquiry.id}:answer:op:2`,
      purpose: 'answer',
      text: 'Ответ.',
    };
    const answered = {
      ...inquiry,
      status: 'answered',
      firstRespondedAt: '2026-03-02T08:00:00.000Z',
    } as Inquiry;
    expect(outgoingMessage(answer, answered, config, late)).toEqual({ send: answer });
  });

  it('is an answer recorded undelivered from the dead letters: sent while flagged, not once the department reached the citizen', () => {
    const answer: OutboxMessage = {
      ...queuedUndated,
      id: `${inquiry.id}:answer:op:3`,
      purpose: 'answer',
      text: 'Ответ.',
    };
    const undelivered = {
      outboxId: answer.id,
      purpose: 'answer' as const,
      reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
      at: '2026-03-02T15:00:00.000Z',
    };
    const flagged = {
      ...inquiry,
      status: 'in_progress',
      causes: [deliveryFailedCause(answer.id)],
      undelivered,
    } as Inquiry;
    expect(outgoingMessage(answer, flagged, config, late)).toEqual({ send: answer });
    const answeredAgain = { ...flagged, status: 'answered', undelivered: undefined } as Inquiry;
    expect(outgoingMessage(answer, answeredAgain, config, late)).toEqual({
      skip: expect.stringContaining('the inquiry was answered since'),
      message: answer,
    });
    // Another message's refusal skips nothing of this one.
    expect(
      outgoingMessage(answer, { ...answeredAgain, causes: [deliveryFailedCause('other')] }, config, late),
    ).toEqual({ send: answer });
  });

  it('is an answer kept in the dead letters, not sent once the department answered again, however many changes came since', () => {
    const answered = routedInquiry({
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T09:00:00.000Z',
      answerCause: 'op:2',
    });
    const answer: OutboxMessage = {
      ...queuedUndated,
      id: 'i1:answer:op:2',
      inquiryId: 'i1',
      purpose: 'answer',
      text: 'Вывезли',
    };
    // Its last try failed: recorded undelivered, the words kept in the dead-letter queue.
    let inquiry = apply(answered, {
      type: 'delivery_failed',
      cause: deliveryFailedCause(answer.id),
      at: '2026-03-16T09:10:00.000Z',
      outboxId: answer.id,
      purpose: 'answer',
      reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
    });
    inquiry = apply(inquiry, {
      type: 'final_answer',
      cause: 'op:again',
      at: '2026-03-16T10:00:00.000Z',
      operatorId: 9,
      text: 'Вывезли, двор убран',
      via: 'console',
    });
    // A busy conversation: more changes than the inquiry remembers causes.
    for (let n = 0; n <= REMEMBERED_CAUSES; n += 1)
      inquiry = apply(inquiry, {
        type: 'reply_noted',
        cause: `e:reply-${n}`,
        at: '2026-03-16T11:00:00.000Z',
        operatorId: 9,
        text: '…',
        via: 'vk',
      });
    expect(inquiry.causes).not.toContain(deliveryFailedCause(answer.id));
    // Replayed by ops days later: the citizen was answered since, and is not told twice.
    expect(tooLate(answer, inquiry)).toBe(
      'recorded as not reaching the citizen, and the inquiry was answered since: not sent',
    );
  });
});

describe('an answer kept in the dead letters, and an intermediate answer written while it waits', () => {
  const answer: OutboxMessage = {
    ...queuedUndated,
    id: 'i1:answer:op:2',
    inquiryId: 'i1',
    purpose: 'answer',
    text: 'Вывезли',
    requestedAt: '2026-03-16T09:00:00.000Z',
  };
  const intermediate = (cause: string, requestedAt: string): OutboxMessage => ({
    ...answer,
    id: `i1:intermediate_answer:${cause}`,
    purpose: 'intermediate_answer',
    text: 'Работаем над вашим обращением.',
    requestedAt,
  });
  /** Answered at 09:00Z, its last try recorded at 10:00Z, then «we are working on it» at 10:15Z. */
  const waiting = () => {
    const failed = apply(
      routedInquiry({
        status: 'answered',
        clock: undefined,
        answeredAt: '2026-03-16T09:00:00.000Z',
        answerCause: 'op:2',
      }),
      {
        type: 'delivery_failed',
        cause: deliveryFailedCause(answer.id),
        at: '2026-03-16T10:00:00.000Z',
        outboxId: answer.id,
        purpose: 'answer',
        reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
      },
    );
    return apply(failed, {
      type: 'intermediate_answer',
      cause: 'op:working',
      at: '2026-03-16T10:15:00.000Z',
      operatorId: 9,
      text: 'Работаем над вашим обращением.',
      via: 'console',
    });
  };

  /** The inquiry closed at `at`, the department having reached the citizen by phone. */
  const closedByPhone = (inquiry: Inquiry, at: string) =>
    apply(inquiry, { type: 'close', cause: 'op:close', at, reason: 'reached the citizen by phone' });

  it('sends the intermediate answer written once the answer was flagged, not one written before the answer', () => {
    const inquiry = waiting();
    expect(tooLate(intermediate('op:working', '2026-03-16T10:15:00.000Z'), inquiry)).toBeUndefined();
    expect(tooLate(intermediate('op:1', '2026-03-16T08:00:00.000Z'), inquiry)).toBe(
      'the inquiry was already answered: a late intermediate answer is not sent',
    );
  });

  it('still sends the answer replayed after that intermediate answer: only another answer or a close skips it', () => {
    const inquiry = waiting();
    expect(inquiry.undelivered?.outboxId).toBe(answer.id);
    expect(tooLate(answer, inquiry)).toBeUndefined();
    const closed = closedByPhone(inquiry, '2026-03-16T11:00:00.000Z');
    expect(tooLate(answer, closed)).toBe(
      'recorded as not reaching the citizen, and the inquiry was closed since: not sent',
    );
  });

  it('sends that intermediate answer, kept in the dead letters too, replayed before the answer: nothing reached the citizen since', () => {
    const working = intermediate('op:working', '2026-03-16T10:15:00.000Z');
    const refusedToo = apply(waiting(), {
      type: 'delivery_failed',
      cause: deliveryFailedCause(working.id),
      at: '2026-03-16T16:15:00.000Z',
      outboxId: working.id,
      purpose: 'intermediate_answer',
      reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
      requestedAt: working.requestedAt,
    });
    expect(refusedToo.undelivered?.outboxId).toBe(answer.id);
    expect(tooLate(working, refusedToo)).toBeUndefined();
    // Once the answer, replayed first, reached the citizen, or another answer or a close came: not sent, the
    // reason naming which.
    const delivered = apply(refusedToo, {
      type: 'delivered_late',
      cause: deliveredLateCause(answer.id),
      at: '2026-03-16T17:00:00.000Z',
      outboxId: answer.id,
      purpose: 'answer',
    });
    expect(tooLate(working, delivered)).toBe(
      'recorded as not reaching the citizen, and the answer kept in the dead letters has reached them since: not sent',
    );
    const closed = closedByPhone(refusedToo, '2026-03-16T17:00:00.000Z');
    expect(tooLate(working, closed)).toBe(
      'recorded as not reaching the citizen, and the inquiry was closed since: not sent',
    );
  });
});

describe('an intermediate answer kept in the dead letters, and the answer written after it', () => {
  it('is not sent once the answer written since is owed the citizen, refused in its turn, the reason naming that answer', () => {
    const working: OutboxMessage = {
      ...queuedUndated,
      id: 'i1:intermediate_answer:op:working',
      inquiryId: 'i1',
      purpose: 'intermediate_answer',
      text: 'Работаем над вашим обращением.',
      requestedAt: '2026-03-16T05:00:00.000Z',
    };
    let inquiry = apply(routedInquiry(), {
      type: 'intermediate_answer',
      cause: 'op:working',
      at: working.requestedAt,
      operatorId: 9,
      text: working.text,
      via: 'console',
    });
    const kept = 'VK error 10: Internal server error, on every try: kept in the dead-letter queue';
    inquiry = apply(inquiry, {
      type: 'delivery_failed',
      cause: deliveryFailedCause(working.id),
      at: '2026-03-16T05:30:00.000Z',
      outboxId: working.id,
      purpose: 'intermediate_answer',
      reason: kept,
      requestedAt: working.requestedAt,
    });
    inquiry = apply(inquiry, {
      type: 'final_answer',
      cause: 'op:answer',
      at: '2026-03-16T06:00:00.000Z',
      operatorId: 9,
      text: 'Вывезли',
      via: 'console',
    });
    inquiry = apply(inquiry, {
      type: 'delivery_failed',
      cause: deliveryFailedCause('i1:answer:op:answer'),
      at: '2026-03-16T07:00:00.000Z',
      outboxId: 'i1:answer:op:answer',
      purpose: 'answer',
      reason: kept,
      requestedAt: '2026-03-16T06:00:00.000Z',
    });
    expect(inquiry.undelivered?.outboxId).toBe('i1:answer:op:answer');
    expect(tooLate(working, inquiry)).toBe(
      'recorded as not reaching the citizen, and an answer was written since, which the department owes the citizen still: not sent',
    );
  });
});

describe("the acknowledgement of a citizen's reopening, when it is sent", () => {
  const reopened = {
    ...inquiry,
    status: 'reopened',
    reopenCount: 2,
    terms: { firstResponseHours: 4, resolutionHours: 72 },
  } as Inquiry;

  it('is known by the id its reopening keys it by, whichever reopening it tells of', () => {
    const second = messageOf(decideAcknowledgementOf(reopened, config, routedAt, 'reopened'));
    const first = messageOf(
      decideAcknowledgementOf({ ...reopened, reopenCount: 1 }, config, routedAt, 'reopened'),
    );
    expect(isReopeningAcknowledgement(second, reopened)).toBe(true);
    expect(isReopeningAcknowledgement(first, reopened)).toBe(true);
    expect(isReopeningAcknowledgement(queued, reopened)).toBe(false);
    expect(isReopeningAcknowledgement({ ...second, purpose: 'answer' }, reopened)).toBe(false);
  });

  it('goes, queued without its time, in the words for a reopening once the department responded', () => {
    const decision = messageOf(decideAcknowledgementOf(reopened, config, routedAt, 'reopened'));
    const { dueAt: _, textOnceDue: __, ...undated } = decision;
    const responded = { ...reopened, firstRespondedAt: '2026-03-02T06:30:00.000Z' } as Inquiry;
    expect(outgoingMessage(undated, responded, config, inTime)).toEqual({
      send: {
        ...undated,
        text: 'Здравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000042.',
      },
    });
  });
});

describe("the acknowledgement of a citizen's raise, when it is sent", () => {
  /** A follow-up of the citizen's raised the priority of their open inquiry to critical. */
  const raised = { ...inquiry, priority: 'critical', raiseCause: 'e:gas-smell' } as Inquiry;
  const raise = messageOf(decideAcknowledgementOf(raised, config, routedAt, 'raised'));

  it('goes in its own words for then once the department responded, not with the time nor as a first acknowledgement', () => {
    expect(raise.text).toContain('до 2 марта в 14:00');
    const responded = { ...raised, firstRespondedAt: '2026-03-02T06:30:00.000Z' } as Inquiry;
    expect(outgoingMessage(raise, responded, config, inTime)).toEqual({
      send: { ...raise, text: raise.textOnceDue },
    });
  });

  it('goes while the inquiry is back in work for an answer VK refused: no answer has met the danger yet', () => {
    const flagged = {
      ...raised,
      status: 'in_progress',
      undelivered: {
        outboxId: `${inquiry.id}:answer:op:1`,
        purpose: 'answer',
        reason: 'VK error 901',
        at: '2026-03-02T07:00:00.000Z',
      },
    } as Inquiry;
    expect(tooLate(raise, flagged)).toBeUndefined();
    // The routing's acknowledgement is late there: the citizen had the answer's words, refused or not.
    expect(tooLate(queued, flagged)).toBe(
      'the inquiry was already answered: a late acknowledgement is not sent',
    );
  });
});
