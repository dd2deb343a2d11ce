/**
 * The floor under our ingest in the like-for-like figure: the same local HTTP server, API Gateway event and
 * Lambda context per request, with a handler that only parses the body and answers `ok` (no check, no
 * hand-off, no logger). What ingest costs above this is its own work; what this costs next to vk-io's
 * receiver is the HTTP layer's. Sends its URL to the parent; SIGTERM stops it.
 */
import { startHttpServer } from '../../local/http-server.js';

const server = await startHttpServer({
  port: 0,
  functions: {
    '/vk/callback': async (event) => {
      JSON.parse(event.body ?? '');
      return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
    },
  },
  json: async () => undefined,
  onError: (error) => console.error(error),
});
process.send?.({ url: server.url });
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
