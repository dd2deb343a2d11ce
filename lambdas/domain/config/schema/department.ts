import * as z from 'zod';
import { emailAddressSchema } from '../email-address.js';

/**
 * The longest id a department may have: the operator API's paths name it (its answer templates'), and take 64
 * characters at most, as for an inquiry's id (operator-api/routes.ts, PATH_PARAMETER_PATTERN).
 */
export const DEPARTMENT_ID_MAX_LENGTH = 64;

export const departmentIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes')
  .max(DEPARTMENT_ID_MAX_LENGTH, `longer than ${DEPARTMENT_ID_MAX_LENGTH} characters`);

/**
 * The longest name a department or community may have. Names go into acknowledgements (beside a template of up
 * to half a VK message), deadline e-mails and the directory; the longest body's name in use is some 150
 * characters ("Министерство территориального развития Пермского края…"), so 200 refuses only a paste gone wrong.
 */
export const NAME_MAX_LENGTH = 200;

/** A department's or community's name: something to read, and no longer than `NAME_MAX_LENGTH`. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'empty: give the name people know it by')
  .max(NAME_MAX_LENGTH, `longer than ${NAME_MAX_LENGTH} characters`);

export const departmentSchema = z
  .strictObject({
    id: departmentIdSchema,
    name: nameSchema,
    /**
     * What acknowledgements tell the citizen of it (`{department}`), when its `name` is the product's own
     * (a triage queue's): the body's public name. Omitted: its `name`.
     */
    publicName: nameSchema.optional(),
    /**
     * Who is told of its deadlines near and missed: e-mail addresses, each subscribed to the deadline topic,
     * at least one (a department no one hears of would be warned and escalated into the void). Trimmed: an
     * address copied from a mail client often ends in a space.
     */
    notify: z.array(z.string()).default([]),
  })
  .transform((department, context) => {
    const { id, notify } = department;
    if (notify.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['notify'],
        message: `department "${id}" names no e-mail address: its deadline notices would reach no one`,
      });
    // As subscribed: trimmed, the domain in ASCII; each that is no address named with its department.
    const addresses = notify.map((address, index) => {
      const parsed = emailAddressSchema.safeParse(address);
      if (parsed.success) return parsed.data;
      context.addIssue({
        code: 'custom',
        path: ['notify', index],
        message: `department "${id}": ${parsed.error.issues[0]?.message ?? 'not an e-mail address'}`,
      });
      return address;
    });
    return { ...department, notify: addresses };
  });

export type Department = z.infer<typeof departmentSchema>;
