import * as z from 'zod';
import { SLA_CLOCKS } from '../../domain/inquiry/deadline.js';
import { INQUIRY_STATUSES } from '../../domain/inquiry/inquiry.js';
import { CATEGORIES, PRIORITIES } from '../../domain/taxonomy.js';
import { CHANNELS } from '../../domain/vk/citizen-message.js';
import { MAX_QUOTED_CHARACTERS, MAX_QUOTED_DEPTH, MAX_QUOTED_MESSAGES } from '../../domain/vk/quoted.js';
import { freeText, JOINED_CASE_SHOWN, joinedCase, otherDepartmentsCase, PLAIN_TEXT } from './fields.js';

/** An inquiry as the API gives it: alone, as a change answers it, and a page of them as a list does. */

export const sharedLocation = z.object({
  latitude: z.number(),
  longitude: z.number(),
  title: freeText('The place’s name, where VK names it: an address or a venue.').optional(),
  address: freeText().optional(),
  city: freeText().optional(),
  country: freeText().optional(),
  mapUrl: z.string().describe('The point on Yandex Maps.'),
});

/** One kind of attachment of a message, as vk/attachments.ts sums them up. */
export const attachment = z.object({
  kind: z.string(),
  count: z.number(),
  links: z
    .array(z.string())
    .optional()
    .describe(
      'Where to open them: the links VK gives, else the vk.com address of a video, photo, document or audio ' +
        '(https://vk.com/video<owner_id>_<id>), a shared post or comment, made from their ids.',
    ),
  transcripts: z
    .array(z.string())
    .optional()
    .describe(
      'audio_message: what VK’s speech recognition heard in the voice messages, where it finished. The ' +
        `citizen’s words: classified and routed on with the text. ${PLAIN_TEXT}`,
    ),
});

export const quotedMessage = z.object({
  kind: z
    .enum(['forwarded', 'reply', 'repost', 'shared_post', 'shared_comment'])
    .describe(
      'forwarded: a message forwarded with the citizen’s; reply: the message the citizen replied to; repost: a ' +
        'post the citizen’s post reposts; shared_post, shared_comment: a post or comment shared in the message.',
    ),
  depth: z.number().describe('1: carried by the citizen’s message itself; 2: by a message that it carries…'),
  authorId: z
    .number()
    .optional()
    .describe('Who wrote it, where VK says: a person’s VK id, a community’s negative id'),
  sentAt: z.string().optional(),
  text: freeText('The words passed on, as their author wrote them (empty when `redacted`).'),
  cut: z
    .literal(true)
    .optional()
    .describe(
      'The text was shortened, or its voice messages’ transcripts left out, to fit the bounds: read it whole in VK.',
    ),
  link: z.string().optional().describe('Where to open a post or comment in VK.'),
  attachments: z.array(attachment).optional(),
  redacted: z
    .literal(true)
    .optional()
    .describe(
      'Its author asked for their data to be deleted: its text is empty, and its author, time, link and ' +
        'attachments are gone. It keeps its place, so that the citizen’s own words around it still read.',
    ),
});

export const operatorRef = z.object({
  id: z.string().describe("The operator's id in the user pool (`sub`)"),
  name: freeText('Their name in the user pool, else the e-mail they sign in with.'),
});

export const slaTerms = z
  .object({
    firstResponseHours: z.number(),
    resolutionHours: z.number(),
    clock: z
      .enum(SLA_CLOCKS)
      .optional()
      .describe(
        'How the hours count: `working_hours`, in working time of the community’s calendar, or ' +
          '`round_the_clock`, every hour of every day. Absent on inquiries opened before terms said it: working hours.',
      ),
    warnAtFraction: z
      .number()
      .optional()
      .describe(
        'The share of a term after which the department is warned, where the configuration sets one for the ' +
          'priority (critical: earlier); absent: the configuration’s general share (0.8 by default).',
      ),
  })
  .describe(
    'The SLA terms: hours to the first response and to the resolution, how they count, and when the department is warned.',
  );

