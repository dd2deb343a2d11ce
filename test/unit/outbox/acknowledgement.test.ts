import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { HistoryEntry, Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  type AcknowledgementSettings,
  acknowledgementOf,
  acknowledgementTextOnceDue,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  decideAcknowledgement,
  decideAcknowledgementOf,
  formatDueAt,
  unknownPlaceholders,
} from '../../../lambdas/domain/outbox/acknowledgement.js';
import {
  acknowledgementAt,
  acknowledgementOnceResponded,
  undatedAcknowledgementAt,
} from '../../../lambdas/domain/outbox/send-time.js';

const inquiry = {
  id: 'AbCdEf0123456789',
  groupId: 42,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  authorId: 5,
  status: 'routed',
  department: 'housing',
  firstResponseDueAt: '2026-03-02T09:00:00.000Z',
} as Inquiry;
const settings = {
  enabled: true,
  template: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  timeZone: 'Asia/Yekaterinburg',
  departmentName: 'Департамент ЖКХ',
};
const now = new Date('2026-03-02T06:00:00.000Z');

/** The acknowledgement of a newly routed inquiry, or nothing (see decideAcknowledgement). */
const acknowledgementFor = (inquiry: Inquiry, settings: AcknowledgementSettings, now: Date) => {
  const decision = decideAcknowledgement(inquiry, settings, now);
  return 'message' in decision ? decision.message : undefined;
};

