import * as z from 'zod';
import { HISTORY_ACTORS, type HistoryKind, INQUIRY_STATUSES } from '../../domain/inquiry/inquiry.js';
import type { InquiryEvent } from '../../domain/inquiry/state-machine.js';
import { OUTBOX_PURPOSES } from '../../domain/outbox/outbox-message.js';
import { CATEGORIES, PRIORITIES } from '../../domain/taxonomy.js';
import { freeText, JOINED_CASE_SHOWN, joinedCase, PLAIN_TEXT } from './fields.js';
import {
  attachments,
  inquirySummary,
  operatorRef,
  quotedMessage,
  sharedLocation,
  slaTerms,
} from './inquiry.js';

/** An inquiry's history: each kind of entry and its `detail`, an inquiry with its newest entries, and older pages. */

/** Where an operator's words were written, as the state machine's answering events say (`via`). */
const REPLY_VIA = ['console', 'vk'] as const satisfies readonly Extract<
  InquiryEvent,
  { type: 'final_answer' }
>['via'][];

const classification = {
  inquiry: z.boolean().optional(),
  category: z.enum(CATEGORIES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  confidence: z.number().optional(),
  triage: z.boolean().optional(),
  model: z.string().optional().describe('The model or rule set that classified it.'),
};

/** What each kind of history entry says in its `detail`; every field optional where kinds' writers differ. */
const HISTORY_DETAILS = {
  message: z
    .object({
      messageRef: z.string(),
      receivedAt: z
        .string()
        .optional()
        .describe(
          'When the message reached us (VK’s event, as ingest took it; for an edit whose words joined this ' +
            'inquiry, or a chat’s message edited to be written to the community, the edit). The entry’s `at` ' +
            'is when the citizen wrote it, by VK. Absent on entries stored before it was kept: the time that ' +
            'begins their `key` is then when the message reached the inquiry (when it reached us, unless it ' +
            'was written before an answer and reached the inquiry after it: just after the answer).',
        ),
      text: freeText(
        'The citizen’s own words in this message as they stand now, not as first received: an edit or a ' +
          'restoration in VK rewrites them (the words each replaced are the `previousText` of its ' +
          '`message_changed` entry), unless an operator had answered them: they then stay the words the ' +
          'answer covered (`editedAfterAnswerAt`). A deletion keeps the words deleted (`deleted`).',
      ),
      attachments,
      quoted: z.array(quotedMessage).optional(),
      quotedLeftOut: z.number().optional(),
      location: sharedLocation.optional(),
      cropped: z.literal(true).optional(),
      classification: z.object(classification).optional(),
      changedAt: z
        .string()
        .optional()
        .describe(
          'When the newest change of the message in VK (an edit, a deletion, a restoration) reached us: the ' +
            '`at` of its `message_changed` entry. Absent while it was never changed.',
        ),
      deleted: z
        .boolean()
        .optional()
        .describe(
          'Whether the message is deleted in VK, as the newest change applied to it left it (`false` once ' +
            'restored); absent while it was never changed. Who deleted it, the citizen or a community admin, ' +
            'is the `actor` of the deletion’s `message_changed` entry.',
        ),
      editedAfterAnswerAt: z
        .string()
        .optional()
        .describe(
          'The citizen edited the message in VK after an operator’s answer to it: `text` stays the words the ' +
            'answer covered; the `message_changed` entries hold the new ones.',
        ),
    })
    .describe(
      'A citizen’s message: its words, attachments, what it passed on and where it shares a location.',
    ),
  classified: z
    .object({
      ...classification,
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      terms: slaTerms.optional(),
      dueAt: z.string().optional(),
    })
    .describe('The classifier’s verdict, or (fromPriority/toPriority) a follow-up that raised the priority.'),
  routed: z
    .object({
      department: z.string().optional(),
      rule: z.number().nullable().optional(),
      fromDepartment: z.string().optional(),
      toDepartment: z.string().optional(),
      fromCategory: z.enum(CATEGORIES).optional(),
      toCategory: z.enum(CATEGORIES).optional(),
      category: z.enum(CATEGORIES).optional(),
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      messageRef: z.string().optional(),
      opening: z.boolean().optional(),
      fromAssignee: operatorRef.optional().describe('Routed to another department: whose it was.'),
      terms: slaTerms.optional(),
      firstResponseDueAt: z.string().optional(),
      previousInquiryId: z
        .string()
        .optional()
        .describe(
          'Opened by a new matter: the citizen’s answered or closed inquiry in the same conversation that the ' +
            'message, of another category, did not reopen (its `id`: the earlier conversation is in its history). ' +
            'Given, as `previousCaseNumber` and what the `reason` says of that inquiry, only where the inquiry’s ' +
            '`follows` names it: to anyone else the `reason` says only that it followed the citizen’s case in ' +
            'another department.',
        ),
      previousCaseNumber: z
        .string()
        .optional()
        .describe(
          'Opened by a new matter: the case number of that inquiry (`GET /api/v1/inquiries?caseNumber=…`); ' +
            'absent if it had none.',
        ),
    })
    .describe(
      'Routed to a department (by a rule, to triage, or by an operator), with its terms and deadline.',
    ),
  rejected: z
    .object({
      department: z
        .string()
        .optional()
        .describe('The triage department it is listed under (none on one recorded before they were listed).'),
      fromDepartment: z.string().optional().describe('Rejected by an operator: the department it was in.'),
      fromAssignee: operatorRef.optional().describe('Rejected by an operator: whose it was.'),
    })
    .describe(
      'Not an inquiry, by the classifier or by an operator (`actorId`, `actorName`, and why: `reason`): ' +
        'listed under the triage department, handed over there from the department it was in, no one’s.',
    ),
  status: z
    .object({
      firstResponseDueAt: z.string().optional(),
      assignee: operatorRef.optional().describe('Taken: whose it is now.'),
      fromAssignee: operatorRef
        .optional()
        .describe('Taken over, or released (no `assignee` then): whose it was.'),
      outboxId: z
        .string()
        .optional()
        .describe(
          'By the responder: the message whose words, flagged `undelivered` when they went to the dead-letter ' +
            'queue, reached the citizen after all, replayed from there.',
        ),
    })
    .describe(
      'Taken, closed or reopened (see `from`, `to` and `reason`); a reopening gives the new deadline. Released ' +
        '(`release`): `fromAssignee` and no `assignee`, the status unchanged (no `from`, `to`), the inquiry no ' +
        'one’s. By the ' +
        'responder (`actor`): words flagged `undelivered` delivered after all, which clears the flag (an ' +
        'answer answers the inquiry).',
    ),
  reply: z
    .object({
      text: freeText('The operator’s words.'),
      via: z.enum(REPLY_VIA).describe('console: through this API; vk: an admin answered by hand in VK.'),
      intermediate: z.boolean().optional(),
      firstResponse: z.boolean().optional(),
      resolutionDueAt: z.string().optional(),
      assignee: operatorRef
        .optional()
        .describe(
          'An answer or intermediate answer from the console to an inquiry no one had taken, or sent with ' +
            '`force` to one another operator held: theirs now.',
        ),
      fromAssignee: operatorRef.optional().describe('Sent with `force`: whose the inquiry was.'),
      outboxId: z
        .string()
        .optional()
        .describe(
          'The id of the message that carries the words to the citizen (none for words typed in VK, which ' +
            'VK sent): the `outboxId` of its `delivery` entries and, if VK refused it, of the `undelivered` ' +
            'entry and flag. Match it whole. Absent on entries written before it was kept.',
        ),
    })
    .describe(
      'An operator’s answer, intermediate answer or further word. Its delivery is a `delivery` entry with ' +
        'the same `outboxId`.',
    ),
  message_changed: z
    .object({
      messageRef: z.string(),
      change: z.string().describe('edited, deleted or restored.'),
      text: freeText('The citizen’s words after an edit or restoration.').optional(),
      attachments: attachments
        .optional()
        .describe(
          'What the message carries after an edit or restore (a photo added by an edit), if anything.',
        ),
      previousText: freeText('The citizen’s words before an edit.').optional(),
      afterAnswer: z
        .enum(['reopened', 'recorded'])
        .optional()
        .describe(
          'An edit of words an operator had answered: the `message` entry keeps the answered words. ' +
            '`reopened`: it added to them within the reopening window and reopened the inquiry (the entry ' +
            'moves it to `reopened`); `recorded`: a small change (a typo, a reaction), or too late to reopen.',
        ),
      joined: joinedCase
        .optional()
        .describe(
          'The edit’s words joined the citizen’s newer inquiry as a follow-up, whose history keeps them (no ' +
            `\`text\` here). ${JOINED_CASE_SHOWN} The \`reason\` names it as \`joined\` does.`,
        ),
    })
    .describe(
      'The citizen edited, deleted or restored a message in VK, or a community admin deleted it (`actor`: ' +
        '`community`; the inquiry is then not `withdrawn`).',
    ),
  warning: z
    .object({
      clock: z.enum(['first_response', 'resolution']),
      cycle: z.number(),
      dueAt: z.string(),
      department: z.string().optional(),
    })
    .describe('A deadline is near.'),
  escalated: z
    .object({
      clock: z.enum(['first_response', 'resolution']),
      cycle: z.number(),
      dueAt: z.string(),
      department: z.string().optional(),
    })
    .describe('A deadline has passed.'),
  delivery: z
    .object({
      outboxId: z.string(),
      purpose: z.enum(OUTBOX_PURPOSES),
      attempt: z.string().describe('`<queue delivery>.<try>`.'),
      result: z.enum(['delivered', 'undeliverable', 'skipped', 'retry', 'token']),
      method: z.string().optional().describe('The VK API method called.'),
      vkId: z.number().optional().describe('The id VK gave the message or comment sent.'),
      vkError: z.number().optional(),
      vkMessage: freeText('VK’s error message.').optional(),
      token: z.string().optional(),
      text: z
        .string()
        .optional()
        .describe(
          'An acknowledgement’s words, as sent (or tried): what the citizen was promised. Absent on the ' +
            'delivery of an operator’s words: those are their `reply` entry’s `text`, which the citizen got ' +
            'after a line naming the case (the community’s `answerPrefix`, by default `По обращению № ' +
            '<caseNumber>:`; none without a case number) that is not kept. ' +
            PLAIN_TEXT,
        ),
    })
    .describe('One attempt to send a message to the citizen through the VK API, and its result.'),
  moved: z
    .object({
      fromDepartment: z.string().optional(),
      toDepartment: z.string().optional(),
      fromCategory: z.enum(CATEGORIES).optional(),
      toCategory: z.enum(CATEGORIES).optional(),
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      terms: slaTerms.optional(),
      dueAt: z.string().optional(),
      fromAssignee: operatorRef.optional().describe('Moved to another department: whose it was.'),
      escalationUndone: z
        .literal(true)
        .optional()
        .describe(
          'The priority set back undid a raise to critical before its department was told, and with it the ' +
            'escalation the raise made at once: the inquiry is no longer escalated (the `escalated` entry ' +
            'stays).',
        ),
      escalatedDueAt: z
        .string()
        .optional()
        .describe(
          'The deadline, passed and escalated, that the move replaced by `dueAt`: the clock was put back (the ' +
            'priority set back after its department was told of the raise to critical, a category with longer ' +
            'terms) and is judged by the deadline it now has. Passed too, the inquiry stays escalated; else it ' +
            'is no longer escalated (the `escalated` entry stays), and is warned and escalated anew of `dueAt` ' +
            'as any deadline.',
        ),
    })
    .describe('An operator moved it to another department, category or priority.'),
  undelivered: z
    .object({ outboxId: z.string(), purpose: z.enum(['answer', 'intermediate_answer']) })
    .describe('VK refused an operator’s words for good: the citizen did not get them.'),
  note: z
    .object({})
    .describe(
      'An operator’s internal note (`actorId`, `actorName`): what they did outside the product, its words the ' +
        'entry’s `reason`. Never sent to the citizen; it changed nothing else of the inquiry.',
    ),
} satisfies Record<HistoryKind, z.ZodObject>;

/**
 * The documented part of a stored entry's `detail`, nested objects too (zod leaves out keys it does not know):
 * undefined if the stored one does not fit its kind's schema (an entry written by an older version).
 */
export const documentedDetail = (
  kind: HistoryKind,
  detail: Record<string, unknown>,
): Record<string, unknown> | undefined => HISTORY_DETAILS[kind].safeParse(detail).data;

export const isDocumentedKind = (kind: string): kind is HistoryKind => Object.hasOwn(HISTORY_DETAILS, kind);

/** The fields a kind's `detail` documents. */
export const detailFields = (kind: HistoryKind): readonly string[] =>
  Object.keys(HISTORY_DETAILS[kind].shape);

const historyFields = {
  key: z
    .string()
    .describe(
      'Names the entry, the same on every read, and orders the history as it comes: the time of what caused ' +
        'the entry (for a message the citizen wrote before an answer and that reached the inquiry after it, ' +
        'the time it reached it, so that it comes after the answer; `at` keeps when they wrote it), then an ' +
        'opaque part. Compare it whole; its parts mean nothing else.',
    ),
  at: z
    .string()
    .describe(
      'When it happened, by the clock its kind says. A `message`: when the citizen wrote it, VK’s `date` (of ' +
        'words an edit joined to this inquiry, when the edited message was written), which may be long before ' +
        'it reached us (`detail.receivedAt`): a message VK delivered late, or one replayed after an outage, may ' +
        'read as written before the inquiry opened. A `reply` typed in VK (`via: vk`): when VK says the admin ' +
        'sent it. Every other entry: when the product recorded it, by its own clock (a `message_changed` ' +
        'entry when the change reached us, an operator’s when the request came, a `delivery` when it was tried).',
    ),
  actor: z
    .enum(HISTORY_ACTORS)
    .describe(
      'Who did it. `community`: the community in VK, not the citizen (an admin deleted the citizen’s comment: ' +
        '`actorId` is their VK id); words an admin typed in VK are an `operator`’s `reply` (`via: vk`).',
    ),
  actorId: z
    .union([z.number(), z.string()])
    .optional()
    .describe(
      'The citizen’s or VK admin’s VK id, or the operator’s id in the user pool (`sub`). A `moved` entry made ' +
        'by no user names its mover instead: `ops:departments-move` (ops’ `departments:move`), ' +
        '`system:unconfigured-department` (handed to triage from a department no longer configured); a ' +
        '`status` entry of a release by no user, its releaser: `ops:operators-release` (ops’ `operators:release`, ' +
        'which lets go of every inquiry an operator holds).',
    ),

  actorName: z
    .string()
    .optional()
    .describe(
      "An operator's name in the user pool, else the e-mail they sign in with: who did it. An answer typed " +
        `in VK has none. ${PLAIN_TEXT}`,
    ),
  reason: freeText(
    'Why: an operator’s words (a rejection, a closing, a move, a reopening; a `note`’s words themselves), or ' +
      'what the product says.',
  ).optional(),
  from: z.enum(INQUIRY_STATUSES).optional().describe('The status it changed from, if it changed one.'),
  to: z.enum(INQUIRY_STATUSES).optional(),
  inquiryId: z.string(),
};

const KNOWN_KINDS = Object.keys(HISTORY_DETAILS);

/**
 * One entry of the history, its `detail` typed by its `kind`; a kind added later comes as the last variant,
 * its detail open, so that a client shows its `reason` rather than failing on it.
 */
export const historyEntry = z.union([
  ...Object.entries(HISTORY_DETAILS).map(([kind, detail]) =>
    z.strictObject({ ...historyFields, kind: z.literal(kind), detail }),
  ),
  z
    .strictObject({
      ...historyFields,
      kind: z.string().regex(new RegExp(`^(?!(?:${KNOWN_KINDS.join('|')})$)`)),
      detail: z.record(z.string(), z.unknown()),
    })
    .describe('A kind this document does not know yet: show its `reason`.'),
]);

/**
 * The history entries an inquiry's detail gives, and a page of its history at most: with the 1 MB one Query
 * reads, what keeps the answer within Lambda's 6 MB however long the dialogue grew.
 */
export const HISTORY_PAGE_SIZE = 100;

const historyOrder =
  'In the order of their keys: oldest first, as the dialogue reads. A page holds every entry of each instant it ' +
  'reaches, so it may hold more or fewer than asked.';

export const inquiryDetail = z.object({
  inquiry: inquirySummary,
  history: z
    .array(historyEntry)
    .describe(
      `The newest ${HISTORY_PAGE_SIZE} entries of the history at most (and 1 MB of them), the whole history of ` +
        `most inquiries. ${historyOrder}`,
    ),
  historyCursor: z
    .string()
    .optional()
    .describe(
      'Given when older entries may be left: `GET /api/v1/inquiries/{id}/history?cursor=…` gives them, the ' +
        'next older page first. Absent when `history` starts with the first entry.',
    ),
});

export const historyQuery = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe(
      'The `historyCursor` of the inquiry’s detail, or the `nextCursor` of the page before: the entries older ' +
        'than those. Without it, the newest page, as the detail gives it.',
    ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_PAGE_SIZE)
    .default(HISTORY_PAGE_SIZE)
    .describe('The most entries a page holds, and 1 MB of them at most.'),
});
export type HistoryQuery = z.infer<typeof historyQuery>;

export const inquiryHistoryPage = z.object({
  history: z.array(historyEntry).describe(`Entries older than the cursor's. ${historyOrder}`),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Given while older entries may be left, also after a page with fewer entries than `limit`: send it as ' +
        '`cursor` for the next older page. Absent once the page starts with the first entry.',
    ),
});
