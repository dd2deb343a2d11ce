/**
 * Personal data masking, for citizen text that leaves the system's encrypted stores. No production path
 * calls it today, because none lets that text out: logs carry ids, outcomes and error names (`errorSummary`
 * cuts a parse error's quote of the text), metrics carry counts, and the deadline e-mails carry case numbers
 * only, since masking catches number-like data but not names, addresses or health (docs/escalation.md). Text
 * exported later (to analytics, to a training file) must pass through it. Placeholders follow the training
 * data's convention (`[телефон]`, `[email]`), so masked text is still good model input. Dates, house and flat
 * numbers, sums of money and the numbers of utility accounts, meters, contracts, companies and requests are
 * left alone: operators need them.
 */

/**
 * The top-level domain: letters, or an internationalised one in its punycode form ("ivan@xn--80ak6aa92e.xn--p1ai"
 * for ".рф"). https://datatracker.ietf.org/doc/html/rfc3492
 */
const TOP_LEVEL_DOMAIN = String.raw`(?:xn--[a-z\d-]*[a-z\d]|\p{L}{2,})`;
/**
 * An e-mail is found from its `@` and domain, then its local part is taken backwards. A pattern that begins
 * with the local part would be tried at every letter of a long word and rescan it: a 9,000-letter word
 * took most of a second.
 */
const EMAIL_DOMAIN = new RegExp(String.raw`@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.${TOP_LEVEL_DOMAIN}`, 'giu');
/**
 * The `@` as citizens disguise it from robots or type it on a phone: "ivanov собака mail.ru", "ivanov(at)mail.ru",
 * "ivanov [at] mail.ru", "ivanov @ mail.ru". It starts only where a run of spaces does: tried at each space of a
 * long run, it would rescan the run (20,000 spaces took seconds).
 */
const DISGUISED_AT = String.raw`(?<!\s)(?:\s*@\s*|\s*[(\[{]\s*(?:at|собака)\s*[)\]}]\s*|\s+(?:собака|at)\s+)`;
/** The dot as it is disguised with the `@`: "mail[.]ru", "mail (dot) ru". */
const BRACKETED_DOT = String.raw`(?:\.|\s*[(\[{]\s*(?:dot|точка|\.)\s*[)\]}]\s*)`;
/**
 * The dot spoken as a word: "ivan собака mail точка ru". Then only a common top-level domain ends the address,
 * so that "собака соседа точка зрения" stays.
 */
const SPOKEN_DOT = String.raw`\s+(?:точка|dot)\s+`;
const SPOKEN_TOP_LEVEL_DOMAIN = '(?:ru|рф|ру|su|com|net|org|info|biz|by|kz|ua|uz|am|me|io|xn--p1ai)';
const DISGUISED_EMAIL_DOMAIN = new RegExp(
  String.raw`${DISGUISED_AT}[\p{L}\d-]+(?:(?:${BRACKETED_DOT}|${SPOKEN_DOT})[\p{L}\d-]+)*` +
    String.raw`(?:${BRACKETED_DOT}${TOP_LEVEL_DOMAIN}|${SPOKEN_DOT}${SPOKEN_TOP_LEVEL_DOMAIN})(?![\p{L}\d])`,
  'giu',
);
const LOCAL_PART_CHAR = /[\p{L}\d._%+-]/u;

function maskEmails(text: string, domain: RegExp): string {
  let masked = '';
  let copied = 0;
  for (const match of text.matchAll(domain)) {
    let start = match.index;
    while (start > copied && LOCAL_PART_CHAR.test(text[start - 1] ?? '')) start--;
    if (start === match.index) continue;
    masked += `${text.slice(copied, start)}[email]`;
    copied = match.index + match[0].length;
  }
  return masked + text.slice(copied);
}

/*
 * Digits of one number are grouped by any space (`\p{Zs}`: a phone's keyboard pastes a no-break or a thin one)
 * or dash (`\p{Pd}`: an editor turns a hyphen into an en dash, a phone into a non-breaking hyphen).
 * A word naming a number is followed by at most three spaces on each side of its "№" or ":", and its ending by
 * at most twelve characters: unbounded, a long run of spaces after the word was tried at every split of it
 * (2,000 spaces after "СНИЛС" took seconds).
 */