describe('the acknowledgement', () => {
  it('names the case, the department and the time of the answer in the community time zone', () => {
    const message = acknowledgementFor(inquiry, settings, now);
    expect(message?.text).toBe(
      'Здравствуйте! Ваше обращение зарегистрировано под номером AbCdEf0123456789. Его рассматривает Департамент ЖКХ. ' +
        'Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).',
    );
    expect(message).toMatchObject({ purpose: 'acknowledgement', replyTo: inquiry.replyTo, citizenId: 5 });
  });

  it('names the case by its case number, or by the id of an inquiry opened before case numbers', () => {
    const numbered = acknowledgementFor({ ...inquiry, caseNumber: '2026-004217' }, settings, now);
    expect(numbered?.text).toContain('под номером 2026-004217. Его рассматривает');
    expect(numbered?.text).not.toContain(inquiry.id);
    expect(numbered?.inquiryId).toBe(inquiry.id);
  });

  it('has one id per inquiry, however often it is asked for', () => {
    const first = acknowledgementFor(inquiry, settings, now);
    const again = acknowledgementFor(inquiry, settings, new Date('2026-03-02T06:05:00.000Z'));
    expect(again?.id).toBe(first?.id);
  });

  it('is not sent again for an inquiry an operator rejected in work and routed back: its number was told', () => {
    // The router's routing, and a rejected message's first routing by an operator: the one id.
    const first = { ...inquiry, clockCount: 1 };
    expect(acknowledgementFor(first, settings, now)?.id).toBe('AbCdEf0123456789:acknowledgement:routed');
    expect(acknowledgementFor({ ...first, routeCause: 'op:a' }, settings, now)?.id).toBe(
      'AbCdEf0123456789:acknowledgement:routed',
    );
    // Routed back for a later clock: the first routing told the number, the rejection was never told.
    const back = { ...inquiry, clockCount: 3, routeCause: 'op:b' };
    expect(acknowledgementFor(back, settings, now)).toBeUndefined();
    expect(decideAcknowledgement(back, settings, now)).toEqual({ skipped: 'told_already' });
  });

  it('is not sent when turned off, nor for what was not routed', () => {
    expect(acknowledgementFor(inquiry, { ...settings, enabled: false }, now)).toBeUndefined();
    expect(acknowledgementFor({ ...inquiry, status: 'rejected' }, settings, now)).toBeUndefined();
  });

  it('says why it is not sent, for the router to log', () => {
    const skipped = (changed: Partial<Inquiry>, enabled = true) =>
      decideAcknowledgement({ ...inquiry, ...changed } as Inquiry, { ...settings, enabled }, now);
    expect(skipped({})).toMatchObject({ message: { purpose: 'acknowledgement' } });
    expect(skipped({ status: 'rejected' }, false)).toEqual({ skipped: 'not_an_inquiry' });
    expect(skipped({ status: 'in_progress' })).toEqual({ skipped: 'not_routed' });
    expect(skipped({}, false)).toEqual({ skipped: 'disabled' });
    expect(skipped({ firstResponseDueAt: undefined })).toEqual({ skipped: 'no_deadline' });
    const suggested = { channel: 'wall_post', ownerId: -42, postId: 7, suggested: true } as const;
    expect(skipped({ replyTo: suggested })).toEqual({ skipped: 'suggested_post' });
  });

  it('leaves out the time of the answer once it has passed, rather than promise a time gone', () => {
    // A routing replayed from the dead letters days later: due Monday 2 March, acknowledged on the 9th.
    const late = decideAcknowledgement(inquiry, settings, new Date('2026-03-09T06:00:00.000Z'));
    expect(late).toEqual({
      message: expect.objectContaining({
        text: 'Здравствуйте! Ваше обращение зарегистрировано под номером AbCdEf0123456789. Его рассматривает Департамент ЖКХ.',
      }),
    });
    expect('message' in late && late.message).not.toHaveProperty('dueAt');
    // In time, it promises the time, and carries its words for the responder should it go only after it.
    const inTime = acknowledgementFor(inquiry, settings, now);
    expect(inTime).toMatchObject({
      dueAt: inquiry.firstResponseDueAt,
      textOnceDue:
        'Здравствуйте! Ваше обращение зарегистрировано под номером AbCdEf0123456789. Его рассматривает Департамент ЖКХ.',
    });
    if (!inTime) throw new Error('no acknowledgement');
    expect(acknowledgementAt(inTime, new Date('2026-03-02T08:59:59.000Z'))).toBe(inTime);
    expect(acknowledgementAt(inTime, new Date('2026-03-02T09:00:00.000Z'))?.text).toBe(inTime.textOnceDue);
  });

  it('says, once its time has passed, the built-in words for then: the ops template is not cut into pieces', () => {
    // Templates whose "sentences" naming the time are not sentences: an abbreviation, a web address, lines.
    const templates = [
      'Здравствуйте! Ваше обращение {caseNumber} передано: {department}. Ответ будет дан до {dueAt}, т.е. в течение 9 рабочих часов.',
      'Обращение № {caseNumber} принято. Срок ответа: до {dueAt} (9 раб. ч.). Статус: gosuslugi.ru',
      'Обращение {caseNumber} принято ({department}). Ответим до {dueAt}, подробнее на https://admin.example.ru/faq.',
      'Здравствуйте!\nОбращение № {caseNumber} передано: {department}\nСрок ответа: {dueAt}\nС уважением, администрация г. Перми',
      'Обращение {caseNumber} принято, ответим до {dueAt}.',
    ];
    const onceDue =
      'Здравствуйте! Ваше обращение зарегистрировано под номером AbCdEf0123456789. Его рассматривает Департамент ЖКХ.';
    for (const template of templates) {
      const late = decideAcknowledgement(
        inquiry,
        { ...settings, template },
        new Date('2026-03-09T06:00:00.000Z'),
      );
      expect(late).toEqual({ message: expect.objectContaining({ text: onceDue }) });
      const inTime = acknowledgementFor(inquiry, { ...settings, template }, now);
      expect(inTime?.text).toContain('2 марта в 14:00');
      expect(inTime).toMatchObject({ dueAt: inquiry.firstResponseDueAt, textOnceDue: onceDue });
    }
  });

  it('says, once its time has passed, the words its community set for then', () => {
    const worded = {
      ...settings,
      template: 'Здравствуйте!\nОбращение № {caseNumber} передано: {department}\nСрок ответа: {dueAt}',
      templateOnceDue: 'Здравствуйте!\nОбращение № {caseNumber} передано: {department}',
    };
    const late = decideAcknowledgement(inquiry, worded, new Date('2026-03-09T06:00:00.000Z'));
    expect(late).toEqual({
      message: expect.objectContaining({
        text: 'Здравствуйте!\nОбращение № AbCdEf0123456789 передано: Департамент ЖКХ',
      }),
    });
    expect(acknowledgementFor(inquiry, worded, now)).toMatchObject({
      text: 'Здравствуйте!\nОбращение № AbCdEf0123456789 передано: Департамент ЖКХ\nСрок ответа: 2 марта в 14:00 по местному времени (МСК+2)',
      textOnceDue: 'Здравствуйте!\nОбращение № AbCdEf0123456789 передано: Департамент ЖКХ',
    });
  });

  it('has no time to pass when its template names none', () => {
    const timeless = { ...settings, template: 'Обращение {caseNumber} принято.' };
    const message = acknowledgementFor(inquiry, timeless, now);
    expect(message).not.toHaveProperty('dueAt');
    expect(message).not.toHaveProperty('textOnceDue');
    if (!message) throw new Error('no acknowledgement');
    expect(acknowledgementAt(message, new Date('2027-01-01T00:00:00.000Z'))).toBe(message);
    const late = acknowledgementFor(inquiry, timeless, new Date('2026-03-09T06:00:00.000Z'));
    expect(late?.text).toBe('Обращение AbCdEf0123456789 принято.');
  });

  it('is, by default, the default words for then and a sentence with the time', () => {
    expect(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE).toBe(
      `${DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам до {dueAt}.`,
    );
    expect(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE).toContain('{caseNumber}');
    expect(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE).toContain('{department}');
  });

  it('queued by an earlier release without its time, goes in the words for then once the inquiry says it has passed', () => {
    const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
    const community = config.communities[0];
    if (!community) throw new Error('no community');
    const ours = { ...inquiry, groupId: community.groupId, caseNumber: '2026-000042' } as Inquiry;
    const promised = acknowledgementOf(ours, config, now);
    if (!promised) throw new Error('no acknowledgement');
    // What the earlier release queued: the words that name the time, and none for once it has passed.
    const { dueAt, textOnceDue, ...queuedBefore } = promised;
    expect(dueAt).toBe(ours.firstResponseDueAt);
    const late = new Date('2026-03-09T06:00:00.000Z');
    expect(undatedAcknowledgementAt(queuedBefore, ours, config, late)).toEqual({
      ...queuedBefore,
      text: textOnceDue,
    });
    // Still in time, as queued; one of this release, with its time, and other messages, as they are.
    expect(undatedAcknowledgementAt(queuedBefore, ours, config, now)).toBe(queuedBefore);
    expect(undatedAcknowledgementAt(promised, ours, config, late)).toBe(promised);
    const answer = { ...queuedBefore, purpose: 'answer' as const };
    expect(undatedAcknowledgementAt(answer, ours, config, late)).toBe(answer);
    // In the words its community set for then.
    const acknowledgement = {
      enabled: true,
      template: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
      templateOnceDue: 'Номер {caseNumber}.',
    };
    const setForThen = { ...config, communities: [{ ...community, acknowledgement }] };
    expect(undatedAcknowledgementAt(queuedBefore, ours, setForThen, late).text).toBe('Номер 2026-000042.');
    // One this release queued once the time had passed comes out in its own words.
    const afterwards = acknowledgementOf(ours, config, late);
    if (!afterwards) throw new Error('no acknowledgement');
    expect(undatedAcknowledgementAt(afterwards, ours, config, late).text).toBe(afterwards.text);
  });

  it("overtaken by the department's first words, promises no time: the case number and department alone", () => {
    const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
    const community = config.communities[0];
    if (!community) throw new Error('no community');
    const ours = { ...inquiry, groupId: community.groupId, caseNumber: '2026-000042' } as Inquiry;
    const promised = acknowledgementOf(ours, config, now);
    if (!promised?.textOnceDue) throw new Error('no acknowledgement with a time');
    expect(promised.text).toContain('Мы ответим Вам до');
    // Before any first response, as queued.
    expect(acknowledgementOnceResponded(promised, ours, config)).toBe(promised);
    // An intermediate answer (from the answers queue) came first: the time it promised is no longer the one.
    const responded = {
      ...ours,
      status: 'in_progress',
      firstRespondedAt: '2026-03-02T06:01:00.000Z',
    } as Inquiry;
    const sent = acknowledgementOnceResponded(promised, responded, config);
    expect(sent.text).toBe(promised.textOnceDue);
    expect(sent.text).toContain('под номером 2026-000042');
    expect(sent.text).not.toContain('Мы ответим Вам');
    expect(sent.id).toBe(promised.id);
    // Queued by an earlier release, without its time: in its community's words for then.
    const { dueAt: _dueAt, textOnceDue, ...queuedBefore } = promised;
    expect(acknowledgementOnceResponded(queuedBefore, responded, config).text).toBe(textOnceDue);
    // Other words to the citizen go as they are.
    const answer = { ...promised, purpose: 'answer' as const };
    expect(acknowledgementOnceResponded(answer, responded, config)).toBe(answer);
  });

  it('knows its placeholders', () => {
    expect(unknownPlaceholders('Номер {caseNumber}, срок {dueAt}, {department}')).toEqual([]);
    expect(unknownPlaceholders('Номер {case}')).toEqual(['case']);
  });

  it('formats a time in another zone', () => {
    expect(formatDueAt('2026-12-31T20:30:00.000Z', 'Europe/Moscow')).toBe('31 декабря в 23:30');
  });

  it('tells midnight as the end of the day before, and says whose clock it is', () => {
    // A critical inquiry at 23:00 on 5 December in Yekaterinburg is due at midnight: by the end of the 5th.
    const midnight = { ...inquiry, firstResponseDueAt: '2026-12-05T19:00:00.000Z' };
    expect(acknowledgementFor(midnight, settings, now)?.text).toContain(
      'Мы ответим Вам до 5 декабря в 24:00 по местному времени (МСК+2).',
    );
    expect(formatDueAt('2026-12-31T21:00:00.000Z', 'Europe/Moscow')).toBe('31 декабря в 24:00');
    expect(acknowledgementFor(inquiry, { ...settings, timeZone: 'UTC' }, now)?.text).toContain(
      'до 2 марта в 09:00 по местному времени (МСК−3).',
    );
  });
});

