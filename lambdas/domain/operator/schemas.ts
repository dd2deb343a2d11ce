import * as z from 'zod';
import { parseCaseNumber } from '../inquiry/case-number.js';
import { INQUIRY_STATUSES } from '../inquiry/inquiry.js';
import { MAX_MESSAGE_LENGTH } from '../outbox/outbox-message.js';
import { CATEGORIES, PRIORITIES } from '../taxonomy.js';
import { MAX_QUOTED_CHARACTERS, MAX_QUOTED_DEPTH, MAX_QUOTED_MESSAGES } from '../vk/quoted.js';
import { MAX_STATISTICS_DAYS, periodBound } from './statistics.js';

/**
 * The operator API's requests and answers, described once: the handler validates with them and the OpenAPI
 * document is generated from them (`z.toJSONSchema`).
 */

const departmentId = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const listInquiriesQuery = z.strictObject({
  department: departmentId.optional(),
  status: z
    .enum(INQUIRY_STATUSES)
    .optional()
    .describe(
      'rejected: messages the classifier took for no inquiry (thanks, greetings, ads…), listed under their ' +
        "community's triage department for its operators to review, in no open work: they are in the " +
        '`order=newest` list only. `move` puts one into work.',
    ),
  category: z.enum(CATEGORIES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  community: z.coerce.number().int().positive().optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: the open inquiries past their running deadline; false: the open ones not past it (due now or ' +
        'later, or with no running clock). Either way nearest deadline first, whatever `order` says.',
    ),
  undelivered: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      "true: the inquiries whose operator's answer VK refused for good (the citizen forbade messages, the " +
        'comments are closed…), so that the citizen got nothing: they are back in open work with `undelivered` ' +
        'set until an operator answers again or closes them; false: the others.',
    ),
  order: z
    .enum(['newest', 'urgent'])
    .default('newest')
    .describe(
      'newest: by opening time, every status; urgent: open inquiries by their running deadline, nearest ' +
        'first, those with no running clock last.',
    ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe(
      'The most inquiries a page holds. A filtered list (status, category, priority, community, ' +
        'undelivered) reads a bounded part of each department per request, so a page may hold fewer, or none, ' +
        'and still give a `nextCursor`.',
    ),
  cursor: z
    .string()
    .max(4000)
    .optional()
    .describe(
      'The `nextCursor` of the previous page, sent with the same `order` and `overdue` (another list answers ' +
        '400). The list has ended when a page gives no `nextCursor`.',
    ),
  caseNumber: z
    .string()
    .max(40)
    .refine((text) => parseCaseNumber(text) !== undefined, {
      message: 'a case number is <year>-<number>, as in 2026-004217',
    })
    .optional()
    .describe(
      'The inquiry a citizen names by its case number, as the acknowledgement told it (`2026-004217`; ' +
        '`2026-4217` or `2026 4217` finds it too). Numbers are counted per community: with `community`, that ' +
        "community's inquiry; without, each community's of that number. One page, no `nextCursor`; only " +
        '`community` and `department` may go with it (400 otherwise). One of a department not yours is not ' +
        'listed. Inquiries opened before case numbers have none: find them by id.',
    ),
});
export type ListInquiriesQuery = z.infer<typeof listInquiriesQuery>;

export const textBody = z.strictObject({ text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH) });
export const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const moveBody = z
  .strictObject({
    department: departmentId.optional(),
    /** With a category or a priority, the running deadline is timed anew on the terms they bring. */
    category: z.enum(CATEGORIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    reason: z.string().trim().min(1).max(1000),
  })
  .refine(
    (body) => body.department !== undefined || body.category !== undefined || body.priority !== undefined,
    { message: 'give a department, a category, a priority or several' },
  );
export type MoveBody = z.infer<typeof moveBody>;

/**
 * A moment of the period: with `Z` or an offset, so that a head of department may ask in local time, never
 * without one (whose time zone?). In a URL a bare `+` reads as a space: the error says how to write it.
 */
const periodMoment = z.iso.datetime({
  offset: true,
  error:
    'an ISO date and time with Z or an offset, such as 2026-12-01T00:00:00+05:00 (in a URL, write + as %2B)',
});

/**
 * The period's length in milliseconds; undefined when a bound is no moment, which its own issue reports (zod
 * runs the refinements below even then, and periodBound of no moment would throw: a 500 for a typo).
 */
const periodMilliseconds = (query: { from: string; to: string }) =>
  periodMoment.safeParse(query.from).success && periodMoment.safeParse(query.to).success
    ? Date.parse(periodBound(query.to)) - Date.parse(periodBound(query.from))
    : undefined;

export const statisticsQuery = z
  .strictObject({
    from: periodMoment.describe(
      'The start of the period, included: the inquiries opened at this moment or later. An ISO date and ' +
        'time with `Z` or an offset (`2026-12-01T00:00:00+05:00`, its `+` written `%2B` in a URL), taken to ' +
        'the millisecond.',
    ),
    to: periodMoment.describe(
      'The end of the period, left out: the inquiries opened before this moment, written as `from`. ' +
        'Periods that follow one another (each `to` the `from` of the next) count each inquiry once. A year ' +
        'at most.',
    ),
    department: departmentId.optional(),
    community: z.coerce.number().int().positive().optional(),
  })
  .refine((query) => (periodMilliseconds(query) ?? 1) > 0, { message: 'from must be before to' })
  .refine((query) => (periodMilliseconds(query) ?? 0) <= MAX_STATISTICS_DAYS * 86_400_000, {
    message: `the period is longer than ${MAX_STATISTICS_DAYS} days: ask for a year or less`,
  });

const quotedMessage = z.object({
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
  text: z.string(),
  cut: z.literal(true).optional().describe('The text was shortened to fit the bounds: read it whole in VK.'),
  link: z.string().optional().describe('Where to open a post or comment in VK.'),
  attachments: z
    .array(z.object({ kind: z.string(), count: z.number(), links: z.array(z.string()).optional() }))
    .optional(),
});

export const inquirySummary = z.looseObject({
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
  channel: z.string(),
  status: z.enum(INQUIRY_STATUSES),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
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
      "The citizen's own words in the opening message, as last edited: what they passed on is in `quoted`.",
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
      'VK cut the opening message short in its event (`is_cropped`): read it whole in the dialogue in VK.',
    ),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      title: z.string().optional().describe('The place’s name, where VK names it: an address or a venue.'),
      address: z.string().optional(),
      city: z.string().optional(),
      country: z.string().optional(),
      mapUrl: z.string().describe('The point on Yandex Maps.'),
    })
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
  createdAt: z.string(),
  firstResponseStartedAt: z
    .string()
    .optional()
    .describe(
      'When the current first-response clock started: the opening message reached us (or an edit made it an ' +
        'inquiry), or the inquiry was reopened. Absent on inquiries stored before it was kept.',
    ),
  firstResponseDueAt: z.string().optional(),
  firstRespondedAt: z.string().optional(),
  resolutionDueAt: z.string().optional(),
  answeredAt: z.string().optional(),
  escalated: z.boolean(),
  undelivered: z
    .object({
      outboxId: z.string(),
      purpose: z.enum(['answer', 'intermediate_answer']),
      reason: z.string(),
      at: z.string(),
    })
    .optional()
    .describe(
      "The operator's answer (or intermediate answer) that VK refused for good, and why: the citizen did not " +
        'get it. Cleared when an operator answers again or closes the inquiry.',
    ),
  version: z.number(),
});

