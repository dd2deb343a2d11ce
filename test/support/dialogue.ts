import { expect } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { ClassifiedMessage, MessageChange, RoutingMessage } from '../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { drainQueue, type TestAws } from './aws.js';
import { citizenDirectMessage } from './erased-citizens.js';
import { fixture } from './fixtures.js';
import { type Consumer, handedOn, routerContext } from './router.js';
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

/**
 * The citizen's edit of their direct message number `n` to `text`, received at `at` (now), the message written
 * at `writtenAt` (a minute before), as the classifier hands it on; its event keyed
 * `<prefix>-<citizen>-<n>-edit-<at>`, a prefix per test file.
 */
export const dialogueEdits =
  (prefix: string) =>
  (
    citizen: number,
    n: number,
    text: string,
    at = new Date(),
    writtenAt = new Date(at.getTime() - 60_000),
  ): MessageChange => {
    const recorded = fixture('vknet/MessageNewTest.json') as { object: { message: object } };
    const message = {
      ...recorded.object.message,
      from_id: citizen,
      peer_id: citizen,
      conversation_message_id: n,
      id: citizen * 100 + n,
      out: 0,
      date: Math.floor(writtenAt.getTime() / 1000),
      update_time: Math.floor(at.getTime() / 1000),
      text,
    };
    const change = handedOn('message_edit', message, `${prefix}-${citizen}-${n}-edit-${at.getTime()}`, at);
    if (change?.kind !== 'message_changed') throw new Error('the edit hands on no change');
    return change;
  };

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
