import * as z from 'zod';
import { productionCalendars } from '../../../../config/calendars/index.js';
import { ANSWER_PREFIX_PLACEHOLDERS } from '../../outbox/answer-prefix.js';
import { communityCalendarSchema } from '../../sla/index.js';
import { acknowledgementSchema } from './acknowledgement.js';
import { nameSchema } from './department.js';
import { secretRefSchema } from './secret-ref.js';

/** A community's triage department, which every community needs: said so when it is left out. */
const triageDepartmentSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'required: the id of the department (one of departments[]) that gets the inquiries no routing rule matches and those the classifier is not sure of'
        : undefined,
  })
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/**
 * A community's working calendar, as config/calendars/README.md describes it: time zone, weekly hours, the
 * shared production calendar it follows, and its own extra dates. Deadlines count working time of it.
 */
const calendarSchema = communityCalendarSchema(productionCalendars);

export const communitySchema = z.strictObject({
  groupId: z.number().int().positive(),
  name: nameSchema,
  /** The community's working time: its time zone, weekly hours and special dates. */
  calendar: calendarSchema,
  /** Where inquiries go that no rule matches or that the classifier is not sure of. */
  triageDepartment: triageDepartmentSchema,
  /** The secret key set for our callback server in VK, checked on every request. */
  callbackSecret: secretRefSchema,
  /**
   * The secret VK signed with before the last rotation, accepted beside `callbackSecret` so that a rotation
   * refuses nothing; vk:connect keeps it (docs/runbook.md). Omitted: only `callbackSecret` is accepted.
   */
  previousCallbackSecret: secretRefSchema.optional(),
  /** The string VK expects back on a `confirmation` request. */
  confirmationCode: secretRefSchema,
  /**
   * The community's VK access tokens, by reference: a community token, and a community admin's user token
   * (board, photo, video and market comments accept replies from a user token only).
   */
  tokens: z
    .strictObject({ community: secretRefSchema.optional(), user: secretRefSchema.optional() })
    .optional(),
  /** Omitted: acknowledged with the default template. */
  acknowledgement: acknowledgementSchema.optional(),
  /**
   * The line an operator's words to the citizen begin with, naming the case they answer, with {caseNumber}
   * only; "" for none. Omitted: DEFAULT_ANSWER_PREFIX ("По обращению № {caseNumber}:"). Short: it counts
   * against VK's limit for the message, and so against what an operator may write.
   */
  answerPrefix: z
    .string()
    .trim()
    .max(200)
    .superRefine((text, context) => {
      for (const name of [...text.matchAll(/\{([^{}\s]+)\}/gu)].map((match) => match[1] ?? ''))
        if (!(ANSWER_PREFIX_PLACEHOLDERS as readonly string[]).includes(name))
          context.addIssue({ code: 'custom', message: `unknown placeholder {${name}}: use {caseNumber}` });
    })
    .optional(),
});

export type Community = z.infer<typeof communitySchema>;
