import * as z from 'zod';

/**
 * How long citizens' data is kept once their inquiry is finished (lambdas/domain/inquiry/retention.ts). The
 * default, 1826 days (five years with a leap day), is the period bodies commonly keep citizens' appeals for:
 * set the one your body's file nomenclature (номенклатура дел) sets.
 */
export const retentionSchema = z.strictObject({
  /** Days after an inquiry is answered, closed or rejected (its `finishedAt`) before it is deleted. */
  closedInquiryDays: z
    .number()
    .int()
    .positive()
    .max(365 * 100),
});

export const DEFAULT_RETENTION = { closedInquiryDays: 1826 } as const;

/**
 * How long a dead-letter queue keeps a message (lib/resources.ts, DEAD_LETTER_RETENTION_DAYS: SQS's longest),
 * so how late one may be replayed (`dlq:replay`): a citizen's word that reopens an inquiry, or an answer to
 * it, must still find it then. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const DEAD_LETTER_DAYS = 14;

/** How long the pipeline's queues keep a message (lib/resources.ts, QUEUE_RETENTION_DAYS). */
export const QUEUE_DAYS = 4;

export type Retention = z.infer<typeof retentionSchema>;