const messagePlace = {
  messageRef: z.string(),
  sentAt: z.string(),
  number: z.number().optional(),
};

export const attachments = z
  .array(attachment)
  .describe(
    'The attachments by kind (photo, doc, audio_message…), with the links VK gives, where it gives any.',
  );

/**
 * Every field an inquiry has, as the API gives it (domain/operator/view.ts leaves out its bookkeeping): strict, so that a field
 * added to the inquiry and not here fails the test that checks real answers against the document.
 */
export const inquirySummary = z.strictObject({
  id: z.string(),
  caseNumber: z
    .string()
    .optional()
    .describe(
      "The case number the citizen was told (`2026-004217`: the year and the community's sequence in it), " +
        'given when the inquiry was put into work: none on a message taken for no inquiry, nor on an inquiry ' +
        'opened before case numbers (its acknowledgement told its `id`).',
    ),
  groupId: z.number(),
  channel: z.enum(CHANNELS),
  replyTo: z
    .looseObject({ channel: z.enum(CHANNELS) })
    .describe(
      'Where the answer goes, by `channel`: direct_message {peerId, conversationMessageId?, messageId?}; ' +
        'wall_post {ownerId, postId, suggested?}; wall_comment {ownerId, postId, commentId, threadCommentId?}; ' +
        'board_comment {groupId, topicId, commentId}; photo_comment {ownerId, photoId, commentId}; ' +
        'video_comment {ownerId, videoId, commentId}; market_comment {ownerId, itemId, commentId}. VK’s ids.',
    ),
  authorId: z.number().describe('The citizen’s VK id.'),
  withdrawn: z
    .boolean()
    .optional()
    .describe(
      'The citizen deleted the opening message in VK: `text` is then what it said. A community admin’s ' +
        'deletion withdraws nothing (its `message_changed` entry’s `actor` is `community`); before the ' +
        'release of this document’s 1.2.0 it set this too.',
    ),
  citizenSettledAt: z
    .string()
    .optional()
    .describe(
      'When the citizen wrote (VK’s time), while the inquiry was open, that their matter is settled or ' +
        'withdrawn ("Уже починили, вопрос снят", "Неактуально", "Прошу прекратить рассмотрение моего ' +
        'обращения"): their `message` entry of that time says so. Nothing closes it by itself, the words ' +
        'being read by rules that can be wrong: read them, then answer or close it. Such words raise no ' +
        'priority and reopen no answered inquiry. Cleared by the citizen’s later words of the matter, by ' +
        'those words edited into more of it, and by a new cycle (a reopening).',
    ),
  status: z.enum(INQUIRY_STATUSES),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
  confidence: z.number().describe('How sure the classifier was, 0 to 1.'),
  triage: z.boolean().describe('The classifier was not sure: it went to the triage department to review.'),
  terms: slaTerms
    .optional()
    .describe('The SLA terms it runs on; absent on a message rejected as not an inquiry.'),
  clock: z
    .object({
      kind: z.enum(['first_response', 'resolution']),
      cycle: z
        .number()
        .describe('Which clock of the inquiry this is, from 1: each is warned and escalated once.'),
      startedAt: z.string(),
      dueAt: z.string(),
      warnAt: z.string(),
      warned: z.boolean(),
      breached: z.boolean(),
    })
    .optional()
    .describe('The running deadline; absent once answered or closed, and on a rejected message.'),
  clockCount: z.number().describe('How many clocks it has started.'),
  department: z
    .string()
    .optional()
    .describe(
      "The department that owns it; a message rejected as not an inquiry: its community's triage department, " +
        'where it is listed for review (none on one recorded before rejected messages were listed).',
    ),
  text: z
    .string()
    .describe(
      "The citizen's own words in the opening message, as last edited: what they passed on is in `quoted`; " +
        'edited after an answer, `editedAfterAnswerAt` says so. ' +
        PLAIN_TEXT,
    ),
  editedAfterAnswerAt: z
    .string()
    .optional()
    .describe(
      'When the citizen last edited the opening message in VK after an operator’s answer to it: `text` holds ' +
        'words the answer did not see; the history’s `message` entry keeps the words it answered, the ' +
        '`message_changed` entry the new ones (`afterAnswer`). Absent when it was not edited so.',
    ),
  attachments: attachments
    .optional()
    .describe(
      'What the opening message carries besides its text, as last edited, as its `message` history entry ' +
        'gives it: by kind (photo, doc, audio_message, forwarded_messages, geo…), with the links VK gives and ' +
        'the transcripts of voice messages. What a message with no words (a voice message, a photo) is about, ' +
        'shown without opening the inquiry. Absent when it carries none, and on inquiries stored before it was kept.',
    ),
  quoted: z
    .array(quotedMessage)
    .optional()
    .describe(
      'What the opening message passed on, in reading order: the message it replies to, forwarded messages ' +
        '(nested ones after the one that carries them, `depth` 2 and more), the posts a repost copies, posts ' +
        'and comments shared in it. A `message` entry of the history carries the same for each message.',
    ),
  quotedLeftOut: z
    .number()
    .optional()
    .describe(
      `How many passed-on messages were not kept: deeper than ${MAX_QUOTED_DEPTH}, more than ` +
        `${MAX_QUOTED_MESSAGES}, or past ${MAX_QUOTED_CHARACTERS} characters in all. Read them in VK.`,
    ),
  cropped: z
    .literal(true)
    .optional()
    .describe(
      'The opening message came cut short: VK cut it in its event (`is_cropped`), or the event was too large ' +
        '(over 256 KiB: many forwarded messages or photos) and only what is shown here was kept. Read the ' +
        'rest in VK.',
    ),
  location: sharedLocation
    .optional()
    .describe(
      'The location the opening message shared (VK’s `geo`): its coordinates, the place as VK names it, and a ' +
        'map link. A `message` entry of the history carries the location of its own message.',
    ),
  vkUrl: z
    .string()
    .optional()
    .describe(
      'Where to open the citizen’s words in VK: the community’s dialogue with the citizen ' +
        '(`https://vk.com/gim<group>?sel=<peer>`), the post, the comment (`wall<owner>_<post>?reply=<comment>`, ' +
        'with `&thread=` in a thread), the board topic at the comment, or the photo, video or product commented ' +
        'on. Absent for a group chat, which has no such address.',
    ),
  maxTextLength: z
    .number()
    .int()
    .describe(
      'The most characters of `text` a `reply` or `intermediate-answer` to this inquiry takes: VK’s 9000 for a ' +
        'message, less the line naming the case that goes before the words and its line break (8972 with the ' +
        'default line and a number such as 2026-004217; 9000 for an inquiry without a case number). Longer ' +
        'words answer 400. Given by the community’s configuration now: it may change with the answer line.',
    ),
  firstResponseStartedAt: z
    .string()
    .optional()
    .describe(
      'Since when the citizen has waited in the current cycle, which the statistics time its first response ' +
        'and answer from: when the opening message reached us (or an edit made it an inquiry), or the inquiry ' +
        'was reopened; a message of the citizen that reached us earlier, routed after the one that opened it, ' +
        'moves it back to when that one did. A message rejected and then routed into work keeps the start of ' +
        'its wait (its arrival, or the start of the cycle an operator rejected), while its first-response ' +
        'clock runs from the route. Absent on inquiries stored before it was kept.',
    ),
  firstResponseDueAt: z.string().optional(),
  firstRespondedAt: z
    .string()
    .optional()
    .describe(
      'When the first response of the current cycle was given: cleared when VK refuses the words that gave ' +
        'it (`undelivered`), as the citizen never got them; the next words, or the closing, give it again.',
    ),
  firstResponseLate: z.boolean().optional().describe('The first response came after `firstResponseDueAt`.'),
  resolutionDueAt: z.string().optional(),
  answeredAt: z.string().optional(),
  closedAt: z.string().optional(),
  finishedAt: z
    .string()
    .optional()
    .describe(
      'When it was last answered, closed or rejected; absent while it is in work again. Its data is deleted ' +
        '`retention.closedInquiryDays` after this (after `updatedAt` on one finished before it was kept).',
    ),
  earlierCycles: z
    .array(
      z.object({
        status: z.enum(INQUIRY_STATUSES).describe('How the cycle ended: answered, closed or rejected.'),
        startedAt: z
          .string()
          .optional()
          .describe(
            'Since when the citizen waited in it, as `firstResponseStartedAt` (absent on one reopened before ' +
              'it was kept).',
          ),
        endedAt: z
          .string()
          .optional()
          .describe(
            'When it ended (answered, closed or rejected): what it had not given by then and was due before ' +
              'counts late in the statistics. Absent on cycles ended before it was kept.',
          ),
        terms: slaTerms.optional().describe('The SLA terms its deadlines were counted by.'),
        firstResponseDueAt: z.string().optional(),
        firstRespondedAt: z.string().optional(),
        firstResponseLate: z.boolean().optional(),
        resolutionDueAt: z.string().optional(),
        answeredAt: z.string().optional(),
        closedAt: z.string().optional(),
        refused: z
          .enum(['answer', 'intermediate_answer'])
          .optional()
          .describe(
            'The operators’ words VK refused last in the cycle, if any: they did not reach the citizen. ' +
              '`answer` also when VK refused its answer after the next cycle began: it is no longer counted as ' +
              'answered. `intermediate_answer` also when VK refused, after the next cycle began, the ' +
              'intermediate answer that was its first response: no longer counted as one (its answer, if any, ' +
              'is its first response then).',
          ),
        escalated: z
          .literal(true)
          .optional()
          .describe('One of the cycle’s deadlines passed without what was owed.'),
        citizenSettledAt: z
          .string()
          .optional()
          .describe(
            'The inquiry’s `citizenSettledAt` as the cycle ended: the citizen wrote in it that the matter is ' +
              'settled. Absent on cycles ended before it was kept.',
          ),
      }),
    )
    .optional()
    .describe(
      'The cycles before the current one (the inquiry was reopened, or rejected and routed back into work), ' +
        'oldest first, as each ended: the statistics count their first responses and answers too. Absent ' +
        'until a second cycle starts, and on inquiries whose cycles ended before they were kept.',
    ),
  escalated: z
    .boolean()
    .describe(
      'A deadline of its current cycle has passed without what was owed. A reopened inquiry (or one ' +
        'rejected and routed back into work) starts without it; its history and `earlierCycles` keep the ' +
        'earlier escalation.',
    ),
  assignee: operatorRef
    .optional()
    .describe(
      'The operator handling it: who took it (`take`), or answered it from the console when no one had (or ' +
        'with `force`). Kept once it is answered, closed or reopened; cleared when it moves to another ' +
        'department.',
    ),
  undelivered: z
    .object({
      outboxId: z.string(),
      purpose: z.enum(['answer', 'intermediate_answer']),
      reason: freeText(
        'Why: VK’s error, or the channel’s missing token; ending "kept in the dead-letter queue" when the words ' +
          'failed every try (ops may send them from there).',
      ),
      at: z
        .string()
        .describe(
          'When the words were flagged: VK refused them, or their last try failed. Kept when, replayed from the ' +
            'dead-letter queue, they are refused again or dropped, which changes `reason` alone.',
        ),
    })
    .optional()
    .describe(
      "The operator's answer (or intermediate answer) that VK refused for good, or that failed every try, and " +
        'why: the citizen did not get it. Cleared when an operator answers again or closes the inquiry, or when ' +
        'the words, replayed from the dead-letter queue, are delivered. If it gave the first response, ' +
        'that is owed again (`firstRespondedAt` cleared).',
    ),
  messageCount: z.number().describe('How many of the citizen’s messages it holds.'),
  lastMessageAt: z.string().describe('When the citizen last wrote (VK’s time of the message).'),
  reopenCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().describe('Incremented on every change.'),
  openingMessage: z
    .object(messagePlace)
    .optional()
    .describe('The message its `text` comes from: VK’s reference and time of it.'),
  routingMessage: z
    .object({ ...messagePlace, rule: z.number().nullable() })
    .optional()
    .describe(
      'The message its category and department come from, and the routing rule it matched (null: triage).',
    ),
  follows: z
    .union([
      z.object({
        inquiryId: z.string(),
        caseNumber: z.string().optional(),
        category: z.enum(CATEGORIES),
        department: z
          .string()
          .optional()
          .describe(
            'Its department when the new matter was opened (a move may have changed it since); absent on ' +
              'inquiries opened before it was kept.',
          ),
      }),
      otherDepartmentsCase,
    ])
    .optional()
    .describe(
      'A new matter’s: the citizen’s answered or closed case in the same conversation that its first message ' +
        'did not reopen, being of another category, as that case was then (its id, case number, category and ' +
        'department), to an admin and an operator of the department it is in now (a move may have changed ' +
        'it). To anyone else it is another department’s inquiry, of which the API tells nothing: ' +
        '`{ "otherDepartment": true }` (and so for a case deleted since, by retention or erasure, but to an ' +
        'admin, whose number then finds nothing).',
    ),
  wordsJoined: joinedCase
    .optional()
    .describe(
      'A message taken for no inquiry that the citizen edited into words of the matter of their newer ' +
        `inquiry, which took them as a follow-up: that inquiry and its case number. ${JOINED_CASE_SHOWN} ` +
        'Its `text` stays its own; a `move` of it answers 409 `words_joined`.',
    ),
  operatorActedAt: z
    .string()
    .optional()
    .describe('When a person last changed it: from then on it is never re-routed automatically.'),
});

