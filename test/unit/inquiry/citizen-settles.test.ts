import { describe, expect, it } from 'vitest';
import { normaliseText, tokenise } from '../../../lambdas/domain/classifier/normalise.js';
import {
  citizenSettles,
  editSettles,
  editUnsettles,
} from '../../../lambdas/domain/inquiry/citizen-settles.js';
import { editAfterAnswer } from '../../../lambdas/domain/inquiry/edit-after-answer.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { threadingDecision } from '../../../lambdas/domain/inquiry/threading.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { permContext as context } from './perm-context.js';

const normal = { priority: 'normal' } as const;

describe("the citizen's word that their matter is settled or withdrawn", () => {
  it.each([
    'Уже починили, спасибо, вопрос снят',
    'Неактуально',
    'Уже не актуально, сами сделали',
    'Спасибо, уже неактуально',
    'Обращение неактуально',
    'Прошу прекратить рассмотрение моего обращения',
    'Прошу отозвать моё обращение от 5 декабря',
    'Отзываю своё обращение',
    'Вопрос решён, спасибо!',
    'Вопрос решился сам собой, спасибо',
    'Спасибо, проблема решена',
    'Всё, уже убрали. Вопрос закрыт',
    'ВОПРОС СНЯТ',
    'Лифт уже починили, спасибо большое',
    'Лифт уже починили, благодарю',
    'Уже всё сделали, спасибо',
    'Вопрос уже решён',
    'Вопрос сам решился, спасибо',
    'Ситуация разрешилась, спасибо',
    // "но" inside a word ("огромное", "новых") is no "but".
    'Вопрос снят, спасибо огромное',
    'Вопрос решён, спасибо, новых вопросов нет',
  ])('counts "%s"', (text) => {
    expect(citizenSettles(text, normal)).toBe(true);
  });

  it.each([
    'Вопрос не снят',
    'Вопрос снят?',
    'не актуально было бы, если бы вы хоть раз ответили',
    'спасибо, но до сих пор не починили',
    'Почему вы пишете, что вопрос решён? Ничего не сделано',
    'Вам ответили, что вопрос решён, а яма на месте',
    'Вопрос так и не решён',
    'Проблема не решена',
    'Вопрос решён частично, яма осталась',
    'Уже починили, но опять течёт',
    'Когда вопрос будет решён',
    'Уже неделю не вывозят мусор',
    'Вопрос актуален',
    'Расписание автобусов на сайте неактуально, исправьте',
    'Спасибо',
    'Проблему решили монтажной пеной, на данный момент дверь не закрывается',
    'Уже убрали остановку у дома 5, теперь до работы не доехать',
    'Уже заменили трубы, спасибо, а вода всё равно ржавая',
  ])('does not count "%s"', (text) => {
    expect(citizenSettles(text, normal)).toBe(false);
  });

  // Each of these is taken back by one word or phrase alone, so that each is known to be read.
  it.each([
    'Вопрос решён был бы давно, будь у вас совесть',
    'Вопрос решён, но осадок остался',
    'Вопрос решён, однако осадок остался',
    'Вопрос снят, если вы сделаете перерасчёт',
    'Почему вопрос закрыт без ответа',
    'Зачем вопрос закрыт',
    'Неактуально станет, когда починят лифт',
    'Якобы вопрос решён',
    'Вопрос был закрыт, опять сломалось',
    'Вопрос был закрыт, снова сломалось',
    'Уже починили, спасибо, а подъезд до сих пор грязный',
    'Вопрос закрыт, а деньги так и не возвращены',
    'Вопрос закрыт, а ничего не понятно',
    'Вопрос снят, пока не ясно с перерасчётом',
    'Вопрос решён, а перерасчёт ещё не готов',
    'Вопрос решён не полностью',
    'Вопрос решён не до конца',
    'Вопрос снят, а мусор не вывезен',
    'Вопрос снят, а мусор не весь вывезен',
    'Проблему решили, а лифт не заработал',
    'Вопрос решён, а положение не улучшилось',
    'Вопрос закрыт, а мусор не убран',
    'Вы пишете что вопрос решён',
    // Words that begin as the settled ones but name a matter: a removal from the register, a stale timetable.
    'Прошу решить вопрос снятия с регистрационного учёта',
    'Неактуальное расписание на остановке, исправьте',
  ])('is taken back in "%s"', (text) => {
    expect(citizenSettles(text, normal)).toBe(false);
  });

  it('reads a message of up to 30 words, no longer', () => {
    const words = (count: number) => `Вопрос решён, спасибо${' огромное'.repeat(count - 3)}`;
    expect(tokenise(normaliseText(words(30)))).toHaveLength(30);
    expect(citizenSettles(words(30), normal)).toBe(true);
    expect(citizenSettles(words(31), normal)).toBe(false);
  });

  it('never counts words read as a danger, nor a long report that mentions a settled question', () => {
    expect(citizenSettles('Вопрос снят, но пахнет газом в подъезде', { priority: 'critical' })).toBe(false);
    expect(citizenSettles('Вопрос снят, пахнет газом в подъезде', { priority: 'critical' })).toBe(false);
    const report = `Вопрос решён, ${'а во дворе дома пять по улице Мира '.repeat(4)}разбита дорога`;
    expect(citizenSettles(report, normal)).toBe(false);
  });
});

