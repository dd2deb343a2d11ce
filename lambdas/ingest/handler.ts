import { sqsClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { createSecretStore } from '../adapters/secret-store.js';
import { SqsMessageQueue } from '../adapters/sqs-queue.js';
import { createCallbackAcceptor } from './accept-callback.js';
import { createIngestHandler } from './http-handler.js';

export { toHttpResponse } from './http-handler.js';

export const handler = createIngestHandler(
  createCallbackAcceptor({
    config: loadConfig(),
    secrets: createSecretStore(),
    queue: new SqsMessageQueue(sqsClient(), environment.eventsQueueUrl()),
    clock: systemClock,
  }),
);
