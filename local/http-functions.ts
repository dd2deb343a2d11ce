import { OPERATOR_API_TIMEOUT_SECONDS } from '../lambdas/operator-api/api.js';
import { INGEST } from '../lib/resources.js';
import type { HttpFunction, HttpHandler } from './http-server.js';

/** Ingest behind the VK callback, with the timeout the stack gives it (lib/stateless-stack.ts). */
export const ingestFunction = (handler: HttpHandler): HttpFunction => ({
  name: 'ingest',
  timeoutSeconds: INGEST.timeoutSeconds,
  handler,
});

/** The operator API's function, with the timeout the stack gives it (lib/constructs/operator-api.ts). */
export const operatorApiFunction = (handler: HttpHandler): HttpFunction => ({
  name: 'operator-api',
  timeoutSeconds: OPERATOR_API_TIMEOUT_SECONDS,
  handler,
});
