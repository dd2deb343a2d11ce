/**
 * Personal data masking, applied before any citizen text is logged or handed to analytics. Placeholders
 * follow the training data's convention (`[телефон]`, `[email]`), so masked text is still good model input.
 * Dates, house and flat numbers, sums of money and utility account numbers are left alone: operators need
 * them.
 */

/**
 * An e-mail is found from its `@` and domain, then its local part is taken backwards. A pattern that begins
 * with the local part would be tried at every letter of a long word and rescan it: a 9,000-letter word
 * took most of a second.
 */
const EMAIL_DOMAIN = /@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;
const LOCAL_PART_CHAR = /[\p{L}\d._%+-]/u;

function maskEmails(text: string): string {
  let masked = '';
  let copied = 0;
  for (const match of text.matchAll(EMAIL_DOMAIN)) {
    let start = match.index;
    while (start > copied && LOCAL_PART_CHAR.test(text[start - 1] ?? '')) start--;
    if (start === match.index) continue;
    masked += `${text.slice(copied, start)}[email]`;
    copied = match.index + match[0].length;
  }
  return masked + text.slice(copied);
}

/** 13–19 digits in groups of four (16 is the usual card length). */
const CARD = /(?<!\d|\d[.,])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?!\d|[.,]\d)/g;
/** SNILS is written 123-456-789 01 (or 123 456 789 01). */
const SNILS_FORMATTED = /(?<!\d|\d[.,])\d{3}[ -]\d{3}[ -]\d{3}[ -]\d{2}(?!\d|[.,]\d)/g;
const SNILS_AFTER_WORD =
  /(снилс\S*\s*(?:№|n|номер)?\s*:?\s*)\d{3}[ -]?\d{3}[ -]?\d{3}[ -]?\d{2}(?!\d|[.,]\d)/giu;
/** Passport: series of two plus two digits, then a number of six. */
const PASSPORT_FORMATTED = /(?<!\d|\d[.,])\d{2} ?\d{2} (?:№ ?)?\d{6}(?!\d|[.,]\d)/g;
const PASSPORT_AFTER_WORD =
  /(паспорт\S*\s*(?:рф\s*)?(?:серии|серия|сер\.?)?\s*:?\s*)\d{2} ?\d{2}\s*(?:(?:№|номер|n)\s*)?\d{6}(?!\d|[.,]\d)/giu;
/** "серия 57 04 номер 123456" without the word "паспорт" right before it. */
const PASSPORT_SERIES_AND_NUMBER =
  /((?<![а-яё])(?:серия|серии|сер\.)\s*:?\s*)\d{2} ?\d{2}\s*(?:№|номер|n)\s*\d{6}(?!\d|[.,]\d)/giu;
/** A health insurance policy (ОМС) has 16 digits, like a card: the word before it tells them apart. */
const POLICY_AFTER_WORD =
  /(полис\S*\s*(?:омс\s*)?(?:№|номер|n)?\s*:?\s*)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d|[.,]\d)/giu;
/** A bank account has 20 digits (a person's starts 408…); a fine's 20-digit payment id is masked with them. */
const BANK_ACCOUNT = /(?<!\d|\d[.,])\d{5}[ .-]?\d{3}[ .-]?\d[ .-]?\d{4}[ .-]?\d{7}(?!\d|[.,]\d)/g;
/** A person's taxpayer number has 12 digits; an organisation's has 10 and is public, so it stays. */
const PERSONAL_INN_AFTER_WORD = /(инн\s*:?\s*)\d{12}(?!\d|[.,]\d)/giu;
/**
 * Anything that may be a telephone number; the digit count decides below. A dot separates digits only
 * between two of them ("8.916.123.45.67"), so "д. 5. 89123456789" still finds the phone after the house.
 */
const PHONE_CANDIDATE = /(?<!\d|\d[.,])(?:\+?\d|\(\d)(?:[\d ()-]|\.(?=\d)){8,19}\d(?!\d|[.,]\d)/g;
/** A short city number is only a phone when the text says so. */
const LOCAL_PHONE_AFTER_WORD =
  /((?:тел\.?|телефон[а-яё]*|звоните|номер)\s*:?\s*)\d{1,3}[- ]\d{2}[- ]\d{2}(?!\d|[.,]\d)/giu;
/** Written without separators, it is a phone only right after the word for one ("номер 123456" may be a case). */
const BARE_LOCAL_PHONE_AFTER_WORD = /((?:тел\.?|телефон[а-яё]*|звоните)\s*:?\s*)\d{5,7}(?!\d|[.,]\d)/giu;

/** Sums are written with spaces between thousands, like phones: the currency after them tells them apart. */
const CURRENCY_AFTER = /^\s*(?:р(?![а-яa-z])|руб|тыс|млн|млрд|₽|%)/iu;

function isPhoneNumber(candidate: string, after: string): boolean {
  if (CURRENCY_AFTER.test(after)) return false;
  const digits = candidate.replace(/\D/g, '');
  // A number written with its country code, as citizens from Belarus, Ukraine or Central Asia write theirs
  // ("+375 29 123-45-67"); E.164 allows at most 15 digits. https://www.itu.int/rec/T-REC-E.164
  if (candidate.startsWith('+') && !candidate.startsWith('+7'))
    return digits.length >= 10 && digits.length <= 15;
  if (digits.length === 11) return /^[78][3-9]/.test(digits);
  // A city number with its area code in brackets: "(342) 212-34-56", "(34271) 2-34-56".
  if (digits.length === 10 && /^\(\d{3,5}\)/.test(candidate)) return true;
  if (digits.length === 10) return /^9/.test(digits) && !/^\d{4} \d{6}$/.test(candidate.trim());
  return false;
}

export function maskPersonalData(text: string): string {
  return maskEmails(text)
    .replace(PASSPORT_AFTER_WORD, '$1[паспорт]')
    .replace(PASSPORT_SERIES_AND_NUMBER, '$1[паспорт]')
    .replace(POLICY_AFTER_WORD, '$1[полис]')
    .replace(BANK_ACCOUNT, '[счет]')
    .replace(SNILS_AFTER_WORD, '$1[снилс]')
    .replace(SNILS_FORMATTED, '[снилс]')
    .replace(PERSONAL_INN_AFTER_WORD, '$1[инн]')
    .replace(CARD, '[карта]')
    .replace(PHONE_CANDIDATE, (candidate: string, offset: number, whole: string) =>
      isPhoneNumber(candidate, whole.slice(offset + candidate.length, offset + candidate.length + 8))
        ? '[телефон]'
        : candidate,
    )
    .replace(PASSPORT_FORMATTED, '[паспорт]')
    .replace(LOCAL_PHONE_AFTER_WORD, '$1[телефон]')
    .replace(BARE_LOCAL_PHONE_AFTER_WORD, '$1[телефон]');
}
