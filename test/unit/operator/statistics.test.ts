import { describe, expect, it } from 'vitest';
import { startClock } from '../../../lambdas/domain/inquiry/deadline.js';
import { type Inquiry, openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import {
  type AnswerFigures,
  type CountedInquiry,
  periodBound,
  statisticsAccumulator,
  statisticsOf,
} from '../../../lambdas/domain/operator/statistics.js';
import { outboxIdFor } from '../../../lambdas/domain/outbox/outbox-message.js';
import { statisticsQuery } from '../../../lambdas/operator-api/contract/statistics.js';
import { perm } from '../sla/calendars.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const OPENED = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(OPENED + minutes * 60_000).toISOString();

/** An inquiry opened at 09:00 on 2 March, due at 18:00, answered `after` minutes (if given), at once. */
const counted = (fields: Partial<CountedInquiry> & { after?: number } = {}): CountedInquiry => {
  const { after, ...rest } = fields;
  return {
    department: 'housing',
    groupId: 1,
    status: 'answered',
    category: 'waste',
    createdAt: at(0),
    reopenCount: 0,
    firstResponseStartedAt: at(0),
    firstResponseDueAt: at(540),
    ...(after !== undefined && {
      firstRespondedAt: at(after),
      firstResponseLate: after > 540,
      answeredAt: at(after),
    }),
    ...rest,
  };
};

/** Figures with no working minutes (no calendar) and the given counts and times. */
const figures = (fields: Partial<AnswerFigures>): AnswerFigures => ({
  count: 0,
  medianMinutes: null,
  p90Minutes: null,
  medianWorkingMinutes: null,
  p90WorkingMinutes: null,
  inTime: 0,
  late: 0,
  inTimeShare: null,
  ...fields,
});

describe('the statistics of a period', () => {
  // Ten answers (10…100 minutes and one at 600, late), one overdue, one rejected overdue, one not yet due;
  // another community; one never routed.
  const inquiries: CountedInquiry[] = [
    ...[30, 10, 100, 20, 90, 40, 80, 50, 70, 600].map((after) => counted({ after })),
    counted({ status: 'routed', category: 'roads' }),
    counted({ status: 'rejected' }),
    counted({ status: 'routed', firstResponseDueAt: '2026-03-11T00:00:00.000Z' }),
    counted({ groupId: 2, after: 5 }),
    counted({ department: undefined, status: 'rejected' }),
  ];

  it('counts per department and community: statuses, categories, and the first response and the answer', () => {
    // 9 in time of the 10 given and the 1 overdue; the rejected one and the one not yet due are not due.
    // Answered at once, with no intermediate answer: the answer was the first response too.
    const housing = figures({
      count: 10,
      medianMinutes: 50,
      p90Minutes: 100,
      inTime: 9,
      late: 2,
      inTimeShare: 0.818,
    });
    const other = figures({ count: 1, medianMinutes: 5, p90Minutes: 5, inTime: 1, inTimeShare: 1 });
    expect(statisticsOf(inquiries, NOW)).toEqual([
      {
        department: 'housing',
        community: 1,
        total: 13,
        byStatus: { answered: 10, routed: 2, rejected: 1 },
        byCategory: { waste: 12, roads: 1 },
        citizenSettled: 0,
        firstResponse: housing,
        resolution: housing,
        answeredInTimeShare: 0.818,
      },
      {
        department: 'housing',
        community: 2,
        total: 1,
        byStatus: { answered: 1 },
        byCategory: { waste: 1 },
        citizenSettled: 0,
        firstResponse: other,
        resolution: other,
        answeredInTimeShare: 1,
      },
    ]);
  });

  it('counts an inquiry the citizen called settled once, whichever of its cycles they did in', () => {
    const ended = { status: 'answered' as const, answeredAt: at(30) };
    const [group] = statisticsOf(
      [
        counted({ after: 30, citizenSettledAt: at(10) }),
        counted({ after: 30, earlierCycles: [{ ...ended, citizenSettledAt: at(10) }] }),
        counted({
          after: 30,
          citizenSettledAt: at(20),
          earlierCycles: [{ ...ended, citizenSettledAt: at(10) }, ended],
        }),
        counted({ after: 30, earlierCycles: [ended] }),
      ],
      NOW,
    );
    expect(group).toMatchObject({ total: 4, citizenSettled: 3 });
  });

  it('judge a first response in time or late by what was recorded when it was given', () => {
    // Given at 100 minutes and recorded in time; the deadline stored now reads 60 minutes: the record decides.
    const [group] = statisticsOf(
      [counted({ after: 100, firstResponseDueAt: at(60), firstResponseLate: false })],
      NOW,
    );
    expect(group?.firstResponse).toMatchObject({ count: 1, inTime: 1, late: 0 });
  });

  it('comes to the same figures fed page by page, whatever the pages', () => {
    for (const size of [1, 2, 5, 7]) {
      const accumulator = statisticsAccumulator(NOW);
      for (let start = 0; start < inquiries.length; start += size)
        accumulator.add(inquiries.slice(start, start + size));
      expect(accumulator.groups(), `pages of ${size}`).toEqual(statisticsOf(inquiries, NOW));
    }
  });

  it('counts 100,000 inquiries of one department and community, in working minutes too, looking up its calendar once', () => {
    const many = Array.from({ length: 100_000 }, (_, n) => counted({ after: n % 600 }));
    let lookedUp = 0;
    const [group] = statisticsOf(many, NOW, () => {
      lookedUp++;
      return perm;
    });
    // Work per group, not per inquiry: the calendar is looked up once. How long the counting takes is a
    // figure of `npm run bench:statistics` (docs/benchmarks.md), not asserted here: a copy of the group per
    // inquiry took minutes, past the test's timeout, and it counts in a fraction of a second.
    expect(lookedUp).toBe(1);
    // Opened at 14:00 in Perm, after the lunch hour: its working minutes are its minutes up to 18:00.
    expect(group).toMatchObject({
      total: 100_000,
      firstResponse: { count: 100_000, medianMinutes: 299, medianWorkingMinutes: 240 },
    });
  });

  it('times inquiries stored before the start of their cycle was kept from their opening, if never reopened', () => {
    const { firstResponseStartedAt, ...stored } = counted({ after: 30, createdAt: at(1) });
    const reopened = { ...stored, reopenCount: 1, firstRespondedAt: at(45), answeredAt: at(45) };
    // Both counted in time; the reopened one's wait is not known: not timed.
    expect(statisticsOf([stored, reopened], NOW)[0]?.firstResponse).toEqual(
      figures({ count: 2, medianMinutes: 29, p90Minutes: 29, inTime: 2, inTimeShare: 1 }),
    );
  });

  it('take the words that gave a first response recorded before they were kept for the refused ones', () => {
    // An intermediate answer after 5 minutes, and one refused since: which one was refused is not known of
    // an inquiry that did not keep which words gave its first response, and the refused one is taken for it.
    const refused = counted({
      status: 'in_progress',
      firstRespondedAt: at(5),
      firstResponseLate: false,
      resolutionDueAt: at(1500),
      undelivered: {
        outboxId: 'i:intermediate_answer:2',
        purpose: 'intermediate_answer',
        reason: '901',
        at: at(30),
      },
    });
    expect(statisticsOf([refused], NOW)[0]?.firstResponse).toEqual(figures({ late: 1, inTimeShare: 0 }));
    // One that kept them took its first response back itself, had the refused words given it: it stands.
    expect(statisticsOf([{ ...refused, firstResponseCause: 'op:1' }], NOW)[0]?.firstResponse).toEqual(
      figures({ count: 1, medianMinutes: 5, p90Minutes: 5, inTime: 1, inTimeShare: 1 }),
    );
  });

  it('count a first response owed and not given as late only once its deadline has passed', () => {
    // Due at 18:00 and not given: at 18:00 itself it is not late yet, a millisecond after it is.
    const waiting = counted({ status: 'routed' });
    expect(statisticsOf([waiting], new Date(at(540)))[0]?.firstResponse).toEqual(figures({}));
    expect(statisticsOf([waiting], new Date(Date.parse(at(540)) + 1))[0]?.firstResponse).toEqual(
      figures({ late: 1, inTimeShare: 0 }),
    );
  });

  it('count words dated before the start of their cycle as given at once, not as a wait below zero', () => {
    const early = counted({ after: 30, firstResponseStartedAt: at(31) });
    expect(statisticsOf([early], NOW)[0]?.firstResponse).toMatchObject({
      count: 1,
      medianMinutes: 0,
      p90Minutes: 0,
    });
  });
});

/** Inquiries of a community in Perm (UTC+5, 09:00-18:00 with a lunch hour, Friday to 16:45), as they live. */
describe('what the figures mean', () => {
  const TERMS = { firstResponseHours: 4, resolutionHours: 8 };
  let serial = 0;

  function opened(receivedAt: string): Inquiry {
    const id = `i${++serial}`;
    return openInquiry({
      id,
      eventKey: `e:${id}`,
      message: {
        groupId: 1,
        channel: 'direct_message',
        replyTo: { channel: 'direct_message', peerId: serial },
        messageRef: `dm:${serial}:1`,
        conversationKey: `dm:${serial}`,
        authorId: serial,
        text: 'Не вывозят мусор',
        attachments: [],
        sentAt: receivedAt,
      },
      classification: {
        category: 'waste',
        priority: 'normal',
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 'test',
      },
      routing: { department: 'housing', rule: 1 },
      triageDepartment: 'triage',
      deadlines: { terms: TERMS, context: { calendar: perm, warnAtFraction: 0.8 } },
      receivedAt: new Date(receivedAt),
      now: new Date(Date.parse(receivedAt) + 2000),
    }).inquiry;
  }

  /** What an inquiry becomes through the events, each made of the inquiry as it is then, at its own time. */
  function lived(inquiry: Inquiry, ...events: ((inquiry: Inquiry) => InquiryEvent)[]): Inquiry {
    return events.reduce((current, make) => {
      const event = make(current);
      const time = 'at' in event ? event.at : 'now' in event ? event.now : event.receivedAt;
      const result = applyEvent(current, event, { calendar: perm, warnAtFraction: 0.8, now: new Date(time) });
      if (result.outcome !== 'changed') throw new Error(`${event.type}: ${result.outcome}`);
      return result.inquiry;
    }, inquiry);
  }
  const operator = { operatorId: 'op', via: 'console' as const };
  const intermediate = (at: string) => () =>
    ({ type: 'intermediate_answer', cause: `op:i:${at}`, at, text: 'Работаем', ...operator }) as const;
  const answer = (at: string) => () =>
    ({ type: 'final_answer', cause: `op:a:${at}`, at, text: 'Вывезли', ...operator }) as const;
  const close = (at: string) => () =>
    ({ type: 'close', cause: `op:c:${at}`, at, reason: 'reached by phone', operatorId: 'op' }) as const;
  const breach = (now: string) => () => ({ type: 'breach', now }) as const;
  const wroteAgain =
    (receivedAt: string) =>
    (inquiry: Inquiry): InquiryEvent => ({
      type: 'citizen_message',
      cause: `e:${receivedAt}`,
      receivedAt,
      message: {
        groupId: 1,
        channel: 'direct_message',
        replyTo: inquiry.replyTo,
        messageRef: `${inquiry.conversationKey}:${receivedAt}`,
        conversationKey: inquiry.conversationKey,
        authorId: inquiry.authorId,
        text: 'Опять не вывезли',
        attachments: [],
        sentAt: receivedAt,
      },
      classification: {
        category: 'waste',
        priority: 'normal',
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 'test',
      },
    });
  /**
   * VK refuses for good, at `at`, the inquiry's answer (the last cycle's, once reopened), or the intermediate
   * answer given at `given`: the citizen forbade messages.
   */
  const refused =
    (purpose: 'answer' | 'intermediate_answer', at: string, given?: string) =>
    (inquiry: Inquiry): InquiryEvent => {
      const cause =
        purpose === 'answer'
          ? (inquiry.answerCause ?? inquiry.earlierCycles?.at(-1)?.answerCause)
          : `op:i:${given}`;
      const outboxId = outboxIdFor(inquiry.id, purpose, cause ?? '');
      return {
        type: 'delivery_failed',
        cause: deliveryFailedCause(outboxId),
        outboxId,
        purpose,
        reason: 'VK error 901: the user forbade messages',
        at,
      };
    };
  const group = (inquiries: Inquiry[], now: string) => {
    const [only, ...more] = statisticsOf(inquiries, new Date(now), () => perm);
    if (!only || more.length > 0) throw new Error('one group expected');
    return only;
  };

  it('tell the answer apart from the first response: an intermediate answer in time, the answer 5 days late', () => {
    // Monday 2 March, 09:00 in Perm; "we are working on it" at 09:05; the answer, due 09:05 on Tuesday, never
    // given: escalated.
    const late = lived(
      opened('2026-03-02T04:00:00.000Z'),
      intermediate('2026-03-02T04:05:00.000Z'),
      breach('2026-03-03T04:05:00.000Z'),
    );
    expect(late).toMatchObject({
      status: 'in_progress',
      escalated: true,
      resolutionDueAt: '2026-03-03T04:05:00.000Z',
    });
    const figuresThen = group([late], '2026-03-08T04:05:00.000Z');
    expect(figuresThen.firstResponse).toMatchObject({
      count: 1,
      medianMinutes: 5,
      inTime: 1,
      inTimeShare: 1,
    });
    expect(figuresThen.resolution).toMatchObject({ count: 0, medianMinutes: null, late: 1, inTimeShare: 0 });
    // Under its first name, the share of first responses.
    expect(figuresThen.answeredInTimeShare).toBe(1);
  });

  it('count every cycle of a reopened inquiry: the first answer stays, the new cycle from when it was reopened', () => {
    // Answered in 5 minutes; the citizen wrote again on Wednesday at 09:00, answered in 10 minutes.
    const answeredAgain = lived(
      opened('2026-03-02T04:00:00.000Z'),
      answer('2026-03-02T04:05:00.000Z'),
      wroteAgain('2026-03-04T04:00:00.000Z'),
      answer('2026-03-04T04:10:00.000Z'),
    );
    // The same, not answered again: due at 13:00 on Wednesday.
    const notYet = lived(
      opened('2026-03-02T04:00:00.000Z'),
      answer('2026-03-02T04:05:00.000Z'),
      wroteAgain('2026-03-04T04:00:00.000Z'),
    );
    expect(notYet.earlierCycles).toEqual([
      {
        status: 'answered',
        startedAt: '2026-03-02T04:00:00.000Z',
        endedAt: '2026-03-02T04:05:00.000Z',
        terms: TERMS,
        firstResponseDueAt: '2026-03-02T08:00:00.000Z',
        firstRespondedAt: '2026-03-02T04:05:00.000Z',
        firstResponseLate: false,
        firstResponseCause: 'op:a:2026-03-02T04:05:00.000Z',
        answeredAt: '2026-03-02T04:05:00.000Z',
        answerCause: 'op:a:2026-03-02T04:05:00.000Z',
      },
    ]);
    // Three answers given, each the first response of its cycle too: 5, 5 and 10 minutes, all in time.
    const given = { count: 3, medianMinutes: 5, p90Minutes: 10, medianWorkingMinutes: 5, inTime: 3 };
    expect(group([answeredAgain, notYet], '2026-03-04T07:59:00.000Z')).toMatchObject({
      total: 2,
      firstResponse: { ...given, late: 0, inTimeShare: 1 },
      resolution: { ...given, late: 0, inTimeShare: 1 },
    });
    expect(group([answeredAgain, notYet], '2026-03-04T08:01:00.000Z')).toMatchObject({
      firstResponse: { ...given, late: 1, inTimeShare: 0.75 },
      resolution: { ...given, late: 1, inTimeShare: 0.75 },
    });
  });

  it('keep a late, escalated cycle late once reopened, and one closed after its refused answer answered when closed', () => {
    // Due at 13:00 Perm, escalated, answered at 14:00; reopened on Wednesday and answered in time.
    const lateThenInTime = lived(
      opened('2026-03-02T04:00:00.000Z'),
      breach('2026-03-02T08:00:00.000Z'),
      answer('2026-03-02T09:00:00.000Z'),
      wroteAgain('2026-03-04T04:00:00.000Z'),
      answer('2026-03-04T04:10:00.000Z'),
    );
    expect(lateThenInTime).toMatchObject({
      escalated: false,
      earlierCycles: [{ status: 'answered', firstResponseLate: true, escalated: true }],
    });
    // Answered at 09:05, VK refused it, reached by phone and closed at 10:00; reopened on Wednesday.
    const closedByPhone = lived(
      opened('2026-03-02T04:00:00.000Z'),
      answer('2026-03-02T04:05:00.000Z'),
      refused('answer', '2026-03-02T04:06:00.000Z'),
      close('2026-03-02T05:00:00.000Z'),
      wroteAgain('2026-03-04T04:00:00.000Z'),
    );
    expect(group([lateThenInTime, closedByPhone], '2026-03-04T07:00:00.000Z')).toMatchObject({
      // 300, 10 and the closing at 60 minutes: the refused answer was no response, the phone call was.
      firstResponse: { count: 3, medianMinutes: 60, p90Minutes: 300, inTime: 2, late: 1 },
      // The same.
      resolution: { count: 3, medianMinutes: 60, p90Minutes: 300, inTime: 2, late: 1 },
    });
  });

  /** An operator rejects the inquiry as not one; another routes it back into work, on `terms`. */
  const reject = (at: string) => () =>
    ({
      type: 'reject',
      cause: `op:r:${at}`,
      at,
      reason: 'не обращение',
      operatorId: 'op',
      department: 'triage',
    }) as const;
  const routeBack =
    (at: string, terms = TERMS) =>
    () =>
      ({
        type: 'route',
        cause: `op:b:${at}`,
        at,
        reason: 'всё-таки обращение',
        operatorId: 'op',
        department: 'housing',
        category: 'waste',
        priority: 'normal',
        terms,
      }) as const;

  it('count an inquiry rejected while in work and routed back from when the citizen wrote, its first response owed anew', () => {
    // Monday 2 March, 09:00 in Perm; "we are working on it" at 09:05; rejected as spam the next day, found real
    // and routed back on Tuesday 10 March at 09:00 with 2 working hours (due 11:00); answered on Thursday at
    // 10:00, late.
    const routedBack = lived(
      opened('2026-03-02T04:00:00.000Z'),
      intermediate('2026-03-02T04:05:00.000Z'),
      reject('2026-03-03T04:00:00.000Z'),
      routeBack('2026-03-10T04:00:00.000Z', { firstResponseHours: 2, resolutionHours: 8 }),
    );
    // The first cycle's first response stays counted, in time; rejected before its answer was due, the
    // rejected cycle owed no answer. A new one is owed since the route, late once its new deadline has passed.
    expect(group([routedBack], '2026-03-10T05:59:00.000Z')).toMatchObject({
      firstResponse: { count: 1, medianMinutes: 5, inTime: 1, late: 0 },
      resolution: { count: 0, inTime: 0, late: 0 },
    });
    expect(group([routedBack], '2026-03-10T06:01:00.000Z')).toMatchObject({
      firstResponse: { count: 1, inTime: 1, late: 1 },
      resolution: { count: 0, inTime: 0, late: 1 },
    });
    // What the citizen waited since they wrote: ten days and an hour; in working time, the week of 2 March
    // (4 × 480 minutes and Friday's 405), Tuesday and Wednesday (9 March, for Sunday's 8 March, is a day
    // off) and an hour on Thursday.
    const answered = lived(routedBack, answer('2026-03-12T05:00:00.000Z'));
    expect(group([answered], '2026-03-13T00:00:00.000Z')).toMatchObject({
      firstResponse: { count: 2, medianMinutes: 5, p90Minutes: 14460, inTime: 1, late: 1, inTimeShare: 0.5 },
      resolution: {
        count: 1,
        medianMinutes: 14460,
        medianWorkingMinutes: 3345,
        inTime: 0,
        late: 1,
        inTimeShare: 0,
      },
    });
  });

  it('keep the lateness of a cycle rejected past its deadline and routed back, and the wait from when the citizen wrote', () => {
    // Monday 2 March, 09:00 in Perm, due at 13:00; rejected as not an inquiry on Wednesday at 09:00, routed
    // back a minute later and answered an hour after that, in time for the route's new clock.
    const routedBack = lived(
      opened('2026-03-02T04:00:00.000Z'),
      reject('2026-03-04T04:00:00.000Z'),
      routeBack('2026-03-04T04:01:00.000Z'),
      answer('2026-03-04T05:01:00.000Z'),
    );
    expect(routedBack.earlierCycles).toEqual([
      expect.objectContaining({ status: 'rejected', endedAt: '2026-03-04T04:00:00.000Z' }),
    ]);
    // The rejected cycle gave neither and was past both deadlines when rejected: late twice. The answer came
    // two days, an hour and a minute after the citizen wrote (16 working hours and 61 minutes).
    const figuresThen = group([routedBack], '2026-03-05T00:00:00.000Z');
    const waited = { count: 1, medianMinutes: 2941, medianWorkingMinutes: 1021, inTime: 1, late: 1 };
    expect(figuresThen.firstResponse).toMatchObject({ ...waited, inTimeShare: 0.5 });
    expect(figuresThen.resolution).toMatchObject({ ...waited, inTimeShare: 0.5 });
    // Rejected before its deadline, it owed nothing yet: only the cycle after the route counts.
    const inTime = lived(
      opened('2026-03-02T04:00:00.000Z'),
      reject('2026-03-02T05:00:00.000Z'),
      routeBack('2026-03-02T05:01:00.000Z'),
      answer('2026-03-02T06:01:00.000Z'),
    );
    expect(group([inTime], '2026-03-05T00:00:00.000Z').firstResponse).toMatchObject({
      count: 1,
      medianMinutes: 121,
      inTime: 1,
      late: 0,
    });
    // A rejection that stands owes nothing, however late.
    const rejected = lived(opened('2026-03-02T04:00:00.000Z'), reject('2026-03-04T04:00:00.000Z'));
    expect(group([rejected], '2026-03-05T00:00:00.000Z').firstResponse).toMatchObject({
      count: 0,
      inTime: 0,
      late: 0,
    });
  });

  it('count no answer VK refused after a message written before it reopened the inquiry; a closing by phone counts', () => {
    // Answered at 09:05 in Perm; the citizen's message of 09:04, routed after the answer, reopened the inquiry,
    // and then VK refused the answer.
    const refusedAfterReopening = (answeredAt: string, wroteAt: string) =>
      lived(
        opened('2026-03-02T04:00:00.000Z'),
        answer(answeredAt),
        wroteAgain(wroteAt),
        refused('answer', new Date(Date.parse(answeredAt) + 5000).toISOString()),
      );
    const inTime = refusedAfterReopening('2026-03-02T04:05:00.000Z', '2026-03-02T04:04:00.000Z');
    expect(inTime).toMatchObject({
      status: 'reopened',
      undelivered: { purpose: 'answer' },
      earlierCycles: [{ status: 'answered', refused: 'answer' }],
    });
    // Before the reopened cycle's deadline (14:05): nothing given, nothing late yet.
    expect(group([inTime], '2026-03-02T06:00:00.000Z')).toMatchObject({
      firstResponse: { count: 0, inTime: 0, late: 0 },
      resolution: { count: 0, inTime: 0, late: 0 },
    });
    // Reached by phone and closed at 11:00: that is the reopened cycle's response and answer.
    const closed = lived(inTime, close('2026-03-02T06:00:00.000Z'));
    expect(group([closed], '2026-03-03T00:00:00.000Z')).toMatchObject({
      firstResponse: { count: 1, medianMinutes: 115, inTime: 1, late: 0 },
      resolution: { count: 1, medianMinutes: 115, inTime: 1, late: 0 },
    });
    // Answered at 15:00, two hours late, and refused: the first cycle stays late, though not answered.
    const late = refusedAfterReopening('2026-03-02T10:00:00.000Z', '2026-03-02T09:59:00.000Z');
    expect(group([late], '2026-03-02T10:30:00.000Z')).toMatchObject({
      firstResponse: { count: 0, inTime: 0, late: 1 },
      resolution: { count: 0, inTime: 0, late: 1 },
    });
  });

  it('count working minutes round the clock for terms round the clock, as their deadlines count', () => {
    // A gas smell on Saturday 7 March at 23:00 in Perm, 1 hour to the first response round the clock:
    // answered in 30 minutes, and another in 90, late.
    const critical = { firstResponseHours: 1, resolutionHours: 4, clock: 'round_the_clock' as const };
    const atNight = (receivedAt: string) => {
      const inquiry = opened(receivedAt);
      const clock = startClock('first_response', 1, new Date(receivedAt), critical, {
        calendar: perm,
        warnAtFraction: 0.8,
      });
      return { ...inquiry, terms: critical, clock, firstResponseDueAt: clock.dueAt };
    };
    const inTime = lived(atNight('2026-03-07T18:00:00.000Z'), answer('2026-03-07T18:30:00.000Z'));
    const late = lived(atNight('2026-03-07T18:10:00.000Z'), answer('2026-03-07T19:40:00.000Z'));
    expect(group([inTime, late], '2026-03-08T00:00:00.000Z').firstResponse).toEqual({
      count: 2,
      medianMinutes: 30,
      p90Minutes: 90,
      medianWorkingMinutes: 30,
      p90WorkingMinutes: 90,
      inTime: 1,
      late: 1,
      inTimeShare: 0.5,
    });
    // Reopened on Monday and answered in 10 minutes: its ended cycle counts round the clock too, kept so.
    const reopened = lived(
      inTime,
      wroteAgain('2026-03-09T04:00:00.000Z'),
      answer('2026-03-09T04:10:00.000Z'),
    );
    expect(reopened.earlierCycles).toEqual([expect.objectContaining({ terms: critical })]);
    expect(group([reopened], '2026-03-10T00:00:00.000Z').firstResponse).toMatchObject({
      count: 2,
      medianWorkingMinutes: 10,
      p90WorkingMinutes: 30,
    });
    // Its cycle ended before cycles kept their terms ran on the inquiry's: round the clock too.
    const storedBefore = {
      ...reopened,
      earlierCycles: reopened.earlierCycles?.map(({ terms: _terms, ...cycle }) => cycle),
    };
    expect(group([storedBefore], '2026-03-10T00:00:00.000Z').firstResponse).toMatchObject({
      count: 2,
      medianWorkingMinutes: 10,
      p90WorkingMinutes: 30,
    });
  });

  it('give the working minutes the deadlines count beside the calendar ones: Friday evening to Monday morning', () => {
    // Friday 13 March, 16:30 in Perm (work ends at 16:45); answered on Monday at 09:30, due at 12:45.
    const weekend = lived(opened('2026-03-13T11:30:00.000Z'), answer('2026-03-16T04:30:00.000Z'));
    const figuresThen = group([weekend], '2026-03-17T00:00:00.000Z');
    expect(figuresThen.firstResponse).toEqual({
      count: 1,
      medianMinutes: 3900,
      p90Minutes: 3900,
      medianWorkingMinutes: 45,
      p90WorkingMinutes: 45,
      inTime: 1,
      late: 0,
      inTimeShare: 1,
    });
    // A community no longer configured: no calendar to count working time by.
    expect(statisticsOf([weekend], NOW, () => undefined)[0]?.firstResponse).toMatchObject({
      medianMinutes: 3900,
      medianWorkingMinutes: null,
      p90WorkingMinutes: null,
    });
  });

  it('count no words VK refused as given, and an answer refused then closed (reached by phone) as given when closed', () => {
    const start = '2026-03-02T04:00:00.000Z';
    // The answer, the first response too, refused.
    const answerRefused = lived(
      opened(start),
      answer('2026-03-02T04:05:00.000Z'),
      refused('answer', '2026-03-02T04:06:00.000Z'),
    );
    expect(answerRefused).toMatchObject({ status: 'in_progress', undelivered: { purpose: 'answer' } });
    // An intermediate answer got through; the answer after it was refused.
    const laterRefused = lived(
      opened(start),
      intermediate('2026-03-02T04:05:00.000Z'),
      answer('2026-03-02T05:00:00.000Z'),
      refused('answer', '2026-03-02T05:01:00.000Z'),
    );
    // The intermediate answer refused: nothing reached the citizen.
    const intermediateRefused = lived(
      opened(start),
      intermediate('2026-03-02T04:05:00.000Z'),
      refused('intermediate_answer', '2026-03-02T04:06:00.000Z', '2026-03-02T04:05:00.000Z'),
    );
    // Before the first response's deadline (13:00 in Perm) nothing is late yet.
    expect(
      group([answerRefused, laterRefused, intermediateRefused], '2026-03-02T07:00:00.000Z'),
    ).toMatchObject({
      firstResponse: { count: 1, medianMinutes: 5, inTime: 1, late: 0 },
      resolution: { count: 0, inTime: 0, late: 0, inTimeShare: null },
    });
    // The next day, past every deadline.
    expect(
      group([answerRefused, laterRefused, intermediateRefused], '2026-03-03T12:00:00.000Z'),
    ).toMatchObject({
      firstResponse: { count: 1, inTime: 1, late: 2, inTimeShare: 0.333 },
      resolution: { count: 0, inTime: 0, late: 3, inTimeShare: 0 },
    });
    // The answer, the first response too, refused; given again 3 days later, past the deadline: its first
    // response then. "We are working on it" refused, again 2 days later: the same.
    const answeredLater = lived(
      opened(start),
      answer('2026-03-02T04:05:00.000Z'),
      refused('answer', '2026-03-02T04:06:00.000Z'),
      answer('2026-03-05T04:00:00.000Z'),
    );
    const workingLater = lived(
      opened(start),
      intermediate('2026-03-02T04:05:00.000Z'),
      refused('intermediate_answer', '2026-03-02T04:06:00.000Z', '2026-03-02T04:05:00.000Z'),
      intermediate('2026-03-04T04:00:00.000Z'),
    );
    expect(group([answeredLater, workingLater], '2026-03-06T00:00:00.000Z').firstResponse).toMatchObject({
      count: 2,
      medianMinutes: 2880,
      p90Minutes: 4320,
      inTime: 0,
      late: 2,
    });
    // An intermediate answer got through, a second one was refused: the first stays the first response.
    const secondRefused = lived(
      opened(start),
      intermediate('2026-03-02T04:05:00.000Z'),
      intermediate('2026-03-02T04:30:00.000Z'),
      refused('intermediate_answer', '2026-03-02T04:31:00.000Z', '2026-03-02T04:30:00.000Z'),
    );
    expect(secondRefused.undelivered).toMatchObject({ purpose: 'intermediate_answer' });
    expect(group([secondRefused], '2026-03-03T12:00:00.000Z').firstResponse).toMatchObject({
      count: 1,
      medianMinutes: 5,
      inTime: 1,
      late: 0,
    });
    // The answer a week late, refused; "we are working on it" the next day and the answer an hour after: as late.
    const answeredAgain = lived(
      opened(start),
      intermediate('2026-03-02T04:05:00.000Z'),
      answer('2026-03-10T04:00:00.000Z'),
      refused('answer', '2026-03-10T04:01:00.000Z'),
      intermediate('2026-03-11T04:00:00.000Z'),
      answer('2026-03-11T05:00:00.000Z'),
    );
    expect(answeredAgain.resolutionDueAt).toBe('2026-03-03T04:05:00.000Z');
    expect(group([answeredAgain], '2026-03-12T00:00:00.000Z').resolution).toMatchObject({
      count: 1,
      inTime: 0,
      late: 1,
    });
    // The department reached the citizen by phone and closed it at 11:00, before the answer was due.
    const reached = lived(laterRefused, close('2026-03-02T06:00:00.000Z'));
    expect(group([reached], '2026-03-03T12:00:00.000Z').resolution).toMatchObject({
      count: 1,
      medianMinutes: 120,
      inTime: 1,
      late: 0,
    });
  });
});

describe('the bounds of a period', () => {
  it('are written as the opening times are, to the millisecond, whatever precision they were given in', () => {
    expect(periodBound('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(periodBound('2026-01-01T00:00:00.5Z')).toBe('2026-01-01T00:00:00.500Z');
    expect(periodBound('2026-01-01T00:00:00.123Z')).toBe('2026-01-01T00:00:00.123Z');
    expect(periodBound('2026-01-01T00:00:00.1230000Z')).toBe('2026-01-01T00:00:00.123Z');
    // 123.4 ms: an inquiry opened at 123 ms is before it, one at 124 ms after it.
    expect(periodBound('2026-01-01T00:00:00.1234Z')).toBe('2026-01-01T00:00:00.124Z');
    expect(periodBound('2026-12-31T23:59:59.9999Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('are taken with any offset, as UTC', () => {
    expect(periodBound('2026-12-01T00:00:00+05:00')).toBe('2026-11-30T19:00:00.000Z');
    expect(periodBound('2026-12-01T00:00:00.1234-03:30')).toBe('2026-12-01T03:30:00.124Z');
    const parsed = (from: string, to = '2027-01-01T00:00:00+05:00') =>
      statisticsQuery.safeParse({ from, to });
    expect(parsed('2026-12-01T00:00:00+05:00').success).toBe(true);
    // A local time with no offset names no moment: whose time zone?
    expect(parsed('2026-12-01T00:00:00').success).toBe(false);
    // A bare + in a URL reads as a space: the error says how to write it.
    expect(parsed('2026-12-01T00:00:00 05:00').error?.issues[0]?.message).toContain('%2B');
    // 03:00 at UTC+5 is 22:00 the day before in UTC: before `from`.
    expect(parsed('2026-01-01T00:00:00Z', '2026-01-01T03:00:00+05:00').success).toBe(false);
  });

  it('make a period of a year at most, from before to', () => {
    const period = (from: string, to: string) => statisticsQuery.safeParse({ from, to }).success;
    expect(period('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(true); // 366 days
    expect(period('2026-01-01T00:00:00Z', '2027-01-01T00:00:00.001Z')).toBe(true);
    expect(period('2024-01-01T00:00:00Z', '2025-01-01T00:00:00.001Z')).toBe(false);
    expect(period('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe(false);
    expect(period('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z')).toBe(false);
    // As text "…00.5Z" sorts before "…00Z"; as moments it is after.
    expect(period('2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00Z')).toBe(false);
    expect(period('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5Z')).toBe(true);
  });
});
