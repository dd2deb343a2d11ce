/**
 * Normalisation of Russian social-media text before features are taken: one spelling for what citizens
 * write in many ways, and no markup that says nothing of the topic. Training and classification both read
 * text through `normaliseText`, so a fold here changes the model's input: retrain after changing it.
 */
import { readsAsTransliteratedRussian, transliterate } from './transliteration.js';

/** A tag holds no `<`: stopping there keeps a run of unclosed `<a` from being rescanned to its end. */
const HTML_TAG = /<\/?[a-z][^<>]*>/gi;
const HTML_ENTITY = /&(?:nbsp|amp|quot|lt|gt|laquo|raquo|mdash|ndash|#\d+);/gi;
/** `[club123|Администрация]`, `[id42|Ксюша]`: keep no name, only the fact of a mention. */
const VK_MENTION = /\[(?:club|public|id|event)\d+\|[^[\]]*\]/gi;
const BARE_MENTION = /@(?:club|public|id)\d+/gi;
const URL = /\b(?:https?:\/\/|www\.)\S+|\b(?:vk\.com|vk\.cc|t\.me|gosuslugi\.ru)\/\S*/gi;
/** Pictographs, flags, skin tones, joiners and variation selectors. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3/gu;
const REPEATED_PUNCTUATION = /([!?.,)(])\1+/g;
/**
 * The dot of a common abbreviation ("ул. Суворова", "д. 5", "2022 г.", "т.е.") ends no sentence: the rules
 * read a sentence as what lies between `.`, `!` and `?`, and an address must not cut a report in two.
 */
const ABBREVIATION_DOT =
  /(?<![а-я])(ул|д|г|гг|пр|просп|пос|п|мкр|кв|им|обл|пер|ст|с|дер|пгт|корп|стр|тел|пл|наб|ш|р-н|т\.е|т\.к|т\.д|т\.п|руб|тыс|млн|др|напр|зам|нач)\.(?=\s*[а-я0-9])/g;
const SPACES = /\s+/g;

export function normaliseText(text: string): string {
  // Links and mentions go first: their Latin letters are neither Russian in translit nor lookalikes.
  const lowered = text
    .replace(HTML_TAG, ' ')
    .replace(HTML_ENTITY, ' ')
    .replace(VK_MENTION, ' ')
    .replace(BARE_MENTION, ' ')
    .replace(URL, ' ')
    .replace(EMOJI, ' ')
    .toLowerCase();
  const cyrillic = readsAsTransliteratedRussian(lowered) ? transliterate(lowered) : lowered;
  return foldStretchedLetters(foldLookalikes(cyrillic.replaceAll('ё', 'е')))
    .replace(REPEATED_PUNCTUATION, '$1')
    .replace(ABBREVIATION_DOT, (_, abbreviation: string) => `${abbreviation.replace('.', ' ')} `)
    .replace(SPACES, ' ')
    .trim();
}

/**
 * Latin letters that look like Cyrillic ones, as they stand after lower-casing: a, e, o, p, c, x, y typed for
 * their Cyrillic twins, and b, h, k, m, t from the capitals В, Н, К, М, Т. One such letter inside a Cyrillic
 * word ("пaхнет", "искpит", "B ПOДЪEЗДE") hides the word from the vocabulary and from the rules.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};
const LATIN = /[a-z]/;
const CYRILLIC = /[а-я]/;
const MIXED_WORD = /[a-zа-я]+/g;
/** Every Latin letter of the word can pass for a Cyrillic one. */
const ONLY_LOOKALIKE_LATIN = /^[а-яabcehkmoptxy]+$/;

/** What joins a name, a handle or a file's name ("@chp_59", "vid_2022.mp4", "bp-1_2", "p.s."): no word. */
const BEFORE_NAME_PART = /[@#._:/\\-]$/;
const AFTER_NAME_PART = /^[@._:/\\0-9-]/;

/**
 * A word with a Cyrillic letter whose Latin letters are all lookalikes is a Cyrillic word ("пaхнет"). Where
 * the text has more words with a Cyrillic letter than words with a Latin letter that is no lookalike, so is
 * a word of lookalikes alone ("HET CBETA", "y нас", "B подъезде"), unless it is part of a handle or a file's
 * name. A word with another Latin letter ("наCOVID", "WhatsАpp", "Wi-Fi") is left as it is, as are the
 * lookalike words of a text in English or of a brand's name in Latin letters ("ТЦ MEGA MAX").
 */
function foldLookalikes(text: string): string {
  if (!LATIN.test(text) || !CYRILLIC.test(text)) return text;
  let cyrillicWords = 0;
  let latinWords = 0;
  for (const [word] of text.matchAll(MIXED_WORD)) {
    if (CYRILLIC.test(word)) cyrillicWords++;
    else if (!ONLY_LOOKALIKE_LATIN.test(word)) latinWords++;
  }
  const mostlyCyrillic = cyrillicWords > latinWords;
  return text.replace(MIXED_WORD, (word: string, offset: number) => {
    if (!LATIN.test(word) || !ONLY_LOOKALIKE_LATIN.test(word)) return word;
    const cyrillicWord =
      CYRILLIC.test(word) ||
      (mostlyCyrillic &&
        !BEFORE_NAME_PART.test(text.slice(Math.max(0, offset - 1), offset)) &&
        !AFTER_NAME_PART.test(text.slice(offset + word.length, offset + word.length + 1)));
    return cyrillicWord ? word.replace(/[a-z]/g, (letter) => LOOKALIKES[letter] ?? letter) : word;
  });
}

const STRETCHED = /([а-я])\1\1/;
const CYRILLIC_WORD = /[а-я]+/g;
/** A word that is one letter over and over: "ООО" (a company's form), "ммм", "ааа". */
const ONE_LETTER_REPEATED = /^([а-я])\1*$/;
/** Words whose triple letter is their own. */
const OWN_TRIPLE_LETTERS = new Set(['ссср']);

/**
 * A letter held for emphasis ("пахнееет", "ПАХНЕЕЕТ", "искриииит", "спасиииибо") is one letter: Russian words
 * have at most a double letter, bar compounds too rare in appeals to weigh ("змееед", "длинношеее"). Three or
 * more fold to one, not two: what citizens stretch is nearly always a single letter ("ооочень", "нееет"),
 * and the rules and the vocabulary know the word with one. Where it was a double one ("территориии",
 * "длиннная"), one letter keeps the word's Snowball stem ("территор") or most of its n-grams.
 */
function foldStretchedLetters(text: string): string {
  if (!STRETCHED.test(text)) return text;
  return text.replace(CYRILLIC_WORD, (word) =>
    ONE_LETTER_REPEATED.test(word) || OWN_TRIPLE_LETTERS.has(word)
      ? word
      : word.replace(/([а-я])\1{2,}/g, '$1'),
  );
}

/** Word tokens of normalised text: Cyrillic or Latin letters, with digits kept as one token class. */
const WORD = /[a-zа-я]+(?:-[a-zа-я]+)*|\d+/g;

export function tokenise(normalised: string): string[] {
  const tokens: string[] = [];
  for (const match of normalised.matchAll(WORD)) {
    const word = match[0];
    tokens.push(/^\d/.test(word) ? '<num>' : word);
  }
  return tokens;
}

/** A link the normaliser takes out: the raw text holds one, something to open, though no word. */
const ONE_URL = new RegExp(URL.source, 'i');
export const hasLink = (text: string): boolean => ONE_URL.test(text);

/** True when a text has nothing left once markup, mentions, links and emoji are gone. */
export function hasWords(normalised: string): boolean {
  return /[a-zа-я]/.test(normalised);
}
