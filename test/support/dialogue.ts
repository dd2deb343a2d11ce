import { expect } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { ClassifiedMessage, RoutingMessage } from '../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { drainQueue, type TestAws } from './aws.js';
import { citizenDirectMessage } from './erased-citizens.js';
import { type Consumer, routerContext } from './router.js';
import { sqsEvent } from './sqs-events.js';

/**
 * The citizen's direct message number `n` in their dialogue with the demo community, written at `at` (now),
 * classified by the model; its event keyed `<prefix>-<citizen>-<n>`, a prefix per test file.
 */
export const dialogueMessages =
  (prefix: string) =>
  (citizen: number, n: number, text: string, at = new Date()): ClassifiedMessage =>
    citizenDirectMessage({
      citizen,
      cmid: n,
      vkId: citizen * 100 + n,
      at,
      text,
      eventKey: `${prefix}-${citizen}-${n}`,
    });

/** The messages handed to the router's handler in one batch, none failed. */
export async function routeBatch(router: Consumer, messages: RoutingMessage[]): Promise<void> {
  expect((await router(sqsEvent(messages), routerContext)).batchItemFailures).toEqual([]);
}

/** The inquiries of the citizen's dialogue, oldest first. */
export const inquiriesOfDialogue = async (repository: DynamoInquiryRepository, citizen: number) =>
  (await repository.listAll())
    .filter((inquiry) => inquiry.conversationKey === `dm:${citizen}`)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

/** The acknowledgements on the outbox queue, taken off it. */
export const queuedAcknowledgements = async (aws: TestAws) =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url))
    .map((body) => JSON.parse(body) as OutboxMessage)
    .filter((message) => message.purpose === 'acknowledgement');
