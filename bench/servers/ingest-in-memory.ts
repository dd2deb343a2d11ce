/**
 * Our ingest function over HTTP with the durable hand-off replaced by an in-memory queue: the same handler,
 * through the same local HTTP server as the local runtime (an API Gateway event per request), so that it
 * can be compared with vk-io's receiver like for like. Sends its URL to the parent; SIGTERM stops it.
 */
import type { HttpHandler } from '../../local/http-server.js';
import { inMemoryIngest } from '../support/in-memory-ingest.js';
import { serveCallback } from '../support/serve-callback.js';

// BENCH_QUEUE_KEEPS=body: the queue stand-in also writes each message's SQS body (see inMemoryIngest).
const keeps = process.env.BENCH_QUEUE_KEEPS === 'body' ? 'body' : 'message';
await serveCallback(inMemoryIngest(keeps).handler as unknown as HttpHandler);
