/**
 * The most characters of a message's words the classifier reads: twice a message VK lets a citizen type
 * (4,096) and the 6,000 passed-on characters a message keeps (quoted.ts), with room for the transcripts of
 * voice messages. A text the rules read in time growing with its length must have a length it cannot pass:
 * 20,000 characters classify in well under a second even on a Lambda's share of a core
 * (bench/classifier-figures.ts, worst case).
 */
export const MAX_CLASSIFIED_CHARACTERS = 20_000;

/** What parts of a message's words are joined with (`wordsOf` in lambdas/domain/vk/quoted.ts). */
const PART_SEPARATOR = '\n\n';

/** The first `length` characters, never ending in half of a surrogate pair. */
function startOf(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * The words as classified: whole when within `MAX_CLASSIFIED_CHARACTERS`, else the start of each part (the
 * typed text, each transcript, each message passed on), each part cut to one share of the room so that a
 * long part does not crowd out the others, a part shorter than its share kept whole and its room given to the
 * longer ones. A danger named near the start of any part still counts. A cut part ends its sentence, so that
 * the next part's words are not read with it.
 */
export function classifiedWords(words: string): string {
  if (words.length <= MAX_CLASSIFIED_CHARACTERS) return words;
  const parts = words.split(PART_SEPARATOR);
  // Room for the separators, and for the period a cut part gets.
  const room = MAX_CLASSIFIED_CHARACTERS - (parts.length - 1) * PART_SEPARATOR.length - parts.length;
  // The share every part is cut to: the parts shorter than it keep their length, the rest share what is left.
  const lengths = parts.map((part) => part.length).sort((a, b) => a - b);
  let share = Math.max(0, room);
  let left = Math.max(0, room);
  for (const [index, length] of lengths.entries()) {
    const even = Math.floor(left / (lengths.length - index));
    if (length > even) {
      share = even;
      break;
    }
    left -= length;
  }
  const kept = parts.map((part) => (part.length > share ? `${startOf(part, share)}.` : part));
  return startOf(kept.join(PART_SEPARATOR), MAX_CLASSIFIED_CHARACTERS);
}
