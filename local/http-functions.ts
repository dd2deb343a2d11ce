import { RETRY_AFTER_SECONDS } from '../lambdas/ingest/accept-callback.js';
import { OPERATOR_API_TIMEOUT_SECONDS } from '../lambdas/operator-api/api.js';
import { CALLBACK_GATEWAY_FAILURE, INGEST } from '../lib/resources.js';
import { corsGateway } from './cors.js';
import type { ExecutionEnvironment } from './execution-environment.js';
import type { HttpFunction, HttpHandler } from './http-server.js';

type HttpEnvironment = ExecutionEnvironment<Parameters<HttpHandler>[0], Awaited<ReturnType<HttpHandler>>>;

/** A handler invoked in its function's execution environment, and the reset of that environment at a timeout. */
export const inEnvironment = (environment: HttpEnvironment): Pick<HttpFunction, 'handler' | 'onTimeout'> => ({
  handler: (event, context) => environment.invoke(event, context),
  onTimeout: () => environment.reset(),
});

/**
 * Ingest behind the VK callback, with the timeout the stack gives it (lib/constructs/pipeline.ts); failed
 * (its error, its init's included) or run out, it is answered as the callback's REST API answers
 * (CALLBACK_GATEWAY_FAILURE).
 */
export const ingestFunction = (invoked: Pick<HttpFunction, 'handler' | 'onTimeout'>): HttpFunction => ({
  name: 'ingest',
  timeoutSeconds: INGEST.timeoutSeconds,
  ...invoked,
  failed: {
    statusCode: CALLBACK_GATEWAY_FAILURE.statusCode,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'content-type': 'text/plain' },
    body: CALLBACK_GATEWAY_FAILURE.body,
  },
});

/**
 * The operator API's function, with the timeout the stack gives it (lib/constructs/operator-api.ts); failed
 * or run out, it is answered as an HTTP API answers a function's error or timeout, which it lets no one change but for the
 * CORS headers of its configuration (local/cors.ts), added to that answer as to any.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 */
export const operatorApiFunction = (
  handler: HttpHandler,
  allowedOrigins: readonly string[],
  onTimeout?: () => void,
): HttpFunction => ({
  name: 'operator-api',
  timeoutSeconds: OPERATOR_API_TIMEOUT_SECONDS,
  handler,
  ...(onTimeout && { onTimeout }),
  failed: {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Internal Server Error' }),
  },
  gateway: corsGateway(allowedOrigins),
});
