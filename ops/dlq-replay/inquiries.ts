import { systemClock } from '../../lambdas/adapters/clock.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { deliveryFailedCause } from '../../lambdas/domain/inquiry/state-machine.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { createInquiryRecording } from '../../lambdas/responder/record-on-inquiry.js';
import { stageDocumentClient } from '../stage-table.js';

/** What dlq:replay reads and writes of the stage's inquiries, given --table and --config. */
export function deadLetterInquiries(tableName: string, config: AppConfig) {
  const inquiries = new DynamoInquiryRepository(stageDocumentClient(config), tableName);
  const { recordDropped } = createInquiryRecording({ config, inquiries, clock: systemClock });
  return {
    /** Whether the words' inquiry is still flagged for them, in a few words for the dry run. */
    async flagOf(words: OutboxMessage): Promise<string> {
      const inquiry = await inquiries.getInquiry(words.inquiryId);
      if (!inquiry) return 'its inquiry is gone (a replay sends nothing)';
      if (inquiry.undelivered?.outboxId === words.id) return 'its inquiry is flagged for these words';
      // As send-time.ts tells words recorded undelivered and dealt with since.
      const recorded =
        inquiry.undeliveredWords?.includes(words.id) ||
        inquiry.causes.includes(deliveryFailedCause(words.id));
      return recorded
        ? 'its inquiry is no longer flagged for these words: the department reached the citizen since (a replay skips them)'
        : 'its inquiry is not flagged for these words: nothing recorded them undelivered';
    },
    /** The words dropped, on their inquiry if it is still flagged for them: given up. */
    dropped: (words: OutboxMessage) => recordDropped(words, systemClock.now().toISOString()),
  };
}

export type DeadLetterInquiries = ReturnType<typeof deadLetterInquiries>;
