/**
 * Properties of personal data masking: every way generated here of writing a phone, an e-mail or a document's
 * number, inside a sentence, is replaced whole by its placeholder, the words around it kept; and the numbers
 * operators need (dates, times, sums, addresses, case and utility account numbers, postcodes) are kept.
 * One fixed seed, so every run tries the same inputs; a failure prints its counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../lambdas/domain/classifier/pii.js';

const RUNS = { seed: 20260312, numRuns: 400 };

/** The spaces phones paste with: the ordinary one, the no-break one, the thin and narrow no-break ones. */
const space = fc.constantFrom(' ', '\u00a0', '\u2009', '\u202f');
/** A hyphen as typed, or as a phone's or an editor's autocorrection gives it (non-breaking hyphen, en dash). */
const dash = fc.constantFrom('-', '\u2011', '\u2013');
const separator = fc.oneof(space, dash, fc.constant(''));

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

/** Text with no digits, no letters or `@` next to the number: what is around it must come out unchanged. */
const before = fc.constantFrom('', 'Здравствуйте! ', 'пишу вам, ', '😀 ', '«', '(', '— ', 'Добрый день.\n');
const after = fc.constantFrom('', '.', ',', '!', '?', ' 😀', '»', ')', ' — жду ответа.', '\nСпасибо');

/**
 * Ten digits written 4 and 6 ("9123 456789") are a passport's series and number as much as a phone: either
 * placeholder masks them.
 */
const maskedPhone = (written: string) =>
  /^\d{4}[\p{Zs}\p{Pd}]?\d{6}$/u.test(written) ? ['[телефон]', '[паспорт]'] : ['[телефон]'];

/**
 * SNILS's control sum: its first nine digits weighted 9 down to 1, modulo 101, 100 written 00.
 * https://vgorode.moscow/guide/vopros-otvet/otvet_68.html
 */
const snilsControl = (nine: string): string =>
  String(([...nine].reduce((sum, digit, i) => sum + Number(digit) * (9 - i), 0) % 101) % 100).padStart(
    2,
    '0',
  );

/** Writes digits in groups of the given sizes, each group after a separator. */
const grouped = (value: string, sizes: readonly number[], seps: readonly string[]): string => {
  let written = '';
  let at = 0;
  sizes.forEach((size, i) => {
    written += (i > 0 ? seps[i - 1] : '') + value.slice(at, at + size);
    at += size;
  });
  return written;
};

/** A Russian mobile or city number: +7, 8, 7 or nothing before a ten-digit number, grouped as people do. */
const phone = fc
  .record({
    prefix: fc.constantFrom('+7', '8', '7', '+7 ', '8 ', '8-', '+7\u00a0', ''),
    area: fc.oneof(
      digits(2).map((d) => `9${d}`),
      fc.tuple(fc.integer({ min: 3, max: 8 }), digits(2)).map(([first, d]) => `${first}${d}`),
    ),
    rest: digits(7),
    brackets: fc.boolean(),
    sizes: fc.constantFrom([3, 2, 2], [3, 4], [7], [2, 2, 3], [1, 2, 2, 2]),
    seps: fc.array(separator, { minLength: 3, maxLength: 3 }),
    gap: separator,
    // A letter O typed for one zero of the number, Latin or Cyrillic: the first zero, or the last, which may
    // end the number.
    letterZero: fc.option(fc.constantFrom('O', 'o', 'О', 'о'), { nil: undefined }),
    lastZero: fc.boolean(),
  })
  // Ten digits without a country code are a phone when they are a mobile's or the area code is bracketed.
  .filter(({ prefix, area, brackets }) => prefix !== '' || area.startsWith('9') || brackets)
  .map(({ prefix, area, rest, brackets, sizes, seps, gap, letterZero, lastZero }) => {
    const code = brackets ? `(${area})` : area;
    const written = `${prefix}${code}${gap}${grouped(rest, sizes, seps)}`;
    // A zero with a digit beside it: a lone "о" between spaces is a word.
    const zeros = [...written.matchAll(/(?<=.)(?:(?<=\d)0|0(?=\d))/g)].map((zero) => zero.index);
    const zero = (lastZero ? zeros.at(-1) : zeros[0]) ?? -1;
    return letterZero && zero > 0
      ? `${written.slice(0, zero)}${letterZero}${written.slice(zero + 1)}`
      : written;
  });

