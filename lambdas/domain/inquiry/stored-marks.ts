import * as z from 'zod';

/**
 * What the marks of work under way on an inquiry must be when read back, for a citizen's erasure to act on
 * them (ports/retention.ts): a new inquiry's opening, an erasure begun. A mark can be otherwise without a bug
 * of ours: edited by hand in the console, restored half written. Loose, and nothing is given a default.
 */
const time = z.iso.datetime();

const SCHEMAS = {
  opening: z.looseObject({
    inquiryId: z.string().min(1),
    groupId: z.number().int(),
    conversationKey: z.string(),
    authorId: z.number().int(),
    at: time,
  }),
  erasure: z.looseObject({
    inquiryId: z.string().min(1),
    version: z.number().int().nonnegative(),
    groupId: z.number().int(),
    conversationKey: z.string(),
    authorId: z.number().int(),
    caseNumber: z.string().optional(),
    department: z.string().optional(),
  }),
};

/** The marks read back: a new inquiry's opening, an erasure begun. */
export type MarkKind = keyof typeof SCHEMAS;

/**
 * The attributes of a stored mark that are missing or not of their types, each once; undefined when it reads
 * as one. Names only, never a value: a mark holds the citizen's id.
 */
export function malformedMarkAttributesOf(
  kind: MarkKind,
  item: Record<string, unknown>,
): string[] | undefined {
  const parsed = SCHEMAS[kind].safeParse(item);
  if (parsed.success) return undefined;
  return [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
}