describe("the acknowledgement of a citizen's reopening", () => {
  const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
  const community = config.communities[0];
  if (!community) throw new Error('no community');
  const reopened = {
    ...inquiry,
    groupId: community.groupId,
    caseNumber: '2026-000042',
    status: 'reopened',
    reopenCount: 2,
    terms: { firstResponseHours: 4, resolutionHours: 72 },
  } as Inquiry;
  const withWords = (acknowledgement: Record<string, unknown>) =>
    parseAppConfig(
      {
        ...JSON.parse(readFileSync('config/local.json', 'utf8')),
        communities: [
          { ...JSON.parse(readFileSync('config/local.json', 'utf8')).communities[0], acknowledgement },
        ],
      },
      'config/local.json',
    );

  it('tells, in the shipped words, that the message joined the case, and by when we answer; one id a reopening', () => {
    const decision = decideAcknowledgementOf(reopened, config, now, 'reopened');
    expect(decision).toEqual({
      message: expect.objectContaining({
        id: 'AbCdEf0123456789:acknowledgement:reopened-2',
        purpose: 'acknowledgement',
        text: 'Здравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000042. Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).',
        dueAt: reopened.firstResponseDueAt,
        textOnceDue: 'Здравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000042.',
      }),
    });
    // Once the department has responded: its words for then, not those of a new inquiry.
    if (!('message' in decision)) throw new Error('skipped');
    const { dueAt: _dueAt, textOnceDue: _textOnceDue, ...undated } = decision.message;
    const responded = { ...reopened, firstRespondedAt: '2026-03-02T06:01:00.000Z' } as Inquiry;
    expect(acknowledgementOnceResponded(undated, responded, config).text).toBe(
      'Здравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000042.',
    );
  });

  it('goes in the words its community set, or not at all when it acknowledges nothing or no reopening', () => {
    const worded = withWords({
      reopened: {
        template: 'Дополнение к № {caseNumber} принято, ответ до {dueAt}',
        templateOnceDue: 'Дополнение к № {caseNumber} принято',
      },
    });
    expect(decideAcknowledgementOf(reopened, worded, now, 'reopened')).toEqual({
      message: expect.objectContaining({
        text: 'Дополнение к № 2026-000042 принято, ответ до 2 марта в 14:00 по местному времени (МСК+2)',
        textOnceDue: 'Дополнение к № 2026-000042 принято',
      }),
    });
    expect(
      decideAcknowledgementOf(reopened, withWords({ reopened: { enabled: false } }), now, 'reopened'),
    ).toEqual({
      skipped: 'disabled',
    });
    expect(decideAcknowledgementOf(reopened, withWords({ enabled: false }), now, 'reopened')).toEqual({
      skipped: 'disabled',
    });
    expect(() => withWords({ reopened: { template: 'Номер {case}' } })).toThrow(
      /unknown placeholder \{case\}/,
    );
    expect(() => withWords({ reopened: { templateOnceDue: 'Срок {dueAt}' } })).toThrow(
      /must name \{caseNumber\}/,
    );
  });

  it('is not sent once the inquiry is answered or closed again, or rejected', () => {
    for (const status of ['answered', 'closed'] as const)
      expect(decideAcknowledgementOf({ ...reopened, status }, config, now, 'reopened')).toEqual({
        skipped: 'answered',
      });
    expect(decideAcknowledgementOf({ ...reopened, status: 'rejected' }, config, now, 'reopened')).toEqual({
      skipped: 'not_an_inquiry',
    });
    expect(
      decideAcknowledgementOf({ ...reopened, status: 'in_progress' }, config, now, 'reopened'),
    ).toHaveProperty('message');
  });
});