/** The words a phone follows, some with no space before the number ("тел.89121234567"), some with a number. */
const phoneWord = fc.constantFrom(
  '',
  'тел.',
  'тел. ',
  'Телефон: ',
  'звоните ',
  'мой номер ',
  'Т',
  'моб.',
  'кв. 14 ',
);
const afterPhone = fc.oneof(after, fc.constantFrom(' 3 раза', ' с 9:00 до 18:00', ', дом 5'));

describe('maskPersonalData, on generated personal data', () => {
  it('masks a phone written any of the usual ways, whatever surrounds it', () => {
    fc.assert(
      fc.property(before, phoneWord, phone, afterPhone, (b, word, number, a) => {
        const masked = maskPersonalData(`${b}${word}${number}${a}`);
        expect(maskedPhone(number).map((placeholder) => `${b}${word}${placeholder}${a}`)).toContain(masked);
      }),
      RUNS,
    );
  });

  it('masks two phones written one after the other', () => {
    fc.assert(
      fc.property(phone, fc.constantFrom(', ', ',', ' или ', '; ', '/'), phone, (first, joint, second) => {
        const masked = maskPersonalData(`тел. ${first}${joint}${second}`);
        const expected = maskedPhone(first).flatMap((one) =>
          maskedPhone(second).map((other) => `тел. ${one}${joint}${other}`),
        );
        expect(expected).toContain(masked);
      }),
      RUNS,
    );
  });

  const label = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
    fc.stringMatching(/^[а-я][а-я0-9]{0,7}$/),
  );
  const email = fc
    .record({
      local: fc.array(label, { minLength: 1, maxLength: 3 }),
      localJoint: fc.constantFrom('.', '_', '-'),
      domain: fc.oneof(
        fc.array(label, { minLength: 1, maxLength: 2 }),
        fc.constantFrom(['почта'], ['мой-сайт'], ['mail'], ['yandex'], ['xn--80ak6aa92e']),
      ),
      tld: fc.constantFrom('ru', 'com', 'рф', 'москва', 'org', 'su', 'xn--p1ai'),
      at: fc.constantFrom('@', ' @ ', ' собака ', '(at)', ' [at] ', '(собака)', ' Собака '),
      // The dot disguised with the `@`; spoken as a word, it is read before a common top-level domain only.
      dot: fc.constantFrom('.', '.', '[.]', ' (dot) ', '(точка)', ' точка ', ' dot '),
      upper: fc.boolean(),
    })
    .map(({ local, localJoint, domain, tld, at, dot, upper }) => {
      const spoken = /^ \p{L}+ $/u.test(dot) && tld === 'москва' ? '.' : dot;
      const address = `${local.join(localJoint)}${at}${[...domain, tld].join(spoken)}`;
      return upper ? address.toUpperCase() : address;
    });

  it('masks an e-mail, its @ written or disguised, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'почта: ', 'пишите на ', 'e-mail:', '«', '('),
        email,
        after,
        (b, address, a) => {
          expect(maskPersonalData(`${b}${address}${a}`)).toBe(`${b}[email]${a}`);
        },
      ),
      RUNS,
    );
  });

  it('masks a passport series and number after the word for it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('паспорт ', 'Паспорт: ', 'паспорт серии ', 'паспорт РФ ', 'паспортные данные '),
        digits(4),
        digits(6),
        fc.constantFrom(' ', '-', '\u00a0', ''),
        fc.constantFrom(' ', ' № ', ' №', ' номер ', '-', '\u00a0'),
        after,
        (word, series, number, inSeries, beforeNumber, a) => {
          const written = `${series.slice(0, 2)}${inSeries}${series.slice(2)}${beforeNumber}${number}`;
          expect(maskPersonalData(`${word}${written}${a}`)).toBe(`${word}[паспорт]${a}`);
        },
      ),
      RUNS,
    );
  });

  it('masks SNILS, grouped, after the word for it or alone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('СНИЛС ', 'снилс: ', 'СНИЛС № ', ''),
        digits(11),
        fc.constantFrom('-', ' ', '\u00a0', '\u2011', '.'),
        fc.constantFrom(' ', '-', '\u00a0'),
        after,
        (word, number, inside, last, a) => {
          const written = grouped(number, [3, 3, 3, 2], [inside, inside, last]);
          expect(maskPersonalData(`${word}${written}${a}`)).toBe(`${word}[снилс]${a}`);
        },
      ),
      RUNS,
    );
  });

  it('masks eleven digits in a row as SNILS when its control sum holds, with no word for it', () => {
    fc.assert(
      fc.property(
        before,
        digits(9).filter((nine) => Number(nine) > 1_001_998),
        after,
        (b, nine, a) => {
          const number = `${nine}${snilsControl(nine)}`;
          // Eleven digits starting 7 or 8 are a phone first: masked either way.
          const placeholders = /^[78][3-9]/.test(number) ? ['[снилс]', '[телефон]'] : ['[снилс]'];
          expect(placeholders.map((placeholder) => `${b}${placeholder}${a}`)).toContain(
            maskPersonalData(`${b}${number}${a}`),
          );
        },
      ),
      RUNS,
    );
  });

  it('masks a bank card of 16 to 19 digits, grouped by four or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('карта ', 'на карту ', 'номер карты: ', ''),
        fc.integer({ min: 16, max: 19 }).chain((n) => digits(n)),
        fc.constantFrom(' ', '-', '\u00a0', ''),
        after,
        (word, number, inside, a) => {
          const sizes = [4, 4, 4, 4, number.length - 16].filter((size) => size > 0);
          const written = grouped(number, sizes, [inside, inside, inside, inside]);
          expect(maskPersonalData(`${word}${written}${a}`)).toBe(`${word}[карта]${a}`);
        },
      ),
      RUNS,
    );
  });

  it("masks a person's taxpayer number after the word for it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ИНН ', 'инн: ', 'ИНН', 'ИНН № ', 'мой ИНН - ', 'ИНН — '),
        digits(12),
        after,
        (word, number, a) => {
          expect(maskPersonalData(`${word}${number}${a}`)).toBe(`${word}[инн]${a}`);
        },
      ),
      RUNS,
    );
  });

  it('masks a health insurance policy of 16 digits, or 15 of an older one, after the word for it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('полис ОМС ', 'полис ', 'Полис № ', 'полис омс: ', 'ОМС ', 'номер полиса ОМС: '),
        fc
          .constantFrom([4, 4, 4, 4], [16], [4, 4, 4, 3], [5, 5, 5], [3, 3, 3, 3, 3], [15])
          .chain((sizes) =>
            digits(sizes.reduce((sum, size) => sum + size, 0)).map((number) => ({ sizes, number })),
          ),
        fc.constantFrom(' ', '-', '\u00a0', ''),
        after,
        (word, { sizes, number }, inside, a) => {
          const written = grouped(
            number,
            sizes,
            sizes.map(() => inside),
          );
          expect(maskPersonalData(`${word}${written}${a}`)).toBe(`${word}[полис]${a}`);
        },
      ),
      RUNS,
    );
  });

  it("masks a temporary certificate's nine digits after the words for it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'временное свидетельство ',
          'временное свидетельство № ',
          'временного свидетельства ОМС: ',
        ),
        digits(9),
        fc.constantFrom(' ', '-', '\u00a0', ''),
        after,
        (word, number, inside, a) => {
          const written = grouped(number, [3, 3, 3], [inside, inside]);
          expect(maskPersonalData(`${word}${written}${a}`)).toBe(`${word}[полис]${a}`);
        },
      ),
      RUNS,
    );
  });
});

