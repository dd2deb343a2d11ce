/**
 * The Russian the product writes, for every value its types allow: nouns after numbers agree with them as
 * Russian counts (Intl.PluralRules' CLDR rules, an oracle independent of the code), dates and times read as a
 * Russian reader reads them, and no "undefined", "NaN" or English leaks into the words of an e-mail or an
 * acknowledgement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clocksNote } from '../../lambdas/domain/escalation/digest/clocks.js';
import {
  daysHoursAndMinutes,
  hoursAndMinutes,
  plural,
} from '../../lambdas/domain/escalation/digest/numbers.js';
import { summaryOf } from '../../lambdas/domain/escalation/digest/summary.js';
import { deadlineDigests, type EscalationNotification } from '../../lambdas/domain/escalation/digest.js';
import { dueAtForCitizen, formatMoment } from '../../lambdas/domain/outbox/acknowledgement.js';
import { housingDigestContext, localConfig } from '../support/digest-context.js';

const SEED = 20261207;
const RUNS = 2000;

const russian = new Intl.PluralRules('ru');
/** The form of a noun after `count`, by CLDR's Russian categories. */
const formAfter = (count: number, forms: { one: string; few: string; many: string }) => {
  const category = russian.select(count);
  return category === 'one' ? forms.one : category === 'few' ? forms.few : forms.many;
};

const NOMINATIVE = { one: 'обращение', few: 'обращения', many: 'обращений' };
const GENITIVE = { one: 'обращения', few: 'обращений', many: 'обращений' };
const CRITICAL = {
  one: 'критическое обращение',
  few: 'критических обращения',
  many: 'критических обращений',
};
const HOURS = { one: 'час', few: 'часа', many: 'часов' };