/** The answer to a change: the inquiry as changed, and the id of the message to the citizen it queued. */
export const changedInquiry = inquirySummary.extend({
  outboxId: z
    .string()
    .optional()
    .describe(
      'The message to the citizen this change put on the outbox (an answer, an intermediate answer, or the ' +
        'acknowledgement of a rejected message moved into work), the same for a repeated request: the ' +
        '`outboxId` of its `delivery` history entries, and of `undelivered` if VK refuses it. Absent when the ' +
        'change queued none.',
    ),
});

/**
 * A case of the number looked up that is out of the operator's reach, and was theirs (operator-api/
 * left-departments.ts): what the 403 `left_your_departments` of its detail says, and which case it is.
 */
export const leftCase = z
  .strictObject({
    groupId: z
      .number()
      .describe('The community whose case of that number it is (numbers are per community).'),
    caseNumber: z.string().describe('Its case number, written in full (`2026-004217`).'),
    current: z
      .strictObject({ status: z.enum(INQUIRY_STATUSES), version: z.number() })
      .describe('Its status and version now, as the `current` of its detail’s 403 `left_your_departments`.'),
  })
  .describe(
    'A case of the number asked for that was in your departments, or yours, and has since been moved to ' +
      'another department or rejected (or you left its department): it is not lost, but you can no longer ' +
      'read it, as its detail answers 403 `left_your_departments`; where it is now is not said.',
  );

export type LeftCase = z.infer<typeof leftCase>;

export const inquiryPage = z.object({
  items: z.array(inquirySummary),
  asOf: z.iso
    .datetime()
    .describe(
      'When the page was read (the API’s clock, as the reading began), for the console to say "as of 14:02": ' +
        'each page shows the inquiries as they stood then, and a later page as they stood when it was read, ' +
        'not a copy of the list as the first page found it (see `cursor`).',
    ),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Given while the list may go on, also after a page with fewer items than `limit` or none; ' +
        'absent at its end.',
    ),
  leftYourDepartments: z
    .array(leftCase)
    .optional()
    .describe(
      'A lookup by `caseNumber` only: the cases of that number that left your departments, which `items` ' +
        'does not list, so that a number a citizen reads out does not look lost. Absent where there is ' +
        'none: a case of another department that never was yours is left out, as a number there is not.',
    ),
});
export type InquiryPage = z.infer<typeof inquiryPage>;