describe('the due time an acknowledgement tells', () => {
  const at = (firstResponseDueAt: string) => ({ ...inquiry, firstResponseDueAt });

  it('names the clock as Russians count it, from Moscow', () => {
    const moscow = acknowledgementFor(inquiry, { ...settings, timeZone: 'Europe/Moscow' }, now);
    expect(moscow?.text).toContain('Мы ответим Вам до 2 марта в 12:00 по московскому времени.');
    expect(acknowledgementFor(inquiry, settings, now)?.text).toContain(
      'до 2 марта в 14:00 по местному времени (МСК+2).',
    );
    const kaliningrad = acknowledgementFor(inquiry, { ...settings, timeZone: 'Europe/Kaliningrad' }, now);
    expect(kaliningrad?.text).toContain('до 2 марта в 11:00 по местному времени (МСК−1).');
    const named = { ...settings, localTimeName: 'по пермскому времени' };
    expect(acknowledgementFor(inquiry, named, now)?.text).toContain(
      'до 2 марта в 14:00 по пермскому времени (МСК+2).',
    );
  });

  it('says the year when the due time falls in the next one', () => {
    const december = new Date('2026-12-30T06:00:00.000Z');
    expect(acknowledgementFor(at('2027-01-12T05:00:00.000Z'), settings, december)?.text).toContain(
      'Мы ответим Вам до 12 января 2027 г. в 10:00 по местному времени (МСК+2).',
    );
    // Midnight ending 31 December is that year's day.
    expect(acknowledgementFor(at('2026-12-31T19:00:00.000Z'), settings, december)?.text).toContain(
      'Мы ответим Вам до 31 декабря в 24:00 по местному времени (МСК+2).',
    );
    const january = new Date('2027-01-05T06:00:00.000Z');
    expect(acknowledgementFor(at('2027-01-12T05:00:00.000Z'), settings, january)?.text).toContain(
      'Мы ответим Вам до 12 января в 10:00 по местному времени (МСК+2).',
    );
  });

  it('leaves the format of the deadline e-mails as it was', () => {
    expect(formatDueAt('2027-01-12T05:00:00.000Z', 'Asia/Yekaterinburg')).toBe('12 января в 10:00');
  });
});

