/**
 * Russian typed in Latin letters ("pahnet gazom v podezde", "uk ne otvechaet uzhe mesyac"), as citizens write
 * from a phone without a Russian layout: turned back into Cyrillic, so that the vocabulary and the danger
 * rules read it. A text in English must stay English: only a text without one Cyrillic letter is read, and
 * only when more of its words are Russian function words (or end as Russian words do) than English ones.
 * Works on lower-cased text with links and mentions already taken out.
 */

/**
 * Words that are Russian however they are spelt, and no English word. Left out as both: "a", "i", "no",
 * "do", "on", "to", "my", "by"; and the lone "u", "k", "s", since "u" is English chat too ("love u").
 */
const RUSSIAN_WORDS = new Set(
  (
    'ne net na v vo ot po za pri dlya bez pod nad iz cherez posle chto chtoby kak kogda gde kuda pochemu zachem ' +
    'skolko kto eto etot eta eti uzhe eshe eshche esche ochen tozhe takzhe tolko vse vsyo vsem vsego nas nam ' +
    'nami vas vam vy ya mne menya ego ee ikh oni ona ono bylo byl byla byli budet budut est nuzhno mozhno nado ' +
    'nelzya opyat davno seychas sejchas segodnya vchera zavtra tut tam zdes ili li zhe ni da spasibo pozhaluysta ' +
    'pozhaluista pozhalujsta zdravstvuyte zdravstvuite zdravstvujte privet pomogite dobryy dobriy den'
  ).split(' '),
);

/** Endings and letter groups of Russian words that English words hardly have. */
const RUSSIAN_SHAPE = /zh|kh|shch|tsya|(?:yy|iy|aya|oye|ogo|ego|nye|ykh|ikh)$/;

const ENGLISH_WORDS = new Set(
  (
    'the an is are was were be been am of and in at for with from this that these those it its not you your we ' +
    'our us me he she they them their have has had does did please there here what when where why how who can ' +
    'could will would should all any if or but so as hello hi thanks thank ok yes good very just about after again'
  ).split(' '),
);

const CYRILLIC = /[а-яё]/;
/**
 * An e-mail address keeps its letters: it is an address, not words (the normaliser keeps no link either). It
 * starts where no address character stands before it: else a long run of them with no `@` would be read
 * again from each of its characters, in time growing with the square of its length.
 */
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const LATIN_WORD = /[a-z]+/g;

/** True when a lower-cased text has no Cyrillic letter and reads as Russian written in Latin letters. */
export function readsAsTransliteratedRussian(lowered: string): boolean {
  if (CYRILLIC.test(lowered)) return false;
  let russian = 0;
  let english = 0;
  for (const [word] of lowered.replace(EMAIL, ' ').matchAll(LATIN_WORD)) {
    if (RUSSIAN_WORDS.has(word) || RUSSIAN_SHAPE.test(word)) russian++;
    else if (ENGLISH_WORDS.has(word)) english++;
  }
  return russian > 0 && russian > english;
}

/** Letter groups first, longest first, so that "shch" is not read as "ш" + "ч". */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['tsya', 'тся'],
  ['sch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ts', 'ц'],
  ['ya', 'я'],
  ['yu', 'ю'],
  ['yo', 'е'],
  ['ja', 'я'],
  ['ju', 'ю'],
  ['jo', 'е'],
];

const LETTERS: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'б',
  c: 'ц',
  d: 'д',
  e: 'е',
  f: 'ф',
  g: 'г',
  h: 'х',
  i: 'и',
  j: 'й',
  k: 'к',
  l: 'л',
  m: 'м',
  n: 'н',
  o: 'о',
  p: 'п',
  q: 'к',
  r: 'р',
  s: 'с',
  t: 'т',
  u: 'у',
  v: 'в',
  w: 'в',
  x: 'кс',
  z: 'з',
  "'": 'ь',
  '`': 'ь',
  '’': 'ь',
};

const VOWEL = /[аеиоуыэюяьъ]$/;
/** "eto", "etazh", "ekologiya", "elektrichestvo", "energiya": a word's first "e" is "э" before these. */
const E_AS_EH = /^e(?:t|k|lektr|nerg)/;

function transliterateWord(word: string): string {
  let out = '';
  let i = 0;
  if (E_AS_EH.test(word)) {
    out = 'э';
    i = 1;
  }
  while (i < word.length) {
    const group = GROUPS.find(([latin]) => word.startsWith(latin, i));
    if (group !== undefined) {
      out += group[1];
      i += group[0].length;
      continue;
    }
    const letter = word[i] ?? '';
    if (letter === 'y') {
      // "ye" is "е" where a word or a vowel comes before it ("yest", "moye"), else "ые" ("teplye"); a lone
      // "y" after a vowel is "й" ("moy", "zdravstvuyte"), after a consonant "ы" ("ty", "dobryy").
      const afterVowel = out === '' || VOWEL.test(out);
      if (word[i + 1] === 'e') {
        out += afterVowel ? 'е' : 'ые';
        i += 2;
        continue;
      }
      out += word.length === 1 ? 'у' : afterVowel ? 'й' : 'ы';
      i += 1;
      continue;
    }
    out += LETTERS[letter] ?? letter;
    i += 1;
  }
  return out;
}

/** Every Latin word of the text in Cyrillic, e-mail addresses left as they are. */
export function transliterate(lowered: string): string {
  let out = '';
  let last = 0;
  for (const match of lowered.matchAll(EMAIL)) {
    out += transliterateWords(lowered.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  return out + transliterateWords(lowered.slice(last));
}

const TRANSLITERATED_WORD = /[a-z]+(?:['`’][a-z]+)*['`’]?/g;

function transliterateWords(text: string): string {
  return text.replace(TRANSLITERATED_WORD, transliterateWord);
}
