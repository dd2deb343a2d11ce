import * as z from 'zod';

/**
 * The operator API's requests and answers are described once, in this folder, by subject: the dispatcher
 * validates with them and the OpenAPI document is generated from them (`z.toJSONSchema`, openapi.ts). This file
 * holds what several subjects share.
 */

/**
 * Said of every field of free text in an answer (a citizen's words, an operator's, VK's): the API gives it back
 * as written, markup included (a citizen may type `<img src=x onerror=…>`), as JSON does no harm; a console
 * that put it into a page as HTML would run it.
 */
export const PLAIN_TEXT = 'Plain text, as written: render it as text, never as HTML.';
/** Free text in an answer, described, and said to be plain text. */
export const freeText = (description?: string) =>
  z.string().describe(description ? `${description} ${PLAIN_TEXT}` : PLAIN_TEXT);

export const departmentId = z.string().regex(/^[a-z][a-z0-9-]*$/);

/** A department asked for by a list or the statistics: one not configured answers 400, not an empty answer. */
export const askedDepartment = departmentId
  .optional()
  .describe(
    'One department, by its id (`GET /api/v1/directory`): one not configured answers 400, one that is not ' +
      'yours 403. Without it, all of yours (an admin’s: every department).',
  );

/**
 * A community asked for by a list or the statistics: one not configured answers 400, as a department does,
 * rather than an empty answer that would read as a community with nothing in it.
 */
export const askedCommunity = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    'One VK community, by its `groupId` (`GET /api/v1/directory`): one not configured answers 400. A ' +
      'community taken out of the configuration can no longer be asked for, but its inquiries stay where ' +
      'they are: without this parameter, they are listed and counted with the others.',
  );

/**
 * What an answer says of a case another inquiry names (the case a new matter follows, the newer inquiry a
 * message's words joined) to an operator who may not open it (operator/named-case.ts).
 */
export const otherDepartmentsCase = z
  .object({ otherDepartment: z.literal(true) })
  .describe(
    'All an operator who may not open that case reads of it: it is the citizen’s case in another department.',
  );

/**
 * The citizen's newer inquiry that took the words of a message taken for no inquiry: its id and case number to
 * an admin and an operator of the department it is in now, to anyone else another department's case.
 */
export const joinedCase = z.union([
  z.object({ inquiryId: z.string(), caseNumber: z.string().optional() }),
  otherDepartmentsCase,
]);

/** Said of every place that names the newer inquiry a message's words joined. */
export const JOINED_CASE_SHOWN =
  'Its id and case number to an admin and an operator of the department it is in now (a move may have changed ' +
  'it); to anyone else it is the citizen’s inquiry in another department, of which the API tells nothing: ' +
  '`{ "otherDepartment": true }` (and so for a case deleted since, by retention or erasure, but to an admin).';
