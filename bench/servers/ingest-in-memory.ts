/**
 * Our ingest function over HTTP with the durable hand-off replaced by an in-memory queue: the same handler,
 * through the same local HTTP server as the local runtime (an API Gateway event per request), so that it
 * can be compared with vk-io's receiver like for like. Sends its URL to the parent; SIGTERM stops it.
 */
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor } from '../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../lambdas/ingest/http-handler.js';
import { type HttpHandler, startHttpServer } from '../../local/http-server.js';
import { demoCommunity } from '../support/vk-events.js';

const { config, secrets } = demoCommunity();
const handler = createIngestHandler(
  createCallbackAcceptor({
    config,
    // SSM values are cached in the function (Powertools Parameters): a map stands in for the warm cache.
    secrets: { get: async (name) => secrets[name] },
    // Serialised as the SQS adapter does, so that cost stays in the figure.
    queue: {
      send: async (message: ReceivedVkEvent) => {
        JSON.stringify(message);
      },
    },
    clock: { now: () => new Date() },
  }),
) as unknown as HttpHandler;

const server = await startHttpServer({
  port: 0,
  functions: { '/vk/callback': handler },
  json: async () => undefined,
  onError: (error) => console.error(error),
});
process.send?.({ url: server.url });
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