describe('the acknowledgement of a critical inquiry', () => {
  const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
  const community = config.communities[0];
  if (!community) throw new Error('no community');
  const critical = {
    ...inquiry,
    groupId: community.groupId,
    caseNumber: '2026-000007',
    priority: 'critical',
    clockCount: 1,
  } as Inquiry;
  const withAcknowledgement = (acknowledgement: Record<string, unknown>) => {
    const raw = JSON.parse(readFileSync('config/local.json', 'utf8'));
    const [first] = raw.communities;
    return parseAppConfig(
      {
        ...raw,
        communities: [{ ...first, acknowledgement: { ...first.acknowledgement, ...acknowledgement } }],
      },
      'config/local.json',
    );
  };
  const notice = 'Если есть угроза жизни, здоровью или имуществу, звоните 112 (при запахе газа — 104).';

  it('begins, on a line of its own, with where to call, also in its words for once its time has passed', () => {
    // The shipped words: VK's notification shows the first words of a message, which must be where to call.
    const prod = parseAppConfig(JSON.parse(readFileSync('config/prod.json', 'utf8')), 'config/prod.json');
    const shipped = { ...critical, groupId: prod.communities[0]?.groupId ?? 0 };
    const message = acknowledgementOf(shipped, prod, now);
    expect(message?.text).toBe(
      `${notice}\nЗдравствуйте! Ваше обращение зарегистрировано под номером 2026-000007. ` +
        'Его рассматривает Департамент ЖКХ. Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).',
    );
    expect(message?.textOnceDue).toBe(
      `${notice}\nЗдравствуйте! Ваше обращение зарегистрировано под номером 2026-000007. Его рассматривает Департамент ЖКХ.`,
    );
    // A pothole is told nothing of the sort.
    expect(acknowledgementOf({ ...critical, priority: 'normal' }, config, now)?.text).not.toContain('112');
  });

  it('says so by default, in the community words, or not at all', () => {
    const { critical: _shipped, ...acknowledgement } = community.acknowledgement ?? {};
    const byDefault = parseAppConfig(
      {
        ...JSON.parse(readFileSync('config/local.json', 'utf8')),
        communities: [
          { ...JSON.parse(readFileSync('config/local.json', 'utf8')).communities[0], acknowledgement },
        ],
      },
      'config/local.json',
    );
    expect(acknowledgementOf(critical, byDefault, now)?.text.startsWith(`${notice}\n`)).toBe(true);
    const own = withAcknowledgement({
      critical: 'Угроза жизни — звоните 112. Номер обращения: {caseNumber}.',
    });
    expect(acknowledgementOf(critical, own, now)?.text).toMatch(
      /^Угроза жизни — звоните 112\. Номер обращения: 2026-000007\.\nЗдравствуйте!/u,
    );
    expect(acknowledgementOf(critical, withAcknowledgement({ critical: '' }), now)?.text).not.toContain('\n');
    expect(() => withAcknowledgement({ critical: 'Звоните {phone}' })).toThrow(
      /unknown placeholder \{phone\}/,
    );
  });

  it('begins so for a reopening too', () => {
    const reopened = {
      ...critical,
      status: 'reopened',
      reopenCount: 1,
      terms: { firstResponseHours: 4, resolutionHours: 72 },
    } as Inquiry;
    const decision = decideAcknowledgementOf(reopened, config, now, 'reopened');
    expect('message' in decision && decision.message.text.startsWith(`${notice}\nЗдравствуйте!`)).toBe(true);
  });
});