/** The citizen's next message, read as the model reads such words: an unsure inquiry, `high` (the shipped model does). */
const message = (cause: string, at: string, text: string, priority: Priority = 'high'): InquiryEvent => ({
  type: 'citizen_message',
  cause,
  receivedAt: at,
  message: {
    groupId: 1,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${cause}`,
    conversationKey: 'dm:5',
    authorId: 5,
    text,
    attachments: [],
    sentAt: at,
  },
  classification: { category: 'social', priority, confidence: 0.14, inquiry: true, triage: true, model: 't' },
  terms: { firstResponseHours: 1, resolutionHours: 24 },
});

const changed = (inquiry: Inquiry, event: InquiryEvent) => {
  const result = applyEvent(inquiry, event, context);
  if (result.outcome !== 'changed') throw new Error(result.outcome);
  return result;
};

/** Routed at `normal`, 9 working hours to its first response. */
const normalInquiry = (more: Partial<Inquiry> = {}) =>
  routedInquiry({ priority: 'normal', terms: { firstResponseHours: 9, resolutionHours: 120 }, ...more });

describe('an open inquiry the citizen calls settled', () => {
  it('joins it, marked for an operator, and neither raises its priority nor brings its deadline forward', () => {
    const inquiry = normalInquiry();
    const result = changed(
      inquiry,
      message('e:2', '2026-03-16T05:00:00.000Z', 'Уже починили, спасибо, вопрос снят'),
    );
    expect(result.inquiry).toMatchObject({
      status: 'routed',
      priority: 'normal',
      clock: inquiry.clock,
      citizenSettledAt: '2026-03-16T05:00:00.000Z',
      messageCount: 2,
    });
    expect(result.inquiry.raiseCause).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(result.history.map((entry) => [entry.kind, entry.reason])).toEqual([
      ['message', 'the citizen writes that the matter is settled or withdrawn: for an operator to close'],
    ]);
  });

  it('is marked when the citizen wrote the words, not when they reached us', () => {
    const words = message('e:2', '2026-03-16T05:00:00.000Z', 'Неактуально');
    const reached = { ...words, receivedAt: '2026-03-16T05:02:00.000Z' } as InquiryEvent;
    expect(changed(normalInquiry(), reached).inquiry.citizenSettledAt).toBe('2026-03-16T05:00:00.000Z');
  });

  it('raises as before on words that are no settling, and a danger is raised whatever else it says', () => {
    const raised = changed(
      normalInquiry(),
      message('e:2', '2026-03-16T05:00:00.000Z', 'Спасибо, но до сих пор не починили'),
    );
    expect(raised.inquiry.priority).toBe('high');
    expect(raised.inquiry.citizenSettledAt).toBeUndefined();
    const danger = changed(
      normalInquiry(),
      message('e:3', '2026-03-16T05:00:00.000Z', 'Вопрос снят, пахнет газом в подъезде', 'critical'),
    );
    expect(danger.inquiry.priority).toBe('critical');
    expect(danger.inquiry.citizenSettledAt).toBeUndefined();
  });

  it("clears the mark on the citizen's later words of the matter, not on a thank-you", () => {
    const settled = changed(
      normalInquiry(),
      message('e:2', '2026-03-16T05:00:00.000Z', 'Неактуально'),
    ).inquiry;
    const thanks = changed(settled, {
      ...message('e:3', '2026-03-16T05:01:00.000Z', 'Спасибо'),
      classification: {
        category: 'other',
        priority: 'normal',
        confidence: 0.9,
        inquiry: false,
        triage: false,
        model: 't',
      },
    } as InquiryEvent).inquiry;
    expect(thanks.citizenSettledAt).toBe('2026-03-16T05:00:00.000Z');
    const again = changed(
      thanks,
      message('e:4', '2026-03-16T05:10:00.000Z', 'Ой, снова течёт', 'normal'),
    ).inquiry;
    expect(again.citizenSettledAt).toBeUndefined();
  });

  it('neither opens nor re-routes an untouched inquiry as a message of its burst would, nor raises it so', () => {
    const opening = { messageRef: 'dm:5:1', sentAt: '2026-03-16T04:00:00.000Z', number: 1 };
    // Opened and routed to triage by its first words, the citizen's next minute says it is settled.
    const inquiry = normalInquiry({
      department: 'triage',
      triage: true,
      openingMessage: opening,
      routingMessage: { ...opening, rule: null },
    });
    const route = {
      classification: {
        category: 'social',
        priority: 'high',
        confidence: 0.14,
        inquiry: true,
        triage: false,
        model: 't',
      },
      department: 'social',
      rule: 3,
      terms: { firstResponseHours: 1, resolutionHours: 24 },
    } as const;
    const result = changed(inquiry, {
      ...message('e:2', '2026-03-16T04:01:00.000Z', 'Уже неактуально'),
      route,
    } as InquiryEvent);
    expect(result.inquiry).toMatchObject({
      department: 'triage',
      priority: 'normal',
      clock: inquiry.clock,
      citizenSettledAt: '2026-03-16T04:01:00.000Z',
    });
    expect(result.effects).toEqual([]);
    // Nor, sent before the words it was opened by and reaching us after them, is it the opening message.
    const earlier = changed(inquiry, {
      ...message('e:0', '2026-03-16T03:59:00.000Z', 'Уже неактуально'),
      route: { ...route, department: 'triage', rule: null },
    } as InquiryEvent).inquiry;
    expect(earlier).toMatchObject({ text: inquiry.text, openingMessage: opening });
  });

  it('does not reopen an answered inquiry, which stays answered with the words kept', () => {
    const answered = normalInquiry({
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T06:00:00.000Z',
    });
    const result = changed(answered, message('e:2', '2026-03-16T07:00:00.000Z', 'Вопрос решён, спасибо!'));
    expect(result.inquiry).toMatchObject({ status: 'answered', reopenCount: 0, messageCount: 2 });
    expect(result.inquiry.citizenSettledAt).toBeUndefined();
    expect(result.inquiry.reopenCause).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(result.history[0]?.reason).toBe(
      'the citizen writes that the matter is settled or withdrawn: it stays answered',
    );
    // A look-alike reopens it as before.
    const reopened = changed(answered, message('e:3', '2026-03-16T07:00:00.000Z', 'Вопрос не решён'));
    expect(reopened.inquiry.status).toBe('reopened');
  });

  it('is no new matter: it joins the answered case, of whatever category the model read it', () => {
    const on = { reopenClosedWithinHours: 72, newMatterOpensInquiry: true };
    const at = new Date('2026-03-17T06:00:00Z');
    const sure = { category: 'roads', inquiry: true, triage: false } as const;
    const answered = normalInquiry({
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T06:00:00.000Z',
    });
    expect(threadingDecision(answered, at, on, sure)).toBe('new_matter');
    expect(threadingDecision(answered, at, on, { ...sure, settles: true })).toBe('join');
  });
});

describe("an edit in which the citizen writes that the matter is settled (as they add an 'UPD' to a post)", () => {
  const before = 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ';
  const settledEdit = {
    reachedAt: '2026-03-16T04:00:00.000Z',
    at: '2026-03-16T06:30:00.000Z',
    before,
    after: `${before}. UPD: вопрос решён, спасибо`,
    classification: { priority: 'normal' } as const,
  };
  const window = { reopenClosedWithinHours: 72 };

  it('reads the words it appends, or the new text where it rewrote the message', () => {
    expect(editSettles(before, `${before}. UPD: вопрос решён, спасибо`, normal)).toBe(true);
    expect(editSettles(before, 'Неактуально', normal)).toBe(true);
    expect(editSettles(before, `${before}. UPD: вопрос так и не решён`, normal)).toBe(false);
    expect(editSettles(before, `${before}. Вопрос снят?`, normal)).toBe(false);
    expect(editSettles(undefined, 'Неактуально', normal)).toBe(false);
    expect(editSettles(before, 'Неактуально', undefined)).toBe(false);
  });

  it('takes the settled word back only for words of the matter, a danger among them', () => {
    const thanks = { inquiry: false, priority: 'normal' } as const;
    expect(editUnsettles('Неактуально', 'Спасибо', thanks)).toBe(false);
    const danger = { inquiry: true, priority: 'critical' } as const;
    expect(editUnsettles('Неактуально', 'Вопрос снят, пахнет газом в подъезде', danger)).toBe(true);
  });

  it('does not reopen the answered inquiry: it is recorded, where more of the matter reopens it', () => {
    const answered = normalInquiry({
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T06:00:00.000Z',
    });
    expect(editAfterAnswer(answered, settledEdit, window)).toBe('recorded');
    const more = { ...settledEdit, after: `${before}. UPD: и ещё прошу разъяснить про компенсацию` };
    expect(editAfterAnswer(answered, more, window)).toBe('reopens');
  });

  it('clears the mark when the citizen edits the settling words into more of the matter', () => {
    const settled = changed(
      normalInquiry(),
      message('e:2', '2026-03-16T05:00:00.000Z', 'Неактуально'),
    ).inquiry;
    const edit = (text: string): InquiryEvent => ({
      type: 'message_changed',
      cause: 'e:edit',
      at: '2026-03-16T05:30:00.000Z',
      messageRef: 'dm:5:e:2',
      change: 'edited',
      text,
      previousText: 'Неактуально',
      opening: false,
      raise: {
        classification: {
          category: 'housing',
          priority: 'normal',
          confidence: 0.8,
          inquiry: true,
          triage: false,
          model: 't',
        },
        terms: { firstResponseHours: 9, resolutionHours: 120 },
        before: 'normal',
      },
    });
    expect(
      changed(settled, edit('Лифт опять стоит, прошу разобраться')).inquiry.citizenSettledAt,
    ).toBeUndefined();
    // Settling words edited into settling words, or an edit of another message, keep it.
    expect(changed(settled, edit('Неактуально, спасибо')).inquiry.citizenSettledAt).toBe(
      '2026-03-16T05:00:00.000Z',
    );
    const other = { ...edit('Лифт в подъезде 2 стоит'), previousText: 'Лифт стоит' } as InquiryEvent;
    expect(changed(settled, other).inquiry.citizenSettledAt).toBe('2026-03-16T05:00:00.000Z');
  });

  it('marks no answered inquiry: the edit is recorded with the words the answer covered', () => {
    const answered = normalInquiry({
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T06:00:00.000Z',
    });
    const result = changed(answered, {
      type: 'message_changed',
      cause: 'e:edit',
      at: settledEdit.at,
      messageRef: 'dm:5:1',
      change: 'edited',
      text: settledEdit.after,
      previousText: before,
      opening: true,
      afterAnswer: 'recorded',
      raise: {
        classification: {
          category: 'social',
          priority: 'normal',
          confidence: 0.6,
          inquiry: true,
          triage: false,
          model: 't',
        },
        terms: { firstResponseHours: 9, resolutionHours: 120 },
        before: 'normal',
      },
    });
    expect(result.inquiry.status).toBe('answered');
    expect(result.inquiry.citizenSettledAt).toBeUndefined();
  });

  it('marks open work for an operator, and raises nothing', () => {
    const result = changed(normalInquiry(), {
      type: 'message_changed',
      cause: 'e:edit',
      at: '2026-03-16T05:00:00.000Z',
      messageRef: 'dm:5:1',
      change: 'edited',
      text: 'Неактуально',
      previousText: before,
      opening: true,
      raise: {
        classification: {
          category: 'health',
          priority: 'high',
          confidence: 0.11,
          inquiry: true,
          triage: true,
          model: 't',
        },
        terms: { firstResponseHours: 1, resolutionHours: 24 },
        before: 'normal',
      },
    });
    expect(result.inquiry).toMatchObject({
      priority: 'normal',
      citizenSettledAt: '2026-03-16T05:00:00.000Z',
    });
    expect(result.effects).toEqual([]);
    expect(result.history[0]?.reason).toBe(
      'the message was edited in VK: the citizen writes that the matter is settled or withdrawn: for an operator to close',
    );
  });
});
