import * as z from 'zod';
import { CATEGORIES, PRIORITIES } from '../../taxonomy.js';
import { departmentIdSchema } from './department.js';

const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, context) => {
    try {
      new RegExp(pattern, 'iu');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `"${pattern}" is not a valid pattern: ${(error as Error).message}`,
      });
    }
  });

export const routingRuleSchema = z.strictObject({
  /** Omitted: any community. */
  community: z.number().int().positive().optional(),
  /** Omitted: any category. */
  category: z.enum(CATEGORIES).optional(),
  /** Omitted: any priority. */
  priority: z.enum(PRIORITIES).optional(),
  /**
   * Omitted: any text. Otherwise the rule matches when at least one pattern is found in the message text:
   * case-insensitive regular expressions, e.g. a district ("Мотовилих"), a street ("ул\\.? ?Ленина"), a
   * keyword ("светофор"). "ё" and "е" are treated alike.
   */
  patterns: z.array(patternSchema).min(1).optional(),
  department: departmentIdSchema,
});

export type RoutingRule = z.infer<typeof routingRuleSchema>;
