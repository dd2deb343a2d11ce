import * as z from 'zod';

/**
 * What a message's record read back from the ledger must be for the responder to act on it (OutboxRecord):
 * the attributes every release since 13d2507 writes, of their types. A record can be otherwise without a bug
 * of ours: edited by hand in the console, restored half written. A record, whatever its shape, says the words
 * reached a final state: one that does not read is not taken for sent (the citizen might get them twice), nor
 * acted on (a refusal without its time would be written on the inquiry without one): the message is refused,
 * named, until the record is mended. Loose, and nothing is given a default.
 */
const storedOutboxRecordSchema = z.looseObject({
  id: z.string().min(1),
  inquiryId: z.string().min(1),
  status: z.enum(['delivered', 'undeliverable', 'skipped']),
  at: z.iso.datetime(),
  attempts: z.number().int().nonnegative(),
  attempt: z.string().optional(),
  method: z.string().optional(),
  reason: z.string().optional(),
  vkId: z.number().optional(),
});

/**
 * The attributes of a stored record that are missing or not of their types, each once; undefined when it
 * reads as a record. Names only, never a value: a reason may quote VK's answer.
 */
export function malformedRecordAttributesOf(record: Record<string, unknown>): string[] | undefined {
  const parsed = storedOutboxRecordSchema.safeParse(record);
  if (parsed.success) return undefined;
  return [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
}
