import * as z from 'zod';
import { INQUIRY_STATUSES } from '../../domain/inquiry/inquiry.js';
import { JOINED_CASE_SHOWN, joinedCase } from './fields.js';

/**
 * The code of every error the operator API gives, with the status it comes with: what a console branches on.
 * The `message` beside it is for people, and may be reworded.
 */
export const ERROR_CODES = {
  validation_failed:
    '400: the query, the body or a header does not fit (`issues` says where), or names what is not there (a department, a community, a cursor)',
  unauthorized: '401: no valid token',
  forbidden: '403: not an operator of the department asked for',
  not_found: '404: no such inquiry (or not one of your departments, nor ever one that was)',
  no_such_route:
    '404: no route has this path (an inquiry’s `id` is 1 to 64 of `A-Za-z0-9_-`): the paths are this document’s',
  method_not_allowed: '405: the path is a route of another method, which `Allow` names',
  not_acceptable:
    '406: `Accept` allows none of the forms the route answers in (the statistics: `application/json`, `text/csv`)',
  taken_by_other:
    '409: another operator holds the inquiry (`holder`): take it, answer it, close it, reopen it, reject it or move it to another department with `force` to do so all the same',
  already_yours: '409: the inquiry is yours already',
  left_your_departments:
    '409 to a change, 403 to a read (the detail, a history page): the inquiry was in your departments, or yours, and has since been moved or rejected out of them (or you left its department): a change was not made and nothing was sent to the citizen; `current` gives its status and version now; it is not named where it went (a lookup by case number tells the same in `leftYourDepartments`)',
  not_allowed_in_state: '409: the inquiry’s status does not allow this change',
  changed_meanwhile:
    '409: someone changed the inquiry while a `reply` or `move` was made, so that it would now mean something else',
  community_not_configured: '409: the inquiry’s VK community is no longer configured',
  words_joined:
    '409: a message taken for no inquiry, edited by the citizen into words of their newer inquiry (`joined`), which holds them: it is not routed into work',
  too_many_templates:
    '409: the department keeps as many answer templates as it may already: delete one, or replace one',
  precondition_failed:
    '412: `If-Match` named another version than the inquiry’s (`current`), or than the answer template’s (its `ETag`; none if it was deleted)',
  period_too_full: '422: the period holds more inquiries than one request can count: ask for a shorter one',
  too_much_open_work:
    '422: the department holds more open inquiries than one request can count: page through its lists instead',
  internal_error: '500: something failed on our side',
  stored_item_malformed:
    '500: the inquiry’s item in the table does not read as an inquiry (edited by hand, restored half written): ops are told, and mend it; its department’s lists leave it out meanwhile',
  unavailable:
    '503: the change is saved, but its message to the citizen is not yet queued; of one answer to many inquiries, some are not answered yet: repeat it with its `Idempotency-Key`',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const problem = z.object({
  code: z.enum(errorCodes).describe(
    `What went wrong, for a program: stable, unlike \`message\`. ${Object.entries(ERROR_CODES)
      .map(([code, what]) => `${code}: ${what}`)
      .join('; ')}.`,
  ),
  message: z.string().describe('What went wrong, for people: it may be reworded, so branch on `code`.'),
  issues: z.array(z.string()).optional().describe('validation_failed: each part that does not fit, and why.'),
  holder: z
    .object({ id: z.string(), name: z.string() })
    .optional()
    .describe('taken_by_other: who holds the inquiry (`assignee`).'),
  current: z
    .object({ status: z.enum(INQUIRY_STATUSES), version: z.number() })
    .optional()
    .describe(
      'precondition_failed, every 409 of a change, and a read’s 403 `left_your_departments`: the inquiry as it ' +
        'is now (for a 412, the version `If-Match` did not name): its status and version, also given as ' +
        '`ETag` but on that 403, which offers no change to make.',
    ),
  joined: joinedCase
    .optional()
    .describe(`words_joined: the inquiry that holds the words, and its case number. ${JOINED_CASE_SHOWN}`),
  idempotencyKey: z
    .string()
    .optional()
    .describe(
      'unavailable: the `Idempotency-Key` the change is saved under (the one it came with, or the one it was ' +
        'given): repeat the request with it to queue the message, not to make another change (of many ' +
        'inquiries: to answer the rest, none twice).',
    ),
});

export type Problem = z.infer<typeof problem>;

/**
 * What API Gateway answers by itself, before or instead of the function: a token refused (401), a body too
 * large (413), a request throttled (429), the function failed or timed out (500). Its body has only
 * `message`; the function's own answers with these statuses carry a `code` too.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (the payload size)
 */
export const gatewayProblem = z.object({
  message: z.string().describe('`Unauthorized`, `Too Many Requests`, `Internal Server Error`…'),
  code: z.enum(errorCodes).optional().describe('Only on the function’s own answers: see the other errors.'),
});
