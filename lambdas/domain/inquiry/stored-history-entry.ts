import * as z from 'zod';
import { HISTORY_ACTORS } from './history.js';
import { INQUIRY_STATUSES } from './status.js';

/**
 * What a history entry read back from the table must be for the operator API to show it as its document
 * promises (lambdas/operator-api/contract/history.ts): its key, time and actor of their forms, its `detail` a
 * map when present. Any `kind` is read: one a later release writes is shown with an empty `detail`. An entry
 * can be otherwise without a bug of ours: edited by hand in the console, restored half written. Loose: the
 * rest of the item is not looked at, and nothing is given a default.
 */
const storedHistoryEntrySchema = z.looseObject({
  inquiryId: z.string().min(1),
  key: z.string().min(1),
  at: z.iso.datetime(),
  kind: z.string().min(1),
  actor: z.enum(HISTORY_ACTORS),
  actorId: z.union([z.number(), z.string()]).optional(),
  actorName: z.string().optional(),
  reason: z.string().optional(),
  from: z.enum(INQUIRY_STATUSES).optional(),
  to: z.enum(INQUIRY_STATUSES).optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The attributes of a stored history entry that are missing or not of their forms, each once; undefined when
 * it reads as an entry. Names only: never a value, which may be a citizen's words.
 */
export function malformedEntryAttributesOf(entry: Record<string, unknown>): string[] | undefined {
  const parsed = storedHistoryEntrySchema.safeParse(entry);
  if (parsed.success) return undefined;
  return [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
}