describe('the acknowledgement of a follow-up that raised the priority', () => {
  const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
  const community = config.communities[0];
  if (!community) throw new Error('no community');
  const raised = {
    ...inquiry,
    groupId: community.groupId,
    caseNumber: '2026-000007',
    status: 'in_progress',
    priority: 'critical',
    raiseCause: 'vk:42:gas',
  } as Inquiry;
  const notice = 'Если есть угроза жизни, здоровью или имуществу, звоните 112 (при запахе газа — 104).';

  it('tells that the message joined the case, the sooner time, and where to call; one id a raise', () => {
    const decision = decideAcknowledgementOf(raised, config, now, 'raised');
    expect(decision).toEqual({
      message: expect.objectContaining({
        id: 'AbCdEf0123456789:acknowledgement:raised-vk:42:gas',
        purpose: 'acknowledgement',
        text:
          `${notice}\nЗдравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000007. ` +
          'Мы ответим Вам раньше — до 2 марта в 14:00 по местному времени (МСК+2).',
        dueAt: raised.firstResponseDueAt,
        textOnceDue: `${notice}\nЗдравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000007.`,
      }),
    });
    const later = decideAcknowledgementOf({ ...raised, raiseCause: 'vk:42:fire' }, config, now, 'raised');
    expect('message' in later && later.message.id).toBe('AbCdEf0123456789:acknowledgement:raised-vk:42:fire');
  });

  it('promises no time once the department has responded, and keeps its words when sent late', () => {
    const responded = { ...raised, firstRespondedAt: '2026-03-02T05:00:00.000Z' };
    const decision = decideAcknowledgementOf(responded, config, now, 'raised');
    if (!('message' in decision)) throw new Error('skipped');
    expect(decision.message.text).toBe(
      `${notice}\nЗдравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000007.`,
    );
    expect(decision.message.dueAt).toBeUndefined();
    // Queued so, it is not mistaken for a first acknowledgement queued by an earlier release.
    expect(acknowledgementOnceResponded(decision.message, responded, config)).toBe(decision.message);
  });

  it('says no "раньше" for a raise to critical that left the deadline as it was: where to call, no time', () => {
    const prod = parseAppConfig(JSON.parse(readFileSync('config/prod.json', 'utf8')), 'config/prod.json');
    const kept = { ...raised, groupId: prod.communities[0]?.groupId ?? 0, raiseKeptDueAt: true };
    const decision = decideAcknowledgementOf(kept, prod, now, 'raised');
    if (!('message' in decision)) throw new Error('skipped');
    expect(decision.message.text).toBe(
      `${notice}\nЗдравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000007.`,
    );
    expect(decision.message.dueAt).toBeUndefined();
  });

  it('is not sent once the inquiry is answered, nor when the community acknowledges no raise', () => {
    expect(decideAcknowledgementOf({ ...raised, status: 'answered' }, config, now, 'raised')).toEqual({
      skipped: 'answered',
    });
    const raw = JSON.parse(readFileSync('config/local.json', 'utf8'));
    const [first] = raw.communities;
    const off = parseAppConfig(
      {
        ...raw,
        communities: [
          { ...first, acknowledgement: { ...first.acknowledgement, raised: { enabled: false } } },
        ],
      },
      'config/local.json',
    );
    expect(decideAcknowledgementOf(raised, off, now, 'raised')).toEqual({ skipped: 'disabled' });
  });
});

