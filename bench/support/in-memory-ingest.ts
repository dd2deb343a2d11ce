import { toSqsMessageBody } from '../../lambdas/adapters/sqs-message-body.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor } from '../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../lambdas/ingest/http-handler.js';
import { demoCommunity } from './vk-events.js';

/**
 * The real ingest handler for the demo community with the durable hand-off replaced by an in-memory queue
 * that serialises each message as the SQS adapter does, so that cost stays in the figures. `queuedBytes`
 * keeps the serialised output in use.
 */
export function inMemoryIngest() {
  const { config, secrets } = demoCommunity();
  let queuedBytes = 0;
  const handler = createIngestHandler(
    createCallbackAcceptor({
      config,
      // SSM values are cached in the function (Powertools Parameters): a map stands in for the warm cache.
      secrets: { get: async (name) => secrets[name] },
      queue: {
        send: async (message: ReceivedVkEvent) => {
          queuedBytes += toSqsMessageBody(message).length;
        },
      },
      clock: { now: () => new Date() },
    }),
  );
  return { handler, queuedBytes: () => queuedBytes };
}
