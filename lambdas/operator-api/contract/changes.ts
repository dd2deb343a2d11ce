import * as z from 'zod';
import { ERASED_CITIZEN_DAYS, MAX_PEOPLE_LOOKED_UP } from '../../domain/inquiry/erased-citizen.js';
import { MAX_MESSAGE_LENGTH } from '../../domain/outbox/outbox-message.js';
import { CATEGORIES, PRIORITIES } from '../../domain/taxonomy.js';
import { ERASED_MENTION, mentionedPeople } from '../../domain/vk/mentions.js';
import { departmentId } from './fields.js';

/** The bodies of the changes an operator makes to an inquiry (POST /api/v1/inquiries/{id}/…). */

/**
 * What shows nothing on a screen: separators and spaces (Z), controls (Cc), format characters (Cf: the
 * zero-width space, non-joiner and joiner, the word joiner, the byte order mark), combining marks with nothing
 * to mark (M), and the Hangul fillers and the blank braille pattern, which fonts draw empty.
 * https://www.unicode.org/reports/tr44/#General_Category_Values
 */
const INVISIBLE = /^[\p{Z}\p{Cc}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/**
 * An operator's words: trimmed, and with something in them a person can read; `max` characters, if given;
 * what else `check` asks of them.
 */
export const visibleText = (
  description: string,
  max?: number,
  check?: (text: string, context: z.RefinementCtx) => void,
) => {
  const visible = (max === undefined ? z.string().trim().min(1) : z.string().trim().min(1).max(max)).refine(
    (text) => !INVISIBLE.test(text),
    { message: 'holds no visible character (only spaces, zero-width or other invisible characters)' },
  );
  return (check ? visible.superRefine(check) : visible).describe(
    `${description} At least one visible character: one made only of spaces and invisible characters ` +
      '(zero-width space or joiner, word joiner, byte order mark…) answers 400.',
  );
};

/**
 * The most people an operator's words on an inquiry may name by their VK id. For the marks' days after an
 * erasure in the community, each person named costs a read and an scrypt digest (operator-words.ts,
 * adapters/erased-citizens.ts): some 40 ms of a whole core, 140 at the function's 512 MB, which gets 0.29 of
 * one (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). Ten stay near a second and a
 * half of its 10; a reply of 9000 characters may name 800, and a note of 2000 some 180, which filled the SDK's
 * sockets and failed. The router's bound on a citizen's words (MAX_PEOPLE_LOOKED_UP), refused here.
 */
export const MAX_PEOPLE_NAMED = MAX_PEOPLE_LOOKED_UP;

/**
 * An operator's words on an inquiry (words to the citizen, a note, a reason): visible text naming at most
 * MAX_PEOPLE_NAMED people by their VK id, whose mentions of a citizen erased lately are replaced.
 */
const wordsOnInquiry = (description: string, max?: number) =>
  visibleText(
    `${description} Names at most ${MAX_PEOPLE_NAMED} people by their VK id (a mention such as \`[id1|…]\` ` +
      'or `@id1`, a link to their page): more answers 400. A mention of a citizen erased in the community ' +
      `in the last ${ERASED_CITIZEN_DAYS} days (not of the inquiry’s author) is stored, and sent, as ` +
      `\`${ERASED_MENTION}\`.`,
    max,
    (text, context) => {
      const named = mentionedPeople(text).size;
      if (named > MAX_PEOPLE_NAMED)
        context.addIssue({
          code: 'custom',
          input: text,
          message:
            `names ${named} people by their VK id (a mention such as [id1|…] or @id1, a link to their page): ` +
            `at most ${MAX_PEOPLE_NAMED}`,
        });
    },
  );

export const textBody = z.strictObject({
  // VK's limit is the document's `maxLength`, but the inquiry's own limit is checked with the inquiry
  // (use-cases/send-to-citizen.ts), so that words too long for either are told the figure of that inquiry.
  text: wordsOnInquiry(
    'The words to the citizen, trimmed, as the history keeps them. The citizen reads them after a line that ' +
      'names the case (by default `По обращению № 2026-004217:`; none for a message without a case number), ' +
      'which counts against the same limit, VK’s 9000 characters for a message: so the most an inquiry takes ' +
      'is its `maxTextLength` (8972 with the default line and a number such as 2026-004217), and longer ' +
      'words answer 400 (`validation_failed`, `issues` saying how many fit).',
  ).meta({ maxLength: MAX_MESSAGE_LENGTH }),
  force: z
    .boolean()
    .optional()
    .describe(
      'true: answer an inquiry another operator holds all the same. An answer or intermediate answer then makes ' +
        'it yours (their name stays in the history); a further word after the answer leaves it theirs. ' +
        'Without it, words to an inquiry another operator holds answer 409 `taken_by_other`, naming them.',
    ),
});
export type TextBody = z.infer<typeof textBody>;

/**
 * The most characters a note holds: room for what was done in a call or a visit, and a history entry that
 * stays small beside the 1 MB a history page reads.
 */
export const NOTE_MAX_LENGTH = 2000;
export const noteBody = z
  .strictObject({
    text: wordsOnInquiry(
      `What you did or learnt, for colleagues and heads, trimmed: at most ${NOTE_MAX_LENGTH} characters ` +
        '(longer answers 400). Never sent to the citizen.',
      NOTE_MAX_LENGTH,
    ),
  })
  .meta({
    description:
      'An internal note on the inquiry (called the citizen, passed it on, booked a visit): its history entry ' +
      '(`note`) names you and keeps the words as its `reason`. It changes nothing else: not the status, the ' +
      'deadlines, the first response nor who holds it, and it is never sent to the citizen.',
  });
export type NoteBody = z.infer<typeof noteBody>;
const reasonText = wordsOnInquiry('Why, for the history, trimmed.', 1000);

/**
 * `force` on a change that ends the work of the operator who holds the inquiry
 * (domain/inquiry/transitions/holder.ts).
 */
const overHolder = (what: string) =>
  z
    .boolean()
    .optional()
    .describe(
      `true: ${what} Without it, this change to an inquiry another operator holds answers 409 ` +
        '`taken_by_other`, naming them.',
    );
/**
 * The body of a change made for a reason that ends the work of the operator who holds the inquiry: to an
 * inquiry another operator holds, made only with `force`.
 */
const heldChangeBody = (what: string) => z.strictObject({ reason: reasonText, force: overHolder(what) });
export const closeBody = heldChangeBody(
  'close an inquiry another operator holds all the same: it is yours then (`assignee`; their name stays in ' +
    'the history, `fromAssignee`).',
);
export type CloseBody = z.infer<typeof closeBody>;
export const reopenBody = heldChangeBody(
  'reopen an inquiry another operator holds (its answerer, or who closed it) all the same: it is yours then, ' +
    'and so is its new first response (`assignee`; their name stays in the history, `fromAssignee`).',
);
export type ReopenBody = z.infer<typeof reopenBody>;
export const rejectBody = heldChangeBody(
  'reject an inquiry another operator holds all the same: it is no one’s then (their name stays in the ' +
    'history, `fromAssignee`).',
);
export type RejectBody = z.infer<typeof rejectBody>;
export const releaseBody = z.strictObject({ reason: reasonText }).meta({
  description:
    'Why the inquiry is let go of, for the history (its `status` entry names who released it and ' +
    '`fromAssignee`, whose it was). Its holder releases it, or an admin whoever holds it (an operator moved ' +
    'to another department, or gone); one no one holds answers 200 as it is, nothing written.',
});
export type ReleaseBody = z.infer<typeof releaseBody>;
export const takeBody = z.strictObject({
  force: z
    .boolean()
    .optional()
    .describe(
      'true: take over an inquiry another operator holds (their name stays in the history). Without it, ' +
        'taking one another operator holds answers 409.',
    ),
});
export type TakeBody = z.infer<typeof takeBody>;
export const moveBody = z
  .strictObject({
    department: departmentId.optional(),
    /** With a category or a priority, the running deadline is timed anew on the terms they bring. */
    category: z.enum(CATEGORIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    reason: reasonText,
    force: overHolder(
      'move an inquiry another operator holds to another department all the same: it is no one’s then (their ' +
        'name stays in the history, `fromAssignee`). A category or priority alone needs none: the inquiry ' +
        'stays theirs.',
    ),
  })
  .refine(
    (body) => body.department !== undefined || body.category !== undefined || body.priority !== undefined,
    { message: 'give a department, a category, a priority or several' },
  )
  // The refinement above is code, which no JSON Schema carries: the document says it as `anyOf`.
  .meta({
    anyOf: (['department', 'category', 'priority'] as const).map((field) => ({ required: [field] })),
    description:
      'Where to move the inquiry, and why: a department, a category, a priority or several (`reason` alone ' +
      'answers 400). A move that changes nothing (all it names is the inquiry’s already, on the same terms) ' +
      'answers 200 with the inquiry and the same `ETag`, and writes nothing: no history entry, no new version.',
  });
export type MoveBody = z.infer<typeof moveBody>;
