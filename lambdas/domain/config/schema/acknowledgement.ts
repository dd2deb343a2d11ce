import * as z from 'zod';
import {
  ACKNOWLEDGEMENT_PLACEHOLDERS,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  unknownPlaceholders,
} from '../../outbox/acknowledgement.js';
import { MAX_MESSAGE_LENGTH } from '../../outbox/outbox-message.js';

/**
 * The longest critical line: with a template (half of a VK message) and what its placeholders become, an
 * acknowledgement stays well within VK's limit.
 */
const CRITICAL_NOTICE_MAX_LENGTH = 1000;

/** An acknowledgement's words: up to half of a VK message, with the known placeholders only. */
const acknowledgementText = (rule: (text: string) => string[]) =>
  z
    .string()
    .min(1)
    .max(MAX_MESSAGE_LENGTH / 2)
    .superRefine((text, context) => {
      for (const name of unknownPlaceholders(text))
        context.addIssue({
          code: 'custom',
          message: `unknown placeholder {${name}}: use ${ACKNOWLEDGEMENT_PLACEHOLDERS.map((known) => `{${known}}`).join(', ')}`,
        });
      for (const message of rule(text)) context.addIssue({ code: 'custom', message });
    });

/**
 * The text sent instead of `template` once the {dueAt} it names has passed (a routing replayed from the dead
 * letters, VK down for hours), so that no one is promised a time gone: the case number the citizen quotes,
 * and no {dueAt}.
 */
const templateOnceDueSchema = acknowledgementText((text) => [
  ...(text.includes('{caseNumber}') ? [] : ['must name {caseNumber}, the number the citizen quotes']),
  ...(text.includes('{dueAt}') ? ['must not name {dueAt}: it is sent once that time has passed'] : []),
]);

/**
 * The acknowledgement of a citizen's message that reopened their answered or closed inquiry (docs/answering-citizens.md,
 * "Acknowledgement"), with the same placeholders and rules as that of a new inquiry.
 */
const reopenedAcknowledgementSchema = z.strictObject({
  /** false: a reopening is not acknowledged (a new inquiry still is). */
  enabled: z.boolean().default(true),
  template: acknowledgementText(() => []).default(DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/**
 * The acknowledgement of a reopening by the citizen's edit of a message the answer covered (docs/answering-citizens.md,
 * "Acknowledgement"), with the same placeholders and rules; sent, or not, as `reopened.enabled` says.
 */
const reopenedByEditAcknowledgementSchema = z.strictObject({
  template: acknowledgementText(() => []).default(DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/**
 * The acknowledgement of a citizen's follow-up that raised the priority of their open inquiry (a danger
 * reported later: docs/answering-citizens.md, "Acknowledgement"), with the same placeholders and rules as that of a new inquiry.
 */
const raisedAcknowledgementSchema = z.strictObject({
  /** false: a raise is not acknowledged (a new inquiry, and a reopening, still are). */
  enabled: z.boolean().default(true),
  template: acknowledgementText(() => []).default(DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/**
 * The acknowledgement of a raise by the citizen's edit of one of the inquiry's messages (docs/inquiries.md,
 * "Edits and deletes"), with the same placeholders and rules; sent, or not, as `raised.enabled` says.
 */
const raisedByEditAcknowledgementSchema = z.strictObject({
  template: acknowledgementText(() => []).default(DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/** The automatic acknowledgement of a routed inquiry, in the community's words. */
export const acknowledgementSchema = z.strictObject({
  /** false: the community acknowledges nothing automatically, neither a new inquiry nor a reopening. */
  enabled: z.boolean().default(true),
  /**
   * The text, with {caseNumber} (the inquiry's case number, `2026-004217`: the community's sequence of the
   * year, which operators find the inquiry by; an inquiry opened before case numbers shows its id),
   * {department} (its `publicName`, or `name`) and {dueAt} (in the community's time zone, said so).
   */
  template: acknowledgementText(() => []).default(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
  /** Omitted: a reopening is acknowledged in the default words for it. */
  reopened: reopenedAcknowledgementSchema.optional(),
  /** Omitted: a reopening by an edit is acknowledged in the default words for it. */
  reopenedByEdit: reopenedByEditAcknowledgementSchema.optional(),
  /** Omitted: a follow-up that raised the priority is acknowledged in the default words for it. */
  raised: raisedAcknowledgementSchema.optional(),
  /** Omitted: a raise by an edit is acknowledged in the default words for it. */
  raisedByEdit: raisedByEditAcknowledgementSchema.optional(),
  /**
   * The line every acknowledgement of a `critical` inquiry begins with, on a line of its own: where to call when
   * life is at risk. The same placeholders; "" for none. Omitted: DEFAULT_CRITICAL_NOTICE.
   */
  critical: z
    .string()
    .max(CRITICAL_NOTICE_MAX_LENGTH)
    .superRefine((text, context) => {
      for (const name of unknownPlaceholders(text))
        context.addIssue({ code: 'custom', message: `unknown placeholder {${name}}` });
    })
    .optional(),
  /**
   * How `{dueAt}` names the community's clock when it is not Moscow time ("по пермскому времени"), before its
   * difference from Moscow ("(МСК+2)"). Omitted: "по местному времени".
   */
  localTimeName: z.string().trim().min(1).max(100).optional(),
});