/** 13–19 digits in groups of four (16 is the usual card length; a longer one ends in a short group). */
const CARD =
  /(?<!\d|\d[.,])\d{4}(?:[\p{Zs}\p{Pd}]?\d{4}){2}(?:[\p{Zs}\p{Pd}]?\d{4}[\p{Zs}\p{Pd}]?\d{1,3}|[\p{Zs}\p{Pd}]?\d{1,7})(?!\d|[.,]\d)/gu;
/** SNILS is written 123-456-789 01 (or 123 456 789 01, or 123.456.789 01). */
const SNILS_FORMATTED =
  /(?<!\d|\d[.,])\d{3}(?:[\p{Zs}\p{Pd}]\d{3}[\p{Zs}\p{Pd}]|\.\d{3}\.)\d{3}[\p{Zs}\p{Pd}]\d{2}(?!\d|[.,]\d)/gu;
const SNILS_AFTER_WORD =
  /(снилс\S{0,12}\s{0,3}(?:№|n|номер)?\s{0,3}:?\s{0,3})\d{3}[\p{Zs}\p{Pd}.]?\d{3}[\p{Zs}\p{Pd}.]?\d{3}[\p{Zs}\p{Pd}]?\d{2}(?!\d|[.,]\d)/giu;
/** Eleven digits in a row are SNILS with no word for it only when its control sum holds (isSnils). */
const ELEVEN_DIGITS = /(?<!\d|\d[.,])\d{11}(?!\d|[.,]\d)/gu;

/**
 * SNILS's last two digits are a control sum of the nine before them, weighted 9 down to 1, taken modulo 101,
 * 100 written 00; it is checked for numbers above 001-001-998 only, so those below it are not read as SNILS.
 * https://vgorode.moscow/guide/vopros-otvet/otvet_68.html
 */
function isSnils(digits: string): boolean {
  const number = digits.slice(0, 9);
  if (Number(number) <= 1_001_998) return false;
  const sum = [...number].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  return (sum % 101) % 100 === Number(digits.slice(9));
}
/** Passport: series of two plus two digits, then a number of six. */
const PASSPORT_FORMATTED = /(?<!\d|\d[.,])\d{2}\p{Zs}?\d{2}\p{Zs}(?:№\p{Zs}?)?\d{6}(?!\d|[.,]\d)/gu;
const PASSPORT_AFTER_WORD =
  /(паспорт\S{0,12}\s{0,3}(?:рф\s{0,3})?(?:данные\s{0,3}:?\s{0,3})?(?:серии|серия|сер\.?)?\s{0,3}:?\s{0,3})\d{2}[\p{Zs}\p{Pd}]?\d{2}[\s\p{Pd}]{0,3}(?:(?:№|номер|n)\s{0,3})?\d{6}(?!\d|[.,]\d)/giu;
/** "серия 57 04 номер 123456" without the word "паспорт" right before it. */
const PASSPORT_SERIES_AND_NUMBER =
  /((?<![а-яё])(?:серия|серии|сер\.)\s{0,3}:?\s{0,3})\d{2}[\p{Zs}\p{Pd}]?\d{2}\s{0,3}(?:№|номер|n)\s{0,3}\d{6}(?!\d|[.,]\d)/giu;
/**
 * A health insurance policy (ОМС) has 16 digits, like a card, or 15 in an older one's number, grouped as the
 * citizen likes: the word before it ("полис", "ОМС") tells them apart.
 */
const POLICY_AFTER_WORD =
  /((?:(?<!\p{L})полис\S{0,12}\s{0,3}(?:омс\s{0,3})?|(?<!\p{L})омс\s{0,3})(?:№|номер|n)?\s{0,3}:?\s{0,3})\d(?:[\p{Zs}\p{Pd}]?\d){14,15}(?!\d|[.,]\d)/giu;
/**
 * Until the policy is made, a temporary certificate stands for it, numbered with nine digits: nine digits are
 * one only after the words for it ("временное свидетельство № 123456789").
 */
const TEMPORARY_CERTIFICATE_AFTER_WORD =
  /(временн\S{0,12}\s{1,3}свидетельств\S{0,12}\s{0,3}(?:омс\s{0,3})?(?:№|номер|n)?\s{0,3}:?\s{0,3})\d{3}[\p{Zs}\p{Pd}]?\d{3}[\p{Zs}\p{Pd}]?\d{3}(?!\d|[.,]\d)/giu;
