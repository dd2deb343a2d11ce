/**
 * Normalisation of Russian social-media text before features are taken: one spelling for what citizens
 * write in many ways, and no markup that says nothing of the topic.
 */

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
  return text
    .replace(HTML_TAG, ' ')
    .replace(HTML_ENTITY, ' ')
    .replace(VK_MENTION, ' ')
    .replace(BARE_MENTION, ' ')
    .replace(URL, ' ')
    .replace(EMOJI, ' ')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(REPEATED_PUNCTUATION, '$1')
    .replace(ABBREVIATION_DOT, (_, abbreviation: string) => `${abbreviation.replace('.', ' ')} `)
    .replace(SPACES, ' ')
    .trim();
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
