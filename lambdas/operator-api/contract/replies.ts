import * as z from 'zod';
import { INQUIRY_ID_PATTERN } from '../../domain/inquiry/inquiry-id.js';
import { textBody } from './changes.js';
import { problem } from './errors.js';
import { changedInquiry, inquirySummary } from './inquiry.js';

/**
 * The most inquiries one answer goes to in a request: a full page of a list (its `limit` at most). Answered
 * a few at a time (use-cases/reply-to-many.ts), they take about 1 s in AWS, far within the function's 10 s
 * and API Gateway's 30 s (docs/operator-api.md, "One answer to many inquiries").
 */
export const MAX_INQUIRIES_PER_REPLY = 100;

const INQUIRY_ID = new RegExp(`^${INQUIRY_ID_PATTERN}$`);

/** POST /api/v1/replies: one answer, sent to each inquiry's citizen as the answer to their own inquiry. */
export const repliesBody = z.strictObject({
  inquiries: z
    .array(z.string().regex(INQUIRY_ID, { message: 'not an inquiry’s id (1 to 64 of A-Za-z0-9_-)' }))
    .min(1, { message: 'name at least one inquiry' })
    .max(MAX_INQUIRIES_PER_REPLY, {
      message: `at most ${MAX_INQUIRIES_PER_REPLY} inquiries a request: send the rest in another`,
    })
    .superRefine((ids, context) => {
      ids.forEach((id, index) => {
        const first = ids.indexOf(id);
        if (first !== index)
          context.addIssue({
            code: 'custom',
            path: [index],
            message: `the inquiry at ${first} again: name each inquiry once`,
          });
      });
    })
    .describe(
      `The inquiries to answer, by their \`id\` as lists give them: 1 to ${MAX_INQUIRIES_PER_REPLY}, each once ` +
        '(an id given twice answers 400). Answered in this order, a few at a time; the answer gives a result ' +
        'for each, in this order.',
    ),
  text: textBody.shape.text,
  force: textBody.shape.force,
});
export type RepliesBody = z.infer<typeof repliesBody>;

/**
 * An inquiry one of many replies answered, as a console needs it to show the outcome and act on the inquiry
 * next (its version is its ETag): never its citizen's words, of which a hundred would make megabytes.
 */
export const repliedInquiry = z.strictObject({
  caseNumber: inquirySummary.shape.caseNumber,
  status: inquirySummary.shape.status,
  version: changedInquiry.shape.version,
  outboxId: changedInquiry.shape.outboxId,
});
export type RepliedInquiry = z.infer<typeof repliedInquiry>;

/** What the reply to one of the inquiries came to: what `POST /api/v1/inquiries/{id}/reply` would answer. */
export const replyResult = z.object({
  id: z.string().describe('The inquiry, as the request named it.'),
  status: z
    .number()
    .int()
    .describe(
      'The status the reply to this inquiry alone answers (`POST /api/v1/inquiries/{id}/reply`): 200 answered ' +
        '(or, answered before, a further word sent), 204 a repeat of the answer made to an inquiry no longer ' +
        'in your departments, 400 the words too long for its case line, 404 not one of your departments, 409 ' +
        'refused (`taken_by_other`, `left_your_departments`, `not_allowed_in_state`…), 500 its stored item ' +
        'malformed.',
    ),
  inquiry: repliedInquiry
    .optional()
    .describe(
      '200: what the reply left of the inquiry that a console shows and acts on: its case number, status and ' +
        'version, and the `outboxId` of the message queued to its citizen. Not the whole inquiry (a hundred ' +
        'citizens’ words would make the answer megabytes): `GET /api/v1/inquiries/{id}` gives it.',
    ),
  problem: problem.optional().describe('4xx, 500: why this inquiry was not answered, as that reply says it.'),
});

export const repliesAnswer = z.object({
  answered: z
    .number()
    .int()
    .describe(
      'How many inquiries the words went to (200 and 204): each recorded, and queued to its citizen.',
    ),
  refused: z.number().int().describe('How many were not answered: each result says why (`problem`).'),
  results: z.array(replyResult).describe('One for each inquiry of the request, in its order.'),
});