describe('the acknowledgement of a reopening by an edit of the words answered', () => {
  const raw = JSON.parse(readFileSync('config/prod.json', 'utf8'));
  const prod = parseAppConfig(raw, 'config/prod.json');
  const reopened = {
    ...inquiry,
    groupId: prod.communities[0]?.groupId ?? 0,
    caseNumber: '2026-000007',
    status: 'reopened',
    reopenCount: 1,
    reopenedByEdit: true,
    terms: { firstResponseHours: 9, resolutionHours: 56 },
  } as Inquiry;
  const withAcknowledgement = (change: (acknowledgement: Record<string, unknown>) => void) => {
    const copy = structuredClone(raw);
    change(copy.communities[0].acknowledgement);
    return parseAppConfig(copy, 'config/prod.json');
  };
  const textOf = (decision: ReturnType<typeof decideAcknowledgementOf>) =>
    'message' in decision ? decision.message.text : decision.skipped;

  it('says the addition was received, not that a message joined the case it was part of already', () => {
    const decision = decideAcknowledgementOf(reopened, prod, now, 'reopened');
    expect(decision).toEqual({
      message: expect.objectContaining({
        id: 'AbCdEf0123456789:acknowledgement:reopened-1',
        text:
          'Здравствуйте! Ваше дополнение к обращению № 2026-000007 получено. ' +
          'Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).',
        textOnceDue: 'Здравствуйте! Ваше дополнение к обращению № 2026-000007 получено.',
      }),
    });
    // Sent late, in the words for then, read off the inquiry.
    expect(acknowledgementTextOnceDue(reopened, prod, { reopening: true })).toBe(
      'Здравствуйте! Ваше дополнение к обращению № 2026-000007 получено.',
    );
    // A reopening by a new message keeps its words.
    expect(
      textOf(decideAcknowledgementOf({ ...reopened, reopenedByEdit: undefined }, prod, now, 'reopened')),
    ).toBe(
      'Здравствуйте! Ваше сообщение добавлено к обращению под номером 2026-000007. ' +
        'Мы ответим Вам до 2 марта в 14:00 по местному времени (МСК+2).',
    );
  });

  it('says so by default, in the community words, and not at all when reopenings are not acknowledged', () => {
    const byDefault = withAcknowledgement((acknowledgement) => {
      delete acknowledgement.reopenedByEdit;
    });
    expect(textOf(decideAcknowledgementOf(reopened, byDefault, now, 'reopened'))).toBe(
      textOf(decideAcknowledgementOf(reopened, prod, now, 'reopened')),
    );
    const own = withAcknowledgement((acknowledgement) => {
      acknowledgement.reopenedByEdit = { template: 'Дополнение к № {caseNumber} принято, ответ до {dueAt}.' };
    });
    expect(textOf(decideAcknowledgementOf(reopened, own, now, 'reopened'))).toBe(
      'Дополнение к № 2026-000007 принято, ответ до 2 марта в 14:00 по местному времени (МСК+2).',
    );
    const off = withAcknowledgement((acknowledgement) => {
      acknowledgement.reopened = { enabled: false };
    });
    expect(decideAcknowledgementOf(reopened, off, now, 'reopened')).toEqual({ skipped: 'disabled' });
    expect(() =>
      withAcknowledgement((acknowledgement) => {
        acknowledgement.reopenedByEdit = { templateOnceDue: 'Получено.' };
      }),
    ).toThrow(/must name \{caseNumber\}/);
  });
});