describe('maskPersonalData, on the numbers operators need', () => {
  const day = fc.integer({ min: 1, max: 28 }).map((d) => String(d).padStart(2, '0'));
  const month = fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0'));
  const year = fc.integer({ min: 2015, max: 2030 }).map(String);
  const date = fc
    .tuple(day, month, year, fc.constantFrom('.', ' ', '/', '-', '\u00a0'))
    .map(([d, m, y, sep]) => (sep === '-' ? `${y}-${m}-${d}` : `${d}${sep}${m}${sep}${y}`));
  const timeRange = fc
    .tuple(fc.integer({ min: 8, max: 12 }), fc.integer({ min: 13, max: 20 }), dash)
    .map(([from, to, sep]) => `с ${from}:00${sep}${to}:30`);
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(':', '.', '-'))
    .map(([h, m, sep]) => `${h}${sep}${String(m).padStart(2, '0')}`);
  const sum = fc
    .tuple(
      fc.integer({ min: 1, max: 99_999_999_999 }),
      space,
      fc.constantFrom(' руб.', ' рублей', ' ₽', ' р.', 'р', ' млн'),
    )
    .map(([amount, sep, currency]) => `${amount.toLocaleString('en-US').replaceAll(',', sep)}${currency}`);
  const address = fc
    .tuple(
      fc.integer({ min: 1, max: 250 }),
      fc.integer({ min: 1, max: 999 }),
      fc.integer({ min: 1, max: 25 }),
    )
    .map(([house, flat, floor]) => `ул. Ленина, д. ${house}, кв. ${flat}, ${floor} этаж`);
  const caseNumber = fc.tuple(year, digits(6)).map(([y, n]) => `обращение № ${y}-${n}`);
  const utilityAccount = fc
    .tuple(
      fc.constantFrom(
        'лицевой счет ',
        'ЛС ',
        'л/с № ',
        'лицевой счёт: ',
        'договор № ',
        'счетчик № ',
        'номер счётчика ХВС: ',
        'прибор учета ',
      ),
      fc.integer({ min: 6, max: 13 }),
    )
    .chain(([word, length]) => digits(length).map((n) => `${word}${n}`));
  const postcode = fc.integer({ min: 101_000, max: 694_999 }).map((code) => `${code}, г. Пермь`);
  // Eleven digits whose SNILS control sum does not hold and that no phone starts with; nine, with no word for
  // a temporary certificate before them.
  const otherNumber = fc.oneof(
    digits(11).filter((n) => snilsControl(n.slice(0, 9)) !== n.slice(9) && !/^[78][3-9]/.test(n)),
    digits(9),
  );
  const needed = fc.oneof(
    date,
    time,
    timeRange,
    sum,
    address,
    caseNumber,
    utilityAccount,
    postcode,
    otherNumber,
  );

  it('leaves them as they are, alone or several in one sentence', () => {
    fc.assert(
      fc.property(
        fc.array(needed, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(', ', ' и ', '; ', ' с ', ' по '),
        (parts, joint) => {
          const text = `Добрый день, ${parts.join(joint)}.`;
          expect(maskPersonalData(text)).toBe(text);
        },
      ),
      RUNS,
    );
  });

  // Joined by a space alone, a record's number and a phone may make the twenty digits of a bank account, masked
  // whole as one: the examples try a space.
  it('keeps the number of a record and masks a phone written right after it', () => {
    fc.assert(
      fc.property(
        utilityAccount,
        fc.constantFrom(', ', ' тел. ', '; '),
        phone,
        after,
        (record, joint, number, a) => {
          const masked = maskPersonalData(`${record}${joint}${number}${a}`);
          expect(maskedPhone(number).map((placeholder) => `${record}${joint}${placeholder}${a}`)).toContain(
            masked,
          );
        },
      ),
      RUNS,
    );
  });

  it('leaves them as they are beside a phone, which is masked', () => {
    fc.assert(
      fc.property(needed, phone, needed, (first, number, last) => {
        const masked = maskPersonalData(`${first}, тел. ${number}, ${last}`);
        expect(maskedPhone(number).map((placeholder) => `${first}, тел. ${placeholder}, ${last}`)).toContain(
          masked,
        );
      }),
      RUNS,
    );
  });
});
