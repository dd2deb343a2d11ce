import * as z from 'zod';
import {
  TEMPLATE_TEXT_MAX_LENGTH,
  TEMPLATE_TITLE_MAX_LENGTH,
  TEMPLATES_PER_DEPARTMENT,
} from '../../domain/operator/answer-templates.js';
import { visibleText } from './changes.js';
import { freeText } from './fields.js';

/** A department's answer templates: GET, PUT and DELETE /api/v1/departments/{department}/answer-templates/…. */

export const answerTemplateBody = z
  .strictObject({
    title: visibleText(
      `What the console lists it by, trimmed: at most ${TEMPLATE_TITLE_MAX_LENGTH} characters.`,
      TEMPLATE_TITLE_MAX_LENGTH,
    ),
    // Counted as the reply route counts words (send-to-citizen.ts: UTF-16 code units), not as zod's `max`
    // does (code points): an emoji counts two there, and a template of 8000 would be kept, then refused.
    text: visibleText(
      `The words the console puts into the answer box, trimmed: at most ${TEMPLATE_TEXT_MAX_LENGTH} ` +
        'characters as a `reply` counts them (UTF-16 code units: an emoji, or another character beyond the ' +
        'Basic Multilingual Plane, counts two), the most a `reply` takes for an inquiry whose words begin with ' +
        'the default line and a case number such as 2026-004217 (a community that words a longer line leaves ' +
        'its inquiries less: ' +
        'their `maxTextLength`). No placeholders: the line naming the case is added when the words are sent. ' +
        'Standard words only: never a citizen’s name, address, phone or VK id.',
    )
      .refine((text) => text.length <= TEMPLATE_TEXT_MAX_LENGTH, {
        message: `too long: at most ${TEMPLATE_TEXT_MAX_LENGTH} characters as a reply counts them (an emoji counts two)`,
      })
      .meta({ maxLength: TEMPLATE_TEXT_MAX_LENGTH }),
  })
  .meta({
    description:
      'An answer template of the department, new or replacing the one of this id. The same title and text as ' +
      'the template has answer it as it is, nothing written (a repeat after a lost answer).',
  });
export type AnswerTemplateBody = z.infer<typeof answerTemplateBody>;

export const answerTemplate = z.object({
  id: z.string().describe('Its id in the department, as the path names it.'),
  title: freeText('What the console lists it by.'),
  text: freeText('The words the console puts into the `reply` or `intermediate-answer` box.'),
  version: z
    .number()
    .describe(
      'Raised by every change: sent quoted (`"3"`) as `If-Match`, a change is made only on this version.',
    ),
  updatedAt: z.string().describe('When it was last saved (ISO, UTC).'),
  updatedBy: z
    .object({ id: z.string(), name: freeText() })
    .describe('Who last saved it: their id in the user pool and the name colleagues know them by.'),
});

export const answerTemplateList = z.object({
  items: z
    .array(answerTemplate)
    .describe(
      `The department’s templates, at most ${TEMPLATES_PER_DEPARTMENT}, by title (alphabetical as in Russian, ` +
        'Cyrillic before Latin, case aside, numbers by value), all on one page.',
    ),
});
