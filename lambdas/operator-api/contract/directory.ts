import * as z from 'zod';
import { PLAIN_TEXT } from './fields.js';

/** GET /api/v1/directory and GET /api/v1/me: what there is, and who is asking. */

export const directory = z.object({
  departments: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe('Every department: its id (as inquiries, lists and `move` name it) and its name.'),
  communities: z
    .array(
      z.object({
        groupId: z.number().describe('The VK community’s id, as inquiries name it (`groupId`).'),
        name: z.string(),
        timeZone: z
          .string()
          .describe(
            'The IANA time zone its working hours and deadlines are kept in: show its times (all UTC in the ' +
              'API) in it.',
          ),
      }),
    )
    .describe('Every VK community the product answers for.'),
});

export const me = z.object({
  id: z
    .string()
    .describe("Your id in the user pool (`sub`): the `actorId` of what you do, an `assignee`'s id"),
  name: z
    .string()
    .describe(
      `What colleagues read as who did it (\`actorName\`): the \`name\` in the user pool, else your e-mail. ${PLAIN_TEXT}`,
    ),
  admin: z.boolean().describe('In `admins`: you see and change every department’s inquiries.'),
  departments: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe(
      'The departments you are an operator of (your `dept-<id>` groups), as the directory names them: whose ' +
        "inquiries you see and change. An admin may be in none and still sees every department's.",
    ),
});
