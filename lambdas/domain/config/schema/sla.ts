import * as z from 'zod';
import { SLA_CLOCKS } from '../../inquiry/deadline.js';
import { CATEGORIES, PRIORITIES } from '../../taxonomy.js';

const hoursSchema = z
  .number()
  .positive()
  .max(24 * 365);

/**
 * How a term's hours count: `working_hours` (the default), in working time of the community's calendar, or
 * `round_the_clock`, every hour of every day and night, holidays too: for a threat to life, health or property.
 */
const slaClockSchema = z.enum(SLA_CLOCKS, {
  error: `clock must be ${SLA_CLOCKS.map((clock) => `"${clock}"`).join(' or ')}`,
});

/** The share of a term after which the department is warned (0.8: at 80 % of the time). */
const warnAtFractionSchema = z.number().gt(0).lt(1);

/**
 * Hours to the first response and to the resolution (the final answer after an intermediate one), and, for
 * a priority that wants an earlier warning than `sla.warnAtFraction` (critical: an hour's term warned at 48
 * minutes leaves 12 to act), its own share.
 */
const slaTermsSchema = z.strictObject({
  firstResponseHours: hoursSchema,
  resolutionHours: hoursSchema,
  clock: slaClockSchema.default('working_hours'),
  warnAtFraction: warnAtFractionSchema.optional(),
});

const slaOverrideSchema = z
  .strictObject({
    /** Omitted: any category. */
    category: z.enum(CATEGORIES).optional(),
    /** Omitted: any priority. */
    priority: z.enum(PRIORITIES).optional(),
    firstResponseHours: hoursSchema.optional(),
    resolutionHours: hoursSchema.optional(),
    /** Omitted: as the priority's defaults count. */
    clock: slaClockSchema.optional(),
  })
  .refine(
    (override) =>
      override.firstResponseHours !== undefined ||
      override.resolutionHours !== undefined ||
      override.clock !== undefined,
    { message: 'an override must set at least one of firstResponseHours, resolutionHours, clock' },
  );

export const slaSchema = z.strictObject({
  /** The terms per priority, in working hours of the community's calendar unless they count round the clock. */
  defaults: z.strictObject(
    Object.fromEntries(PRIORITIES.map((priority) => [priority, slaTermsSchema])) as Record<
      (typeof PRIORITIES)[number],
      typeof slaTermsSchema
    >,
  ),
  /** Per category and/or priority, in order: the first override that matches a term wins. */
  overrides: z.array(slaOverrideSchema).default([]),
  /** The share of a term after which the department is warned, unless its priority's defaults set one. */
  warnAtFraction: warnAtFractionSchema.default(0.8),
});

export type SlaPolicy = z.infer<typeof slaSchema>;