export const inquiryPage = z.object({
  items: z.array(inquirySummary),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Given while the list may go on, also after a page with fewer items than `limit` or none; ' +
        'absent at its end.',
    ),
});

export const historyEntry = z.looseObject({
  key: z.string(),
  at: z.string(),
  kind: z.string(),
  actor: z.string(),
  reason: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});

export const inquiryDetail = z.object({ inquiry: inquirySummary, history: z.array(historyEntry) });

/** The figures of one thing an inquiry owes in its current cycle: `what` is its plural. */
const answerFigures = (what: string) =>
  z.object({
    count: z.number().describe(`How many ${what} were given (words VK refused do not count).`),
    medianMinutes: z
      .number()
      .nullable()
      .describe(
        `Calendar minutes from the start of the cycle to each of the ${what} given, median: what the ` +
          'citizen waited, nights, weekends and holidays included. Null when none was given.',
      ),
    p90Minutes: z.number().nullable().describe('The same, 90th percentile.'),
    medianWorkingMinutes: z
      .number()
      .nullable()
      .describe(
        `The same in working minutes of the community's calendar, median: as the deadlines count them (a ` +
          'message sent on Friday evening after hours and answered at 09:30 on Monday waited 30 of them). Null ' +
          'when none was given, or the community is no longer configured.',
      ),
    p90WorkingMinutes: z.number().nullable().describe('The same in working minutes, 90th percentile.'),
    inTime: z.number().describe(`How many ${what} were given by their deadline.`),
    late: z
      .number()
      .describe(`How many ${what} were given after their deadline, or are still owed and past it.`),
    inTimeShare: z
      .number()
      .nullable()
      .describe('inTime / (inTime + late), to three places; null when nothing was due yet.'),
  });

export const statisticsGroup = z.object({
  department: z.string(),
  community: z.number(),
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byCategory: z.record(z.string(), z.number()),
  firstResponse: answerFigures('first responses').describe(
    'The first response (an intermediate answer or the answer, whichever came first), due by ' +
      '`firstResponseDueAt`, in each inquiry’s current cycle: since it was opened, or since it was last ' +
      'reopened (earlier cycles are not counted).',
  ),
  resolution: answerFigures('answers').describe(
    'The resolution: the answer (or, for an inquiry closed after VK refused its answer, the closing), due by ' +
      '`resolutionDueAt` after an intermediate answer, else by the first response’s deadline, in each ' +
      'inquiry’s current cycle: since it was opened, or since it was last reopened.',
  ),
  answeredInTimeShare: z
    .number()
    .nullable()
    .meta({ deprecated: true })
    .describe('`firstResponse.inTimeShare`, under its first name: it counts first responses only.'),
});

export const statistics = z.object({ from: z.string(), to: z.string(), groups: z.array(statisticsGroup) });

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

export const problem = z.object({ message: z.string(), issues: z.array(z.string()).optional() });
