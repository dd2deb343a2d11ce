import { loadCallbackConfig } from '../adapters/callback-config.js';
import { systemClock } from '../adapters/clock.js';
import { environment } from '../adapters/environment.js';
import { createSecretStore } from '../adapters/secret-store.js';
import { SignedSqsMessageQueue } from '../adapters/sqs-signed-queue.js';
import { createCallbackAcceptor } from './accept-callback.js';
import { createIngestHandler } from './http-handler.js';

export { toHttpResponse } from './http-handler.js';

export const handler = createIngestHandler(
  createCallbackAcceptor({
    config: loadCallbackConfig(),
    secrets: createSecretStore(),
    // One message per invocation, signed by hand: no SDK client to load on the cold start VK waits on.
    queue: new SignedSqsMessageQueue({
      queueUrl: environment.eventsQueueUrl(),
      region: environment.awsRegion(),
      endpoint: environment.sqsEndpoint(),
      credentials: environment.awsCredentials,
    }),
    clock: systemClock,
  }),
);