describe('the acknowledgement asked for again, or by a repeated request', () => {
  const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
  const routed = { ...inquiry, groupId: config.communities[0]?.groupId ?? 0, reopenCount: 0 } as Inquiry;
  const idOf = (decision: ReturnType<typeof decideAcknowledgementOf>) =>
    'message' in decision ? decision.message.id : decision.skipped;

  it('tells the case number when the opening event comes back, not once an operator routed it since, nor once reopened', () => {
    expect(idOf(decideAcknowledgementOf(routed, config, now, 'again'))).toBe(
      'AbCdEf0123456789:acknowledgement:routed',
    );
    // Taken since: still owed the number.
    expect(idOf(decideAcknowledgementOf({ ...routed, status: 'in_progress' }, config, now, 'again'))).toBe(
      'AbCdEf0123456789:acknowledgement:routed',
    );
    // Routed again by an operator's request, which acknowledged that routing itself.
    expect(decideAcknowledgementOf({ ...routed, routeCause: 'op:route' }, config, now, 'again')).toEqual({
      skipped: 'not_routed',
    });
    // Answered and reopened since: the answer told them more.
    const reopened = { ...routed, status: 'reopened', reopenCount: 1 } as Inquiry;
    expect(decideAcknowledgementOf(reopened, config, now, 'again')).toEqual({ skipped: 'answered' });
  });

  it('names the triage department, not an id, for an inquiry whose department is no longer configured', () => {
    const text = (inquiry: Inquiry) => {
      const decision = decideAcknowledgementOf(inquiry, config, now, 'again');
      return 'message' in decision ? decision.message.text : decision.skipped;
    };
    expect(text({ ...routed, department: 'removed-department' })).toContain(
      'Его рассматривает Центр управления регионом.',
    );
    expect(text({ ...routed, department: 'removed-department' })).not.toContain('removed-department');
    expect(text(routed)).toContain('Его рассматривает Департамент ЖКХ.');
  });

  it('promises no time for a reopening of an inquiry without terms: its due time is the last cycle’s', () => {
    const reopened = { ...routed, status: 'reopened', reopenCount: 1 } as Inquiry;
    expect(decideAcknowledgementOf(reopened, config, now, 'reopened')).toEqual({ skipped: 'no_deadline' });
  });

  it("tells the number under a repeated operator's routing only while it is the inquiry's first and last", () => {
    const routing = (at: string, cause: string) =>
      ({ inquiryId: routed.id, key: `${at}#${cause}#1`, at, kind: 'routed' }) as HistoryEntry;
    const first = routing('2026-03-02T05:00:00.000Z', 'op:a');
    const second = routing('2026-03-02T05:30:00.000Z', 'op:b');
    const asked = (routeCause: string, repeated: string, history: HistoryEntry[]) =>
      idOf(decideAcknowledgementOf({ ...routed, routeCause }, config, now, { repeated, history }));
    expect(asked('op:a', 'op:a', [first])).toBe('AbCdEf0123456789:acknowledgement:routed');
    // The history's order is the keys', whatever order it is read in.
    expect(asked('op:b', 'op:b', [second, first])).toBe('told_already');
    expect(asked('op:b', 'op:b', [first, second])).toBe('told_already');
    // A later request routed it since: that one acknowledges its own.
    expect(asked('op:b', 'op:a', [first, second])).toBe('not_routed');
  });
});
