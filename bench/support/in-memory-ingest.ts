import { toSqsMessageBody } from '../../lambdas/adapters/sqs-message-body.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor } from '../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../lambdas/ingest/http-handler.js';
import { demoCommunity } from './vk-events.js';

/**
 * The real ingest handler for the demo community with the durable hand-off replaced by an in-memory queue.
 * `keeps`: `'body'` writes each message as the SQS adapters do (`toSqsMessageBody`) and keeps its length, so
 * that writing the body stays in the figures; `'message'` keeps the message itself, as vk-io's no-op handler
 * gets its update: the hand-off as a whole, the body's writing with it, is what is stubbed.
 */
export function inMemoryIngest(keeps: 'body' | 'message' = 'body') {
  const { config, secrets } = demoCommunity();
  let queuedBytes = 0;
  let lastMessage: ReceivedVkEvent | undefined;
  const handler = createIngestHandler(
    createCallbackAcceptor({
      config,
      // Secrets are kept in the function for five minutes: a map stands in for the warm cache.
      secrets: { get: async (name) => secrets[name] },
      queue: {
        send: async (message: ReceivedVkEvent) => {
          if (keeps === 'body') queuedBytes += toSqsMessageBody(message).length;
          else lastMessage = message;
        },
      },
      clock: { now: () => new Date() },
    }),
  );
  return { handler, queuedBytes: () => queuedBytes, lastMessage: () => lastMessage };
}
