import * as z from 'zod';
import { PRIORITIES } from '../taxonomy.js';
import { CHANNELS, replyTargetSchema } from '../vk/citizen-message.js';
import { INQUIRY_STATUSES } from './status.js';

/**
 * What an inquiry read back from the table must be for the code to work on it: the attributes every release
 * since 13d2507 writes, of their types, and those optional ones that code reads into, of their shapes when
 * present. An item can be otherwise without a bug of ours: edited by hand in the console, restored half
 * written, a number stored as a string. Loose objects: whatever else an item holds (an attribute of a later
 * release, an index key) is not looked at, and nothing is given a default: the item is read as stored, or not
 * at all (malformedAttributesOf).
 */
const time = z.iso.datetime();
const count = z.number().int().nonnegative();

const clockSchema = z.looseObject({
  kind: z.enum(['first_response', 'resolution']),
  cycle: count,
  startedAt: time,
  dueAt: time,
  warnAt: time,
  warned: z.boolean(),
  breached: z.boolean(),
});

const termsSchema = z.looseObject({ firstResponseHours: z.number(), resolutionHours: z.number() });

/** A cycle before the current one (cycles.ts): the times the statistics count by. */
const endedCycleSchema = z.looseObject({
  status: z.enum(INQUIRY_STATUSES),
  startedAt: time.optional(),
  endedAt: time.optional(),
  terms: termsSchema.optional(),
  firstResponseDueAt: time.optional(),
  firstRespondedAt: time.optional(),
  resolutionDueAt: time.optional(),
  answeredAt: time.optional(),
  closedAt: time.optional(),
});

const storedInquirySchema = z.looseObject({
  id: z.string().min(1),
  groupId: z.number().int(),
  channel: z.enum(CHANNELS),
  replyTo: replyTargetSchema,
  conversationKey: z.string(),
  authorId: z.number().int(),
  text: z.string(),
  status: z.enum(INQUIRY_STATUSES),
  // Any word: a category a later configuration no longer names is still shown, as stored.
  category: z.string().min(1),
  priority: z.enum(PRIORITIES),
  caseNumber: z.string().optional(),
  department: z.string().min(1).optional(),
  terms: termsSchema.optional(),
  clock: clockSchema.optional(),
  firstResponseClock: clockSchema.optional(),
  firstResponseStartedAt: time.optional(),
  firstResponseDueAt: time.optional(),
  firstRespondedAt: time.optional(),
  resolutionDueAt: time.optional(),
  answeredAt: time.optional(),
  closedAt: time.optional(),
  finishedAt: time.optional(),
  citizenSettledAt: time.optional(),
  pendingNotification: z
    .looseObject({
      kind: z.enum(['warning', 'breach', 'critical']),
      clock: z.enum(['first_response', 'resolution']),
      dueAt: time,
      at: time,
    })
    .optional(),
  comments: z.array(z.looseObject({ replyTo: replyTargetSchema })).optional(),
  earlierCycles: z.array(endedCycleSchema).optional(),
  undelivered: z
    .looseObject({
      outboxId: z.string(),
      purpose: z.enum(['answer', 'intermediate_answer']),
      reason: z.string(),
      at: time,
    })
    .optional(),
  assignee: z.looseObject({ id: z.string(), name: z.string() }).optional(),
  pastHolders: z
    .looseObject({ departments: z.array(z.string()), operators: z.array(z.string()), version: count })
    .optional(),
  // Absent on inquiries of releases before it was kept: counted from none (transitions/answers.ts).
  clockCount: count.optional(),
  messageCount: count,
  reopenCount: count,
  lastMessageAt: time,
  createdAt: time,
  updatedAt: time,
  version: count,
  causes: z.array(z.string()),
});

/**
 * What the statistics read of an inquiry (STATISTICS_FIELDS, a projection), of the same shapes; and the cause
 * of its answer, which the operators' figures read as text (operator-statistics.ts).
 */
const countedInquirySchema = storedInquirySchema
  .pick({
    department: true,
    groupId: true,
    status: true,
    category: true,
    createdAt: true,
    reopenCount: true,
    firstResponseStartedAt: true,
    firstResponseDueAt: true,
    firstRespondedAt: true,
    resolutionDueAt: true,
    answeredAt: true,
    closedAt: true,
    undelivered: true,
    earlierCycles: true,
    terms: true,
    citizenSettledAt: true,
    assignee: true,
  })
  .extend({ answerCause: z.string().optional() });

/**
 * What the workload reads of an open inquiry (WORKLOAD_FIELDS, a projection), of the same shapes; `assignedAt`
 * beside them is not checked, as the lists do not check it: an item they list is counted.
 */
const workloadInquirySchema = storedInquirySchema.pick({
  id: true,
  department: true,
  caseNumber: true,
  status: true,
  priority: true,
  category: true,
  assignee: true,
  clock: true,
  firstResponseClock: true,
  firstRespondedAt: true,
  firstResponseDueAt: true,
});

/** What a command that writes on the version read reads of an inquiry (past-holders:fill's projection). */
const versionedInquirySchema = storedInquirySchema.pick({ id: true, version: true });

const SCHEMAS = {
  whole: storedInquirySchema,
  counted: countedInquirySchema,
  workload: workloadInquirySchema,
  versioned: versionedInquirySchema,
};

/** How much of an inquiry item was read: all of it, or a projection of some fields (checked for those alone). */
export type InquiryRead = keyof typeof SCHEMAS;

/**
 * The attributes of a stored inquiry that are missing or not what the code reads (`clock.dueAt`), each once,
 * in the order found; undefined when the item reads as an inquiry. Names only: never a value, which may be a
 * citizen's words. `counted`: the item as the statistics read it, of their fields alone; `workload`: as the
 * workload reads it; `versioned`: its id and version alone.
 */
export function malformedAttributesOf(
  item: Record<string, unknown>,
  read: InquiryRead = 'whole',
): string[] | undefined {
  const parsed = SCHEMAS[read].safeParse(item);
  if (parsed.success) return undefined;
  return [...new Set(parsed.error.issues.map((issue) => attributeOf(issue.path)))];
}

/** `clock.dueAt`, `comments[0].replyTo`: the path of an issue, as the console shows an attribute. */
const attributeOf = (path: readonly PropertyKey[]) =>
  path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
