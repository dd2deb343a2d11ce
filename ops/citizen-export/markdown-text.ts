/**
 * People's words set in the Markdown copy as they wrote them. VK shows a message as plain text, so nothing in it
 * may become Markdown's or HTML's: a `#` a heading, `*…*` emphasis, `[…](…)` a link the body never wrote, `<…>`
 * HTML a viewer runs, `---` a rule. Each such character gets a backslash, which CommonMark takes for "this
 * character as it is" (https://spec.commonmark.org/0.31.2/#backslash-escapes), and a line keeps its break.
 */

/** Characters that start an inline construct anywhere in a line: code, emphasis, links, HTML, entities, tables. */
const INLINE = /[\\`*_[\]<&~|]/g;
/** What starts a block at a line's start (after up to 3 spaces): headings, quotes, lists, rules, setext underlines. */
const BLOCK_START = /^( {0,3})([#>+=-])/;
/** An ordered list's item: "1." or "1)". */
const LIST_NUMBER = /^( {0,3}\d{1,9})([.)])/;

/** One line of someone's words, escaped to read as plain text. */
export const plainLine = (line: string): string =>
  line.replace(INLINE, '\\$&').replace(BLOCK_START, '$1\\$2').replace(LIST_NUMBER, '$1\\$2');

/**
 * Words set apart as a quotation, line by line, each line plain text (plainLine) and kept on a line of its own
 * (two spaces at its end are Markdown's line break: without them a viewer runs the lines into one).
 */
export function quoted(text: string): string[] {
  if (text.trim() === '') return ['> (без текста)'];
  const lines = text.split(/\r?\n/).map((line) => plainLine(line).trimEnd());
  return lines.map((line, index) => {
    const next = lines[index + 1];
    return line === '' ? '>' : `> ${line}${next !== undefined && next !== '' ? '  ' : ''}`;
  });
}