/** A bank account has 20 digits (a person's starts 408…); a fine's 20-digit payment id is masked with them. */
const BANK_ACCOUNT =
  /(?<!\d|\d[.,])\d{5}[\p{Zs}\p{Pd}.]?\d{3}[\p{Zs}\p{Pd}.]?\d[\p{Zs}\p{Pd}.]?\d{4}[\p{Zs}\p{Pd}.]?\d{7}(?!\d|[.,]\d)/gu;
/** A person's taxpayer number has 12 digits; an organisation's has 10 and is public, so it stays. */
const PERSONAL_INN_AFTER_WORD = /(инн\s{0,3}(?:№|n|номер)?\s{0,3}[:\p{Pd}]?\s{0,3})\d{12}(?!\d|[.,]\d)/giu;
/** A letter O typed for a zero, Latin or Cyrillic: "8 912 1O5-45-67". */
const LETTER_ZERO = /[OoОо]/gu;
/** It is a zero only touching a digit of the number: a word "о" between two numbers touches none. */
const LETTER_AS_ZERO = String.raw`(?<=\d)[OoОо](?=[\d\p{Zs}\p{Pd})])|(?<=[\p{Zs}\p{Pd}()])[OoОо](?=\d)`;
/** The number's last zero, typed as a letter after a digit and before no letter: "8 912 123 45 6O". */
const LAST_LETTER_AS_ZERO = String.raw`(?<=\d)[OoОо](?![\p{L}\d])`;
/** Six characters of a number written in groups: the least taken for a phone's end or start. */
const LONG_NUMBER = String.raw`[\d\p{Zs}\p{Pd}()OoОо]{6}`;
/**
 * Anything that may be a telephone number; the digit count decides below. A dot separates digits only
 * between two of them ("8.916.123.45.67"), so "д. 5. 89123456789" still finds the phone after the house.
 * A comma or dot between digits makes a fraction ("1 500,50"), unless a long number stands on each side of it:
 * then it parts two phones ("89121234567,8 912 123-45-68").
 */
const PHONE_CANDIDATE = new RegExp(
  String.raw`(?<!\d|(?<!${LONG_NUMBER})\d[.,])(?:\+?\d|\(\d)(?:[\d\p{Zs}\p{Pd}()]|\.(?=\d)|${LETTER_AS_ZERO}){8,19}(?:\d|${LAST_LETTER_AS_ZERO})(?!\d|[.,]\d(?!${LONG_NUMBER}))`,
  'gu',
);
/**
 * A short city number is only a phone when the text says so: "тел. 23-45-67", "звонить по номеру 25-15-15",
 * "городской 2-34-56".
 */
const LOCAL_PHONE_AFTER_WORD =
  /((?:тел\.?|телефон[а-яё]*|звоните|звонить|позвоните|номер[ау]?|домашн[а-яё]*|городск[а-яё]*|сотов[а-яё]*|мобильн[а-яё]*)\s{0,3}:?\s{0,3})\d{1,3}[\p{Zs}\p{Pd}]\d{2}[\p{Zs}\p{Pd}]\d{2}(?!\d|[.,]\d)/giu;
/**
 * Written without separators, it is a phone only right after the word for one ("домашний 234567"; "номер
 * 123456" may be a case).
 */
const BARE_LOCAL_PHONE_AFTER_WORD =
  /((?:тел\.?|телефон[а-яё]*|звоните|звонить|позвоните|домашн[а-яё]*|городск[а-яё]*)\s{0,3}:?\s{0,3})\d{5,7}(?!\d|[.,]\d)/giu;

/** SNILS named after its number: "12345678901 — мой СНИЛС". */
const SNILS_BEFORE_WORD =
  /(?<!\d|\d[.,])\d{3}[\p{Zs}\p{Pd}]?\d{3}[\p{Zs}\p{Pd}]?\d{3}[\p{Zs}\p{Pd}]?\d{2}(?!\d|[.,]\d)(?=\s{0,3}[,:–—-]?\s{0,3}(?:(?:это|мой|моя|мои|номер)\s{1,3})?снилс)/giu;

