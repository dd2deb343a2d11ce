/**
 * The floor under our ingest in the like-for-like figure: the same local HTTP server, API Gateway event and
 * Lambda context per request, with a handler that only parses the body and answers `ok` (no check, no
 * hand-off, no logger). What ingest costs above this is its own work; what this costs next to vk-io's
 * receiver is the HTTP layer's. Sends its URL to the parent; SIGTERM stops it.
 */
import { serveCallback } from '../support/serve-callback.js';

await serveCallback(async (event) => {
  JSON.parse(event.body ?? '');
  return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
});
