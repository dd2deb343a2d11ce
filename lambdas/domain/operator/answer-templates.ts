import { LONGEST_WORDS_WITH_DEFAULT_PREFIX } from '../outbox/answer-prefix.js';

/**
 * A department's answer templates: the standard texts its operators answer most inquiries with (the answer to a
 * water outage, "passed to the managing company", a question outside the body's remit), kept by the
 * department's own operators through the API, so that the texts do not drift apart in each one's notepad. A
 * template is text for the console to put into the answer box and nothing else: it is sent only as the words
 * of a `reply` or `intermediate-answer`, checked there as any words. It holds no citizen's data.
 */
export interface AnswerTemplate {
  /** Its id in the department, as the console names it: `A-Za-z0-9_-`, 1 to 64. */
  id: string;
  department: string;
  title: string;
  text: string;
  /** Raised by every change: the template's ETag, for `If-Match`. */
  version: number;
  updatedAt: string;
  updatedBy: { id: string; name: string };
}

/** The longest title: a line in the console's list of templates. */
export const TEMPLATE_TITLE_MAX_LENGTH = 200;
/**
 * The longest text, in UTF-16 code units as the `reply` route counts words (`text.length`): the most it takes
 * for an inquiry of a community with the default line before the words (answer-prefix.ts), so that a template
 * fits any such inquiry. A community that words a longer line leaves its inquiries less room (their
 * `maxTextLength`): the reply says so, as for any words.
 */
export const TEMPLATE_TEXT_MAX_LENGTH = LONGEST_WORDS_WITH_DEFAULT_PREFIX;
/**
 * The most templates a department keeps: a library an operator can still read through, and one Query of a
 * few pages (200 of the longest Cyrillic texts make some 3.6 MB, a list within the 6 MB a function may
 * answer: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, 7.3 MB for 400 of them).
 * `departments:move` keeps to it too, so that a merge does not pass it.
 */
export const TEMPLATES_PER_DEPARTMENT = 200;

/**
 * Titles in the order a Russian reader looks for them: alphabetical, Cyrillic before Latin, case aside, numbers
 * by their value ("Шаблон 2" before "Шаблон 10"); the id breaks ties, so that the order is the same on every
 * request. The locale is named, never the machine's: the function's and a laptop's must agree.
 */
const titleOrder = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });
export const byTitle = (a: AnswerTemplate, b: AnswerTemplate): number =>
  titleOrder.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * What is under a template's key when it does not read as one (edited by hand, docs/runbook.md "A malformed
 * inquiry item"): it holds the id until it is written over or deleted, and no version a change can name.
 */
export const UNREADABLE = 'unreadable';

/** What a change of a template may be made on: any template, none yet, or the one at this version. */
export type TemplateExpectation = { version: number } | 'absent' | 'any';

/** Where answer templates are kept (adapters/answer-templates.ts). */
export interface AnswerTemplateStore {
  /** The department's templates, in no order. */
  list(department: string): Promise<AnswerTemplate[]>;
  /** How many the department keeps, for the cap on new ones. */
  count(department: string): Promise<number>;
  /** The template of this id, none, or `unreadable`: an item under its key edited out of shape by hand. */
  get(department: string, id: string): Promise<AnswerTemplate | typeof UNREADABLE | undefined>;
  /** Writes it if the stored one is as `expected`: false, and nothing written, if not. */
  put(template: AnswerTemplate, expected: TemplateExpectation): Promise<boolean>;
  /** Deletes it if the stored one is as `expected` (`any`: whatever there is, or none): false if not. */
  delete(department: string, id: string, expected: { version: number } | 'any'): Promise<boolean>;
}