/**
 * A car's registration plate: a letter, three digits, two letters and the region ("А123ВС 116", "а123вс116rus"),
 * in the twelve Cyrillic letters plates use or their Latin lookalikes; it names the owner.
 * https://docs.cntd.ru/document/1200160380 (ГОСТ Р 50577-2018)
 */
const PLATE_LETTER = '[авекмнорстухabekmhopctyx]';
const CAR_PLATE = new RegExp(
  `(?<![\\p{L}\\d])${PLATE_LETTER}\\d{3}${PLATE_LETTER}{2}(?: ?\\d{2,3}(?: ?(?:rus|рус))?)?(?![\\p{L}\\d])`,
  'giu',
);

/**
 * The number of a utility account, a meter, a contract, a company's registration (ОГРН) or a request is no one's
 * phone, passport or card, however many digits it has: the word right before it says so ("ЛС 9171234567",
 * "счетчик № 9171234567", "договор 7812 345678", "номер заявки 89171234567"). A meter may be named with what
 * it counts ("счетчик ХВС").
 */
const RECORD_WORD = String.raw`(?:лиц(?:ев\S{0,12}\s{1,3}|\.\s{0,3})сч[её]т\S{0,4}|(?<!\p{L})л\/сч?|(?<!\p{L})лс|(?:сч[её]тчик\S{0,4}|(?<!\p{L})ипу|прибор\S{0,4}\s{1,3}уч[её]т\S{0,4})(?:\s{1,3}(?:хвс|гвс|воды|газа|тепла|света|электр\S{0,12}|эл\.?\s?энерг\S{0,4}))?|договор\S{0,4}|огрн(?:ип)?|заявк\S{0,4})\s{0,3}(?:(?:№|n|номер)\s{0,3})?:?\s{0,3}`;
const RECORD_NUMBER_WORD = new RegExp(`${RECORD_WORD}$`, 'iu');
/** The word for a record's number and the number's first group of digits, which the phone search skips. */
const RECORD_NUMBER = new RegExp(`(${RECORD_WORD})\\d+`, 'giu');

const isRecordNumber = (text: string, offset: number): boolean =>
  RECORD_NUMBER_WORD.test(text.slice(Math.max(0, offset - 40), offset));

/** Masks each match of a pattern unless a word before it names it as a record's number. */
const unlessRecordNumber =
  (placeholder: string) =>
  (match: string, ...rest: unknown[]): string => {
    const whole = rest.at(-1) as string;
    const offset = rest.at(-2) as number;
    return isRecordNumber(whole, offset) ? match : placeholder;
  };

/** Sums are written with spaces between thousands, like phones: the currency after them tells them apart. */
const CURRENCY_AFTER = /^\s*(?:р(?![а-яa-z])|руб|тыс|млн|млрд|₽|%)/iu;

function isPhoneNumber(written: string, after: string): boolean {
  if (CURRENCY_AFTER.test(after)) return false;
  const candidate = written.replace(LETTER_ZERO, '0');
  const digits = candidate.replace(/\D/g, '');
  // A number written with its country code, as citizens from Belarus, Ukraine or Central Asia write theirs
  // ("+375 29 123-45-67"); E.164 allows at most 15 digits. https://www.itu.int/rec/T-REC-E.164
  if (candidate.startsWith('+') && !candidate.startsWith('+7'))
    return digits.length >= 10 && digits.length <= 15;
  // A city number with its area code in brackets: "(342) 212-34-56", "(34271) 2-34-56". It has ten digits:
  // "(780) 123-45-67 3 раза" is a phone and a count, not an eleven-digit number starting 7.
  if (/^\(\d{3,5}\)/.test(candidate)) return digits.length === 10;
  if (digits.length === 11) return /^[78][3-9]/.test(digits);
  // Written in digits 4 and 6, it is a passport's series and number, masked as one below; with a letter O it is
  // no passport.
  if (digits.length === 10) return /^9/.test(digits) && !/^\d{4}\p{Zs}\d{6}$/u.test(written.trim());
  return false;
}

/** The groups of digits in a phone candidate, as spaces, dashes and dots part them. */
const DIGIT_GROUP = /[^\p{Zs}\p{Pd}.]+/gu;

