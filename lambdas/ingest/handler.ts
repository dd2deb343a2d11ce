import { loadCallbackConfig } from '../adapters/callback-config.js';
import { systemClock } from '../adapters/clock.js';
import { environment } from '../adapters/environment.js';
import { createSecretStore } from '../adapters/secret-store.js';
import { sqsClient } from '../adapters/sqs-client.js';
import { SqsMessageQueue } from '../adapters/sqs-queue.js';
import { createCallbackAcceptor } from './accept-callback.js';
import { createIngestHandler } from './http-handler.js';

export { toHttpResponse } from './http-handler.js';

export const handler = createIngestHandler(
  createCallbackAcceptor({
    config: loadCallbackConfig(),
    secrets: createSecretStore(),
    queue: new SqsMessageQueue(sqsClient(), environment.eventsQueueUrl()),
    clock: systemClock,
  }),
);