/** Words no reader should meet: a value the code did not have, or an object printed. */
const LEAKS = /undefined|NaN|null|\[object|Invalid/;

/** The counts the tests name, the edges of Russian counting among them. */
const counts = fc.oneof(
  fc.constantFrom(0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1000, 1001, 1011, 1021),
  fc.nat({ max: 100_000 }),
);

describe('a noun after a number', () => {
  it('takes the form Russian gives that number', () => {
    fc.assert(
      fc.property(fc.oneof(counts, fc.nat()), (count) => {
        expect(plural(count, 'обращение', 'обращения', 'обращений')).toBe(formAfter(count, NOMINATIVE));
      }),
      { seed: SEED, numRuns: 10_000 },
    );
  });

  it("agrees with its number in a deadline e-mail's counts, in the nominative and after «у»", () => {
    fc.assert(
      fc.property(counts, counts, counts, (critical, breaches, warnings) => {
        fc.pre(critical + breaches + warnings > 0);
        const summary = summaryOf({ critical, breaches, warnings });
        expect(summary).not.toMatch(LEAKS);
        const urgent = /Срочно: (\d+) (\S+ \S+?)(?:;|$)/u.exec(summary);
        if (critical > 0) expect(urgent?.slice(1)).toEqual([`${critical}`, formAfter(critical, CRITICAL)]);
        const late = /[Пп]росрочено (\d+) (\S+?)(?:,|$)/u.exec(summary);
        if (breaches > 0 || critical + warnings === 0)
          expect(late?.slice(1)).toEqual([`${breaches}`, formAfter(breaches, NOMINATIVE)]);
        const near = /у (\d+) (\S+)$/u.exec(summary);
        if (warnings > 0) expect(near?.slice(1)).toEqual([`${warnings}`, formAfter(warnings, GENITIVE)]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("agrees with its number in an e-mail's subject and its first lines", () => {
    const context = housingDigestContext('2026-12-04T12:00:00.000Z');
    const notice = (kind: 'breach' | 'warning', n: number): EscalationNotification => ({
      kind,
      inquiryId: `${kind}-${n}`,
      groupId: 123456789,
      category: 'housing',
      priority: 'normal',
      clock: 'first_response',
      dueAt: '2026-12-04T11:00:00.000Z',
      status: 'routed',
    });
    fc.assert(
      fc.property(fc.nat({ max: 130 }), fc.nat({ max: 130 }), (breaches, warnings) => {
        fc.pre(breaches + warnings > 0);
        const notices = [
          ...Array.from({ length: breaches }, (_, n) => notice('breach', n)),
          ...Array.from({ length: warnings }, (_, n) => notice('warning', n)),
        ];
        const [digest] = deadlineDigests(notices, context);
        const summary = summaryOf({ critical: 0, breaches, warnings });
        expect(digest?.subject).toBe(`[${context.department.name}] ${summary}`);
        expect(digest?.text.split('\n')[1]).toBe(`${summary}.`);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("agrees with its number in the footer's difference from Moscow time, in every time zone", () => {
    const [community] = localConfig.communities;
    if (!community) throw new Error('config/local.json names no community');
    const now = new Date('2026-12-04T12:00:00.000Z');
    for (const timeZone of Intl.supportedValuesOf('timeZone')) {
      const context = {
        ...housingDigestContext(now.toISOString()),
        communities: [{ ...community, calendar: { ...community.calendar, timeZone } }],
      };
      const notification = { groupId: community.groupId } as EscalationNotification;
      const note = clocksNote([{ notification, lines: [] }], context);
      expect(note, timeZone).not.toMatch(LEAKS);
      for (const [, hours, noun] of note.matchAll(/на (\d+) (час\S*) (?:больше|меньше)/gu))
        expect(noun, `${timeZone}: ${note}`).toBe(formAfter(Number(hours), HOURS));
    }
  });
});

describe('a duration', () => {
  it('reads back as the minutes it tells, with no part of nought', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (minutes) => {
        for (const text of [hoursAndMinutes(minutes), daysHoursAndMinutes(minutes)]) {
          const told = /^(?:(\d+) сут\.)? ?(?:(\d+) ч)? ?(?:(\d+) мин)?$/u.exec(text);
          expect(told, text).not.toBeNull();
          const [, days = '0', hours = '0', rest = '0'] = told ?? [];
          expect(Number(days) * 1440 + Number(hours) * 60 + Number(rest), text).toBe(minutes);
          if (minutes > 0) expect(text).not.toMatch(/(?:^|\s)0 /u);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

const MONTHS = 'января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря';
const instants = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => new Date(Math.floor(date.getTime() / 60_000) * 60_000));
/** The zones of Russia, and any other a community's calendar may name. */
const zones = fc.oneof(
  fc.constantFrom(
    'Europe/Kaliningrad',
    'Europe/Moscow',
    'Europe/Samara',
    'Asia/Yekaterinburg',
    'Asia/Omsk',
    'Asia/Krasnoyarsk',
    'Asia/Irkutsk',
    'Asia/Yakutsk',
    'Asia/Vladivostok',
    'Asia/Magadan',
    'Asia/Kamchatka',
  ),
  fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
);

describe('the time a citizen is promised an answer by', () => {
  it('is a day, a month in the genitive, perhaps the year, and a 24-hour time on a named clock', () => {
    const said = new RegExp(
      `^(\\d{1,2}) (?:${MONTHS})(?: (\\d{4}) г\\.)? в (\\d\\d):(\\d\\d) ` +
        '(?:по московскому времени|по местному времени \\(МСК[+−]\\d{1,2}(?::\\d\\d)?\\))$',
      'u',
    );
    fc.assert(
      fc.property(instants, instants, zones, (due, written, timeZone) => {
        const text = dueAtForCitizen(due.toISOString(), timeZone, { writtenAt: written });
        const parts = said.exec(text);
        expect(parts, `${timeZone} ${due.toISOString()}: ${text}`).not.toBeNull();
        const [, day = '', , hours = '', minutes = ''] = parts ?? [];
        expect(Number(day)).toBeGreaterThanOrEqual(1);
        expect(Number(day)).toBeLessThanOrEqual(31);
        // Midnight is the end of the day before: never "в 00:00", and "24:00" only on the hour.
        expect(`${hours}:${minutes}`).not.toBe('00:00');
        if (hours === '24') expect(minutes).toBe('00');
        else expect(Number(hours)).toBeLessThan(24);
        expect(Number(minutes)).toBeLessThan(60);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('says the year only when the day it names is in another year than the one written in', () => {
    fc.assert(
      fc.property(instants, zones, (due, timeZone) => {
        // Written at the due time itself: the same year, but for midnight, the end of the year before.
        const year = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(due);
        const dayBefore = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(
          new Date(due.getTime() - 60_000),
        );
        const text = dueAtForCitizen(due.toISOString(), timeZone, { writtenAt: due });
        if (text.includes(' в 24:00 ') && dayBefore !== year) expect(text).toContain(` ${dayBefore} г. `);
        else expect(text).not.toMatch(/ г\. /u);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('is told as the clock showed it, for a moment that happened: 00:00, never 24:00', () => {
    fc.assert(
      fc.property(instants, zones, (at, timeZone) => {
        expect(formatMoment(at.toISOString(), timeZone)).toMatch(
          new RegExp(`^\\d{1,2} (?:${MONTHS}) в (?:[01]\\d|2[0-3]):[0-5]\\d$`, 'u'),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('a deadline e-mail', () => {
  // Around the New Year holidays: deadlines near the check, over weekends, holidays and the year's change.
  const iso = fc
    .date({
      min: new Date('2026-12-25T00:00:00Z'),
      max: new Date('2027-01-15T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString());
  const priority = fc.constantFrom('critical', 'high', 'normal') as fc.Arbitrary<
    'critical' | 'high' | 'normal'
  >;
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  const notification: fc.Arbitrary<EscalationNotification> = fc.record(
    {
      kind: fc.constantFrom('warning', 'breach', 'critical'),
      inquiryId: fc.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      caseNumber: optional(fc.constantFrom('2026-000123', '2027-004217')),
      groupId: fc.constantFrom(123456789, 42),
      category: fc.constantFrom('housing', 'roads', 'waste', 'other'),
      priority,
      clock: fc.constantFrom('first_response', 'resolution'),
      dueAt: iso,
      movedFrom: optional(fc.constant('Департамент дорог и транспорта')),
      movedTo: optional(fc.constant('Департамент дорог и транспорта')),
      roundTheClock: optional(fc.boolean()),
      becameCriticalAt: optional(iso),
      raisedFrom: optional(priority),
      raisedTo: optional(priority),
      raisedAt: optional(iso),
      settled: optional(fc.constantFrom('responded', 'answered', 'closed', 'rejected', 'restarted')),
      status: fc.constantFrom('new', 'routed', 'in_progress', 'answered', 'closed', 'rejected', 'reopened'),
      holder: optional(fc.record({ name: fc.constant('Анна Иванова'), since: optional(iso) })),
      undelivered: optional(
        fc.record({ purpose: fc.constantFrom('answer', 'intermediate_answer'), at: iso }),
      ),
      reopenedAt: optional(iso),
      citizenSettledAt: optional(iso),
    },
    { requiredKeys: ['kind', 'inquiryId', 'groupId', 'category', 'priority', 'clock', 'dueAt', 'status'] },
  );

  it('tells every inquiry in Russian, with no value missing and no "0 мин" of time left or late', () => {
    fc.assert(
      fc.property(fc.array(notification, { minLength: 1, maxLength: 12 }), iso, (notices, now) => {
        for (const digest of deadlineDigests(notices, housingDigestContext(now))) {
          for (const line of [digest.subject, ...digest.text.split('\n')]) {
            expect(line).not.toMatch(LEAKS);
            expect(line).not.toMatch(/(?:^|\s)0 (?:мин|ч|сут)/u);
            // Latin only in an inquiry's id, a VK address and VK's name.
            const words = line
              .replace(/https:\/\/vk\.com\/\S+|vk\.com\/club\d+/gu, '')
              .replace(/(?:Обращение|Идентификатор для оператора:) [A-Za-z0-9_-]{16}/u, '')
              .replace(/\bVK\b/gu, '');
            expect(words, line).not.toMatch(/[A-Za-z]/);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