/**
 * Masks the phones in a candidate. A phone may stand next to another number with only a space between ("кв. 14
 * 89121234567", "89121234567 3 раза", "89121234567 1500 руб"), so a candidate that is no phone as a whole is
 * searched, from its first group on, for the longest run of whole groups that is one; a currency says so only
 * of the number right before it (isPhoneNumber's `after`).
 */
function maskPhones(candidate: string, offset: number, whole: string): string {
  const groups = [...candidate.matchAll(DIGIT_GROUP)].map((group) => ({
    start: group.index,
    end: group.index + group[0].length,
  }));
  let masked = '';
  let copied = 0;
  for (let first = 0; first < groups.length; first++) {
    for (let last = groups.length - 1; last >= first; last--) {
      const end = groups[last]?.end ?? 0;
      let start = groups[first]?.start ?? 0;
      // A bracket the phone does not close is the text's: "звоните (89121234567)", "(8 (912) 123-45-67)".
      if (candidate[start] === '(' && !/^[^()]*\)/.test(candidate.slice(start + 1, end))) start++;
      if (isPhoneNumber(candidate.slice(start, end), whole.slice(offset + end, offset + end + 8))) {
        masked += `${candidate.slice(copied, start)}[телефон]`;
        copied = end;
        first = last;
        break;
      }
    }
  }
  return masked + candidate.slice(copied);
}

/**
 * A candidate ending in a letter O may end in the word "о" glued to a phone ("89121234567о чём"): if the O
 * makes it no phone, it is read without it.
 */
function maskPhonesEndingInLetter(candidate: string, offset: number, whole: string): string {
  const masked = maskPhones(candidate, offset, whole);
  if (!/[OoОо]$/u.test(candidate) || masked.endsWith('[телефон]')) return masked;
  return maskPhones(candidate.slice(0, -1), offset, whole) + candidate.slice(-1);
}

/**
 * Masks the phones around the numbers of records. A record's number is skipped whole, so a phone written right
 * after it is found from its own first digit ("счетчик № 9123456789 8 912 123 45 67", "ЛС 123456 89121234567");
 * a number after the word that starts with a country code or a bracket is a phone's ("ЛС +7 912 123-45-67").
 */
function maskPhonesBesideRecordNumbers(text: string): string {
  const maskIn = (part: string) => part.replace(PHONE_CANDIDATE, maskPhonesEndingInLetter);
  let masked = '';
  let copied = 0;
  for (const record of text.matchAll(RECORD_NUMBER)) {
    const start = record.index + (record[1]?.length ?? 0);
    const end = record.index + record[0].length;
    masked += maskIn(text.slice(copied, start)) + text.slice(start, end);
    copied = end;
  }
  return masked + maskIn(text.slice(copied));
}

export function maskPersonalData(text: string): string {
  const documents = maskEmails(maskEmails(text, EMAIL_DOMAIN), DISGUISED_EMAIL_DOMAIN)
    .replace(CAR_PLATE, '[госномер]')
    .replace(PASSPORT_AFTER_WORD, '$1[паспорт]')
    .replace(PASSPORT_SERIES_AND_NUMBER, '$1[паспорт]')
    .replace(POLICY_AFTER_WORD, '$1[полис]')
    .replace(TEMPORARY_CERTIFICATE_AFTER_WORD, '$1[полис]')
    .replace(BANK_ACCOUNT, '[счет]')
    .replace(SNILS_AFTER_WORD, '$1[снилс]')
    .replace(SNILS_BEFORE_WORD, '[снилс]')
    .replace(SNILS_FORMATTED, '[снилс]')
    .replace(PERSONAL_INN_AFTER_WORD, '$1[инн]')
    .replace(CARD, unlessRecordNumber('[карта]'));
  return maskPhonesBesideRecordNumbers(documents)
    .replace(ELEVEN_DIGITS, (digits, offset: number, whole: string) =>
      isSnils(digits) && !isRecordNumber(whole, offset) && !CURRENCY_AFTER.test(whole.slice(offset + 11))
        ? '[снилс]'
        : digits,
    )
    .replace(PASSPORT_FORMATTED, unlessRecordNumber('[паспорт]'))
    .replace(LOCAL_PHONE_AFTER_WORD, '$1[телефон]')
    .replace(BARE_LOCAL_PHONE_AFTER_WORD, '$1[телефон]');
}
